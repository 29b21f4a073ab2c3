import type { Pool } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { inTransaction } from '../shared/db';
import type { HubLink } from '../shared/hub-link';
import { relayMessages, SendFailure, sendThroughHub, startOutboxRelay } from '../shared/relay';
import { ParticipantTaskStatus } from './inspection-flow';
import { ENFORCEMENT_OUTBOX, EnforcementMessage, TaskDelivery } from './outbox';
import { recordTaskReport } from './participant-repository';

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

/** Sends the due messages (only `ids`, when given); returns how many were delivered. */
export function relayOutbox(context: RelayContext, ids?: readonly string[]): Promise<number> {
  return relayMessages(context.db, ENFORCEMENT_OUTBOX, (message: EnforcementMessage) => send(context, message), ids);
}

async function send(context: RelayContext, message: EnforcementMessage): Promise<void> {
  // The hub service of this region sends it; the officer who dispatched travels in the input.
  const delivering = message.kind === 'DELIVER_TASK';
  const input = delivering && message.acting_officer ? { ...message.payload.input, dispatchedBy: message.acting_officer } : message.payload.input;
  const data = await sendThroughHub<Record<string, unknown>>(context.hub, delivering ? DELIVER : REPORT, { input });
  if (message.kind === 'REPORT_TASK_STATUS') {
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

/** Runs the relay now and every `intervalMs` until stopped; each pass also removes messages delivered long ago. */
export function startRelay(context: RelayContext, intervalMs: number): { stop(): Promise<void> } {
  return startOutboxRelay('enforcement outbox relay', context.db, ENFORCEMENT_OUTBOX, intervalMs, () => relayOutbox(context));
}
