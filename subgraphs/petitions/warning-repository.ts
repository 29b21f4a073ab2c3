import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import { PetitionWarning, WarningAction, WarningEvent, WarningKind, WarningLevel, WarningStatus } from './types';

type Queryable = Pool | PoolClient;

export interface WarningRow {
  id: string;
  level: WarningLevel;
  kind: WarningKind;
  status: WarningStatus;
  subject_id: string;
  raised_in: string;
  summary: string;
  raised_at: Date;
  petition_id: string | null;
  raised_by: string | null;
  rule_key: string | null;
  version: number;
}

const COLUMNS = 'id, level, kind, status, subject_id, raised_in, summary, raised_at, petition_id, raised_by, rule_key, version';

export function toWarning(region: string, row: WarningRow): PetitionWarning {
  return {
    id: toGlobalId(region, row.id),
    region,
    localId: row.id,
    level: row.level,
    kind: row.kind,
    status: row.status,
    raisedIn: row.raised_in,
    summary: row.summary,
    raisedAt: row.raised_at,
    automatic: row.rule_key !== null,
    raisedBy: row.raised_by ? { id: row.raised_by } : null,
    subject: { id: row.subject_id },
    petitionLocalId: row.petition_id,
    version: row.version,
  };
}

export function warningPosition(row: { raised_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.raised_at.toISOString(), id: row.id };
}

export interface WarningFilter {
  levels?: WarningLevel[] | null;
  kinds?: WarningKind[] | null;
  statuses?: WarningStatus[] | null;
  /** Jurisdiction code prefix of where it was raised: "3304", "330421". */
  raisedIn?: string | null;
  /** Home region of the subject (the region owning the person's record). */
  subjectRegion?: string | null;
  subjectId?: string | null;
  raisedFrom?: Date | null;
  raisedUntil?: Date | null;
  /** Jurisdiction prefixes the caller may see (agreements); rows elsewhere are left out. */
  visibleIn?: readonly string[] | null;
}

