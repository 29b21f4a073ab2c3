import type { Pool } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { inTransaction } from '../shared/db';
import type { HubLink } from '../shared/hub-link';
import { runPeriodically } from '../shared/periodic';
import { ParticipantTaskStatus } from './inspection-flow';
import { claimMessages, markFailed, markSent, OutboxKind, OutboxMessage, pruneSent, TaskDelivery } from './outbox';
import { recordTaskReport } from './participant-repository';
import { requestDueFollowUps } from './rectification-sweep';

/**
 * Sends this region's outbox through the gateway, which routes each message to the region it
 * names. Run right after a change commits (for the messages it wrote) and periodically (for
 * whatever a down region or a crash left behind).
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

/** A region that answers within this time counts as reached; the caller of a mutation waits at most this long. */
const SEND_TIMEOUT_MS = 1500;
const BATCH = 50;
/** Refusals that a retry cannot cure. */
const PERMANENT = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'UNKNOWN_REGION']);

class SendFailure extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

/** Sends the due messages (only `ids`, when given); returns how many were delivered. */
export async function relayOutbox(context: RelayContext, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const messages = await claimMessages(context.db, BATCH, ids);
  const sent = await Promise.all(
    messages.map(async (message) => {
      try {
        await send(context, message);
        return 1;
      } catch (error) {
        const failure = error instanceof SendFailure ? error : new SendFailure((error as Error).message, false);
        await markFailed(context.db, message, failure.message, failure.permanent);
        return 0;
      }
    }),
  );
  return sent.reduce<number>((sum, one) => sum + one, 0);
}

async function send(context: RelayContext, message: OutboxMessage): Promise<void> {
  // The hub service of this region sends it; the officer who dispatched travels in the input.
  const delivering = message.kind === 'DELIVER_TASK';
  const input = delivering && message.acting_officer ? { ...message.payload.input, dispatchedBy: message.acting_officer } : message.payload.input;
  const result = await context.hub.execute<Record<string, unknown>>(DOCUMENTS[message.kind], { input }, {}, SEND_TIMEOUT_MS);
  const error = result.errors?.[0];
  if (error) {
    const code = String(error.extensions?.code ?? '');
    throw new SendFailure(`${code || 'ERROR'}: ${error.message}`, PERMANENT.has(code));
  }
  if (message.kind !== 'DELIVER_TASK') {
    await markSent(context.db, message.id);
    return;
  }
  // The answer names the task in the participant's region: the lead records it with the send.
  const delivery = message.payload as TaskDelivery;
  const task = (result.data?.receiveInspectionTask ?? null) as { id: string; status: ParticipantTaskStatus } | null;
  if (!task || !parseGlobalId(task.id)) throw new SendFailure('the participant region answered without a task', false);
  await inTransaction(context.db, async (client) => {
    await recordTaskReport(client, delivery.participantId, delivery.inspectionLocalId, task.id, task.status, new Date());
    await markSent(client, message.id);
  });
}

/**
 * Runs the relay now and every `intervalMs` until stopped; each pass first asks for the
 * follow-ups of findings whose rectification deadline passed, and ends by removing messages
 * delivered long ago.
 */
export function startRelay(context: RelayContext & { region: string }, intervalMs: number): { stop(): Promise<void> } {
  return runPeriodically('enforcement outbox relay', intervalMs, async () => {
    await requestDueFollowUps(context);
    await relayOutbox(context);
    await pruneSent(context.db);
  });
}
