import type { GraphQLResolveInfo } from 'graphql';
import { maySee, visiblePrefixes } from '../../auth/record-policy';
import { accessCatalogue, AccessRule, PETITION_WORK_ROLES, sharedRecordRule } from '../shared/access';
import { authenticated, forbidden, recordRule } from '../shared/permissions';
import type { PetitionsContext } from './context';
import { PETITION_CATEGORIES, PETITION_DETAIL_CATEGORIES, WARNING_CATEGORIES } from './petition-categories';
import type { Petition, PetitionWarning } from './types';

/**
 * The petitions subgraph's rules, each named by `@access` on what it guards. Lists leave out
 * records the caller may not see (the same rule as SQL prefixes, `within`); the guards decide
 * each record however it is reached (by id, through a link, as an entity), never cached across
 * records.
 */

const petitionDetails = recordRule((petition: Petition, _args, ctx: PetitionsContext, info: GraphQLResolveInfo) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, petition.registeredIn, PETITION_DETAIL_CATEGORIES)
    ? true
    : forbidden(`Petition.${info.fieldName} is a detail: open to the petition's jurisdiction, its city, and partners holding PETITION_DETAILS`, {
        reason: 'NO_DETAILS_AGREEMENT',
      });
});

export const PETITION_WARNING = sharedRecordRule({
  name: 'PETITION_WARNING',
  words: "For officers of the warning's jurisdiction or city and partners holding PETITION_WARNINGS; FORBIDDEN otherwise.",
  kind: 'Warning',
  jurisdictionOf: (warning: PetitionWarning) => warning.raisedIn,
  categories: WARNING_CATEGORIES,
});

export const PETITION_OUTLINE = sharedRecordRule({
  name: 'PETITION_OUTLINE',
  words:
    "Petition outline: for officers of the petition's jurisdiction or city and partners holding PETITION_WARNINGS or PETITION_DETAILS; FORBIDDEN otherwise.",
  kind: 'Petition',
  jurisdictionOf: (petition: Petition) => petition.registeredIn,
  categories: PETITION_CATEGORIES,
});

export const PETITION_DETAILS: AccessRule = {
  name: 'PETITION_DETAILS',
  words: "Petition detail: for officers of the petition's jurisdiction or city and partners holding PETITION_DETAILS; FORBIDDEN otherwise.",
  guard: petitionDetails,
  within: (caller) => visiblePrefixes(caller, PETITION_DETAIL_CATEGORIES),
};

export const PETITION_WORK: AccessRule = {
  name: 'PETITION_WORK',
  words: "For officers of the region's petition bureau whose jurisdiction holds the matter's (a county's its own, a city's the whole city).",
  roles: PETITION_WORK_ROLES,
  guard: authenticated,
};
export const WARNING_ACKNOWLEDGEMENT: AccessRule = {
  name: 'WARNING_ACKNOWLEDGEMENT',
  words: "For officers of the petition bureau of a partner region that sees the warning (not the warning's own region).",
  roles: PETITION_WORK_ROLES,
  guard: authenticated,
};

export const PETITION_DELIVERY: AccessRule = {
  name: 'PETITION_DELIVERY',
  words: 'Hub-internal: forwarded petitions and their status reports, sent between regions by the outbox relay.',
  roles: ['SERVICE'],
  guard: authenticated,
};

export const PETITIONS_ACCESS = accessCatalogue(
  PETITION_WARNING,
  PETITION_OUTLINE,
  PETITION_DETAILS,
  PETITION_WORK,
  WARNING_ACKNOWLEDGEMENT,
  PETITION_DELIVERY,
);

/** The dossier lists keys of records the caller may see (filtered in SQL); the records' fields are the petitions subgraph's to guard. */
export const DOSSIER_ACCESS = accessCatalogue();
