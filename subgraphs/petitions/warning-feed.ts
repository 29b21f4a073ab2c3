import type { Pool } from 'pg';
import { toGlobalId } from '../../auth/global-id';

/**
 * The region's live feed of warning changes (migration 004): reading it from a position, and
 * removing what is older than the retention period. Rows are written by a trigger in the
 * transaction of each change, numbered in commit order.
 */

export interface FeedEvent {
  /** The region's position of this event; every lower one is already visible. */
  seq: number;
  warningId: string;
  kind: 'RAISED' | 'ACKNOWLEDGED' | 'ESCALATED' | 'RESOLVED';
  officerId: string | null;
  officerRegion: string | null;
  at: string;
}

/** Where the feed stands: its last position, and the highest position retention removed. */
export interface FeedHead {
  head: number;
  pruned: number;
}

export const DEFAULT_RETENTION_DAYS = 7;

export async function readFeed(db: Pool, region: string, after: number, limit: number): Promise<FeedEvent[]> {
  const { rows } = await db.query<{
    seq: string;
    warning_id: string;
    kind: FeedEvent['kind'];
    officer_id: string | null;
    officer_region: string | null;
    at: Date;
  }>(`SELECT seq, warning_id, kind, officer_id, officer_region, at FROM petitions.warning_feed WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]);
  return rows.map((row) => ({
    seq: Number(row.seq),
    warningId: toGlobalId(region, row.warning_id),
    kind: row.kind,
    officerId: row.officer_id,
    officerRegion: row.officer_region,
    at: row.at.toISOString(),
  }));
}

export async function feedHead(db: Pool): Promise<FeedHead> {
  const { rows } = await db.query<{ head: string; pruned: string }>(
    `SELECT COALESCE((SELECT max(seq) FROM petitions.warning_feed), (SELECT through FROM petitions.warning_feed_pruned)) AS head,
            (SELECT through FROM petitions.warning_feed_pruned) AS pruned`,
  );
  return { head: Number(rows[0].head), pruned: Number(rows[0].pruned) };
}

const PRUNE_BATCH = 1000;
const PRUNE_PASSES = 20;

/**
 * Removes events recorded more than `retentionDays` ago, in bounded passes (a pass never holds
 * more than a batch of rows), and moves the pruned watermark with them in the same statement.
 * Returns how many were removed.
 */
export async function pruneFeed(db: Pool, retentionDays: number): Promise<number> {
  let removed = 0;
  for (let pass = 0; pass < PRUNE_PASSES; pass++) {
    const { rows } = await db.query<{ count: string }>(
      `WITH old AS (
         DELETE FROM petitions.warning_feed
          WHERE seq IN (SELECT seq FROM petitions.warning_feed WHERE recorded_at < now() - make_interval(days => $1) ORDER BY seq LIMIT $2)
         RETURNING seq
       ), moved AS (
         UPDATE petitions.warning_feed_pruned SET through = GREATEST(through, (SELECT max(seq) FROM old))
          WHERE EXISTS (SELECT 1 FROM old)
       )
       SELECT count(*) AS count FROM old`,
      [retentionDays, PRUNE_BATCH],
    );
    const count = Number(rows[0].count);
    removed += count;
    if (count < PRUNE_BATCH) break;
  }
  return removed;
}

/** Retention in days from HUB_LIVE_RETENTION_DAYS (7 by default). */
export function retentionDays(value = process.env.HUB_LIVE_RETENTION_DAYS): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`HUB_LIVE_RETENTION_DAYS must be a whole number of days, at least 1, but got "${value}"`);
  return days;
}
