import type { Pool } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { inTransaction } from '../shared/db';
import type { HubLink } from '../shared/hub-link';
import { relayMessages, SendFailure, sendThroughHub, startOutboxRelay } from '../shared/relay';
import { ParticipantTaskStatus } from './inspection-flow';
import { ENFORCEMENT_OUTBOX, EnforcementMessage, OutboxKind, TaskDelivery } from './outbox';
import { recordTaskReport } from './participant-repository';
import { requestDueFollowUps } from './rectification-sweep';

/**
 * Sends the inspections' outbox through the gateway (the shared relay, ../shared/relay.ts):
 * task deliveries to participants' regions, status reports to the lead region.
 */

export interface RelayContext {
  db: Pool;
  hub: HubLink;
}

const DELIVER = `mutation DeliverInspectionTask($input: ReceiveInspectionTaskInput!) {
  receiveInspectionTask(input: $input) { id status }
}`;
const REPORT = `mutation ReportInspectionTaskStatus($input: InspectionTaskReportInput!) {
  reportInspectionTaskStatus(input: $input)
}`;
const FOLLOW_UP = `mutation RaiseFollowUpInspection($input: FollowUpInspectionInput!) {
  raiseFollowUpInspection(input: $input) { id }
}`;
const DOCUMENTS: Record<OutboxKind, string> = { DELIVER_TASK: DELIVER, REPORT_TASK_STATUS: REPORT, REQUEST_FOLLOW_UP: FOLLOW_UP };

/** Sends the due messages (only `ids`, when given); returns how many were delivered. */
export function relayOutbox(context: RelayContext, ids?: readonly string[]): Promise<number> {
  return relayMessages(context.db, ENFORCEMENT_OUTBOX, (message: EnforcementMessage) => send(context, message), ids);
}

async function send(context: RelayContext, message: EnforcementMessage): Promise<void> {
  // The hub service of this region sends it; the officer who dispatched travels in the input.
  const delivering = message.kind === 'DELIVER_TASK';
  const input = delivering && message.acting_officer ? { ...message.payload.input, dispatchedBy: message.acting_officer } : message.payload.input;
  const data = await sendThroughHub<Record<string, unknown>>(context.hub, DOCUMENTS[message.kind as OutboxKind], { input });
  if (message.kind !== 'DELIVER_TASK') {
    await ENFORCEMENT_OUTBOX.markSent(context.db, message.id);
    return;
  }
  // The answer names the task in the participant's region: the lead records it with the send.
  const delivery = message.payload as TaskDelivery;
  const task = (data?.receiveInspectionTask ?? null) as { id: string; status: ParticipantTaskStatus } | null;
  if (!task || !parseGlobalId(task.id)) throw new SendFailure('the participant region answered without a task', false);
  await inTransaction(context.db, async (client) => {
    await recordTaskReport(client, delivery.participantId, delivery.inspectionLocalId, task.id, task.status, new Date());
    await ENFORCEMENT_OUTBOX.markSent(client, message.id);
  });
}

/**
 * Runs the relay now and every `intervalMs` until stopped; each pass first asks for the
 * follow-ups of findings whose rectification deadline passed, and ends by removing messages
 * delivered long ago.
 */
export function startRelay(context: RelayContext & { region: string }, intervalMs: number): { stop(): Promise<void> } {
  return startOutboxRelay('enforcement outbox relay', context.db, ENFORCEMENT_OUTBOX, intervalMs, async () => {
    await requestDueFollowUps(context);
    return relayOutbox(context);
  });
}
