import type { GraphQLResolveInfo } from 'graphql';
import { personPrefixes } from '../../auth/person-policy';
import { accessCatalogue, AccessRule } from '../shared/access';
import { authenticated, forbidden, notShared, recordRule } from '../shared/permissions';
import type { PersonnelContext } from './context';
import { accessTo } from './person-permissions';
import type { Person } from './person-types';

/**
 * The personnel subgraph's rules (auth/person-policy.ts decides them), each named by `@access`
 * on what it guards; nothing else attaches them:
 *
 *   PERSON_BASIC     gender, home jurisdiction — officers of the home jurisdiction or city, PERSON_BASIC partners
 *   PERSON_PERSONAL  name, ID number, birth date, phone, address — as basic, masked unless in full
 *                    (home jurisdiction or PERSON_PERSONAL, with a stated purpose); full reads audited
 *   PERSON_OWNER     key-person tags, who registered the record, household moves — officers of the home jurisdiction
 */

const seesRecord = recordRule((person: Person, _args, ctx: PersonnelContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return accessTo(person, ctx).basic ? true : notShared('Person', person.id, ctx.actor.jurisdiction);
});

const ownerOnly = recordRule((person: Person, _args, ctx: PersonnelContext, info: GraphQLResolveInfo) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return accessTo(person, ctx).insider
    ? true
    : forbidden(`Person.${info.fieldName} is kept for officers of the person's home jurisdiction only`, { reason: 'OWNER_ONLY' });
});

export const PERSON_BASIC: AccessRule = {
  name: 'PERSON_BASIC',
  words: 'Basic data: for officers of the home jurisdiction or city and partners holding PERSON_BASIC; FORBIDDEN otherwise.',
  guard: seesRecord,
  within: personPrefixes.basic,
};

export const PERSON_PERSONAL: AccessRule = {
  name: 'PERSON_PERSONAL',
  words:
    'Personal data: in full for officers of the home jurisdiction and partners holding PERSON_PERSONAL, with a stated purpose (X-Purpose); masked for the same city and partners holding PERSON_BASIC; FORBIDDEN otherwise. Full reads, and lookups by it, are audited.',
  guard: seesRecord,
  within: personPrefixes.personal,
};

export const PERSON_OWNER: AccessRule = {
  name: 'PERSON_OWNER',
  words: 'Owner-only: for officers of the home jurisdiction; FORBIDDEN otherwise, whatever agreements you hold.',
  guard: ownerOnly,
  within: personPrefixes.owner,
};

export const AUDIT_TRAIL: AccessRule = {
  name: 'AUDIT_TRAIL',
  words: "For auditors of the person's region and officers of the person's home jurisdiction.",
  guard: authenticated,
};
export const AUDITORS: AccessRule = { name: 'AUDITORS', words: 'For auditors of the region.', roles: ['AUDITOR'], guard: authenticated };

export const PERSONNEL_ACCESS = accessCatalogue(PERSON_BASIC, PERSON_PERSONAL, PERSON_OWNER, AUDIT_TRAIL, AUDITORS);
