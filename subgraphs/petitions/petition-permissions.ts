import type { GraphQLResolveInfo } from 'graphql';
import { allow } from 'graphql-shield';
import { maySee } from '../../auth/record-policy';
import { authenticated, FEDERATION_RULES, forbidden, notShared, recordRule } from '../shared/permissions';
import { PETITION_CATEGORIES, PETITION_DETAIL_CATEGORIES, PetitionsContext, WARNING_CATEGORIES } from './context';
import type { Petition, PetitionWarning } from './types';

/**
 * The petitions subgraph's field rules. Lists already leave out records the caller may not see
 * (the same rule as SQL prefixes); these rules guard each record however it is reached (by id,
 * through a link, as an entity), per record, never cached across records.
 *
 *   PetitionWarning   seen by officers of its jurisdiction or city, and partners holding PETITION_WARNINGS
 *   Petition          outline as a warning (and PETITION_DETAILS); its details — summary, content,
 *                     petitioners, history, outcome, handling agency — for its jurisdiction, its
 *                     city, and partners holding PETITION_DETAILS; FORBIDDEN for others
 */

const warningVisible = recordRule((warning: PetitionWarning, _args, ctx: PetitionsContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, warning.raisedIn, WARNING_CATEGORIES) ? true : notShared('Warning', warning.id, ctx.actor.jurisdiction);
});

const petitionVisible = recordRule((petition: Petition, _args, ctx: PetitionsContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, petition.registeredIn, PETITION_CATEGORIES) ? true : notShared('Petition', petition.id, ctx.actor.jurisdiction);
});

const petitionDetails = recordRule((petition: Petition, _args, ctx: PetitionsContext, info: GraphQLResolveInfo) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, petition.registeredIn, PETITION_DETAIL_CATEGORIES)
    ? true
    : forbidden(`Petition.${info.fieldName} is a detail: open to the petition's jurisdiction, its city, and partners holding PETITION_DETAILS`, { reason: 'NO_DETAILS_AGREEMENT' });
});

const open = { id: authenticated, region: authenticated };

export const PETITIONS_RULES = {
  ...FEDERATION_RULES,
  Query: { ...FEDERATION_RULES.Query, '*': authenticated },
  Mutation: { '*': authenticated },
  PetitionWarning: { '*': warningVisible, ...open, raisedAt: authenticated },
  Petition: {
    '*': petitionVisible,
    ...open,
    registeredAt: authenticated,
    summary: petitionDetails,
    content: petitionDetails,
    petitioners: petitionDetails,
    history: petitionDetails,
    outcome: petitionDetails,
    handlingAgency: petitionDetails,
    handlingJurisdiction: petitionDetails,
    extension: petitionDetails,
  },
  PetitionConnection: authenticated,
  PetitionEdge: authenticated,
  PetitionWarningConnection: authenticated,
  PetitionWarningEdge: authenticated,
  PageInfo: authenticated,
  PetitionDeadline: authenticated,
  PetitionExtension: authenticated,
  PetitionEvent: authenticated,
  WarningEvent: authenticated,
  Officer: authenticated,
  Person: authenticated,
};

/** The dossier lists keys of records the caller may see (filtered in SQL); the records' fields are the petitions subgraph's to guard. */
export const DOSSIER_RULES = {
  ...FEDERATION_RULES,
  Person: authenticated,
  Petition: authenticated,
  PetitionWarning: authenticated,
  PersonPetitionConnection: authenticated,
  PersonPetitionEdge: authenticated,
  PersonPetitionWarningConnection: authenticated,
  PersonPetitionWarningEdge: authenticated,
  PageInfo: authenticated,
  _Service: allow,
};
