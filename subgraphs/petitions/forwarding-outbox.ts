import type { PoolClient } from 'pg';
import { toGlobalId } from '../../auth/global-id';
import { Outbox, OutboxMessage } from '../shared/outbox';
import { PetitionAction, PetitionStatus } from './lifecycle';
import { findMatters } from './matter-repository';
import type { PetitionRow } from './petition-repository';

/**
 * The petitions' messages to other regions (the shared outbox, ../shared/outbox.ts), written
 * in the transaction of the step that owes them: a forwarded petition to the receiving region,
 * and each step the receiving region takes on it back to the registering region.
 */

export const PETITIONS_OUTBOX = new Outbox('petitions.outbox');

/** Variables of `receiveForwardedPetition`, plus which petition here the answer belongs to. */
export interface PetitionDelivery {
  petitionLocalId: string;
  input: {
    region: string;
    forwardedFrom: string;
    channel: string;
    category: string;
    summary: string;
    content: string;
    petitionerIds: string[];
    headcount: number;
    registeredAt: string;
    agency: string;
    jurisdiction: string;
  };
}

/** Variables of `reportForwardedPetitionStatus`: the record's state after a step, and the step (what, by whom, when). */
export interface PetitionStatusReport {
  input: {
    petitionId: string;
    forwardedTo: string;
    status: PetitionStatus;
    outcome: string | null;
    version: number;
    action: PetitionAction;
    officerId: string;
    at: string;
    /** When the record's matter there was closed by re-review, once the record has ended CLOSED (absent in reports queued before it was carried). */
    matterClosedAt?: string | null;
    /** The agency handling the record there, and its jurisdiction: another after a pass-down (交办); absent in reports queued before they were carried. */
    agency?: string | null;
    jurisdiction?: string | null;
  };
}

/** A lifecycle step just taken: what, by whom, and when its history says it happened. */
export interface TakenStep {
  action: PetitionAction;
  officerId: string;
  at: Date;
}

export type PetitionMessage = OutboxMessage<PetitionDelivery | PetitionStatusReport>;

/**
 * What a step owes other regions: the delivery of a petition just forwarded, or the report of
 * a step taken on a petition received from another region. Returns the message ids.
 */
export async function enqueueOwedMessages(client: PoolClient, region: string, before: PetitionRow, after: PetitionRow, step: TakenStep): Promise<string[]> {
  if (after.forwarded_to_region && !before.forwarded_to_region) {
    const delivery: PetitionDelivery = {
      petitionLocalId: after.id,
      input: {
        region: after.forwarded_to_region,
        forwardedFrom: toGlobalId(region, after.id),
        channel: after.channel,
        category: after.category,
        summary: after.summary,
        content: after.content,
        petitionerIds: after.petitioner_ids,
        headcount: after.headcount,
        registeredAt: after.registered_at.toISOString(),
        agency: after.handling_agency!,
        jurisdiction: after.handling_jurisdiction!,
      },
    };
    return PETITIONS_OUTBOX.enqueue(client, 'DELIVER_PETITION', [after.forwarded_to_region], [delivery], step.officerId);
  }
  if (after.forwarded_from) {
    // A matter closed by re-review is not accepted again in the registering region either: the report says so.
    const matter = after.status === PetitionStatus.CLOSED && after.matter_id ? (await findMatters(client, [after.matter_id]))[0] : undefined;
    const report: PetitionStatusReport = {
      input: {
        petitionId: after.forwarded_from,
        forwardedTo: toGlobalId(region, after.id),
        status: after.status,
        outcome: after.outcome,
        version: after.version,
        action: step.action,
        officerId: step.officerId,
        at: step.at.toISOString(),
        matterClosedAt: matter?.closed_at?.toISOString() ?? null,
        agency: after.handling_agency,
        jurisdiction: after.handling_jurisdiction,
      },
    };
    return PETITIONS_OUTBOX.enqueue(client, 'REPORT_PETITION_STATUS', [after.forwarded_from.split(':')[0]], [report], step.officerId);
  }
  return [];
}
