import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { Outbox, OutboxMessage, SENT_RETENTION_DAYS } from '../shared/outbox';
import type { ParticipantTaskStatus } from './inspection-flow';
import type { InspectionRow } from './inspection-repository';
import type { ParticipantRow } from './participant-repository';
import type { TaskRow } from './task-repository';

/**
 * The inspections' messages to other regions (the shared outbox, ../shared/outbox.ts): task
 * deliveries to participants' regions and task status reports back to the lead region.
 */

export const ENFORCEMENT_OUTBOX = new Outbox('enforcement.outbox');

export type OutboxKind = 'DELIVER_TASK' | 'REPORT_TASK_STATUS';

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
  };
}

/** Variables of `reportInspectionTaskStatus`. */
export interface TaskStatusReport {
  input: { inspectionId: string; participantRef: string; taskId: string; status: ParticipantTaskStatus; at: string };
}

export type EnforcementMessage = OutboxMessage<TaskDelivery | TaskStatusReport>;

/** One task delivery per participant, to the participant's region; returns the message ids. */
export async function enqueueDeliveries(
  client: PoolClient,
  leadRegion: string,
  inspection: InspectionRow,
  participants: readonly ParticipantRow[],
  actingOfficer: string,
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

function insertMessages(client: PoolClient, kind: OutboxKind, regions: string[], payloads: object[], actingOfficer: string): Promise<string[]> {
  return ENFORCEMENT_OUTBOX.enqueue(client, kind, regions, payloads, actingOfficer);
}

export { SENT_RETENTION_DAYS };

/** Removes messages delivered long ago (see Outbox.pruneSent). */
export function pruneSent(db: Pool, days = SENT_RETENTION_DAYS, limit = 1000): Promise<number> {
  return ENFORCEMENT_OUTBOX.pruneSent(db, days, limit);
}
