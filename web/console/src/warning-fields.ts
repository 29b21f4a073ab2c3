import { graphql } from './generated';
import type { PetitionWarningFilter, WarningKind, WarningLevel, WarningRowFragment, WarningStatus } from './generated/graphql';

/** What the board shows of a warning, in the list and in each live event alike. */
export const WARNING_ROW = graphql(`
  fragment WarningRow on PetitionWarning {
    id
    region
    level
    kind
    status
    summary
    raisedAt
    raisedIn
    version
    subject {
      id
      region
      name
    }
  }
`);
export type WarningRow = WarningRowFragment;

export const LEVELS: readonly WarningLevel[] = ['RED', 'ORANGE', 'YELLOW', 'BLUE'];
export const KINDS: readonly WarningKind[] = ['CROSS_REGION', 'GROUP_VISIT', 'REPEAT', 'DEADLINE', 'LEVEL_SKIPPING'];
export const STATUSES: readonly WarningStatus[] = ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'];

export interface BoardFilter {
  levels: WarningLevel[];
  kinds: WarningKind[];
  statuses: WarningStatus[];
  raisedIn: string;
  subjectRegion: string;
  raisedFrom: string;
  raisedUntil: string;
}

export const EMPTY_FILTER: BoardFilter = { levels: [], kinds: [], statuses: [], raisedIn: '', subjectRegion: '', raisedFrom: '', raisedUntil: '' };

/** The board's filter as the API's PetitionWarningFilter (dates from the date inputs, whole days in local time). */
export function apiFilter(filter: BoardFilter): PetitionWarningFilter {
  const out: PetitionWarningFilter = {};
  if (filter.levels.length) out.levels = filter.levels;
  if (filter.kinds.length) out.kinds = filter.kinds;
  if (filter.statuses.length) out.statuses = filter.statuses;
  if (filter.raisedIn.trim()) out.raisedIn = filter.raisedIn.trim();
  if (filter.subjectRegion) out.subjectRegion = filter.subjectRegion;
  if (filter.raisedFrom) out.raisedFrom = new Date(`${filter.raisedFrom}T00:00:00`).toISOString();
  if (filter.raisedUntil) out.raisedUntil = new Date(`${filter.raisedUntil}T23:59:59.999`).toISOString();
  return out;
}
