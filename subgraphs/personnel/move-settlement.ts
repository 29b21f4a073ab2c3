import type { Pool, PoolClient } from 'pg';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { logger } from '../../platform/logger';
import { inTransaction } from '../shared/db';
import { completePendingMove, listStalePendingMoves, lockPendingMove, removePendingMove } from './person-repository';
import { IndexLink, moveResidentRecord } from './resident-index-link';

/**
 * How a household move (movePersonHome) ends in the new home region, so that a move that failed
 * leaves no person there. The new region keeps the record it received pending (no person of the
 * region) until it hears how the move ended:
 *
 * 1. The old region, having committed its move (the number handed over in the index, its own
 *    record closed), tells it so: the record is completed, a person of the region from then on.
 * 2. The old region, its move failing after the record was received (the index could not be
 *    asked, or refused), tells it so from inside the failing transaction, while it still holds its
 *    record, so that no other move of it is under way: the pending record is withdrawn.
 * 3. Should either word be lost, the new region's background pass asks the old region (which
 *    answers only once no move of the record is under way there) whether its record moved to the
 *    pending one, and completes or withdraws it.
 *
 * Withdrawing hands the number back in the index to the old record if the index names the
 * pending one (the hand-over succeeded, but the old region's commit did not), then removes the
 * pending record. A retried move meanwhile finds the pending record and reuses it.
 */

const SETTLE = 'mutation($input: SettleMovedPersonInput!) { settleMovedPerson(input: $input) }';
const CHECK = 'mutation($input: CheckPersonMoveInput!) { checkPersonMove(input: $input) }';
const TIMEOUT_MS = 5000;
/** A pending record older than this has missed its old region's word (a move takes seconds). */
export const STALE_PENDING_MS = 60_000;
const BATCH = 50;

/** The old region's side of steps 1 and 2: tells `receivingRegion` how the move of `movedFrom` ended. */
export async function tellReceivingRegion(link: IndexLink, receivingRegion: string, movedFrom: string, moved: boolean): Promise<void> {
  const answer = await link.hub.execute(SETTLE, { input: { region: receivingRegion, movedFrom, moved } }, {}, TIMEOUT_MS);
  if (answer.errors?.length) throw new Error(answer.errors[0].message);
}

/**
 * The new region's side, in `client`'s transaction: completes the pending record moved from
 * `movedFrom`, or withdraws it. Answers the settled record's global id (what an audit row of the
 * settling names), or undefined when there is no pending record of it (already settled).
 */
export async function settlePendingMove(
  link: IndexLink,
  client: PoolClient,
  movedFrom: string,
  moved: boolean,
  skipLocked = false,
): Promise<string | undefined> {
  const pending = await lockPendingMove(client, movedFrom, skipLocked);
  if (!pending) return undefined;
  const settled = toGlobalId(link.region, pending.id);
  if (moved) {
    await completePendingMove(client, pending.id);
    return settled;
  }
  // Raises RESIDENT_INDEX_UNAVAILABLE when the index cannot be asked: the record then stays pending.
  await moveResidentRecord(link, pending.id_number, settled, movedFrom);
  await removePendingMove(client, pending.id);
  return settled;
}

/** Step 3: settles this region's pending records whose old region's word was lost, each by asking that region. */
export async function settleStalePendingMoves(link: IndexLink & { db: Pool }, staleMs = STALE_PENDING_MS): Promise<number> {
  const stale = await listStalePendingMoves(link.db, new Date(Date.now() - staleMs), BATCH);
  let settled = 0;
  for (const movedFrom of stale) {
    try {
      const done = await inTransaction(link.db, async (client) => {
        const pending = await lockPendingMove(client, movedFrom, true);
        if (!pending) return false;
        const answer = await link.hub.execute<{ checkPersonMove: boolean }>(
          CHECK,
          { input: { region: parseGlobalId(movedFrom)!.region, personId: movedFrom, movedTo: toGlobalId(link.region, pending.id) } },
          {},
          TIMEOUT_MS,
        );
        if (answer.errors?.length || typeof answer.data?.checkPersonMove !== 'boolean') throw new Error(answer.errors?.[0]?.message ?? 'no answer');
        return (await settlePendingMove(link, client, movedFrom, answer.data.checkPersonMove)) !== undefined;
      });
      if (done) settled++;
    } catch (error) {
      logger.warn(`[personnel] the record moved here from ${movedFrom} stays pending: ${(error as Error).message}; the next pass asks again`);
    }
  }
  return settled;
}
