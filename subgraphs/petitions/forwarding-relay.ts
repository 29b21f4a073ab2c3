import type { Pool } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { inTransaction } from '../shared/db';
import type { HubLink } from '../shared/hub-link';
import { relayMessages, SendFailure, sendThroughHub, startOutboxRelay } from '../shared/relay';
import { recordForwardingReport } from './forwarding-repository';
import { PETITIONS_OUTBOX, PetitionDelivery, PetitionMessage } from './forwarding-outbox';
import type { PetitionStatus } from './lifecycle';

/** Sends the petitions' outbox through the gateway (the shared relay, ../shared/relay.ts). */

export interface RelayContext {
  db: Pool;
  hub: HubLink;
}

const DELIVER = `mutation DeliverForwardedPetition($input: ReceiveForwardedPetitionInput!) {
  receiveForwardedPetition(input: $input) { petitionId status version }
}`;
const REPORT = `mutation ReportForwardedPetitionStatus($input: ForwardedPetitionReportInput!) {
  reportForwardedPetitionStatus(input: $input)
}`;

/** Sends the due messages (only `ids`, when given); returns how many were delivered. */
export function relayPetitionOutbox(context: RelayContext, ids?: readonly string[]): Promise<number> {
  return relayMessages(context.db, PETITIONS_OUTBOX, (message: PetitionMessage) => send(context, message), ids);
}

async function send(context: RelayContext, message: PetitionMessage): Promise<void> {
  if (message.kind === 'REPORT_PETITION_STATUS') {
    await sendThroughHub(context.hub, REPORT, { input: message.payload.input });
    await PETITIONS_OUTBOX.markSent(context.db, message.id);
    return;
  }
  // The officer who forwarded it travels with it: the receiving record names who sent it.
  const delivery = message.payload as PetitionDelivery;
  const data = await sendThroughHub<{ receiveForwardedPetition: { petitionId: string; status: PetitionStatus; version: number } | null }>(
    context.hub,
    DELIVER,
    {
      input: { ...delivery.input, forwardedBy: message.acting_officer },
    },
  );
  const receipt = data?.receiveForwardedPetition;
  if (!receipt || !parseGlobalId(receipt.petitionId)) throw new SendFailure('the receiving region answered without a petition', false);
  // The answer names the receiving record: kept here with the send, as its first report.
  await inTransaction(context.db, async (client) => {
    await recordForwardingReport(client, delivery.petitionLocalId, {
      forwardedTo: receipt.petitionId,
      status: receipt.status,
      outcome: null,
      version: receipt.version,
      at: new Date(),
    });
    await PETITIONS_OUTBOX.markSent(client, message.id);
  });
}

/** Runs the relay now and every `intervalMs` until stopped; each pass also removes messages delivered long ago. */
export function startPetitionRelay(context: RelayContext, intervalMs: number): { stop(): Promise<void> } {
  return startOutboxRelay('petitions outbox relay', context.db, PETITIONS_OUTBOX, intervalMs, () => relayPetitionOutbox(context));
}
