import type { Pool } from 'pg';
import type { HubLink } from './hub-link';
import type { Outbox, OutboxMessage } from './outbox';
import { runPeriodically } from './periodic';

/**
 * Sends a region's outbox through the gateway, which routes each message to the region it
 * names. Run right after a change commits (for the messages it wrote) and periodically (for
 * whatever a down region or a crash left behind). What a message means is its subgraph's
 * `send`; claiming, retrying with back-off and giving up on refusals no retry can cure are here.
 */

/** A region that answers within this time counts as reached; the caller of a mutation waits at most this long. */
const SEND_TIMEOUT_MS = 1500;
const BATCH = 50;
/** Refusals that a retry cannot cure. */
const PERMANENT = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'UNKNOWN_REGION']);

export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Runs one hub-internal mutation through the gateway; a GraphQL error becomes a SendFailure. */
export async function sendThroughHub<T>(hub: HubLink, query: string, variables: Record<string, unknown>): Promise<T | null | undefined> {
  const result = await hub.execute<T>(query, variables, {}, SEND_TIMEOUT_MS);
  const error = result.errors?.[0];
  if (error) {
    const code = String(error.extensions?.code ?? '');
    throw new SendFailure(`${code || 'ERROR'}: ${error.message}`, PERMANENT.has(code));
  }
  return result.data;
}

/** Sends the due messages of `outbox` (only `ids`, when given); returns how many were delivered. */
export async function relayMessages<Payload>(
  db: Pool,
  outbox: Outbox,
  send: (message: OutboxMessage<Payload>) => Promise<void>,
  ids?: readonly string[],
): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const messages = await outbox.claim<Payload>(db, BATCH, ids);
  const sent = await Promise.all(
    messages.map(async (message) => {
      try {
        await send(message);
        return 1;
      } catch (error) {
        const failure = error instanceof SendFailure ? error : new SendFailure((error as Error).message, false);
        await outbox.markFailed(db, message, failure.message, failure.permanent);
        return 0;
      }
    }),
  );
  return sent.reduce<number>((sum, one) => sum + one, 0);
}

/** Runs `relay` now and every `intervalMs` until stopped; each pass also removes messages delivered long ago. */
export function startOutboxRelay(name: string, db: Pool, outbox: Outbox, intervalMs: number, relay: () => Promise<number>): { stop(): Promise<void> } {
  return runPeriodically(name, intervalMs, async () => {
    await relay();
    await outbox.pruneSent(db);
  });
}
