import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { residentIdFacts } from '../../auth/resident-id';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import { jurisdictionName } from '../shared/jurisdictions';
import { Gender, KeyPersonCategory, Person } from './person-types';

type Queryable = Pool | PoolClient;

export interface PersonRow {
  id: string;
  name: string;
  id_number: string;
  phone: string | null;
  address: string | null;
  home_jurisdiction: string;
  registered_at: Date;
  registered_by: string | null;
  moved_to: string | null;
  moved_at: Date | null;
  moved_from: string | null;
}

const COLUMNS = 'id, name, id_number, phone, address, home_jurisdiction, registered_at, registered_by, moved_to, moved_at, moved_from';
/** A record moved here whose move has not committed in the old region is no person of this region yet (migration 007). */
const SETTLED = 'move_pending_since IS NULL';

/** Gender and birth date come from the id number alone: one source, nothing to drift apart. */
export function toPerson(region: string, row: PersonRow): Person {
  const facts = residentIdFacts(row.id_number);
  return {
    id: toGlobalId(region, row.id),
    region,
    localId: row.id,
    name: row.name,
    idNumber: row.id_number,
    gender: facts.gender === 'MALE' ? Gender.MALE : Gender.FEMALE,
    birthDate: facts.birthDate,
    phone: row.phone,
    address: row.address,
    homeJurisdiction: row.home_jurisdiction,
    homeJurisdictionName: jurisdictionName(row.home_jurisdiction.slice(0, 6)) ?? null,
    registeredAt: row.registered_at,
    registeredByLocalId: row.registered_by,
    movedTo: row.moved_to,
    movedAt: row.moved_at,
    movedFrom: row.moved_from,
  };
}

export function personPosition(row: { registered_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.registered_at.toISOString(), id: row.id };
}

