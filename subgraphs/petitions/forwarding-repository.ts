import type { Pool, PoolClient } from 'pg';
import type { AgencyKind } from '../shared/agency';
import { currentDeadline, newPetitionFacts, PetitionStatus } from './lifecycle';
import { PETITION_COLUMNS, PetitionRow } from './petition-repository';
import type { PetitionChannel } from './types';

/**
 * The records of forwarding across regions (转送/交办): the receiving region's own petition,
 * made once however often the delivery arrives, and the registering region's view of it.
 */

export interface ReceivedPetition {
  forwardedFrom: string;
  channel: PetitionChannel;
  category: string;
  summary: string;
  content: string;
  petitionerIds: string[];
  groupVisit: boolean;
  headcount: number;
  registeredAt: Date;
  forwardedBy: string;
  agency: AgencyKind;
  jurisdiction: string;
}

/**
 * Stores a forwarded petition in this region, ASSIGNED to the agency it was sent to, its
 * acceptance clock running from now (its receipt); a second delivery of the same petition finds
 * the first one's record (`created` false) and changes nothing.
 */
export async function insertReceivedPetition(client: PoolClient, petition: ReceivedPetition): Promise<{ row: PetitionRow; created: boolean }> {
  const receivedAt = new Date();
  const deadline = currentDeadline(newPetitionFacts(PetitionStatus.ASSIGNED, petition.registeredAt, receivedAt))!;
  // Kept where the handling agency is: its jurisdiction is where this region's officers work it.
  const { rows } = await client.query<PetitionRow>(
    `INSERT INTO petitions.petitions (channel, category, summary, content, petitioner_ids, group_visit, headcount,
       registered_in, registered_by, registered_at, status, handling_agency, handling_jurisdiction,
       forwarded_from, received_at, deadline_kind, due_at, officers_owe)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'ASSIGNED', $11, $8, $12, $13, $14, $15, $16)
     ON CONFLICT (forwarded_from) DO NOTHING
     RETURNING ${PETITION_COLUMNS}`,
    [
      petition.channel,
      petition.category,
      petition.summary,
      petition.content,
      petition.petitionerIds,
      petition.groupVisit,
      petition.headcount,
      petition.jurisdiction,
      petition.forwardedBy,
      petition.registeredAt,
      petition.agency,
      petition.forwardedFrom,
      receivedAt,
      deadline.kind,
      deadline.dueAt,
      deadline.officersOwe,
    ],
  );
  if (rows[0]) {
    await client.query(
      `INSERT INTO petitions.petitioners (person_id, petition_id, registered_at)
       SELECT DISTINCT person_id, $2::bigint, $3::timestamptz FROM unnest($1::text[]) AS person_id`,
      [petition.petitionerIds, rows[0].id, rows[0].registered_at],
    );
    return { row: rows[0], created: true };
  }
  const existing = await client.query<PetitionRow>(`SELECT ${PETITION_COLUMNS} FROM petitions.petitions WHERE forwarded_from = $1`, [petition.forwardedFrom]);
  return { row: existing.rows[0], created: false };
}

/**
 * The receiving region's report on a forwarded petition, kept on the registering region's
 * petition. Reports carry the receiving record's version: one arriving late or twice (an older
 * or equal version) changes nothing. False when this region has no such forwarded petition.
 */
export async function recordForwardingReport(
  client: PoolClient | Pool,
  localId: string,
  report: { forwardedTo: string; status: PetitionStatus; outcome: string | null; version: number; at: Date },
): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE petitions.petitions
        SET forwarded_to = $2, forwarding_status = $3, forwarding_outcome = $4, forwarding_version = $5, forwarding_updated_at = $6
      WHERE id = $1 AND forwarded_to_region = split_part($2, ':', 1)
        AND (forwarding_version IS NULL OR forwarding_version < $5)`,
    [localId, report.forwardedTo, report.status, report.outcome, report.version, report.at],
  );
  if (rowCount) return true;
  const known = await client.query("SELECT 1 FROM petitions.petitions WHERE id = $1 AND forwarded_to_region = split_part($2, ':', 1)", [
    localId,
    report.forwardedTo,
  ]);
  return Boolean(known.rowCount);
}
