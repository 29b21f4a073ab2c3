import type { Pool } from 'pg';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import type { HubLink } from '../shared/hub-link';
import { hubError } from '../shared/errors';
import { logger } from '../../platform/logger';

/**
 * The personnel side's road to the hub's resident index (one person, one record): a region
 * cannot see the others' databases, so it asks the index, through the gateway as its hub
 * service, who holds an ID number. The index keeps a keyed HMAC of the number only
 * (subgraphs/directory/resident-index.ts); the records stay in their home regions. How a
 * registration claims a number is in resident-claim.ts.
 */

const CLAIM = 'mutation($input: ClaimResidentInput!) { claimResidentRecord(input: $input) { region personId confirmed } }';
const RELEASE = 'mutation($input: ReleaseResidentInput!) { releaseResidentRecord(input: $input) }';
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

/** Who holds a number in the index, and whether that region has confirmed its record is committed. */
export interface ResidentHolder {
  region: string;
  personId: string;
  confirmed: boolean;
}

/** One operation on the index; its answer's `field`, or RESIDENT_INDEX_UNAVAILABLE. */
async function askIndex<T>(link: IndexLink, query: string, variables: Record<string, unknown>, field: string, timeoutMs = TIMEOUT_MS): Promise<T> {
  const answer = await link.hub.execute<Record<string, T>>(query, variables, {}, timeoutMs).catch((error: Error) => {
    throw unavailable(link, error.message);
  });
  const value = answer.data?.[field];
  if (answer.errors?.length || value === undefined || value === null) throw unavailable(link, answer.errors?.[0]?.message ?? 'no answer');
  return value;
}

/**
 * Claims the number for `personId` (of this region), unconfirmed from inside its registration or
 * confirmed once that has committed, and answers who holds it: this region, or another.
 */
export function askResidentIndex(link: IndexLink, idNumber: string, personId: string, confirmed: boolean): Promise<ResidentHolder> {
  return askIndex(link, CLAIM, { input: { idNumber, personId, confirmed } }, 'claimResidentRecord');
}

/** Drops this region's claim on the number for `personId`: it keeps no record of the number. */
export function releaseResidentClaim(link: IndexLink, idNumber: string, personId: string): Promise<boolean> {
  return askIndex(link, RELEASE, { input: { idNumber, personId } }, 'releaseResidentRecord');
}

/**
 * Enters up to `limit` records older than the index (demo data, or registered before it
 * existed, or whose confirmation after their registration was lost) in the hub's index,
 * confirmed. A number another region already holds is noted on the record (`index_conflict`)
 * and logged, for the two regions to settle; it is not tried again.
 */
export async function indexEarlierPersons(link: IndexLink & { db: Pool }, limit = 500): Promise<number> {
  const { rows } = await link.db.query<{ id: string; id_number: string }>(
    'SELECT id, id_number FROM personnel.persons WHERE indexed_at IS NULL AND moved_to IS NULL ORDER BY id LIMIT $1',
    [limit],
  );
  if (rows.length === 0) return 0;
  const inputs = rows.map((row) => ({ idNumber: row.id_number, personId: toGlobalId(link.region, row.id), confirmed: true }));
  const holders = await askIndex<Array<{ region: string; personId: string }>>(link, CLAIM_MANY, { inputs }, 'claimResidentRecords', TIMEOUT_MS * 5);
  if (holders.length !== rows.length) throw unavailable(link, `${holders.length} answers to ${rows.length} claims`);
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
export async function moveResidentRecord(ctx: IndexLink, idNumber: string, fromPersonId: string, toPersonId: string): Promise<boolean> {
  if (!parseGlobalId(toPersonId)) throw new Error(`not a person id: ${toPersonId}`);
  return askIndex(ctx, MOVE, { input: { idNumber, fromPersonId, toPersonId } }, 'moveResidentRecord');
}
