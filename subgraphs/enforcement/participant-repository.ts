import type { Pool, PoolClient } from 'pg';
import type { AgencyKindName } from '../../auth/agencies';
import { toGlobalId } from '../../auth/global-id';
import { agencyNameIn } from './agency-names';
import { PARTICIPANT_STATUS_ORDER, ParticipantTaskStatus } from './inspection-flow';
import type { InspectionParticipant } from './inspection-types';
import { officerRef } from './officer';

type Queryable = Pool | PoolClient;

export interface ParticipantRow {
  id: string;
  inspection_id: string;
  region: string;
  jurisdiction: string;
  agency: AgencyKindName;
  officer_id: string | null;
  joined_by: string | null;
  joined_at: Date;
  task_id: string | null;
  task_status: ParticipantTaskStatus;
  task_status_at: Date | null;
  /** The lead agency's own participation: its task is kept in the lead region. */
  lead: boolean;
}

const COLUMNS = 'id, inspection_id, region, jurisdiction, agency, officer_id, joined_by, joined_at, task_id, task_status, task_status_at, lead';

/** The mirror's order, as SQL: a report moves a participant's status forward only. */
const RANK = (expression: string) => `array_position(ARRAY[${PARTICIPANT_STATUS_ORDER.map((s) => `'${s}'`).join(', ')}], ${expression})`;

export function toParticipant(leadRegion: string, row: ParticipantRow): InspectionParticipant {
  return {
    id: toGlobalId(leadRegion, row.id),
    localId: row.id,
    inspectionLocalId: row.inspection_id,
    taskId: row.task_id,
    region: row.region,
    jurisdiction: row.jurisdiction,
    agency: row.agency,
    agencyName: agencyNameIn(row.jurisdiction, row.agency),
    officer: officerRef(row.officer_id),
    joinedBy: officerRef(row.joined_by),
    joinedAt: row.joined_at,
    taskStatus: row.task_status,
    taskStatusAt: row.task_status_at,
  };
}

/** Participants of several inspections in one statement, in the order they joined. */
export async function listParticipants(db: Queryable, inspectionIds: readonly string[]): Promise<ParticipantRow[][]> {
  const { rows } = await db.query<ParticipantRow>(
    `SELECT ${COLUMNS} FROM enforcement.participants WHERE inspection_id = ANY($1::bigint[]) ORDER BY inspection_id, id`,
    [inspectionIds],
  );
  const byInspection = new Map<string, ParticipantRow[]>(inspectionIds.map((id) => [id, []]));
  for (const row of rows) byInspection.get(row.inspection_id)?.push(row);
  return inspectionIds.map((id) => byInspection.get(id) ?? []);
}

export interface NewParticipant {
  region: string;
  jurisdiction: string;
  agency: AgencyKindName;
  officerId: string | null;
}

/**
 * Adds participants; `dispatching` marks them as owed a task at once (the inspection is past
 * dispatch). A participant already there (same jurisdiction and agency) violates the unique key.
 */
export async function insertParticipants(
  client: PoolClient,
  inspectionId: string,
  participants: readonly NewParticipant[],
  joinedBy: string,
  dispatching: boolean,
): Promise<ParticipantRow[]> {
  if (participants.length === 0) return [];
  const { rows } = await client.query<ParticipantRow>(
    `INSERT INTO enforcement.participants (inspection_id, region, jurisdiction, agency, officer_id, joined_by, task_status, task_status_at)
     SELECT $1, region, jurisdiction, agency, officer_id, $6, $7, CASE WHEN $7 = 'DISPATCHING' THEN now() END
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS p(region, jurisdiction, agency, officer_id)
     RETURNING ${COLUMNS}`,
    [
      inspectionId,
      participants.map((p) => p.region),
      participants.map((p) => p.jurisdiction),
      participants.map((p) => p.agency),
      participants.map((p) => p.officerId),
      joinedBy,
      dispatching ? ParticipantTaskStatus.DISPATCHING : ParticipantTaskStatus.NOT_DISPATCHED,
    ],
  );
  return rows;
}

/** The lead agency's own participation, added when the inspection is opened: it gets a task like any other. */
export async function insertLeadParticipant(client: PoolClient, inspectionId: string, lead: NewParticipant, joinedBy: string): Promise<ParticipantRow> {
  const { rows } = await client.query<ParticipantRow>(
    `INSERT INTO enforcement.participants (inspection_id, region, jurisdiction, agency, officer_id, joined_by, lead)
     VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING ${COLUMNS}`,
    [inspectionId, lead.region, lead.jurisdiction, lead.agency, lead.officerId, joinedBy],
  );
  return rows[0];
}

/** At dispatch: every participant not yet dispatched is now owed its task. */
export async function markDispatching(client: PoolClient, inspectionId: string): Promise<ParticipantRow[]> {
  const { rows } = await client.query<ParticipantRow>(
    `UPDATE enforcement.participants SET task_status = 'DISPATCHING', task_status_at = now()
      WHERE inspection_id = $1 AND task_status = 'NOT_DISPATCHED' RETURNING ${COLUMNS}`,
    [inspectionId],
  );
  return rows;
}

/**
 * What the participant region says of a task (its id, and a status it reached): the mirror
 * takes the id and moves forward, never back, so that reports arriving late or twice are harmless.
 * Returns false when no such participant exists here (or the task is not of its region).
 */
export async function recordTaskReport(
  db: Queryable,
  participantId: string,
  inspectionId: string,
  taskId: string,
  status: ParticipantTaskStatus,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE enforcement.participants
        SET task_id = $3,
            task_status = CASE WHEN ${RANK('task_status')} < ${RANK('$4::text')} THEN $4 ELSE task_status END,
            task_status_at = CASE WHEN ${RANK('task_status')} < ${RANK('$4::text')} THEN $5 ELSE task_status_at END
      WHERE id = $1 AND inspection_id = $2 AND region = split_part($3, ':', 1)`,
    [participantId, inspectionId, taskId, status, at],
  );
  return (rowCount ?? 0) > 0;
}
