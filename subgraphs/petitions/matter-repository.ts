import type { Pool, PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { significantPrefix } from '../../auth/jurisdiction';
import type { AgencyKind } from '../shared/agency';
import type { PetitionMatter } from './types';

/**
 * Matters (信访事项): one person or group, one subject, one handling agency. A new petition joins
 * a matter by rule — the matter of the same petitioners and category handled where it is
 * registered, or below it (brought higher: 越级访) — or by the officer's choice (an existing
 * matter of this region named at registration); otherwise it starts one.
 */

export interface MatterRow {
  id: string;
  petitioner_ids: string[];
  category: string;
  handling_agency: string | null;
  handling_jurisdiction: string;
  created_at: Date;
  closed_at: Date | null;
  closed_by_petition: string | null;
}

const COLUMNS = 'id, petitioner_ids, category, handling_agency, handling_jurisdiction, created_at, closed_at, closed_by_petition';

export function toMatter(region: string, row: MatterRow): PetitionMatter {
  return {
    id: toGlobalId(region, row.id),
    category: row.category,
    petitionerIds: row.petitioner_ids,
    handlingAgency: row.handling_agency as AgencyKind | null,
    handlingJurisdiction: row.handling_jurisdiction,
    closedAt: row.closed_at,
  };
}

/** The petitioners as a matter keeps them: distinct and sorted, so that the order given does not matter. */
export const matterPetitioners = (ids: readonly string[]) => [...new Set(ids)].sort();

export async function findMatters(db: Pool | PoolClient, ids: readonly string[]): Promise<Array<MatterRow | undefined>> {
  const { rows } = await db.query<MatterRow>(`SELECT ${COLUMNS} FROM petitions.matters WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/**
 * A matter an officer working in `jurisdiction` names for a new petition: one handled there or
 * below, or with a petition registered there or below. Another county's matter is not his to see,
 * so it is as unknown to him as a matter nobody keeps (undefined either way).
 */
export async function findMatterSeenFrom(client: PoolClient, matterId: string, jurisdiction: string): Promise<MatterRow | undefined> {
  const { rows } = await client.query<MatterRow>(
    `SELECT ${COLUMNS} FROM petitions.matters m
      WHERE m.id = $1
        AND (m.handling_jurisdiction LIKE $2 || '%'
             OR EXISTS (SELECT 1 FROM petitions.petitions p WHERE p.matter_id = m.id AND p.registered_in LIKE $2 || '%'))`,
    [matterId, significantPrefix(jurisdiction)],
  );
  return rows[0];
}

/**
 * The matter a new petition belongs to: the one of the same petitioners and category handled
 * where the petition is registered, else one handled below it (a 嘉善 matter brought to the city;
 * the latest, if several), else — for a registration, given `region` — one this region forwarded
 * and is now handled in another region, of which a petition was registered where this one is or
 * below (a 嘉善 matter sent to 吴江区: a new petition on it in 嘉善 or at the city joins it, so its
 * REPEAT counts it, its CROSS_REGION is not raised again, and its closing by re-review there
 * refuses its acceptance), else a new one handled where the petition is registered. A 平湖
 * petition does not join a 嘉善 matter, kept or forwarded: 平湖's officers do not see 嘉善's
 * petitions, so neither the matter nor its count may reach them through theirs. A petition
 * received from another region gives no `region`: it joins a matter handled here, never one this
 * region sent away.
 *
 * Registrations of a known matter take no lock. Two registrations of the same new matter at once
 * share one: the one that finds none takes a lock on its petitioners and category for the rest of
 * its transaction and looks again, so the second waits for the first to commit and finds its row.
 */
export async function matterByRule(
  client: PoolClient,
  petitionerIds: readonly string[],
  category: string,
  registeredIn: string,
  region?: string,
): Promise<MatterRow> {
  const petitioners = matterPetitioners(petitionerIds);
  const find = async () =>
    (
      await client.query<MatterRow>(
        `SELECT ${COLUMNS} FROM petitions.matters
          WHERE petitioner_ids = $1::text[] AND category = $2
            AND (handling_jurisdiction LIKE $3 || '%'
                 OR ($5::text IS NOT NULL AND handling_jurisdiction NOT LIKE $5 || '%'
                     AND EXISTS (SELECT 1 FROM petitions.petitions p WHERE p.matter_id = matters.id AND p.registered_in LIKE $3 || '%')))
          ORDER BY handling_jurisdiction = $4 DESC, handling_jurisdiction LIKE $3 || '%' DESC, created_at DESC, id DESC
          LIMIT 1`,
        [petitioners, category, significantPrefix(registeredIn), registeredIn, region ? significantPrefix(region) : null],
      )
    ).rows[0];
  const known = await find();
  if (known) return known;
  await client.query("SELECT pg_advisory_xact_lock(hashtext('petitions.matter'), hashtext($1))", [`${petitioners.join(',')}|${category}`]);
  const meanwhile = await find();
  if (meanwhile) return meanwhile;
  const created = await client.query<MatterRow>(
    `INSERT INTO petitions.matters (petitioner_ids, category, handling_jurisdiction) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [petitioners, category, registeredIn],
  );
  return created.rows[0];
}

/** The first assignment names who handles the matter; later ones leave it. */
export async function recordMatterHandler(client: PoolClient, matterId: string, agency: string, jurisdiction: string): Promise<void> {
  await client.query('UPDATE petitions.matters SET handling_agency = $2, handling_jurisdiction = $3 WHERE id = $1 AND handling_agency IS NULL', [
    matterId,
    agency,
    jurisdiction,
  ]);
}

/**
 * A petition passed down (交办) or, as reported, passed down in the region it was forwarded to.
 * A matter is handled by one agency at a time: it follows the petition to the agency below when
 * that agency's superior was the one handling the matter and handles none of its other open
 * petitions any more (the last of them passed down takes the matter with it). While the superior
 * still handles one, the matter stays its own: it is still working the matter, and a new petition
 * brought to it joins the matter as its own, not as one skipping a level. A matter handled
 * elsewhere (by an agency the petition never had) keeps its handler.
 */
export async function moveMatterHandler(
  client: PoolClient,
  matterId: string,
  from: { handling_agency: string | null; handling_jurisdiction: string | null },
  to: { id: string; handling_agency: string | null; handling_jurisdiction: string | null },
): Promise<void> {
  // Locked first, in a statement of its own: of two petitions passed down at once, the one
  // deciding second then sees the other passed down (its statement reads what committed meanwhile).
  await client.query('SELECT 1 FROM petitions.matters WHERE id = $1 FOR UPDATE', [matterId]);
  await client.query(
    `UPDATE petitions.matters m SET handling_agency = $4, handling_jurisdiction = $5
      WHERE m.id = $1 AND m.handling_agency IS NOT DISTINCT FROM $2 AND m.handling_jurisdiction = $3
        AND NOT EXISTS (SELECT 1 FROM petitions.petitions p
                         WHERE p.matter_id = m.id AND p.id <> $6 AND p.closed_at IS NULL
                           AND p.handling_agency IS NOT DISTINCT FROM $2 AND p.handling_jurisdiction = $3)`,
    [matterId, from.handling_agency, from.handling_jurisdiction, to.handling_agency, to.handling_jurisdiction, to.id],
  );
}

/**
 * A petition forwarded to another region was declined there (不予受理): the agency it went to
 * does not handle the matter, so the matter is no longer that agency's. It is handled again where
 * the petition was registered, by no agency until an assignment names one, as a new matter is:
 * a new petition on it there joins it (its REPEAT and CROSS_REGION counted as before) and is the
 * registering office's to decide, and no petition elsewhere in the region joins it as a forwarded
 * matter. Left as it is while another of its petitions is still forwarded to that agency and not
 * ended, when an assignment named someone else meanwhile, or once closed by re-review.
 */
export async function releaseDeclinedMatter(
  client: PoolClient,
  matterId: string,
  declined: { id: string; registered_in: string; handling_agency: string | null; handling_jurisdiction: string | null },
): Promise<void> {
  await client.query(
    `UPDATE petitions.matters m SET handling_agency = NULL, handling_jurisdiction = $3
      WHERE m.id = $1 AND m.closed_at IS NULL AND m.handling_agency IS NOT DISTINCT FROM $4 AND m.handling_jurisdiction = $5
        AND NOT EXISTS (SELECT 1 FROM petitions.petitions p
                         WHERE p.matter_id = m.id AND p.id <> $2 AND p.status = 'ASSIGNED' AND p.forwarded_to_region IS NOT NULL
                           AND p.handling_agency IS NOT DISTINCT FROM $4 AND p.handling_jurisdiction = $5)`,
    [matterId, declined.id, declined.registered_in, declined.handling_agency, declined.handling_jurisdiction],
  );
}

/** A re-review decided the matter: closed for good. */
export async function closeMatter(client: PoolClient, matterId: string, petitionId: string, at: Date): Promise<void> {
  await client.query('UPDATE petitions.matters SET closed_at = $3, closed_by_petition = $2 WHERE id = $1 AND closed_at IS NULL', [matterId, petitionId, at]);
}

/** When the matter's petitions were registered, from `since` up to `until` (the repeat rule, per matter). */
export async function listMatterPetitionTimes(client: PoolClient, matterId: string, since: Date, until: Date): Promise<Date[]> {
  const { rows } = await client.query<{ registered_at: Date }>(
    'SELECT registered_at FROM petitions.petitions WHERE matter_id = $1 AND registered_at >= $2 AND registered_at <= $3 ORDER BY registered_at',
    [matterId, since, until],
  );
  return rows.map((row) => row.registered_at);
}

/** A matter as the demo seed writes it, with its id and times given (so that the same seed gives the same rows). */
export interface SeededMatter {
  id: number;
  petitionerIds: string[];
  category: string;
  handlingAgency: string | null;
  handlingJurisdiction: string;
  createdAt: Date;
  closedAt: Date | null;
  closedByPetition: number | null;
}

export async function insertSeededMatters(client: PoolClient, matters: readonly SeededMatter[]): Promise<void> {
  await client.query(
    `INSERT INTO petitions.matters (id, petitioner_ids, category, handling_agency, handling_jurisdiction, created_at, closed_at, closed_by_petition)
     SELECT id, string_to_array(petitioners, ','), category, handling_agency, handling_jurisdiction, created_at, closed_at, closed_by_petition
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::bigint[])
         AS t(id, petitioners, category, handling_agency, handling_jurisdiction, created_at, closed_at, closed_by_petition)`,
    [
      matters.map((m) => m.id),
      matters.map((m) => matterPetitioners(m.petitionerIds).join(',')),
      matters.map((m) => m.category),
      matters.map((m) => m.handlingAgency),
      matters.map((m) => m.handlingJurisdiction),
      matters.map((m) => m.createdAt),
      matters.map((m) => m.closedAt),
      matters.map((m) => m.closedByPetition),
    ],
  );
}
