import { inTransaction } from '../shared/db';
import { enqueueFollowUpRequests } from './outbox';
import { RelayContext, relayOutbox } from './relay';
import { claimDueFindings } from './task-repository';

/**
 * The rectification deadline sweep (整改期限): findings of this region's tasks whose deadline has
 * passed ask the region leading their inspection for a follow-up inspection (整改复查). The ask
 * is written to the outbox in the transaction that marks the finding, so it is made once and is
 * never lost; the relay delivers it (to this region too, when it leads), and the lead region
 * raises one follow-up per finding however often it is asked.
 */

const BATCH = 50;

export interface SweepContext extends RelayContext {
  region: string;
}

/** One pass: returns how many findings asked for their follow-up. */
export async function requestDueFollowUps(context: SweepContext): Promise<number> {
  const messageIds = await inTransaction(context.db, async (client) => {
    const due = await claimDueFindings(client, BATCH);
    return enqueueFollowUpRequests(client, context.region, due);
  });
  if (messageIds.length) await relayOutbox(context, messageIds);
  return messageIds.length;
}
