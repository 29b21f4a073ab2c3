/** The task portal's four groups: 进行中 / 滞后 / 预警 / 已完成. */
export const GROUPS = ['inProgress', 'lagging', 'warning', 'done'] as const;
export type Group = (typeof GROUPS)[number];

/** Days before a deadline from which a matter counts as lagging: the internal milestone. */
export const LAGGING_DAYS = 7;
/** Days before a deadline from which a matter is a warning (the deadline sweep's BLUE warning starts at 3). */
export const WARNING_DAYS = 3;

export interface PortalItem {
  kind: 'petition' | 'task';
  id: string;
  title: string;
  county: string;
  status: string;
  daysLeft: number | null;
  overdue: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Done: closed, not accepted, or a completed task. Warning: the deadline is past or within 3
 * days. Lagging: within 7 days (the internal milestone passed, the statutory limit not yet near).
 * Anything else is in progress.
 */
export function groupOf(item: PortalItem): Group {
  if (['CLOSED', 'NOT_ACCEPTED', 'COMPLETED'].includes(item.status)) return 'done';
  if (item.overdue || (item.daysLeft !== null && item.daysLeft <= WARNING_DAYS)) return 'warning';
  if (item.daysLeft !== null && item.daysLeft <= LAGGING_DAYS) return 'lagging';
  return 'inProgress';
}

/** A petition as the portal reads it. */
export interface PortalPetition {
  id: string;
  status: string;
  category: string;
  registeredIn: string;
  deadline: { daysLeft: number; overdue: boolean } | null;
}

/** An inspection task as the portal reads it. */
export interface PortalTask {
  id: string;
  status: string;
  targetName: string;
  jurisdiction: string;
  plannedUntil: string;
}

export function petitionItem(node: PortalPetition): PortalItem {
  return {
    kind: 'petition',
    id: node.id,
    title: node.category,
    county: node.registeredIn,
    status: node.status,
    daysLeft: node.deadline?.daysLeft ?? null,
    overdue: Boolean(node.deadline?.overdue),
  };
}

export function taskItem(node: PortalTask, now = Date.now()): PortalItem {
  const daysLeft = Math.floor((new Date(node.plannedUntil).getTime() - now) / DAY_MS);
  return { kind: 'task', id: node.id, title: node.targetName, county: node.jurisdiction, status: node.status, daysLeft, overdue: daysLeft < 0 };
}
