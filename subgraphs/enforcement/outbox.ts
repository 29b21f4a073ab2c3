import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { ParticipantTaskStatus } from './inspection-flow';
import type { InspectionRow } from './inspection-repository';
import type { ParticipantRow } from './participant-repository';
import type { DueFinding, TaskRow } from './task-repository';

/**
 * Messages this region owes other regions, written in the same transaction as the change that
 * owes them (so a change and its message commit together or not at all) and sent by the relay
 * (relay.ts) once it commits. Every message is safe to send twice: its receiver is idempotent.
 */

export type OutboxKind = 'DELIVER_TASK' | 'REPORT_TASK_STATUS' | 'REQUEST_FOLLOW_UP';

/** Variables of `receiveInspectionTask`, plus where the answer goes in the lead region. */
export interface TaskDelivery {
  participantId: string;
  inspectionLocalId: string;
  input: {
    region: string;
    inspectionId: string;
    participantRef: string;
    agency: string;
    jurisdiction: string;
    assigneeId: string | null;
    scenarioCode: string;
    targetName: string;
    targetCreditCode: string;
    targetAddress: string;
    plannedAt: string;
    plannedUntil: string;
    visitStartedAt: string | null;
  };
}

/** Variables of `reportInspectionTaskStatus`. */
export interface TaskStatusReport {
  input: { inspectionId: string; participantRef: string; taskId: string; status: ParticipantTaskStatus; at: string };
}

/** Variables of `raiseFollowUpInspection`. */
export interface FollowUpRequest {
  input: { inspectionId: string; findingId: string; severity: string; description: string; rectifyBy: string };
}

export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  target_region: string;
  payload: TaskDelivery | TaskStatusReport | FollowUpRequest;
  acting_officer: string | null;
  attempts: number;
}

/**
 * One task delivery per participant, to the participant's region; returns the message ids. Once
 * the joint visit has begun (`visitStartedAt`), the delivery carries it: at 执法检查 every task
 * is delivered again with it, so that each region learns its task may now be worked.
 */
export async function enqueueDeliveries(
  client: PoolClient,
  leadRegion: string,
  inspection: InspectionRow,
  participants: readonly ParticipantRow[],
  actingOfficer: string,
  visitStartedAt: Date | null,
): Promise<string[]> {
  if (participants.length === 0) return [];
  const payloads: TaskDelivery[] = participants.map((participant) => ({
    participantId: participant.id,
    inspectionLocalId: inspection.id,
    input: {
      region: participant.region,
      inspectionId: toGlobalId(leadRegion, inspection.id),
      participantRef: participant.id,
      agency: participant.agency,
      jurisdiction: participant.jurisdiction,
      assigneeId: participant.officer_id,
      scenarioCode: inspection.scenario_code,
      targetName: inspection.target_name,
      targetCreditCode: inspection.target_credit_code,
      targetAddress: inspection.target_address,
      plannedAt: inspection.planned_at.toISOString(),
      plannedUntil: inspection.planned_until.toISOString(),
      visitStartedAt: visitStartedAt?.toISOString() ?? null,
    },
  }));
  return insertMessages(client, 'DELIVER_TASK', participants.map((p) => p.region), payloads, actingOfficer);
}

/** A task's new status, to the lead region's mirror. */
export async function enqueueStatusReport(client: PoolClient, region: string, task: TaskRow, actingOfficer: string): Promise<string[]> {
  const payload: TaskStatusReport = {
    input: {
      inspectionId: task.inspection_id,
      participantRef: task.participant_ref,
      taskId: toGlobalId(region, task.id),
      status: task.status as unknown as ParticipantTaskStatus,
      at: new Date().toISOString(),
    },
  };
  return insertMessages(client, 'REPORT_TASK_STATUS', [task.lead_region], [payload], actingOfficer);
}

/** Follow-ups of findings whose deadline passed, each to the region leading the finding's inspection. */
export async function enqueueFollowUpRequests(client: PoolClient, region: string, findings: readonly DueFinding[]): Promise<string[]> {
  const ids: string[] = [];
  // Each is sent in the name of the officer who set the deadline.
  for (const finding of findings) {
    const payload: FollowUpRequest = {
      input: {
        inspectionId: finding.inspection_id,
        findingId: toGlobalId(region, finding.id),
        severity: finding.severity,
        description: finding.description,
        rectifyBy: finding.rectify_by.toISOString(),
      },
    };
    ids.push(...(await insertMessages(client, 'REQUEST_FOLLOW_UP', [finding.lead_region], [payload], finding.recorded_by)));
  }
  return ids;
}

async function insertMessages(client: PoolClient, kind: OutboxKind, regions: string[], payloads: object[], actingOfficer: string | null): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO enforcement.outbox (kind, target_region, payload, acting_officer)
     SELECT $1, region, payload, $4 FROM unnest($2::text[], $3::jsonb[]) AS m(region, payload) RETURNING id`,
    [kind, regions, payloads.map((payload) => JSON.stringify(payload)), actingOfficer],
  );
  return rows.map((row) => row.id);
}

/** How long a claimed message is left to its sender before another relay may try it. */
const LEASE_SECONDS = 30;

/**
 * Claims up to `limit` messages that are due (only `ids`, when given): their next attempt moves
 * a lease ahead, so a concurrent relay skips them, and one that dies mid-send only delays them.
 */
export async function claimMessages(db: Pool, limit: number, ids?: readonly string[]): Promise<OutboxMessage[]> {
  const { rows } = await db.query<OutboxMessage>(
    `UPDATE enforcement.outbox SET next_attempt_at = now() + make_interval(secs => $3), attempts = attempts + 1
      WHERE id IN (SELECT id FROM enforcement.outbox
                    WHERE sent_at IS NULL AND next_attempt_at <= now() AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
                    ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, target_region, payload, acting_officer, attempts`,
    [limit, ids ?? null, LEASE_SECONDS],
  );
  return rows;
}

export async function markSent(db: Pool | PoolClient, id: string): Promise<void> {
  await db.query('UPDATE enforcement.outbox SET sent_at = now(), last_error = NULL WHERE id = $1', [id]);
}

/**
 * Schedules the next attempt after a failure: 1 s, 2 s, 4 s … at most 5 minutes; a message its
 * receiver refuses for good (bad input, unknown record) is kept, with its error, but not retried.
 */
export async function markFailed(db: Pool, message: OutboxMessage, error: string, permanent: boolean): Promise<void> {
  const delaySeconds = Math.min(300, 2 ** Math.max(0, message.attempts - 1));
  await db.query(
    `UPDATE enforcement.outbox SET last_error = $2,
            next_attempt_at = CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3) END
      WHERE id = $1`,
    [message.id, error.slice(0, 2000), delaySeconds, permanent],
  );
}

/** Delivered messages are kept this long (to trace a delivery), then removed by the relay. */
export const SENT_RETENTION_DAYS = 30;

/**
 * Removes up to `limit` messages delivered more than `days` ago; undelivered ones, including
 * those refused for good, stay. Bounded so that one pass never holds a long delete.
 */
export async function pruneSent(db: Pool, days = SENT_RETENTION_DAYS, limit = 1000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM enforcement.outbox
      WHERE id IN (SELECT id FROM enforcement.outbox WHERE sent_at < now() - make_interval(days => $1) ORDER BY sent_at LIMIT $2)`,
    [days, limit],
  );
  return rowCount ?? 0;
}