/** Newest first, narrowed by `filter`; each filter is served by an index on (filter, raised_at, id). */
export async function listWarnings(db: Pool, filter: WarningFilter, limit: number, after: KeysetPosition | undefined): Promise<WarningRow[]> {
  const where = new SqlFilter()
    .add('level = ANY(?::text[])', filter.levels)
    .add('kind = ANY(?::text[])', filter.kinds)
    .add('status = ANY(?::text[])', filter.statuses)
    .add("raised_in LIKE ? || '%'", filter.raisedIn)
    .add('subject_region = ?', filter.subjectRegion)
    .add('subject_id = ?', filter.subjectId)
    .add('raised_at >= ?', filter.raisedFrom)
    .add('raised_at < ?', filter.raisedUntil)
    .add(
      'raised_in LIKE ANY(?::text[])',
      filter.visibleIn?.map((prefix) => `${prefix}%`),
    )
    .add('(raised_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  const { rows } = await db.query<WarningRow>(
    `SELECT ${COLUMNS} FROM petitions.warnings ${where.where} ORDER BY raised_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export async function findWarnings(db: Queryable, ids: readonly string[]): Promise<Array<WarningRow | undefined>> {
  const { rows } = await db.query<WarningRow>(`SELECT ${COLUMNS} FROM petitions.warnings WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/** Reads one warning for a change and holds it until the transaction ends (see lockPetition). */
export async function lockWarning(client: PoolClient, id: string): Promise<WarningRow | undefined> {
  const { rows } = await client.query<WarningRow>(`SELECT ${COLUMNS} FROM petitions.warnings WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

/** Warnings about several persons at once (one statement), each person's newest first. */
export async function listWarningsOfPersons(
  db: Pool,
  personIds: readonly string[],
  limit: number,
  after: KeysetPosition | undefined,
  visibleIn: readonly string[],
): Promise<Map<string, WarningRow[]>> {
  const { rows } = await db.query<WarningRow & { person_id: string }>(
    `SELECT person.id AS person_id, w.*
       FROM unnest($1::text[]) AS person(id)
       CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM petitions.warnings
          WHERE subject_id = person.id
            AND raised_in LIKE ANY($5::text[])
            AND ($3::timestamptz IS NULL OR (raised_at, id) < ($3::timestamptz, $4::bigint))
          ORDER BY raised_at DESC, id DESC
          LIMIT $2
       ) w`,
    [personIds, limit, after?.sortKey ?? null, after?.id ?? null, visibleIn.map((prefix) => `${prefix}%`)],
  );
  const byPerson = new Map<string, WarningRow[]>(personIds.map((id) => [id, []]));
  for (const row of rows) byPerson.get(row.person_id)!.push(row);
  return byPerson;
}

/** Warnings raised about several petitions, in one statement. */
export async function listWarningsOfPetitions(db: Pool, petitionIds: readonly string[]): Promise<WarningRow[][]> {
  const { rows } = await db.query<WarningRow>(`SELECT ${COLUMNS} FROM petitions.warnings WHERE petition_id = ANY($1::bigint[]) ORDER BY raised_at, id`, [
    petitionIds,
  ]);
  const byPetition = new Map<string, WarningRow[]>(petitionIds.map((id) => [id, []]));
  for (const row of rows) byPetition.get(row.petition_id!)?.push(row);
  return petitionIds.map((id) => byPetition.get(id) ?? []);
}

export interface NewWarning {
  level: WarningLevel;
  kind: WarningKind;
  subjectId: string;
  raisedIn: string;
  summary: string;
  petitionId?: string | null;
  raisedBy?: string | null;
  /** For warnings a rule raises: the same key is never raised twice. */
  ruleKey?: string | null;
}

/** Inserts the warning and its RAISED event; undefined when a rule's warning already exists. */
export async function insertWarning(client: PoolClient, warning: NewWarning): Promise<WarningRow | undefined> {
  const { rows } = await client.query<WarningRow>(
    `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, raised_by, rule_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (rule_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      warning.level,
      warning.kind,
      warning.subjectId,
      warning.raisedIn,
      warning.summary,
      warning.petitionId ?? null,
      warning.raisedBy ?? null,
      warning.ruleKey ?? null,
    ],
  );
  const row = rows[0];
  if (row) {
    await insertWarningEvent(client, {
      warningId: row.id,
      action: WarningAction.RAISED,
      officerId: warning.raisedBy ?? null,
      officerRegion: null,
      note: warning.ruleKey ? `raised by rule ${warning.ruleKey.split(':')[0]}` : null,
    });
  }
  return row;
}

export async function insertWarningEvent(
  client: PoolClient,
  event: { warningId: string; action: WarningAction; officerId: string | null; officerRegion: string | null; note: string | null },
): Promise<void> {
  await client.query(`INSERT INTO petitions.warning_events (warning_id, action, officer_id, officer_region, note) VALUES ($1, $2, $3, $4, $5)`, [
    event.warningId,
    event.action,
    event.officerId,
    event.officerRegion ?? (event.officerId ? event.officerId.split(':')[0] : null),
    event.note,
  ]);
}

/** Timelines of several warnings in one statement, oldest entry first. */
export async function listWarningEvents(db: Pool, warningIds: readonly string[]): Promise<WarningEvent[][]> {
  const { rows } = await db.query<{
    warning_id: string;
    action: WarningAction;
    officer_id: string | null;
    officer_region: string | null;
    note: string | null;
    at: Date;
  }>(
    `SELECT warning_id, action, officer_id, officer_region, note, at
       FROM petitions.warning_events WHERE warning_id = ANY($1::bigint[]) ORDER BY warning_id, at, id`,
    [warningIds],
  );
  const byWarning = new Map<string, WarningEvent[]>(warningIds.map((id) => [id, []]));
  for (const row of rows) {
    byWarning.get(row.warning_id)?.push({
      action: row.action,
      officer: row.officer_id ? { id: row.officer_id } : null,
      region: row.officer_region,
      note: row.note,
      at: row.at,
    });
  }
  return warningIds.map((id) => byWarning.get(id) ?? []);
}

/**
 * Records that one more region acknowledged: OPEN becomes ACKNOWLEDGED, any other status stays.
 * No version check: acknowledgements from different regions do not compete (the timeline's
 * unique index already lets each region acknowledge once).
 */
export async function markAcknowledged(client: PoolClient, id: string): Promise<WarningRow | undefined> {
  const { rows } = await client.query<WarningRow>(
    `UPDATE petitions.warnings SET status = CASE WHEN status = 'OPEN' THEN 'ACKNOWLEDGED' ELSE status END, version = version + 1
      WHERE id = $1 AND status <> 'RESOLVED' RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}

/** Compare-and-set on the version, as for petitions: the loser of a race gets undefined. */
export async function updateWarning(
  client: PoolClient,
  id: string,
  expectedVersion: number,
  change: { status: WarningStatus; level?: WarningLevel },
): Promise<WarningRow | undefined> {
  const { rows } = await client.query<WarningRow>(
    `UPDATE petitions.warnings SET status = $3, level = COALESCE($4, level), version = version + 1
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, change.status, change.level ?? null],
  );
  return rows[0];
}
