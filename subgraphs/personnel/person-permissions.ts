import type { GraphQLResolveInfo } from 'graphql';
import { IMiddleware } from 'graphql-middleware';
import { allow } from 'graphql-shield';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../auth/masking';
import { personAccess, PersonAccess } from '../../auth/person-policy';
import { authenticated, FEDERATION_RULES, forbidden, notShared, recordRule } from '../shared/permissions';
import type { PersonnelContext } from './context';
import type { Person } from './person-types';

/**
 * The personnel subgraph's field rules (see auth/person-policy.ts for the policy itself).
 *
 *   open to every caller     Person.id, region, registeredAt (the list's sort key), dataAccess
 *   basic (partners too)     gender, homeJurisdiction, homeJurisdictionName
 *   personal (masked unless  name 张*, idNumber 330421********1234, birthDate 1990-**-**,
 *     full access)           phone 138****5678, address down to the county
 *   owner-only               tags, tagHistory, registeredBy
 *
 * A field the caller may not see at all is null with FORBIDDEN at its path; masking is not an
 * error. Officers' records are open to every verified caller (they act in the open).
 */

const accessCache = new WeakMap<object, WeakMap<object, PersonAccess>>();

/** The decision for this caller and this record, worked out once per request and record. */
export function accessTo(person: Person, ctx: PersonnelContext): PersonAccess {
  const actor = ctx.actor!;
  let perRecord = accessCache.get(actor);
  if (!perRecord) accessCache.set(actor, (perRecord = new WeakMap()));
  let access = perRecord.get(person);
  if (!access) perRecord.set(person, (access = personAccess(actor, person.homeJurisdiction)));
  return access;
}

const seesRecord = recordRule((person: Person, _args, ctx: PersonnelContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  const access = accessTo(person, ctx);
  return access.basic ? true : notShared('Person', person.id, ctx.actor.jurisdiction);
});

const ownerOnly = recordRule((person: Person, _args, ctx: PersonnelContext, info: GraphQLResolveInfo) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return accessTo(person, ctx).insider
    ? true
    : forbidden(`Person.${info.fieldName} is kept for officers of the person's home jurisdiction only`, { reason: 'OWNER_ONLY' });
});

export const PERSONNEL_RULES = {
  ...FEDERATION_RULES,
  Query: { ...FEDERATION_RULES.Query, '*': authenticated },
  Mutation: { '*': authenticated },
  Person: { '*': seesRecord, id: authenticated, region: authenticated, registeredAt: authenticated, dataAccess: authenticated, tags: ownerOnly, tagHistory: ownerOnly, registeredBy: ownerOnly },
  PersonDataAccess: allow,
  PersonTag: authenticated,
  PersonTagEvent: authenticated,
  PersonConnection: authenticated,
  PersonEdge: authenticated,
  Officer: authenticated,
  OfficerConnection: authenticated,
  OfficerEdge: authenticated,
  PageInfo: authenticated,
  AuditEntry: authenticated,
  AuditVerification: authenticated,
};

const MASKS: Record<string, (value: string) => string> = {
  name: maskName,
  idNumber: maskIdNumber,
  phone: maskPhone,
  address: maskAddress,
  birthDate: (value) => `${value.slice(0, 4)}-**-**`,
};

/** Personal fields come back masked unless this caller has full access to this record. */
export const personMasking: IMiddleware = {
  Person: Object.fromEntries(
    Object.entries(MASKS).map(([field, mask]) => [
      field,
      (resolve: (...args: unknown[]) => unknown, person: Person, args: unknown, ctx: PersonnelContext, info: GraphQLResolveInfo) => {
        const shown = (value: unknown) => {
          if (typeof value !== 'string' || !ctx.actor) return value;
          if (accessTo(person, ctx).personal !== 'FULL') return mask(value);
          ctx.audit.add('READ', person.id, [field]); // shown in full: it goes into the region's audit log
          return value;
        };
        // Synchronous when the resolver is (these are plain properties): no promise per field and record.
        const value = resolve(person, args, ctx, info);
        return typeof (value as PromiseLike<unknown> | null)?.then === 'function' ? (value as PromiseLike<unknown>).then(shown) : shown(value);
      },
    ]),
  ),
};
