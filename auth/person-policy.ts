import type { RequestContext } from './context-token';
import { contains, significantPrefix } from './jurisdiction';
import { maySee, visiblePrefixes } from './record-policy';
import { grants } from './sharing';

/**
 * Who may see what of a person's record, decided per record from the person's home
 * jurisdiction and the caller's (ARCHITECTURE.md §4):
 *  - insiders (the caller's jurisdiction contains the person's home: a city officer and the
 *    city's counties) and partners whose jurisdiction holds PERSON_PERSONAL for it may see
 *    personal data in full — with a stated purpose of use; without one it stays masked;
 *  - partners holding PERSON_BASIC, and officers of another county of the same city, see the
 *    record with personal data masked;
 *  - anyone else sees the id and region only: every other field is FORBIDDEN.
 * Owner-only fields (key-person tags, who registered the record) are for insiders alone.
 */

export type PersonalAccess = 'FULL' | 'MASKED' | 'NONE';

export interface PersonAccess {
  insider: boolean;
  /** May see the record beyond its id (basic fields, personal ones at least masked). */
  basic: boolean;
  personal: PersonalAccess;
  /** Why personal data is shown as it is, for the caller to act on. */
  reason: string;
}

export function personAccess(caller: Pick<RequestContext, 'jurisdiction' | 'purpose' | 'grants'>, homeJurisdiction: string): PersonAccess {
  const insider = contains(caller.jurisdiction, homeJurisdiction);
  const personalGrant = grants(caller.grants, 'PERSON_PERSONAL', homeJurisdiction);
  // The record rule every record kind shares: its jurisdiction, its city, or an agreement.
  const basic = maySee(caller, homeJurisdiction, ['PERSON_BASIC', 'PERSON_PERSONAL']);
  if (!basic) {
    // Said to a caller who may not see the record: nothing of it (not even its home county) in the words.
    return { insider, basic, personal: 'NONE', reason: `no sharing agreement opens this person's record to ${caller.jurisdiction}` };
  }
  if (!insider && !personalGrant) {
    return { insider, basic, personal: 'MASKED', reason: `no sharing agreement opens the personal data of ${homeJurisdiction} to ${caller.jurisdiction}` };
  }
  if (!caller.purpose) {
    return {
      insider,
      basic,
      personal: 'MASKED',
      reason: 'personal data is shown in full only with a stated purpose of use: send the header X-Purpose (for example "petition-handling")',
    };
  }
  return {
    insider,
    basic,
    personal: 'FULL',
    reason: insider
      ? `your jurisdiction ${caller.jurisdiction} holds the record`
      : `a sharing agreement opens the personal data of ${homeJurisdiction} to ${caller.jurisdiction}`,
  };
}

type PrefixViewer = Pick<RequestContext, 'jurisdiction' | 'grants'>;

/**
 * The same rules as jurisdiction prefixes of the home, for the SQL of filters and lookups: a
 * filter that tests a value matches only records whose value the caller may read
 * (personAccess decides the same per record; test/person-policy.test.ts holds the two together).
 */
export const personPrefixes = {
  /** Owner-only values (key-person categories): the caller's own jurisdiction. */
  owner: (caller: PrefixViewer): readonly string[] => [significantPrefix(caller.jurisdiction)],
  /** Basic values (home jurisdiction, gender): own jurisdiction, own city, PERSON_BASIC or PERSON_PERSONAL partners. */
  basic: (caller: PrefixViewer): readonly string[] => visiblePrefixes(caller, ['PERSON_BASIC', 'PERSON_PERSONAL']),
  /** Personal values in full (the ID number): own jurisdiction and PERSON_PERSONAL partners; a stated purpose is the caller's part. */
  personal: (caller: PrefixViewer): readonly string[] => [
    ...new Set([
      significantPrefix(caller.jurisdiction),
      ...caller.grants.filter((grant) => grant.category === 'PERSON_PERSONAL').map((grant) => significantPrefix(grant.owner)),
    ]),
  ],
};

/** True when `prefixes` could match some home within `scope` (a jurisdiction prefix): whether a filter or lookup can find anything readable there at all. */
export function overlapsAny(prefixes: readonly string[], scope: string): boolean {
  return prefixes.some((prefix) => prefix.startsWith(scope) || scope.startsWith(prefix));
}
