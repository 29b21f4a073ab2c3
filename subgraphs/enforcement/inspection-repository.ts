import type { Pool, PoolClient } from 'pg';
import type { AgencyKindName } from '../../auth/agencies';
import { toGlobalId } from '../../auth/global-id';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import { agencyNameIn } from './agency-names';
import { InspectionStep } from './inspection-flow';
import { Inspection, InspectionStepEntry, TargetKind } from './inspection-types';
import { officerRef } from './officer';

type Queryable = Pool | PoolClient;

export interface InspectionRow {
  id: string;
  scenario_code: string;
  target_kind: TargetKind;
  target_name: string;
  target_credit_code: string;
  target_address: string;
  target_jurisdiction: string;
  lead_jurisdiction: string;
  lead_agency: AgencyKindName;
  lead_officer_id: string | null;
  planned_at: Date;
  planned_until: Date;
  step: InspectionStep;
  version: number;
  created_by: string | null;
  created_at: Date;
  evaluation_score: number | null;
  evaluation_comment: string | null;
  evaluated_by: string | null;
  evaluated_at: Date | null;
  target_evaluation_score: number | null;
  target_evaluation_comment: string | null;
  target_evaluation_representative: string | null;
  target_evaluation_recorded_by: string | null;
  target_evaluation_recorded_at: Date | null;
  follow_up_of: string | null;
  follow_up_finding: string | null;
}

const COLUMNS = `id, scenario_code, target_kind, target_name, target_credit_code, target_address, target_jurisdiction,
  lead_jurisdiction, lead_agency, lead_officer_id, planned_at, planned_until, step, version, created_by, created_at,
  evaluation_score, evaluation_comment, evaluated_by, evaluated_at, target_evaluation_score, target_evaluation_comment,
  target_evaluation_representative, target_evaluation_recorded_by, target_evaluation_recorded_at, follow_up_of, follow_up_finding`;

export function toInspection(region: string, row: InspectionRow): Inspection {
  return {
    id: toGlobalId(region, row.id),
    region,
    localId: row.id,
    scenarioCode: row.scenario_code,
    target: {
      kind: row.target_kind,
      name: row.target_name,
      creditCode: row.target_credit_code,
      address: row.target_address,
      jurisdiction: row.target_jurisdiction,
    },
    targetName: row.target_name,
    targetCreditCode: row.target_credit_code,
    leadJurisdiction: row.lead_jurisdiction,
    leadAgency: row.lead_agency,
    leadAgencyName: agencyNameIn(row.lead_jurisdiction, row.lead_agency),
    leadOfficer: officerRef(row.lead_officer_id),
    plannedAt: row.planned_at,
    plannedUntil: row.planned_until,
    step: row.step,
    evaluation:
      row.evaluated_at && row.evaluation_score !== null
        ? { score: row.evaluation_score, comment: row.evaluation_comment ?? '', evaluatedBy: officerRef(row.evaluated_by), evaluatedAt: row.evaluated_at }
        : null,
    targetEvaluation:
      row.target_evaluation_recorded_at && row.target_evaluation_score !== null
        ? {
            score: row.target_evaluation_score,
            comment: row.target_evaluation_comment ?? '',
            representative: row.target_evaluation_representative ?? '',
            recordedBy: officerRef(row.target_evaluation_recorded_by),
            recordedAt: row.target_evaluation_recorded_at,
          }
        : null,
    followUpOf: row.follow_up_of ? toGlobalId(region, row.follow_up_of) : null,
    followUpFinding: row.follow_up_finding,
    createdBy: officerRef(row.created_by),
    createdAt: row.created_at,
    version: row.version,
  };
}

export function inspectionPosition(row: { planned_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.planned_at.toISOString(), id: row.id };
}

export interface InspectionFilter {
  step?: InspectionStep | null;
  scenarioCode?: string | null;
  targetCreditCode?: string | null;
  /** Jurisdiction code prefix of the lead agency: "3304" for all of Jiaxing, "330421" for Jiashan. */
  leadJurisdiction?: string | null;
  /** Lead-jurisdiction prefixes the caller may see (agreements); rows elsewhere are left out. */
  visibleIn?: readonly string[] | null;
}

