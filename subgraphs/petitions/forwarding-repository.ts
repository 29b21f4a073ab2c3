import type { PoolClient } from 'pg';
import type { AgencyKind } from '../shared/agency';
import { currentDeadline, newPetitionFacts, PetitionStatus, planForwardedEnd } from './lifecycle';
import { closeMatter, moveMatterHandler, releaseDeclinedMatter } from './matter-repository';
import { factsOf, insertPetitionEvent, PETITION_COLUMNS, PetitionRow, updatePetition } from './petition-repository';
import type { PetitionChannel } from './types';

/**
 * The records of forwarding across regions (转送/交办): the receiving region's own petition,
 * made once however often the delivery arrives, and the registering region's view of it, which
 * ends when that record ends.
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
  /** The receiving region's matter it belongs to. */
  matterId: string;
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
       forwarded_from, received_at, deadline_kind, due_at, officers_owe, matter_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'ASSIGNED', $11, $8, $12, $13, $14, $15, $16, $17)
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
      petition.matterId,
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

/** A step the receiving region took on a forwarded petition, and its record's state after it. */
export interface ForwardingReport {
  forwardedTo: string;
  status: PetitionStatus;
  outcome: string | null;
  version: number;
  at: Date;
  /** The step and who took it; absent for the receipt (the delivery's answer) and in reports queued before they were carried. */
  action?: string | null;
  officerId?: string | null;
  /** When the receiving record's matter was closed by re-review, reported once that record ended CLOSED. */
  matterClosedAt?: Date | null;
  /** The agency handling that record now (another after a pass-down there); absent in the receipt and in reports queued before it was carried. */
  handler?: { agency: AgencyKind; jurisdiction: string } | null;
}

/**
 * The receiving region's report on a forwarded petition, kept on the registering region's
 * petition. Reports carry the receiving record's version: one arriving late or twice (an older
 * or equal version) changes nothing. A kept report of that record's end ends this petition too
 * (lifecycle.ts `planForwardedEnd`). False when this region has no such forwarded petition.
 */
export async function recordForwardingReport(client: PoolClient, localId: string, report: ForwardingReport): Promise<boolean> {
  // Locked first: the agency it went to as it stood before this report is the one a pass-down there moves the matter from.
  const before = (await client.query<PetitionRow>(`SELECT ${PETITION_COLUMNS} FROM petitions.petitions WHERE id = $1 FOR UPDATE`, [localId])).rows[0];
  const { rows } = await client.query<PetitionRow>(
    `UPDATE petitions.petitions
        SET forwarded_to = $2, forwarding_status = $3, forwarding_outcome = $4, forwarding_version = $5, forwarding_updated_at = $6,
            handling_agency = COALESCE($7, handling_agency), handling_jurisdiction = COALESCE($8, handling_jurisdiction)
      WHERE id = $1 AND forwarded_to_region = split_part($2, ':', 1)
        AND (forwarding_version IS NULL OR forwarding_version < $5)
      RETURNING ${PETITION_COLUMNS}`,
    [
      localId,
      report.forwardedTo,
      report.status,
      report.outcome,
      report.version,
      report.at,
      report.handler?.agency ?? null,
      report.handler?.jurisdiction ?? null,
    ],
  );
  if (rows[0]) {
    // Passed down there (交办): the matter here, which went there with this petition, is handled by the agency below now.
    if (rows[0].matter_id && rows[0].handling_jurisdiction !== before.handling_jurisdiction)
      await moveMatterHandler(client, rows[0].matter_id, before, rows[0]);
    const ended = await endWithReceivingRecord(client, rows[0], report);
    // Declined there: the matter here is not that agency's; a new petition on it is this region's again.
    if (ended === PetitionStatus.NOT_ACCEPTED && rows[0].matter_id) await releaseDeclinedMatter(client, rows[0].matter_id, rows[0]);
    // The matter decided on re-review there is decided here too: a new petition on it is not accepted again.
    if (report.status === PetitionStatus.CLOSED && report.matterClosedAt && rows[0].matter_id) {
      await closeMatter(client, rows[0].matter_id, rows[0].id, report.matterClosedAt);
    }
    return true;
  }
  const known = await client.query("SELECT 1 FROM petitions.petitions WHERE id = $1 AND forwarded_to_region = split_part($2, ':', 1)", [
    localId,
    report.forwardedTo,
  ]);
  return Boolean(known.rowCount);
}

const ENDED: Partial<Record<PetitionStatus, string>> = { [PetitionStatus.CLOSED]: '已结案', [PetitionStatus.NOT_ACCEPTED]: '不予受理' };

/**
 * Ends the forwarded petition (still locked by the report's update) as the receiving record
 * ended, its history naming that region's step: the step, its officer, its time. Returns the
 * status it ended in, if the report ended it.
 */
async function endWithReceivingRecord(client: PoolClient, petition: PetitionRow, report: ForwardingReport): Promise<PetitionStatus | undefined> {
  const end = planForwardedEnd(factsOf(petition), report.status);
  if (!end) return undefined;
  await updatePetition(client, petition.id, petition.version, end.to, { closed_at: report.at }, { ...factsOf(petition), status: end.to });
  await insertPetitionEvent(client, {
    petitionId: petition.id,
    action: report.action ?? 'report',
    from: petition.status,
    to: end.to,
    officerId: report.officerId ?? null,
    note: `${report.forwardedTo}（转送受理）${ENDED[end.to]}${report.outcome ? `：${report.outcome}` : ''}`,
    at: report.at,
  });
  return end.to;
}
