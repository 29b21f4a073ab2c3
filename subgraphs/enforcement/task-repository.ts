import type { ClientBase, Pool, PoolClient } from 'pg';
import type { AgencyKindName } from '../../auth/agencies';
import { toGlobalId } from '../../auth/global-id';
import type { KeysetPosition } from '../shared/pagination';
import { deadlinePassedSql } from '../shared/beijing-day';
import { SqlFilter } from '../shared/sql-filter';
import { agencyNameIn } from './agency-names';
import { TaskStatus } from './inspection-flow';
import { officerRef } from './officer';
import { FindingSeverity, InspectionTask, TaskFinding } from './task-types';

type Queryable = Pool | PoolClient;

export interface TaskRow {
  id: string;
  inspection_id: string;
  lead_region: string;
  participant_ref: string;
  agency: AgencyKindName;
  jurisdiction: string;
  assignee_id: string | null;
  scenario_code: string;
  target_name: string;
  target_credit_code: string;
  target_address: string;
  planned_at: Date;
  planned_until: Date;
  dispatched_by: string | null;
  received_at: Date;
  status: TaskStatus;
  accepted_by: string | null;
  accepted_at: Date | null;
  completed_by: string | null;
  completed_at: Date | null;
  conclusion: string | null;
  /** When the lead region began the joint visit (执法检查); the task is worked only from then on. */
  visit_started_at: Date | null;
  version: number;
}

const COLUMNS = `id, inspection_id, lead_region, participant_ref, agency, jurisdiction, assignee_id, scenario_code, target_name,
  target_credit_code, target_address, planned_at, planned_until, dispatched_by, received_at, status, accepted_by, accepted_at,
  completed_by, completed_at, conclusion, visit_started_at, version`;

export function toTask(region: string, row: TaskRow): InspectionTask {
  return {
    id: toGlobalId(region, row.id),
    region,
    localId: row.id,
    inspectionId: row.inspection_id,
    participantRef: row.participant_ref,
    scenarioCode: row.scenario_code,
    leadRegion: row.lead_region,
    agency: row.agency,
    agencyName: agencyNameIn(row.jurisdiction, row.agency),
    jurisdiction: row.jurisdiction,
    assignee: officerRef(row.assignee_id),
    targetName: row.target_name,
    targetCreditCode: row.target_credit_code,
    targetAddress: row.target_address,
    plannedAt: row.planned_at,
    plannedUntil: row.planned_until,
    dispatchedBy: officerRef(row.dispatched_by),
    receivedAt: row.received_at,
    status: row.status,
    acceptedBy: officerRef(row.accepted_by),
    acceptedAt: row.accepted_at,
    completedBy: officerRef(row.completed_by),
    completedAt: row.completed_at,
    conclusion: row.conclusion,
    visitStartedAt: row.visit_started_at,
    version: row.version,
  };
}

export function taskPosition(row: { planned_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.planned_at.toISOString(), id: row.id };
}

export interface TaskFilter {
  status?: TaskStatus | null;
  agency?: AgencyKindName | null;
  leadRegion?: string | null;
  assigneeId?: string | null;
  /** Task-jurisdiction prefixes the caller may see, or (as lead) tasks of the caller's region's inspections. */
  visibleIn?: { prefixes: readonly string[]; leadRegion: string } | null;
}

