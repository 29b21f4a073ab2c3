import type { Pool } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { KeysetPosition } from '../shared/pagination';
import type { Inspection, InspectionStep } from './types';

interface InspectionRow {
  id: string;
  target_name: string;
  target_credit_code: string;
  scenario: string;
  lead_jurisdiction: string;
  step: InspectionStep;
  planned_at: Date;
}

const COLUMNS = 'id, target_name, target_credit_code, scenario, lead_jurisdiction, step, planned_at';

export function toInspection(region: string, row: InspectionRow): Inspection {
  return {
    id: toGlobalId(region, row.id),
    region,
    targetName: row.target_name,
    targetCreditCode: row.target_credit_code,
    scenario: row.scenario,
    leadJurisdiction: row.lead_jurisdiction,
    step: row.step,
    plannedAt: row.planned_at,
  };
}

export function inspectionPosition(row: InspectionRow): KeysetPosition {
  return { sortKey: row.planned_at.toISOString(), id: row.id };
}

export async function listInspections(db: Pool, limit: number, after: KeysetPosition | undefined): Promise<InspectionRow[]> {
  const { rows } = after
    ? await db.query<InspectionRow>(
        `SELECT ${COLUMNS} FROM enforcement.inspections
          WHERE (planned_at, id) < ($1::timestamptz, $2::bigint)
          ORDER BY planned_at DESC, id DESC LIMIT $3`,
        [after.sortKey, after.id, limit],
      )
    : await db.query<InspectionRow>(
        `SELECT ${COLUMNS} FROM enforcement.inspections ORDER BY planned_at DESC, id DESC LIMIT $1`,
        [limit],
      );
  return rows;
}

export async function findInspections(db: Pool, region: string, localIds: readonly string[]): Promise<Array<Inspection | undefined>> {
  const { rows } = await db.query<InspectionRow>(
    `SELECT ${COLUMNS} FROM enforcement.inspections WHERE id = ANY($1::bigint[])`,
    [localIds],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return localIds.map((id) => {
    const row = byId.get(id);
    return row && toInspection(region, row);
  });
}
