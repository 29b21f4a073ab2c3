import type { Pool } from 'pg';
import { ChainAnchor, chainHash, GENESIS_HASH, verifyChain } from '../auth/audit-chain';
import { isLegacyChain } from '../auth/legacy-audit-chain';
import { signCheckpoint } from '../auth/audit-checkpoint';
import type { SigningKey } from '../auth/keys';
import { readChain } from '../subgraphs/shared/audit-log';

/**
 * Checkpoints each hosted region's audit chain head: every `everyRows` new rows or every
 * `everyMs`, whichever comes first, the rows written since the last checkpoint are checked
 * against the region's chain key and the newest is signed with the checkpoint key and stored
 * in the hub's database, out of reach of whoever can write the region's. Rows cut off the end
 * of a chain are then found as far back as its newest checkpoint; what was written after it
 * (at most `everyRows` rows or `everyMs`) is the window nobody can vouch for. A chain that does
 * not verify is not checkpointed (and said so), so a forged row is never vouched for.
 */

export interface CheckpointSchedule {
  everyRows: number;
  everyMs: number;
}

export const DEFAULT_CHECKPOINT_SCHEDULE: CheckpointSchedule = { everyRows: 1000, everyMs: 60_000 };

export class AuditCheckpointer {
  private readonly last = new Map<string, ChainAnchor>();
  /** One checkpoint at a time per region; a request while one runs joins the next. */
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      /** The hub's database, as its owner (writes checkpoints). */
      hub: Pool;
      /** Each hosted region's database (reads its audit rows). */
      regions: ReadonlyMap<string, Pool>;
      chainKey(region: string): Uint8Array;
      signingKey: SigningKey;
      schedule: CheckpointSchedule;
      log(line: string): void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.checkpointAll(), this.options.schedule.everyMs);
    this.timer.unref();
  }

  /** A region's chain reached row `seq` (told after each commit): checkpoints once `everyRows` have been written since the last. */
  appended(region: string, seq: number): void {
    const since = this.last.get(region)?.seq ?? 0;
    if (seq - since >= this.options.schedule.everyRows && !this.running.has(region)) void this.checkpoint(region);
  }

  async checkpointAll(): Promise<void> {
    await Promise.all([...this.options.regions.keys()].map((region) => this.checkpoint(region)));
  }

  /** Checkpoints `region` now (the tests' way to close the window before tampering). */
  checkpoint(region: string): Promise<void> {
    const previous = this.running.get(region) ?? Promise.resolve();
    const next = previous
      .then(() => this.checkpointOnce(region))
      .catch((error) => this.options.log(`audit checkpoint of ${region} failed: ${(error as Error).message}`))
      .finally(() => {
        if (this.running.get(region) === next) this.running.delete(region);
      });
    this.running.set(region, next);
    return next;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * A region whose log an earlier version wrote (unkeyed sha256, never checkpointed) has it
   * keyed once, before anything is served, and checkpointed: from then on it is held to the key
   * like any other. Those rows are as trustworthy as they were before (no more); a region with
   * a checkpoint is never rewritten, and the launcher asks only on the start that made the
   * chain keys (an unkeyed log found later is a forgery). Returns the rows keyed.
   */
  async keyLegacyLog(region: string): Promise<number> {
    const pool = this.options.regions.get(region);
    if (!pool || (await this.newestStored(region))) return 0;
    const client = await pool.connect();
    let keyed: number;
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('audit.entries'))");
      const rows = await readChain(client);
      if (!rows.length || verifyChain(rows, this.options.chainKey(region)).ok || !isLegacyChain(rows)) {
        await client.query('ROLLBACK');
        return 0;
      }
      let prevHash = GENESIS_HASH;
      const links = rows.map((row) => {
        const hash = chainHash(this.options.chainKey(region), prevHash, row);
        const link = { seq: row.seq, prevHash, hash };
        prevHash = hash;
        return link;
      });
      await client.query(
        `UPDATE audit.entries AS e SET prev_hash = k.prev_hash, hash = k.hash
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS k(seq, prev_hash, hash) WHERE e.seq = k.seq`,
        [links.map((k) => k.seq), links.map((k) => k.prevHash), links.map((k) => k.hash)],
      );
      await client.query('COMMIT');
      keyed = rows.length;
      this.options.log(`audit log of ${region}: ${rows.length} rows written before the chain was keyed are keyed now`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    await this.checkpoint(region);
    return keyed;
  }

  private async checkpointOnce(region: string): Promise<void> {
    const pool = this.options.regions.get(region);
    if (!pool) throw new Error(`region ${region} is not hosted here`);
    const from = this.last.get(region) ?? (await this.newestStored(region)) ?? { seq: 0, hash: GENESIS_HASH };
    const rows = await readChain(pool, from.seq);
    if (!rows.length) return;
    const verdict = verifyChain(rows, this.options.chainKey(region), null, from);
    if (!verdict.ok) {
      this.options.log(
        `audit chain of ${region} does not verify at row ${verdict.firstBadSeq} (${verdict.reason}); not checkpointed — run yrd-hub audit verify`,
      );
      return;
    }
    const head = rows[rows.length - 1];
    const at = new Date().toISOString();
    const token = await signCheckpoint(this.options.signingKey, { region, seq: head.seq, hash: head.hash, at });
    await this.options.hub.query('INSERT INTO audit_witness.checkpoints (region, seq, hash, at, token) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
      region,
      head.seq,
      head.hash,
      at,
      token,
    ]);
    this.last.set(region, { seq: head.seq, hash: head.hash });
  }

  private async newestStored(region: string): Promise<ChainAnchor | undefined> {
    const { rows } = await this.options.hub.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_witness.checkpoints WHERE region = $1 ORDER BY seq DESC LIMIT 1',
      [region],
    );
    return rows[0] && { seq: Number(rows[0].seq), hash: rows[0].hash };
  }
}