/** Newest planned first, `limit` rows after `after`, narrowed by `filter`; every filter has an index. */
export async function listInspections(db: Queryable, filter: InspectionFilter, limit: number, after: KeysetPosition | undefined): Promise<InspectionRow[]> {
  const where = new SqlFilter()
    .add('step = ?', filter.step)
    .add('scenario_code = ?', filter.scenarioCode)
    .add('target_credit_code = ?', filter.targetCreditCode)
    .add("lead_jurisdiction LIKE ? || '%'", filter.leadJurisdiction)
    .add(
      'lead_jurisdiction LIKE ANY(?::text[])',
      filter.visibleIn?.map((prefix) => `${prefix}%`),
    )
    .add('(planned_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  const { rows } = await db.query<InspectionRow>(
    `SELECT ${COLUMNS} FROM enforcement.inspections ${where.where} ORDER BY planned_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export async function findInspections(db: Queryable, ids: readonly string[]): Promise<Array<InspectionRow | undefined>> {
  const { rows } = await db.query<InspectionRow>(`SELECT ${COLUMNS} FROM enforcement.inspections WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

/** The inspection, locked until the transaction ends: every change to an inspection starts here. */
export async function lockInspection(client: PoolClient, id: string): Promise<InspectionRow | undefined> {
  const { rows } = await client.query<InspectionRow>(`SELECT ${COLUMNS} FROM enforcement.inspections WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

/**
 * Serialises creations for one target in this region, so that of two officers opening an
 * inspection of the same enterprise at once, the second sees the first ("enter the door once").
 * Held until the transaction ends.
 */
export async function lockTarget(client: PoolClient, creditCode: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('enforcement.target'), hashtext($1))", [creditCode]);
}

/**
 * An inspection of the same target whose planned period overlaps [from, until), at whatever
 * step: one that has been evaluated still covers its period (the door was entered once).
 */
export async function findOverlappingInspection(client: PoolClient, creditCode: string, from: Date, until: Date): Promise<InspectionRow | undefined> {
  const { rows } = await client.query<InspectionRow>(
    `SELECT ${COLUMNS} FROM enforcement.inspections
      WHERE target_credit_code = $1 AND planned_at < $3 AND planned_until > $2
      ORDER BY planned_at, id LIMIT 1`,
    [creditCode, from, until],
  );
  return rows[0];
}

export interface NewInspection {
  scenarioCode: string;
  target: { kind: TargetKind; name: string; creditCode: string; address: string; jurisdiction: string };
  leadJurisdiction: string;
  leadAgency: AgencyKindName;
  leadOfficerId: string | null;
  plannedAt: Date;
  plannedUntil: Date;
  createdBy: string;
  /** For a follow-up (整改复查): the inspection and the finding it follows up. */
  followUpOf?: string | null;
  followUpFinding?: string | null;
}

export async function insertInspection(client: PoolClient, inspection: NewInspection): Promise<InspectionRow> {
  const { target } = inspection;
  const { rows } = await client.query<InspectionRow>(
    `INSERT INTO enforcement.inspections (scenario_code, target_kind, target_name, target_credit_code, target_address,
       target_jurisdiction, lead_jurisdiction, lead_agency, lead_officer_id, planned_at, planned_until, created_by, follow_up_of, follow_up_finding)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
    [
      inspection.scenarioCode,
      target.kind,
      target.name,
      target.creditCode,
      target.address,
      target.jurisdiction,
      inspection.leadJurisdiction,
      inspection.leadAgency,
      inspection.leadOfficerId,
      inspection.plannedAt,
      inspection.plannedUntil,
      inspection.createdBy,
      inspection.followUpOf ?? null,
      inspection.followUpFinding ?? null,
    ],
  );
  return rows[0];
}

/** Columns a step may change besides the step itself. */
export interface InspectionChange {
  lead_officer_id?: string;
  evaluation_score?: number;
  evaluation_comment?: string;
  evaluated_by?: string;
  evaluated_at?: Date;
}

/** Moves a (locked) inspection from `from` to `to`; the WHERE on the step guards against any path that skipped the lock. */
export async function moveInspection(
  client: PoolClient,
  id: string,
  from: InspectionStep,
  to: InspectionStep,
  change: InspectionChange = {},
): Promise<InspectionRow | undefined> {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined);
  const assignments = entries.map(([column], index) => `, ${column} = $${index + 4}`).join('');
  const { rows } = await client.query<InspectionRow>(
    `UPDATE enforcement.inspections SET step = $3, version = version + 1 ${assignments}
      WHERE id = $1 AND step = $2 RETURNING ${COLUMNS}`,
    [id, from, to, ...entries.map(([, value]) => value)],
  );
  return rows[0];
}

/** The follow-up raised for a finding, if one was. */
export async function findFollowUp(client: PoolClient, findingId: string): Promise<InspectionRow | undefined> {
  const { rows } = await client.query<InspectionRow>(`SELECT ${COLUMNS} FROM enforcement.inspections WHERE follow_up_finding = $1`, [findingId]);
  return rows[0];
}

/** Records the target's evaluation once: undefined when one is already recorded. */
export async function recordTargetEvaluation(
  client: PoolClient,
  id: string,
  evaluation: { score: number; comment: string; representative: string; recordedBy: string },
): Promise<InspectionRow | undefined> {
  const { rows } = await client.query<InspectionRow>(
    `UPDATE enforcement.inspections
        SET target_evaluation_score = $2, target_evaluation_comment = $3, target_evaluation_representative = $4,
            target_evaluation_recorded_by = $5, target_evaluation_recorded_at = now(), version = version + 1
      WHERE id = $1 AND target_evaluation_recorded_at IS NULL RETURNING ${COLUMNS}`,
    [id, evaluation.score, evaluation.comment, evaluation.representative, evaluation.recordedBy],
  );
  return rows[0];
}

/** Records that the inspection changed without moving a step (a participant joined). */
export async function touchInspection(client: PoolClient, id: string): Promise<void> {
  await client.query('UPDATE enforcement.inspections SET version = version + 1 WHERE id = $1', [id]);
}

export async function insertStepEntry(
  client: PoolClient,
  entry: { inspectionId: string; step: InspectionStep; officerId: string | null; note: string | null },
): Promise<void> {
  await client.query('INSERT INTO enforcement.inspection_steps (inspection_id, step, officer_id, note) VALUES ($1, $2, $3, $4)', [
    entry.inspectionId,
    entry.step,
    entry.officerId,
    entry.note,
  ]);
}

/** When the joint visit (执法检查) of an inspection began; undefined before it has. */
export async function visitStartedAt(client: PoolClient, inspectionId: string): Promise<Date | undefined> {
  const { rows } = await client.query<{ at: Date }>("SELECT at FROM enforcement.inspection_steps WHERE inspection_id = $1 AND step = 'INSPECT'", [
    inspectionId,
  ]);
  return rows[0]?.at;
}

/** Timelines of several inspections in one statement, in the order the steps were taken. */
export async function listStepEntries(db: Queryable, inspectionIds: readonly string[]): Promise<InspectionStepEntry[][]> {
  const { rows } = await db.query<{ inspection_id: string; step: InspectionStep; officer_id: string | null; note: string | null; at: Date }>(
    `SELECT inspection_id, step, officer_id, note, at FROM enforcement.inspection_steps
      WHERE inspection_id = ANY($1::bigint[])
      ORDER BY inspection_id, array_position(ARRAY['WARNING', 'PLAN', 'DISPATCH', 'INSPECT', 'EVALUATE'], step)`,
    [inspectionIds],
  );
  const byInspection = new Map<string, InspectionStepEntry[]>(inspectionIds.map((id) => [id, []]));
  for (const row of rows) byInspection.get(row.inspection_id)?.push({ step: row.step, officer: officerRef(row.officer_id), note: row.note, at: row.at });
  return inspectionIds.map((id) => byInspection.get(id) ?? []);
}
