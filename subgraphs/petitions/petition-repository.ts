import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { AgencyKind } from '../shared/agency';
import type { KeysetPosition } from '../shared/pagination';
import { deadlinePassedSql } from '../shared/beijing-day';
import { SqlFilter } from '../shared/sql-filter';
import { currentDeadline, DeadlineKind, LifecycleFacts, newPetitionFacts, PetitionStatus } from './lifecycle';
import type { Petition, PetitionChannel, PetitionEvent } from './types';

type Queryable = Pool | PoolClient;

export interface PetitionRow {
  id: string;
  channel: PetitionChannel;
  category: string;
  summary: string;
  content: string;
  petitioner_ids: string[];
  group_visit: boolean;
  headcount: number;
  registered_in: string;
  registered_by: string;
  registered_at: Date;
  status: PetitionStatus;
  handling_agency: AgencyKind | null;
  handling_jurisdiction: string | null;
  accepted_at: Date | null;
  replied_at: Date | null;
  review_requested_at: Date | null;
  review_decided_at: Date | null;
  re_review_requested_at: Date | null;
  closed_at: Date | null;
  extension_days: number | null;
  extension_reason: string | null;
  outcome: string | null;
  deadline_kind: DeadlineKind | null;
  due_at: Date | null;
  officers_owe: boolean;
  version: number;
  forwarded_from: string | null;
  received_at: Date | null;
  forwarded_to_region: string | null;
  forwarded_to: string | null;
  forwarding_status: PetitionStatus | null;
  forwarding_outcome: string | null;
  forwarding_version: number | null;
  forwarding_updated_at: Date | null;
  matter_id: string | null;
  reviewing_body: string | null;
  re_reviewing_body: string | null;
  extension_approved_by: string | null;
  passed_down_at: Date | null;
}

const COLUMNS = `id, channel, category, summary, content, petitioner_ids, group_visit, headcount, registered_in,
  registered_by, registered_at, status, handling_agency, handling_jurisdiction, accepted_at, replied_at,
  review_requested_at, review_decided_at, re_review_requested_at, closed_at, extension_days, extension_reason,
  outcome, deadline_kind, due_at, officers_owe, version, forwarded_from, received_at, forwarded_to_region, forwarded_to,
  forwarding_status, forwarding_outcome, forwarding_version, forwarding_updated_at, matter_id, reviewing_body, re_reviewing_body, extension_approved_by, passed_down_at`;
export const PETITION_COLUMNS = COLUMNS;

export function factsOf(row: PetitionRow): LifecycleFacts {
  return {
    status: row.status,
    registeredAt: row.registered_at,
    acceptedAt: row.accepted_at,
    repliedAt: row.replied_at,
    reviewRequestedAt: row.review_requested_at,
    reviewDecidedAt: row.review_decided_at,
    reReviewRequestedAt: row.re_review_requested_at,
    extensionDays: row.extension_days,
    receivedAt: row.received_at,
    forwardedToRegion: row.forwarded_to_region,
    passedDownAt: row.passed_down_at,
  };
}

export function toPetition(region: string, row: PetitionRow): Petition {
  return {
    id: toGlobalId(region, row.id),
    region,
    localId: row.id,
    channel: row.channel,
    category: row.category,
    summary: row.summary,
    content: row.content,
    petitionerIds: row.petitioner_ids,
    groupVisit: row.group_visit,
    headcount: row.headcount,
    registeredIn: row.registered_in,
    registeredById: row.registered_by,
    registeredAt: row.registered_at,
    status: row.status,
    handlingAgency: row.handling_agency,
    handlingJurisdiction: row.handling_jurisdiction,
    acceptedAt: row.accepted_at,
    repliedAt: row.replied_at,
    reviewRequestedAt: row.review_requested_at,
    reviewDecidedAt: row.review_decided_at,
    reReviewRequestedAt: row.re_review_requested_at,
    closedAt: row.closed_at,
    extension: row.extension_days
      ? { days: row.extension_days, reason: row.extension_reason ?? '', approvedBy: row.extension_approved_by ? { id: row.extension_approved_by } : null }
      : null,
    outcome: row.outcome,
    deadlineFacts: row.due_at && row.deadline_kind ? { kind: row.deadline_kind, dueAt: row.due_at, officersOwe: row.officers_owe } : null,
    version: row.version,
    matterLocalId: row.matter_id,
    reviewingBody: row.reviewing_body,
    reReviewingBody: row.re_reviewing_body,
    forwardedFrom: row.forwarded_from,
    receivedAt: row.received_at,
    passedDownAt: row.passed_down_at,
    forwarding: row.forwarded_to_region
      ? {
          region: row.forwarded_to_region,
          agency: row.handling_agency,
          jurisdiction: row.handling_jurisdiction,
          petitionId: row.forwarded_to,
          status: row.forwarding_status,
          outcome: row.forwarding_outcome,
          updatedAt: row.forwarding_updated_at,
        }
      : null,
  };
}

