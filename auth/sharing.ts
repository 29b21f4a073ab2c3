import type { Grant } from './context-token';
import { contains } from './jurisdiction';

/**
 * What sharing agreements open: categories of data, from the jurisdiction that owns them to
 * partners. Field rules ask `grants(...)` per record: does the caller hold this category for
 * the jurisdiction the record belongs to?
 */
export const SHARING_CATEGORIES = ['PETITION_WARNINGS', 'PETITION_DETAILS', 'INSPECTIONS', 'PERSON_BASIC', 'PERSON_PERSONAL'] as const;
export type SharingCategory = (typeof SHARING_CATEGORIES)[number];

/** True when `grants` open `category` of records belonging to `recordJurisdiction`. */
export function grants(held: readonly Grant[], category: SharingCategory, recordJurisdiction: string): boolean {
  return held.some((grant) => grant.category === category && contains(grant.owner, recordJurisdiction));
}
