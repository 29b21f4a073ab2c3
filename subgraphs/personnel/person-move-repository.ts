import type { Pool, PoolClient } from 'pg';
import type { PersonMove } from './person-types';

/** Household moves of several persons in one statement, oldest first. */
export async function listMovesOfPersons(db: Pool, personIds: readonly string[]): Promise<PersonMove[][]> {
  const { rows } = await db.query<{
    person_id: string;
    from_person: string;
    to_person: string;
    from_jurisdiction: string;
    to_jurisdiction: string;
    moved_at: Date;
    note: string | null;
  }>(
    `SELECT person_id, from_person, to_person, from_jurisdiction, to_jurisdiction, moved_at, note
       FROM personnel.person_moves WHERE person_id = ANY($1::bigint[]) ORDER BY person_id, seq`,
    [personIds],
  );
  const byPerson = new Map<string, PersonMove[]>(personIds.map((id) => [id, []]));
  for (const row of rows) {
    byPerson.get(row.person_id)?.push({
      from: row.from_person,
      to: row.to_person,
      fromJurisdiction: row.from_jurisdiction,
      toJurisdiction: row.to_jurisdiction,
      at: row.moved_at,
      note: row.note,
    });
  }
  return personIds.map((id) => byPerson.get(id) ?? []);
}

/** Appends `moves` to the person's, after those already kept. */
export async function appendMoves(client: PoolClient, personId: string, moves: readonly PersonMove[]): Promise<void> {
  if (moves.length === 0) return;
  await client.query(
    `INSERT INTO personnel.person_moves (person_id, seq, from_person, to_person, from_jurisdiction, to_jurisdiction, moved_at, note)
     SELECT $1, (SELECT coalesce(max(seq), 0) FROM personnel.person_moves WHERE person_id = $1) + m.n, m.from_person, m.to_person,
            m.from_jurisdiction, m.to_jurisdiction, m.moved_at, m.note
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) WITH ORDINALITY
            AS m(from_person, to_person, from_jurisdiction, to_jurisdiction, moved_at, note, n)`,
    [
      personId,
      moves.map((move) => move.from),
      moves.map((move) => move.to),
      moves.map((move) => move.fromJurisdiction),
      moves.map((move) => move.toJurisdiction),
      moves.map((move) => move.at),
      moves.map((move) => move.note),
    ],
  );
}
