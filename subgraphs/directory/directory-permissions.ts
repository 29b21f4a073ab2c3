import { authenticated, FEDERATION_RULES } from '../shared/permissions';

/**
 * The directory's field rules: reference data (jurisdictions, regions) and the agreements
 * themselves are open to every verified caller; who may sign, revoke or list another
 * jurisdiction's grants is decided in the resolvers from the caller's roles and jurisdiction.
 * Deny by default, as everywhere: a type not named here is FORBIDDEN.
 */
export const DIRECTORY_RULES = {
  ...FEDERATION_RULES,
  Query: { ...FEDERATION_RULES.Query, '*': authenticated },
  Mutation: { '*': authenticated },
  Jurisdiction: authenticated,
  Region: authenticated,
  SharingAgreement: authenticated,
  SharingAgreementConnection: authenticated,
  SharingAgreementEdge: authenticated,
  SharingGrant: authenticated,
  Caller: authenticated,
  AuditCheckpoint: authenticated,
  Officer: authenticated,
  PageInfo: authenticated,
};