export function petitionPosition(row: { registered_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.registered_at.toISOString(), id: row.id };
}

export interface PetitionFilter {
  status?: PetitionStatus | null;
  channel?: PetitionChannel | null;
  /** Jurisdiction code prefix: "3304" for all of Jiaxing, "330421" for Jiashan. */
  registeredIn?: string | null;
  registeredFrom?: Date | null;
  registeredUntil?: Date | null;
  /** Only petitions whose officers' deadline has passed (true) or not (false). */
  overdue?: boolean | null;
  /** Jurisdiction prefixes the caller may see (agreements); rows elsewhere are left out. */
  visibleIn?: readonly string[] | null;
}

/** Newest first, `limit` rows after `after`, narrowed by `filter`; every filter has an index. */
export async function listPetitions(db: Pool, filter: PetitionFilter, limit: number, after: KeysetPosition | undefined): Promise<PetitionRow[]> {
  const where = new SqlFilter()
    .add('status = ?', filter.status)
    .add('channel = ?', filter.channel)
    .add("registered_in LIKE ? || '%'", filter.registeredIn)
    .add('registered_at >= ?', filter.registeredFrom)
    .add('registered_at < ?', filter.registeredUntil)
    .add(
      'registered_in LIKE ANY(?::text[])',
      filter.visibleIn?.map((prefix) => `${prefix}%`),
    )
    .add('(registered_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  if (filter.overdue === true) where.add(`officers_owe AND ${deadlinePassedSql('due_at')}`);
  if (filter.overdue === false) where.add(`NOT (officers_owe AND due_at IS NOT NULL AND ${deadlinePassedSql('due_at')})`);
  const { rows } = await db.query<PetitionRow>(
    `SELECT ${COLUMNS} FROM petitions.petitions ${where.where} ORDER BY registered_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export async function findPetitions(db: Queryable, ids: readonly string[]): Promise<Array<PetitionRow | undefined>> {
  const { rows } = await db.query<PetitionRow>(`SELECT ${COLUMNS} FROM petitions.petitions WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/**
 * Reads one petition for a change and holds it until the transaction ends: a second officer's
 * step waits, then sees the first one's result (and is told the step is no longer allowed)
 * instead of racing it.
 */
export async function lockPetition(client: PoolClient, id: string): Promise<PetitionRow | undefined> {
  const { rows } = await client.query<PetitionRow>(`SELECT ${COLUMNS} FROM petitions.petitions WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

/**
 * The petitions of several persons at once, each person's newest first after the same
 * position: one statement for a whole page of persons (a LATERAL join per person).
 */
export async function listPetitionsOfPersons(
  db: Pool,
  personIds: readonly string[],
  limit: number,
  after: KeysetPosition | undefined,
  visibleIn: readonly string[],
): Promise<Map<string, PetitionRow[]>> {
  const { rows } = await db.query<PetitionRow & { person_id: string }>(
    `SELECT person.id AS person_id, p.*
       FROM unnest($1::text[]) AS person(id)
       CROSS JOIN LATERAL (
         SELECT petition.*
           FROM petitions.petitioners link
           JOIN petitions.petitions petition ON petition.id = link.petition_id
          WHERE link.person_id = person.id
            AND petition.registered_in LIKE ANY($5::text[])
            AND ($3::timestamptz IS NULL OR (link.registered_at, link.petition_id) < ($3::timestamptz, $4::bigint))
          ORDER BY link.registered_at DESC, link.petition_id DESC
          LIMIT $2
       ) p`,
    [personIds, limit, after?.sortKey ?? null, after?.id ?? null, visibleIn.map((prefix) => `${prefix}%`)],
  );
  const byPerson = new Map<string, PetitionRow[]>(personIds.map((id) => [id, []]));
  for (const row of rows) byPerson.get(row.person_id)!.push(row);
  return byPerson;
}

export interface NewPetition {
  channel: PetitionChannel;
  category: string;
  summary: string;
  content: string;
  petitionerIds: string[];
  groupVisit: boolean;
  headcount: number;
  registeredIn: string;
  registeredBy: string;
  registeredAt: Date;
  matterId: string;
}

export async function insertPetition(client: PoolClient, petition: NewPetition): Promise<PetitionRow> {
  const deadline = currentDeadline(newPetitionFacts(PetitionStatus.REGISTERED, petition.registeredAt))!;
  const { rows } = await client.query<PetitionRow>(
    `INSERT INTO petitions.petitions (channel, category, summary, content, petitioner_ids, group_visit, headcount,
       registered_in, registered_by, registered_at, deadline_kind, due_at, officers_owe, matter_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
    [
      petition.channel,
      petition.category,
      petition.summary,
      petition.content,
      petition.petitionerIds,
      petition.groupVisit,
      petition.headcount,
      petition.registeredIn,
      petition.registeredBy,
      petition.registeredAt,
      deadline.kind,
      deadline.dueAt,
      deadline.officersOwe,
      petition.matterId,
    ],
  );
  const row = rows[0];
  await client.query(
    `INSERT INTO petitions.petitioners (person_id, petition_id, registered_at)
     SELECT DISTINCT person_id, $2::bigint, $3::timestamptz FROM unnest($1::text[]) AS person_id`,
    [petition.petitionerIds, row.id, row.registered_at],
  );
  return row;
}

/** Columns a lifecycle step may change, besides status, deadline and version. */
export interface PetitionChange {
  handling_agency?: AgencyKind;
  handling_jurisdiction?: string;
  accepted_at?: Date;
  replied_at?: Date;
  review_requested_at?: Date;
  review_decided_at?: Date;
  re_review_requested_at?: Date;
  closed_at?: Date;
  extension_days?: number;
  extension_reason?: string;
  outcome?: string;
  forwarded_to_region?: string;
  reviewing_body?: string;
  re_reviewing_body?: string;
  extension_approved_by?: string;
  /** A received petition passed down (交办) is kept where the agency it went to is, as on receipt. */
  registered_in?: string;
  passed_down_at?: Date;
}

/**
 * Applies a step if, and only if, the petition is still at `expectedVersion`: of two officers
 * moving the same petition at once, the second finds the version moved on and gets nothing
 * (undefined), which the resolver reports as a CONFLICT.
 */
export async function updatePetition(
  client: PoolClient,
  id: string,
  expectedVersion: number,
  status: PetitionStatus,
  change: PetitionChange,
  facts: LifecycleFacts,
): Promise<PetitionRow | undefined> {
  const deadline = currentDeadline(facts);
  const entries = Object.entries(change).filter(([, value]) => value !== undefined);
  const assignments = entries.map(([column], index) => `${column} = $${index + 7}`);
  const { rows } = await client.query<PetitionRow>(
    `UPDATE petitions.petitions
        SET status = $3, deadline_kind = $4, due_at = $5, officers_owe = $6, version = version + 1
            ${assignments.map((a) => `, ${a}`).join('')}
      WHERE id = $1 AND version = $2
      RETURNING ${COLUMNS}`,
    [id, expectedVersion, status, deadline?.kind ?? null, deadline?.dueAt ?? null, deadline?.officersOwe ?? false, ...entries.map(([, v]) => v)],
  );
  return rows[0];
}

/** Records a step in the petition's history, at `event.at` (a step another region took) or now; returns its time. */
export async function insertPetitionEvent(
  client: PoolClient,
  event: { petitionId: string; action: string; from: PetitionStatus | null; to: PetitionStatus; officerId: string | null; note: string | null; at?: Date },
): Promise<Date> {
  const { rows } = await client.query<{ at: Date }>(
    `INSERT INTO petitions.petition_events (petition_id, action, from_status, to_status, officer_id, note, at)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now())) RETURNING at`,
    [event.petitionId, event.action, event.from, event.to, event.officerId, event.note, event.at ?? null],
  );
  return rows[0].at;
}

/** The latest step taken on a petition, if any. */
export async function lastPetitionEvent(client: PoolClient, petitionId: string): Promise<{ action: string; officer_id: string | null; at: Date } | undefined> {
  const { rows } = await client.query<{ action: string; officer_id: string | null; at: Date }>(
    'SELECT action, officer_id, at FROM petitions.petition_events WHERE petition_id = $1 ORDER BY at DESC, id DESC LIMIT 1',
    [petitionId],
  );
  return rows[0];
}

/** Histories of several petitions in one statement, oldest step first. */
export async function listPetitionEvents(db: Pool, petitionIds: readonly string[]): Promise<PetitionEvent[][]> {
  const { rows } = await db.query<{
    petition_id: string;
    action: string;
    from_status: PetitionStatus | null;
    to_status: PetitionStatus;
    officer_id: string | null;
    note: string | null;
    at: Date;
  }>(
    `SELECT petition_id, action, from_status, to_status, officer_id, note, at
       FROM petitions.petition_events WHERE petition_id = ANY($1::bigint[]) ORDER BY petition_id, at, id`,
    [petitionIds],
  );
  const byPetition = new Map<string, PetitionEvent[]>(petitionIds.map((id) => [id, []]));
  for (const row of rows) {
    byPetition.get(row.petition_id)?.push({
      action: row.action,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      officer: row.officer_id ? { id: row.officer_id } : null,
      note: row.note,
      at: row.at,
    });
  }
  return petitionIds.map((id) => byPetition.get(id) ?? []);
}
