import type { PoolClient } from 'pg';
import { jurisdictionName } from '../shared/jurisdictions';
import { WarningAction, WarningKind } from './types';
import { insertWarningEvent } from './warning-repository';

/**
 * A received petition passed down (交办) takes its open warnings about the matter and its
 * petitioners with it: the county's officers now work the record, and a warning is theirs to see,
 * escalate and resolve only where it is raised (`raised_in`). They move in the pass-down's
 * transaction, each bumped in version (a change read before it is stale) and recorded in its
 * timeline as RAISED in the new place by the officer who passed it down: that entry's event is how
 * the county's live subscribers, who never saw the first one, learn of it (the published event
 * kinds stay as they are). What stays with the city: a DEADLINE warning (the lateness it tells of
 * is the city's, and the county's own clock starts at the pass-down), a resolved warning (the
 * city's finished work), and one raised elsewhere than where the record was kept.
 */
export const KINDS_THAT_FOLLOW_THE_RECORD: readonly WarningKind[] = [
  WarningKind.CROSS_REGION,
  WarningKind.REPEAT,
  WarningKind.GROUP_VISIT,
  WarningKind.LEVEL_SKIPPING,
];

/** Moves the warnings of petition `petitionId` from `from` to `to`, for `officer` of `region`; the ids of those moved. */
export async function moveWarningsWithPassDown(
  client: PoolClient,
  move: { petitionId: string; from: string; to: string; officerId: string; region: string },
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `UPDATE petitions.warnings SET raised_in = $3, version = version + 1
      WHERE petition_id = $1 AND raised_in = $2 AND status <> 'RESOLVED' AND kind = ANY($4::text[])
      RETURNING id`,
    [move.petitionId, move.from, move.to, KINDS_THAT_FOLLOW_THE_RECORD],
  );
  const ids = rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b));
  for (const warningId of ids) {
    await insertWarningEvent(client, {
      warningId,
      action: WarningAction.RAISED,
      officerId: move.officerId,
      officerRegion: move.region,
      note: `随信访件交办${jurisdictionName(move.to) ?? move.to}（${move.to}），由 ${move.from} 移交`,
    });
  }
  return ids;
}
