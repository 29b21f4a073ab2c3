import { accessCatalogue, AccessRule } from '../shared/access';
import { authenticated } from '../shared/permissions';

/**
 * The directory's rules: reference data (jurisdictions, regions) and the agreements themselves
 * are open to every verified caller; who may sign, revoke or list another jurisdiction's grants
 * is decided in the resolvers from the caller's roles and jurisdiction.
 */
export const AGREEMENT_ADMINISTRATION: AccessRule = {
  name: 'AGREEMENT_ADMINISTRATION',
  words: 'For agreements administrators of one of the parties.',
  roles: ['AGREEMENT_ADMIN'],
  guard: authenticated,
};

export const AUDIT_CHECKPOINT_READERS: AccessRule = {
  name: 'AUDIT_CHECKPOINT_READERS',
  words: "For the region's hub service and auditors.",
  roles: ['SERVICE', 'AUDITOR'],
  guard: authenticated,
};

export const RESIDENT_INDEX_SERVICE: AccessRule = {
  name: 'RESIDENT_INDEX_SERVICE',
  words: "Hub-internal: for a region's hub service, about its own region's persons.",
  roles: ['SERVICE'],
  guard: authenticated,
};

export const DIRECTORY_ACCESS = accessCatalogue(AGREEMENT_ADMINISTRATION, AUDIT_CHECKPOINT_READERS, RESIDENT_INDEX_SERVICE);
