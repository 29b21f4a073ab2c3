import type { Pool } from 'pg';
import type { Jurisdiction, JurisdictionLevel } from './types';

interface JurisdictionRow {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parent_code: string | null;
  note: string | null;
}

const COLUMNS = 'code, name, level, parent_code, note';

const toJurisdiction = (row: JurisdictionRow): Jurisdiction => ({
  code: row.code,
  name: row.name,
  level: row.level,
  parentCode: row.parent_code,
  note: row.note,
});

export async function findJurisdictions(db: Pool, codes: readonly string[]): Promise<Array<Jurisdiction | undefined>> {
  const { rows } = await db.query<JurisdictionRow>(`SELECT ${COLUMNS} FROM directory.jurisdictions WHERE code = ANY($1::text[])`, [codes]);
  const byCode = new Map(rows.map((row) => [row.code, toJurisdiction(row)]));
  return codes.map((code) => byCode.get(code));
}

/** Children of each parent code, ordered by code: one statement for any number of parents. */
export async function findChildren(db: Pool, parentCodes: readonly string[]): Promise<Jurisdiction[][]> {
  const { rows } = await db.query<JurisdictionRow>(`SELECT ${COLUMNS} FROM directory.jurisdictions WHERE parent_code = ANY($1::text[]) ORDER BY code`, [
    parentCodes,
  ]);
  const byParent = new Map<string, Jurisdiction[]>();
  for (const row of rows) {
    const siblings = byParent.get(row.parent_code!) ?? [];
    siblings.push(toJurisdiction(row));
    byParent.set(row.parent_code!, siblings);
  }
  return parentCodes.map((code) => byParent.get(code) ?? []);
}

export async function listProvinces(db: Pool): Promise<Jurisdiction[]> {
  const { rows } = await db.query<JurisdictionRow>(`SELECT ${COLUMNS} FROM directory.jurisdictions WHERE parent_code IS NULL ORDER BY code`);
  return rows.map(toJurisdiction);
}