/** Rows for `ids` in the same order, undefined where none exists: a DataLoader batch. */
export async function findPersons(db: Queryable, ids: readonly string[]): Promise<Array<PersonRow | undefined>> {
  const { rows } = await db.query<PersonRow>(`SELECT ${COLUMNS} FROM personnel.persons WHERE id = ANY($1::bigint[]) AND ${SETTLED}`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/**
 * The record of each number: the open one, else (the person moved away, perhaps more than
 * once) the latest closed one, which names where they went.
 */
export async function findPersonsByIdNumber(db: Queryable, idNumbers: readonly string[]): Promise<Array<PersonRow | undefined>> {
  const { rows } = await db.query<PersonRow>(
    `SELECT DISTINCT ON (id_number) ${COLUMNS} FROM personnel.persons WHERE id_number = ANY($1::text[]) AND ${SETTLED}
      ORDER BY id_number, moved_to IS NULL DESC, id DESC`,
    [idNumbers],
  );
  const byNumber = new Map(rows.map((row) => [row.id_number, row]));
  return idNumbers.map((idNumber) => byNumber.get(idNumber));
}

export interface PersonFilter {
  category?: KeyPersonCategory | null;
  /** Jurisdiction code prefix of the home: "3304", "330421". */
  homeJurisdiction?: string | null;
  /** Only homes under one of these prefixes: where the caller may read the values the filters test. */
  homeWithin?: readonly string[] | null;
}

/**
 * Newest first. Each filter pages along its own index: a category along person_tags (which
 * copies the registration time for this), a home along persons_by_home. A full 6- or 9-digit
 * home is compared with = rather than LIKE, so that the index also yields the order.
 */
export async function listPersons(db: Pool, filter: PersonFilter, limit: number, after: KeysetPosition | undefined): Promise<PersonRow[]> {
  const home = filter.homeJurisdiction;
  const exactHome = home && (home.length === 6 || home.length === 9);
  if (filter.category) {
    const where = new SqlFilter()
      .add(`p.${SETTLED}`)
      .add('t.category = ?', filter.category)
      .add(exactHome ? 'p.home_jurisdiction = ?' : "p.home_jurisdiction LIKE ? || '%'", home)
      .add(
        'p.home_jurisdiction LIKE ANY(?::text[])',
        filter.homeWithin?.map((prefix) => `${prefix}%`),
      )
      .add('(t.person_registered_at, t.person_id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
    const { rows } = await db.query<PersonRow>(
      `SELECT ${COLUMNS.split(', ')
        .map((column) => `p.${column}`)
        .join(', ')}
         FROM personnel.person_tags t JOIN personnel.persons p ON p.id = t.person_id
         ${where.where}
        ORDER BY t.person_registered_at DESC, t.person_id DESC
        LIMIT ${where.param(limit)}`,
      where.params,
    );
    return rows;
  }
  const where = new SqlFilter()
    .add(SETTLED)
    .add(exactHome ? 'home_jurisdiction = ?' : "home_jurisdiction LIKE ? || '%'", home)
    .add(
      'home_jurisdiction LIKE ANY(?::text[])',
      filter.homeWithin?.map((prefix) => `${prefix}%`),
    )
    .add('(registered_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  const { rows } = await db.query<PersonRow>(
    `SELECT ${COLUMNS} FROM personnel.persons ${where.where} ORDER BY registered_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export interface NewPerson {
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
  homeJurisdiction: string;
  registeredBy: string;
}

/** The new row, or undefined when an open record of the id number is kept in this region already. */
export async function insertPerson(client: PoolClient, person: NewPerson): Promise<PersonRow | undefined> {
  const { rows } = await client.query<PersonRow>(
    `INSERT INTO personnel.persons (name, id_number, phone, address, home_jurisdiction, registered_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id_number) WHERE moved_to IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [person.name, person.idNumber, person.phone, person.address, person.homeJurisdiction, person.registeredBy],
  );
  return rows[0];
}

/** Advisory locks of id numbers, in a key space of their own (the first of the two keys). */
const ID_NUMBER_LOCKS = 7311;

/**
 * Takes the lock of an id number in this region until the transaction ends (waiting at most
 * `timeoutMs` when given): a registration holds it from before it writes the person until it
 * commits, so that the region, asked about its claim on the number (resident-claim.ts),
 * answers only once that registration is over. Two numbers may share a lock; they only wait.
 */
export async function lockIdNumber(client: PoolClient, idNumber: string, timeoutMs?: number): Promise<void> {
  if (timeoutMs) await client.query("SELECT set_config('lock_timeout', $1, true)", [`${timeoutMs}ms`]);
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ID_NUMBER_LOCKS, idNumber]);
}

/** The person, locked until the transaction ends. */
export async function lockPerson(client: PoolClient, id: string): Promise<PersonRow | undefined> {
  const { rows } = await client.query<PersonRow>(`SELECT ${COLUMNS} FROM personnel.persons WHERE id = $1 AND ${SETTLED} FOR UPDATE`, [id]);
  return rows[0];
}

export interface MovedPerson {
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
  homeJurisdiction: string;
  registeredAt: Date;
  movedFrom: string;
}

/**
 * The record of a person moved here from another region, keyed by the record it came from.
 * `written` says the record was stored from `person` now, so that the caller adds the tags and
 * moves of this receipt: a new record, or a pending one rewritten because the move was made again
 * before it committed (the retry is what the officer asks now: its address, jurisdiction and,
 * through the caller, categories and move replace the first attempt's, under the same id, which
 * the index may already name; nobody has seen the pending record, so nothing of it is history).
 * A completed record delivered again is left as it is. Undefined when this region already holds
 * another open record of the same id number; a closed one (the person lived here before) does
 * not stand in the way.
 */
export async function receiveMovedPerson(client: PoolClient, person: MovedPerson): Promise<{ row: PersonRow; written: boolean } | undefined> {
  // Locked, so that a pending record being withdrawn (settleMovedPerson) is not handed out meanwhile.
  const { rows: again } = await client.query<PersonRow & { pending: boolean }>(
    `SELECT ${COLUMNS}, move_pending_since IS NOT NULL AS pending FROM personnel.persons WHERE moved_from = $1 FOR UPDATE`,
    [person.movedFrom],
  );
  if (again[0] && !again[0].pending) return { row: again[0], written: false };
  if (again[0]) {
    await clearPendingReceipt(client, again[0].id);
    const { rows } = await client.query<PersonRow>(
      `UPDATE personnel.persons SET name = $2, phone = $3, address = $4, home_jurisdiction = $5, registered_at = $6, move_pending_since = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [again[0].id, person.name, person.phone, person.address, person.homeJurisdiction, person.registeredAt],
    );
    return { row: rows[0], written: true };
  }
  const { rows } = await client.query<PersonRow>(
    `INSERT INTO personnel.persons (name, id_number, phone, address, home_jurisdiction, registered_at, moved_from, indexed_at, move_pending_since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now()) ON CONFLICT (id_number) WHERE moved_to IS NULL DO NOTHING RETURNING ${COLUMNS}`,
    [person.name, person.idNumber, person.phone, person.address, person.homeJurisdiction, person.registeredAt, person.movedFrom],
  );
  return rows[0] ? { row: rows[0], written: true } : undefined;
}

/** Removes what a pending record's receipt wrote beside it (its moves and categories, their events). */
async function clearPendingReceipt(client: PoolClient, id: string): Promise<void> {
  await client.query('DELETE FROM personnel.person_moves WHERE person_id = $1', [id]);
  await client.query('DELETE FROM personnel.person_tag_events WHERE person_id = $1', [id]);
  await client.query('DELETE FROM personnel.person_tags WHERE person_id = $1', [id]);
}

/** A record moved here from `movedFrom` and still pending, locked until the transaction ends (skipped when `skipLocked` and another holds it). */
export async function lockPendingMove(
  client: PoolClient,
  movedFrom: string,
  skipLocked = false,
): Promise<{ id: string; id_number: string; moved_from: string } | undefined> {
  const { rows } = await client.query<{ id: string; id_number: string; moved_from: string }>(
    `SELECT id, id_number, moved_from FROM personnel.persons WHERE moved_from = $1 AND move_pending_since IS NOT NULL FOR UPDATE ${skipLocked ? 'SKIP LOCKED' : ''}`,
    [movedFrom],
  );
  return rows[0];
}

/** The record moved here from another region becomes a person of this region: the move committed there. */
export async function completePendingMove(client: PoolClient, id: string): Promise<void> {
  await client.query('UPDATE personnel.persons SET move_pending_since = NULL WHERE id = $1', [id]);
}

/** Removes a pending record whose move did not happen, with what its receipt wrote (nobody has seen any of it). */
export async function removePendingMove(client: PoolClient, id: string): Promise<void> {
  await clearPendingReceipt(client, id);
  await client.query('DELETE FROM personnel.persons WHERE id = $1 AND move_pending_since IS NOT NULL', [id]);
}

/** Records moved here still pending since before `olderThan` (their old region's word was lost): where they came from. */
export async function listStalePendingMoves(db: Pool, olderThan: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ moved_from: string }>(
    'SELECT moved_from FROM personnel.persons WHERE move_pending_since IS NOT NULL AND move_pending_since < $1 ORDER BY move_pending_since LIMIT $2',
    [olderThan, limit],
  );
  return rows.map((row) => row.moved_from);
}

/** The pending record of `idNumber` moved here, if one is: where it comes from. */
export async function findPendingMoveOf(db: Queryable, idNumber: string): Promise<string | undefined> {
  const { rows } = await db.query<{ moved_from: string }>('SELECT moved_from FROM personnel.persons WHERE id_number = $1 AND move_pending_since IS NOT NULL', [
    idNumber,
  ]);
  return rows[0]?.moved_from;
}

export async function markMoved(client: PoolClient, id: string, movedTo: string, movedAt: Date): Promise<PersonRow> {
  const { rows } = await client.query<PersonRow>(`UPDATE personnel.persons SET moved_to = $2, moved_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    movedTo,
    movedAt,
  ]);
  return rows[0];
}
