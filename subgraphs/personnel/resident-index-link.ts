import { parseGlobalId } from '../../auth/global-id';
import { hubError } from '../shared/errors';
import { logger } from '../../platform/logger';
import type { PersonnelContext } from './context';

/**
 * The personnel side of "one person, one record": a region cannot see the others' databases, so
 * before a registration (or a move) commits it asks the hub's resident index, through the
 * gateway as its hub service, who holds the ID number. The index keeps a keyed HMAC of the
 * number only (subgraphs/directory/resident-index.ts); the records stay in their home regions.
 */

const CLAIM = 'mutation($input: ClaimResidentInput!) { claimResidentRecord(input: $input) { region personId } }';
const MOVE = 'mutation($input: MoveResidentInput!) { moveResidentRecord(input: $input) }';
const TIMEOUT_MS = 3000;

function unavailable(ctx: PersonnelContext, detail: string) {
  logger.warn(`[personnel] resident index unreachable from ${ctx.region}: ${detail}`);
  return hubError('RESIDENT_INDEX_UNAVAILABLE', "the hub's index of resident ID numbers could not be asked whether the number is registered in another region; nothing was registered, retry shortly");
}

/** Claims the number for `personId` (of this region); refuses naming the person of another region that holds it. */
export async function claimResidentRecord(ctx: PersonnelContext, idNumber: string, personId: string): Promise<void> {
  const answer = await ctx.hub.execute<{ claimResidentRecord: { region: string; personId: string } }>(CLAIM, { input: { idNumber, personId } }, {}, TIMEOUT_MS).catch((error: Error) => {
    throw unavailable(ctx, error.message);
  });
  const holder = answer.data?.claimResidentRecord;
  if (answer.errors?.length || !holder) throw unavailable(ctx, answer.errors?.[0]?.message ?? 'no answer');
  if (holder.region === ctx.region) return;
  throw hubError(
    'CONFLICT',
    `input.idNumber: this id number is already registered in region ${holder.region} as person ${holder.personId}: one person, one record — ` +
      `a change of household registration moves that record here (movePersonHome) instead of registering a second one`,
    { field: 'input.idNumber', existingId: holder.personId, existingRegion: holder.region },
  );
}

/** Hands the number to the record in the new home region; false when this region does not hold it. */
export async function moveResidentRecord(ctx: PersonnelContext, idNumber: string, fromPersonId: string, toPersonId: string): Promise<boolean> {
  if (!parseGlobalId(toPersonId)) throw new Error(`not a person id: ${toPersonId}`);
  const answer = await ctx.hub.execute<{ moveResidentRecord: boolean }>(MOVE, { input: { idNumber, fromPersonId, toPersonId } }, {}, TIMEOUT_MS).catch((error: Error) => {
    throw unavailable(ctx, error.message);
  });
  if (answer.errors?.length || !answer.data) throw unavailable(ctx, answer.errors?.[0]?.message ?? 'no answer');
  return answer.data.moveResidentRecord;
}
