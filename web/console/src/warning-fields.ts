/** What the board shows of a warning, in the list and in each live event alike. */
export const WARNING_ROW = `id region level kind status summary raisedAt raisedIn version subject { id region name }`;

export const LEVELS = ['RED', 'ORANGE', 'YELLOW', 'BLUE'] as const;
export const KINDS = ['CROSS_REGION', 'GROUP_VISIT', 'REPEAT', 'DEADLINE', 'LEVEL_SKIPPING'] as const;
export const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'] as const;

export interface WarningRow {
  id: string;
  region: string;
  level: string;
  kind: string;
  status: string;
  summary: string;
  raisedAt: string;
  raisedIn: string;
  version: number;
  subject: { id: string; region: string; name: string | null } | null;
}

export interface BoardFilter {
  levels: string[];
  kinds: string[];
  statuses: string[];
  raisedIn: string;
  subjectRegion: string;
  raisedFrom: string;
  raisedUntil: string;
}

export const EMPTY_FILTER: BoardFilter = { levels: [], kinds: [], statuses: [], raisedIn: '', subjectRegion: '', raisedFrom: '', raisedUntil: '' };

/** The board's filter as the API's PetitionWarningFilter (dates from the date inputs, whole days in local time). */
export function apiFilter(filter: BoardFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (filter.levels.length) out.levels = filter.levels;
  if (filter.kinds.length) out.kinds = filter.kinds;
  if (filter.statuses.length) out.statuses = filter.statuses;
  if (filter.raisedIn.trim()) out.raisedIn = filter.raisedIn.trim();
  if (filter.subjectRegion) out.subjectRegion = filter.subjectRegion;
  if (filter.raisedFrom) out.raisedFrom = new Date(`${filter.raisedFrom}T00:00:00`).toISOString();
  if (filter.raisedUntil) out.raisedUntil = new Date(`${filter.raisedUntil}T23:59:59.999`).toISOString();
  return out;
}
