import type { Pool, PoolClient } from 'pg';
import { KeyPersonCategory, PersonTag, PersonTagEvent, TagAction } from './person-types';

/** Current categories of several persons in one statement, in the order they were given. */
export async function listTagsOfPersons(db: Pool, personIds: readonly string[]): Promise<PersonTag[][]> {
  const { rows } = await db.query<{ person_id: string; category: KeyPersonCategory; tagged_by: string | null; tagged_at: Date; note: string | null }>(
    `SELECT person_id, category, tagged_by, tagged_at, note
       FROM personnel.person_tags WHERE person_id = ANY($1::bigint[]) ORDER BY person_id, tagged_at, category`,
    [personIds],
  );
  const byPerson = new Map<string, PersonTag[]>(personIds.map((id) => [id, []]));
  for (const row of rows) {
    byPerson.get(row.person_id)?.push({ category: row.category, taggedAt: row.tagged_at, taggedByLocalId: row.tagged_by, taggedBy: null, note: row.note });
  }
  return personIds.map((id) => byPerson.get(id) ?? []);
}

/** Category histories of several persons in one statement, oldest change first. */
export async function listTagEventsOfPersons(db: Pool, personIds: readonly string[]): Promise<PersonTagEvent[][]> {
  const { rows } = await db.query<{
    person_id: string;
    category: KeyPersonCategory;
    action: TagAction;
    officer_id: string | null;
    note: string | null;
    at: Date;
  }>(
    `SELECT person_id, category, action, officer_id, note, at
       FROM personnel.person_tag_events WHERE person_id = ANY($1::bigint[]) ORDER BY person_id, at, id`,
    [personIds],
  );
  const byPerson = new Map<string, PersonTagEvent[]>(personIds.map((id) => [id, []]));
  for (const row of rows) {
    byPerson
      .get(row.person_id)
      ?.push({ category: row.category, action: row.action, officerLocalId: row.officer_id, officer: null, note: row.note, at: row.at });
  }
  return personIds.map((id) => byPerson.get(id) ?? []);
}

export interface TagChange {
  personId: string;
  category: KeyPersonCategory;
  officerId: string | null;
  note: string | null;
}

/**
 * Gives a category and records it, or returns false when the person already holds it. Of two
 * officers giving the same category at once, the second waits on the first's row, then finds
 * the conflict: exactly one change is recorded.
 */
export async function addTag(client: PoolClient, change: TagChange): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO personnel.person_tags (person_id, category, person_registered_at, tagged_by, note)
     SELECT id, $2, registered_at, $3, $4 FROM personnel.persons WHERE id = $1
     ON CONFLICT (person_id, category) DO NOTHING`,
    [change.personId, change.category, change.officerId, change.note],
  );
  if (!rowCount) return false;
  await recordTagEvent(client, change, TagAction.TAGGED);
  return true;
}

/** Takes a category away and records it, or returns false when the person does not hold it. */
export async function removeTag(client: PoolClient, change: TagChange): Promise<boolean> {
  const { rowCount } = await client.query('DELETE FROM personnel.person_tags WHERE person_id = $1 AND category = $2', [change.personId, change.category]);
  if (!rowCount) return false;
  await recordTagEvent(client, change, TagAction.UNTAGGED);
  return true;
}

async function recordTagEvent(client: PoolClient, change: TagChange, action: TagAction): Promise<void> {
  await client.query('INSERT INTO personnel.person_tag_events (person_id, category, action, officer_id, note) VALUES ($1, $2, $3, $4, $5)', [
    change.personId,
    change.category,
    action,
    change.officerId,
    change.note,
  ]);
}
