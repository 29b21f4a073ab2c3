import type { Pool } from 'pg';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import type { HubLink } from '../shared/hub-link';
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
const CLAIM_MANY = 'mutation($inputs: [ClaimResidentInput!]!) { claimResidentRecords(inputs: $inputs) { region personId } }';
const TIMEOUT_MS = 3000;

function unavailable(link: IndexLink, detail: string) {
  logger.warn(`[personnel] resident index unreachable from ${link.region}: ${detail}`);
  return hubError(
    'RESIDENT_INDEX_UNAVAILABLE',
    "the hub's index of resident ID numbers could not be asked whether the number is registered in another region; nothing was registered, retry shortly",
  );
}

/** Where the link to the hub is, and which region asks. */
export interface IndexLink {
  hub: HubLink;
  region: string;
}

/** Claims the number for `personId` (of this region) and answers who holds it: this region, or another. */
export async function askResidentIndex(link: IndexLink, idNumber: string, personId: string): Promise<{ region: string; personId: string }> {
  const answer = await link.hub
    .execute<{ claimResidentRecord: { region: string; personId: string } }>(CLAIM, { input: { idNumber, personId } }, {}, TIMEOUT_MS)
    .catch((error: Error) => {
      throw unavailable(link, error.message);
    });
  const holder = answer.data?.claimResidentRecord;
  if (answer.errors?.length || !holder) throw unavailable(link, answer.errors?.[0]?.message ?? 'no answer');
  return holder;
}

/** Claims the number for `personId` (of this region); refuses naming the person of another region that holds it. */
export async function claimResidentRecord(ctx: PersonnelContext, idNumber: string, personId: string): Promise<void> {
  const holder = await askResidentIndex(ctx, idNumber, personId);
  if (holder.region === ctx.region) return;
  throw hubError(
    'CONFLICT',
    `input.idNumber: this id number is already registered in region ${holder.region} as person ${holder.personId}: one person, one record — ` +
      `a change of household registration moves that record here (movePersonHome) instead of registering a second one`,
    { field: 'input.idNumber', existingId: holder.personId, existingRegion: holder.region },
  );
}

/**
 * Enters up to `limit` records older than the index (demo data, or registered before it
 * existed) in the hub's index. A number another region already holds is noted on the record
 * (`index_conflict`) and logged, for the two regions to settle; it is not tried again.
 */
export async function indexEarlierPersons(link: IndexLink & { db: Pool }, limit = 500): Promise<number> {
  const { rows } = await link.db.query<{ id: string; id_number: string }>(
    'SELECT id, id_number FROM personnel.persons WHERE indexed_at IS NULL AND moved_to IS NULL ORDER BY id LIMIT $1',
    [limit],
  );
  if (rows.length === 0) return 0;
  const inputs = rows.map((row) => ({ idNumber: row.id_number, personId: toGlobalId(link.region, row.id) }));
  const answer = await link.hub
    .execute<{ claimResidentRecords: Array<{ region: string; personId: string }> }>(CLAIM_MANY, { inputs }, {}, TIMEOUT_MS * 5)
    .catch((error: Error) => {
      throw unavailable(link, error.message);
    });
  const holders = answer.data?.claimResidentRecords;
  if (answer.errors?.length || !holders || holders.length !== rows.length) throw unavailable(link, answer.errors?.[0]?.message ?? 'no answer');
  const conflicts = holders.map((holder) => (holder.region === link.region ? null : holder.personId));
  conflicts.forEach((conflict, index) => {
    if (conflict)
      logger.warn(
        `[personnel] person ${inputs[index].personId} has the id number of ${conflict}, registered earlier in another region: one of the records must go`,
      );
  });
  await link.db.query(
    `UPDATE personnel.persons p SET indexed_at = now(), index_conflict = c.conflict
       FROM unnest($1::bigint[], $2::text[]) AS c(id, conflict) WHERE p.id = c.id`,
    [rows.map((row) => row.id), conflicts],
  );
  return rows.length;
}

/** Hands the number to the record in the new home region; false when this region does not hold it. */
export async function moveResidentRecord(ctx: PersonnelContext, idNumber: string, fromPersonId: string, toPersonId: string): Promise<boolean> {
  if (!parseGlobalId(toPersonId)) throw new Error(`not a person id: ${toPersonId}`);
  const answer = await ctx.hub
    .execute<{ moveResidentRecord: boolean }>(MOVE, { input: { idNumber, fromPersonId, toPersonId } }, {}, TIMEOUT_MS)
    .catch((error: Error) => {
      throw unavailable(ctx, error.message);
    });
  if (answer.errors?.length || !answer.data) throw unavailable(ctx, answer.errors?.[0]?.message ?? 'no answer');
  return answer.data.moveResidentRecord;
}
