import type { RequestContext } from './context-token';
import { contains, significantPrefix } from './jurisdiction';
import { SharingCategory } from './sharing';

/**
 * Whether a caller may see a record (a warning, a petition, an inspection) that belongs to a
 * jurisdiction: officers of that jurisdiction or above it (a city officer sees the city's
 * counties), officers of the same city, and partners whose jurisdiction an agreement grants
 * one of `categories` of it. The same rule, as SQL prefixes, narrows lists.
 */

type Viewer = Pick<RequestContext, 'jurisdiction' | 'grants'>;

/** The city part of a code ("3304" for 330421); Shanghai's districts all share "3101". */
const cityPrefix = (code: string) => code.slice(0, 4);

/**
 * Decisions already made for a viewer (one verified context: a request's caller): the records
 * of a list come from a handful of jurisdictions, and each field of each record asks again.
 */
const decided = new WeakMap<Viewer, Map<string, boolean>>();

export function maySee(viewer: Viewer, recordJurisdiction: string, categories: readonly SharingCategory[]): boolean {
  let known = decided.get(viewer);
  if (!known) decided.set(viewer, (known = new Map()));
  const key = `${categories.length === 1 ? categories[0] : categories.join(',')} ${recordJurisdiction}`;
  let decision = known.get(key);
  if (decision === undefined) known.set(key, (decision = decide(viewer, recordJurisdiction, categories)));
  return decision;
}

function decide(viewer: Viewer, recordJurisdiction: string, categories: readonly SharingCategory[]): boolean {
  return (
    contains(viewer.jurisdiction, recordJurisdiction) ||
    cityPrefix(viewer.jurisdiction) === cityPrefix(recordJurisdiction) ||
    viewer.grants.some((grant) => categories.includes(grant.category as SharingCategory) && contains(grant.owner, recordJurisdiction))
  );
}

const prefixesOf = new WeakMap<Viewer, Map<string, readonly string[]>>();

/** The jurisdiction prefixes whose records `viewer` may see, for `LIKE ANY` in a list query (memoised per viewer, like maySee). */
export function visiblePrefixes(viewer: Viewer, categories: readonly SharingCategory[]): readonly string[] {
  let known = prefixesOf.get(viewer);
  if (!known) prefixesOf.set(viewer, (known = new Map()));
  const key = categories.join(',');
  let prefixes = known.get(key);
  if (!prefixes) {
    const own = significantPrefix(viewer.jurisdiction);
    const city = own.length >= 4 ? cityPrefix(viewer.jurisdiction) : own;
    const granted = viewer.grants.filter((grant) => categories.includes(grant.category as SharingCategory)).map((grant) => significantPrefix(grant.owner));
    prefixes = Object.freeze([...new Set([own, city, ...granted])]);
    known.set(key, prefixes);
  }
  return prefixes;
}
