import type { Pool, PoolClient } from 'pg';

/**
 * Messages a region owes other regions, written in the same transaction as the change that
 * owes them (so a change and its message commit together or not at all) and sent by a relay
 * (relay.ts) once it commits. Every message is safe to send twice: its receiver is idempotent.
 * One table per subgraph (`enforcement.outbox`, `petitions.outbox`), all of the same shape.
 */

export interface OutboxMessage<Payload = unknown> {
  id: string;
  kind: string;
  target_region: string;
  payload: Payload;
  acting_officer: string | null;
  attempts: number;
}

/** How long a claimed message is left to its sender before another relay may try it. */
const LEASE_SECONDS = 30;

/** Delivered messages are kept this long (to trace a delivery), then removed by the relay. */
export const SENT_RETENTION_DAYS = 30;

export class Outbox {
  /** `table` is a constant of the subgraph ("petitions.outbox"), never a caller's input. */
  constructor(readonly table: string) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`an outbox table is named schema.table, but got ${JSON.stringify(table)}`);
  }

  /** One message per region, each with its payload; returns the message ids. */
  async enqueue(client: PoolClient, kind: string, regions: readonly string[], payloads: readonly object[], actingOfficer: string | null): Promise<string[]> {
    if (regions.length === 0) return [];
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO ${this.table} (kind, target_region, payload, acting_officer)
       SELECT $1, region, payload, $4 FROM unnest($2::text[], $3::jsonb[]) AS m(region, payload) RETURNING id`,
      [kind, regions, payloads.map((payload) => JSON.stringify(payload)), actingOfficer],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Claims up to `limit` messages that are due (only `ids`, when given): their next attempt moves
   * a lease ahead, so a concurrent relay skips them, and one that dies mid-send only delays them.
   */
  async claim<Payload>(db: Pool, limit: number, ids?: readonly string[]): Promise<Array<OutboxMessage<Payload>>> {
    const { rows } = await db.query<OutboxMessage<Payload>>(
      `UPDATE ${this.table} SET next_attempt_at = now() + make_interval(secs => $3), attempts = attempts + 1
        WHERE id IN (SELECT id FROM ${this.table}
                      WHERE sent_at IS NULL AND next_attempt_at <= now() AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, target_region, payload, acting_officer, attempts`,
      [limit, ids ?? null, LEASE_SECONDS],
    );
    return rows;
  }

  async markSent(db: Pool | PoolClient, id: string): Promise<void> {
    await db.query(`UPDATE ${this.table} SET sent_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  /**
   * Schedules the next attempt after a failure: 1 s, 2 s, 4 s … at most 5 minutes; a message its
   * receiver refuses for good (bad input, unknown record) is kept, with its error, but not retried.
   */
  async markFailed(db: Pool, message: OutboxMessage, error: string, permanent: boolean): Promise<void> {
    const delaySeconds = Math.min(300, 2 ** Math.max(0, message.attempts - 1));
    await db.query(
      `UPDATE ${this.table} SET last_error = $2,
              next_attempt_at = CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3) END
        WHERE id = $1`,
      [message.id, error.slice(0, 2000), delaySeconds, permanent],
    );
  }

  /**
   * Removes up to `limit` messages delivered more than `days` ago; undelivered ones, including
   * those refused for good, stay. Bounded so that one pass never holds a long delete.
   */
  async pruneSent(db: Pool, days = SENT_RETENTION_DAYS, limit = 1000): Promise<number> {
    const { rowCount } = await db.query(
      `DELETE FROM ${this.table}
        WHERE id IN (SELECT id FROM ${this.table} WHERE sent_at < now() - make_interval(days => $1) ORDER BY sent_at LIMIT $2)`,
      [days, limit],
    );
    return rowCount ?? 0;
  }
}
