import { GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import { IMiddleware } from 'graphql-middleware';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../auth/masking';
import { personAccess, PersonAccess } from '../../auth/person-policy';
import { accessRuleNameAt } from '../shared/access-schema';
import { auditRecord } from '../shared/audit-record';
import type { PersonnelContext } from './context';
import type { Person } from './person-types';

/**
 * A caller's access to a person's record (auth/person-policy.ts), decided once per request and
 * record, and the masking of personal data. Which fields are personal is said by their
 * `@access(rule: "PERSON_PERSONAL")` (person-access-rules.ts); here is only how each is masked:
 * name 张*, idNumber 330421********1234, birthDate 1990-**-**, phone 138****5678, address down to
 * the county.
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

const MASKS: Record<string, (value: string) => string> = {
  name: maskName,
  idNumber: maskIdNumber,
  phone: maskPhone,
  address: maskAddress,
  birthDate: (value) => `${value.slice(0, 4)}-**-**`,
};

/** Personal fields (those `@access` gives PERSON_PERSONAL) come back masked unless this caller has full access to this record. */
export function personMasking(schema: GraphQLSchema, personalRule: string): IMiddleware {
  const person = schema.getType('Person');
  if (!isObjectType(person)) throw new Error('the personnel schema has no Person type');
  const personal = Object.keys(person.getFields()).filter((field) => accessRuleNameAt(schema, `Person.${field}`) === personalRule);
  const missing = personal.filter((field) => !MASKS[field]);
  if (missing.length) throw new Error(`Person.${missing.join(', Person.')}: personal data without a mask; add one to MASKS`);
  return {
    Person: Object.fromEntries(
      personal.map((field) => {
        const mask = MASKS[field];
        return [
          field,
          (resolve: (...args: unknown[]) => unknown, record: Person, args: unknown, ctx: PersonnelContext, info: GraphQLResolveInfo) => {
            const shown = (value: unknown) => {
              if (typeof value !== 'string' || !ctx.actor) return value;
              if (accessTo(record, ctx).personal !== 'FULL') return mask(value);
              ctx.audit.add('READ', auditRecord('Person', record.id), [field]); // shown in full: it goes into the region's audit log
              return value;
            };
            // Synchronous when the resolver is (these are plain properties): no promise per field and record.
            const value = resolve(record, args, ctx, info);
            return typeof (value as PromiseLike<unknown> | null)?.then === 'function' ? (value as PromiseLike<unknown>).then(shown) : shown(value);
          },
        ];
      }),
    ),
  };
}
