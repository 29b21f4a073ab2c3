import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { Outbox, OutboxMessage, SENT_RETENTION_DAYS } from '../shared/outbox';
import type { ParticipantTaskStatus } from './inspection-flow';
import type { InspectionRow } from './inspection-repository';
import type { ParticipantRow } from './participant-repository';
import type { DueFinding, TaskRow } from './task-repository';

/**
 * The inspections' messages to other regions (the shared outbox, ../shared/outbox.ts): task
 * deliveries to participants' regions and task status reports back to the lead region.
 */

export const ENFORCEMENT_OUTBOX = new Outbox('enforcement.outbox');

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

export type EnforcementMessage = OutboxMessage<TaskDelivery | TaskStatusReport | FollowUpRequest>;

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
  return insertMessages(
    client,
    'DELIVER_TASK',
    participants.map((p) => p.region),
    payloads,
    actingOfficer,
  );
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

function insertMessages(client: PoolClient, kind: OutboxKind, regions: string[], payloads: object[], actingOfficer: string | null): Promise<string[]> {
  return ENFORCEMENT_OUTBOX.enqueue(client, kind, regions, payloads, actingOfficer);
}

export { SENT_RETENTION_DAYS };

/** Removes messages delivered long ago (see Outbox.pruneSent). */
export function pruneSent(db: Pool, days = SENT_RETENTION_DAYS, limit = 1000): Promise<number> {
  return ENFORCEMENT_OUTBOX.pruneSent(db, days, limit);
}
