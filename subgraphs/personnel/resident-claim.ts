import type { PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { logger } from '../../platform/logger';
import { hubError } from '../shared/errors';
import type { PersonnelContext } from './context';
import { lockIdNumber } from './person-repository';
import { askResidentIndex, releaseResidentClaim, ResidentHolder } from './resident-index-link';

/**
 * How a registration claims its ID number in the hub's index so that a claim can never outlive
 * a registration that did not commit (refused at its commit, or the region stopped in between):
 *
 * 1. The registration, holding the number's lock in its region (lockIdNumber), writes the person
 *    and claims the number, unconfirmed, as the last step of its transaction.
 * 2. Once it has committed, it confirms the claim (confirmResidentRecord). If that is lost, the
 *    background pass (indexEarlierPersons) confirms it later.
 * 3. A registration elsewhere that meets an unconfirmed claim asks the holding region
 *    (settleResidentClaim). That region takes the number's lock, so it answers only once its own
 *    registration is over, and then confirms the claim if it keeps an open record of the number
 *    or releases it if not; the asking registration then claims the number again.
 *
 * A confirmed claim of another region refuses the registration at once, naming that record.
 */

const SETTLE = `mutation($input: SettleResidentClaimInput!) { settleResidentClaim(input: $input) { region personId } }`;
const SETTLE_TIMEOUT_MS = 5000;
/** Claims taken and released by others in between are retried this often before giving up. */
const ROUNDS = 3;

/** Inside the registration's transaction, which holds the number's lock and has written `personId`. */
export async function claimResidentRecord(ctx: PersonnelContext, idNumber: string, personId: string): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const holder = await askResidentIndex(ctx, idNumber, personId, false);
    if (holder.region === ctx.region) return;
    const kept = holder.confirmed ? holder : await settleWithHolder(ctx, idNumber, holder);
    if (kept) {
      throw hubError(
        'CONFLICT',
        `input.idNumber: this id number is already registered in region ${kept.region} as person ${kept.personId}: one person, one record — ` +
          `a change of household registration moves that record here (movePersonHome) instead of registering a second one`,
        { field: 'input.idNumber', existingId: kept.personId, existingRegion: kept.region },
      );
    }
  }
  throw hubError(
    'RESIDENT_INDEX_UNAVAILABLE',
    "the hub's index of resident ID numbers kept changing hands for this number while it was claimed; nothing was registered, retry shortly",
  );
}

/** Asks the region holding an unconfirmed claim to settle it: the record it keeps, or null once it has released the claim. */
async function settleWithHolder(ctx: PersonnelContext, idNumber: string, holder: ResidentHolder): Promise<{ region: string; personId: string } | null> {
  const unavailable = (detail: string) => {
    logger.warn(`[personnel] region ${holder.region} could not settle its claim on an id number for ${ctx.region}: ${detail}`);
    return hubError(
      'RESIDENT_INDEX_UNAVAILABLE',
      `region ${holder.region} has claimed this id number for a registration it has not confirmed, and could not be asked whether it keeps the record; nothing was registered, retry shortly`,
      { holdingRegion: holder.region },
    );
  };
  const answer = await ctx.hub
    .execute<{ settleResidentClaim: { region: string; personId: string } | null }>(
      SETTLE,
      { input: { region: holder.region, idNumber, personId: holder.personId } },
      {},
      SETTLE_TIMEOUT_MS,
    )
    .catch((error: Error) => {
      throw unavailable(error.message);
    });
  if (answer.errors?.length || !answer.data) throw unavailable(answer.errors?.[0]?.message ?? 'no answer');
  return answer.data.settleResidentClaim;
}

/** After the registration of `localId` has committed: confirms its claim and marks the record indexed (else the background pass does). */
export async function confirmResidentRecord(ctx: PersonnelContext, idNumber: string, localId: string): Promise<void> {
  const personId = toGlobalId(ctx.region, localId);
  try {
    const holder = await askResidentIndex(ctx, idNumber, personId, true);
    if (holder.region === ctx.region && holder.personId === personId) {
      await ctx.db.query('UPDATE personnel.persons SET indexed_at = now() WHERE id = $1', [localId]);
    }
  } catch (error) {
    logger.warn(`[personnel] the claim of ${personId} on its id number is not confirmed yet (${(error as Error).message}); the background pass will`);
  }
}

/**
 * The holding region's side of step 3, in a transaction of its own: under the number's lock,
 * the open record of the number confirms the claim (answering who holds it now), or, with none,
 * the claim for `claimedPersonId` is released (answering null).
 */
export async function settleClaimHere(ctx: PersonnelContext, client: PoolClient, idNumber: string, claimedPersonId: string): Promise<ResidentHolder | null> {
  await lockIdNumber(client, idNumber, 2000).catch((error: { code?: string }) => {
    if (error.code !== '55P03') throw error;
    throw hubError('RESIDENT_INDEX_UNAVAILABLE', `a registration of this id number in region ${ctx.region} is still being made; ask again shortly`, {
      holdingRegion: ctx.region,
    });
  });
  const { rows } = await client.query<{ id: string }>('SELECT id FROM personnel.persons WHERE id_number = $1 AND moved_to IS NULL', [idNumber]);
  if (rows[0]) {
    const holder = await askResidentIndex(ctx, idNumber, toGlobalId(ctx.region, rows[0].id), true);
    if (holder.region === ctx.region) await client.query('UPDATE personnel.persons SET indexed_at = now() WHERE id = $1', [rows[0].id]);
    return holder;
  }
  await releaseResidentClaim(ctx, idNumber, claimedPersonId);
  return null;
}
