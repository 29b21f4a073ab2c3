import type { Pool } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { Person } from './types';

interface PersonRow {
  id: string;
  name: string;
  home_jurisdiction: string;
}

export async function findPersons(db: Pool, region: string, localIds: readonly string[]): Promise<Array<Person | undefined>> {
  const { rows } = await db.query<PersonRow>(
    'SELECT id, name, home_jurisdiction FROM personnel.persons WHERE id = ANY($1::bigint[])',
    [localIds],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return localIds.map((id) => {
    const row = byId.get(id);
    return row && { id: toGlobalId(region, row.id), region, name: row.name, homeJurisdiction: row.home_jurisdiction };
  });
}
