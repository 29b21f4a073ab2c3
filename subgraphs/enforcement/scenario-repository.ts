import type { Pool, PoolClient } from 'pg';
import type { AgencyKindName } from '../../auth/agencies';
import { ScenarioCategory, InspectionScenario } from './scenario-types';

type Queryable = Pool | PoolClient;

interface ScenarioRow {
  code: string;
  name: string;
  category: ScenarioCategory;
  agencies: AgencyKindName[];
}

const toScenario = (row: ScenarioRow): InspectionScenario => ({ ...row });

/** The catalogue, or one category of it, in code order. */
export async function listScenarios(db: Queryable, category?: ScenarioCategory | null): Promise<InspectionScenario[]> {
  const { rows } = await db.query<ScenarioRow>(
    `SELECT code, name, category, agencies FROM enforcement.scenarios
      WHERE $1::text IS NULL OR category = $1 ORDER BY category, code`,
    [category ?? null],
  );
  return rows.map(toScenario);
}

export async function findScenarios(db: Queryable, codes: readonly string[]): Promise<Array<InspectionScenario | undefined>> {
  const { rows } = await db.query<ScenarioRow>('SELECT code, name, category, agencies FROM enforcement.scenarios WHERE code = ANY($1::text[])', [codes]);
  const byCode = new Map(rows.map((row) => [row.code, toScenario(row)]));
  return codes.map((code) => byCode.get(code));
}