/** Newest planned first, narrowed by `filter`; every filter has an index. */
export async function listTasks(db: Queryable, filter: TaskFilter, limit: number, after: KeysetPosition | undefined): Promise<TaskRow[]> {
  const where = new SqlFilter()
    .add('status = ?', filter.status)
    .add('agency = ?', filter.agency)
    .add('lead_region = ?', filter.leadRegion)
    .add('assignee_id = ?', filter.assigneeId)
    .add(
      '(jurisdiction LIKE ANY(?::text[]) OR lead_region = ?)',
      filter.visibleIn?.prefixes.map((prefix) => `${prefix}%`),
      filter.visibleIn?.leadRegion,
    )
    .add('(planned_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  const { rows } = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM enforcement.tasks ${where.where} ORDER BY planned_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export async function findTasks(db: Queryable, ids: readonly string[]): Promise<Array<TaskRow | undefined>> {
  const { rows } = await db.query<TaskRow>(`SELECT ${COLUMNS} FROM enforcement.tasks WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/** The task, locked until the transaction ends: every change to a task starts here. */
export async function lockTask(client: PoolClient, id: string): Promise<TaskRow | undefined> {
  const { rows } = await client.query<TaskRow>(`SELECT ${COLUMNS} FROM enforcement.tasks WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export interface DeliveredTask {
  inspectionId: string;
  participantRef: string;
  agency: AgencyKindName;
  jurisdiction: string;
  assigneeId: string | null;
  scenarioCode: string;
  targetName: string;
  targetCreditCode: string;
  targetAddress: string;
  plannedAt: Date;
  plannedUntil: Date;
  dispatchedBy: string | null;
  /** Set once the lead region has begun the visit: the same task is delivered again with it. */
  visitStartedAt: Date | null;
}

/**
 * Stores a delivered task once: a second delivery of the same (inspection, participant) — a
 * retry after a lost answer, or the news that the visit began — finds the first and changes at
 * most its visit start (set once, never moved or cleared, whichever delivery arrives first).
 */
export async function receiveTask(client: PoolClient, task: DeliveredTask): Promise<TaskRow> {
  const { rows } = await client.query<TaskRow>(
    `INSERT INTO enforcement.tasks AS t (inspection_id, participant_ref, agency, jurisdiction, assignee_id, scenario_code, target_name,
       target_credit_code, target_address, planned_at, planned_until, dispatched_by, visit_started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (inspection_id, participant_ref) DO UPDATE
        SET visit_started_at = COALESCE(t.visit_started_at, EXCLUDED.visit_started_at),
            version = t.version + CASE WHEN t.visit_started_at IS NULL AND EXCLUDED.visit_started_at IS NOT NULL THEN 1 ELSE 0 END
     RETURNING ${COLUMNS}`,
    [
      task.inspectionId,
      task.participantRef,
      task.agency,
      task.jurisdiction,
      task.assigneeId,
      task.scenarioCode,
      task.targetName,
      task.targetCreditCode,
      task.targetAddress,
      task.plannedAt,
      task.plannedUntil,
      task.dispatchedBy,
      task.visitStartedAt,
    ],
  );
  return rows[0];
}

/** Columns a task action may change besides its status. */
export interface TaskChange {
  accepted_by?: string;
  accepted_at?: Date;
  completed_by?: string;
  completed_at?: Date;
  conclusion?: string;
}

export async function updateTask(client: PoolClient, id: string, from: TaskStatus, to: TaskStatus, change: TaskChange): Promise<TaskRow | undefined> {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined);
  const assignments = entries.map(([column], index) => `, ${column} = $${index + 4}`).join('');
  const { rows } = await client.query<TaskRow>(
    `UPDATE enforcement.tasks SET status = $3, version = version + 1 ${assignments} WHERE id = $1 AND status = $2 RETURNING ${COLUMNS}`,
    [id, from, to, ...entries.map(([, value]) => value)],
  );
  return rows[0];
}

export async function insertFinding(
  client: PoolClient,
  finding: { taskId: string; severity: FindingSeverity; description: string; recordedBy: string; rectifyBy: Date | null },
): Promise<void> {
  await client.query('INSERT INTO enforcement.task_findings (task_id, severity, description, recorded_by, rectify_by) VALUES ($1, $2, $3, $4, $5)', [
    finding.taskId,
    finding.severity,
    finding.description,
    finding.recordedBy,
    finding.rectifyBy,
  ]);
  await client.query('UPDATE enforcement.tasks SET version = version + 1 WHERE id = $1', [finding.taskId]);
}

/** Findings of several tasks in one statement, oldest first. */
export async function listFindings(db: Queryable, region: string, taskIds: readonly string[]): Promise<TaskFinding[][]> {
  const { rows } = await db.query<{
    id: string;
    task_id: string;
    severity: FindingSeverity;
    description: string;
    recorded_by: string | null;
    recorded_at: Date;
    rectify_by: Date | null;
    follow_up_requested_at: Date | null;
  }>(
    `SELECT id, task_id, severity, description, recorded_by, recorded_at, rectify_by, follow_up_requested_at FROM enforcement.task_findings
      WHERE task_id = ANY($1::bigint[]) ORDER BY task_id, recorded_at, id`,
    [taskIds],
  );
  const byTask = new Map<string, TaskFinding[]>(taskIds.map((id) => [id, []]));
  for (const row of rows) {
    byTask.get(row.task_id)?.push({
      id: toGlobalId(region, row.id),
      severity: row.severity,
      description: row.description,
      recordedBy: officerRef(row.recorded_by),
      recordedAt: row.recorded_at,
      rectifyBy: row.rectify_by,
      followUpRequestedAt: row.follow_up_requested_at,
    });
  }
  return taskIds.map((id) => byTask.get(id) ?? []);
}

/** A finding whose rectification deadline has passed, with what the lead region needs to follow it up. */
export interface DueFinding {
  id: string;
  inspection_id: string;
  lead_region: string;
  severity: FindingSeverity;
  description: string;
  rectify_by: Date;
  recorded_by: string | null;
}

/**
 * Up to `limit` findings whose deadline has passed and whose follow-up was not yet asked for,
 * marked as asked in the same statement (the caller's transaction also writes the messages), so
 * that two sweeps of one region never ask twice.
 */
export async function claimDueFindings(client: ClientBase, limit: number): Promise<DueFinding[]> {
  const { rows } = await client.query<DueFinding>(
    `UPDATE enforcement.task_findings f SET follow_up_requested_at = now()
       FROM enforcement.tasks t
      WHERE t.id = f.task_id
        AND f.id IN (SELECT id FROM enforcement.task_findings
                      WHERE ${deadlinePassedSql('rectify_by')} AND follow_up_requested_at IS NULL
                      ORDER BY rectify_by, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING f.id, t.inspection_id, t.lead_region, f.severity, f.description, f.rectify_by, f.recorded_by`,
    [limit],
  );
  return rows;
}
