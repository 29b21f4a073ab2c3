import type { Pool } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import type { KeysetPosition } from '../shared/pagination';
import { PetitionWarning, WarningKind, WarningLevel, WarningStatus } from './types';

interface WarningRow {
  id: string;
  level: WarningLevel;
  kind: WarningKind;
  status: WarningStatus;
  subject_id: string;
  raised_in: string;
  summary: string;
  raised_at: Date;
}

const COLUMNS = 'id, level, kind, status, subject_id, raised_in, summary, raised_at';

export function toWarning(region: string, row: WarningRow): PetitionWarning {
  return {
    id: toGlobalId(region, row.id),
    region,
    level: row.level,
    kind: row.kind,
    status: row.status,
    raisedIn: row.raised_in,
    summary: row.summary,
    raisedAt: row.raised_at,
    subject: { id: row.subject_id },
  };
}

export function warningPosition(row: WarningRow): KeysetPosition {
  return { sortKey: row.raised_at.toISOString(), id: row.id };
}

/** Newest first; `limit` rows after `after`. */
export async function listWarnings(db: Pool, limit: number, after: KeysetPosition | undefined): Promise<WarningRow[]> {
  const { rows } = after
    ? await db.query<WarningRow>(
        `SELECT ${COLUMNS} FROM petitions.warnings
          WHERE (raised_at, id) < ($1::timestamptz, $2::bigint)
          ORDER BY raised_at DESC, id DESC LIMIT $3`,
        [after.sortKey, after.id, limit],
      )
    : await db.query<WarningRow>(
        `SELECT ${COLUMNS} FROM petitions.warnings ORDER BY raised_at DESC, id DESC LIMIT $1`,
        [limit],
      );
  return rows;
}

export async function findWarnings(db: Pool, ids: readonly string[]): Promise<Array<WarningRow | undefined>> {
  const { rows } = await db.query<WarningRow>(`SELECT ${COLUMNS} FROM petitions.warnings WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

export interface NewWarning {
  level: WarningLevel;
  kind: WarningKind;
  subjectId: string;
  raisedIn: string;
  summary: string;
}

export async function insertWarning(db: Pool, warning: NewWarning): Promise<WarningRow> {
  const { rows } = await db.query<WarningRow>(
    `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [warning.level, warning.kind, warning.subjectId, warning.raisedIn, warning.summary],
  );
  return rows[0];
}
