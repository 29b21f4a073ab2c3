import type { Pool, PoolClient } from 'pg';
import { AuditContent, chainHash, ChainedRow, GENESIS_HASH } from '../../auth/audit-chain';
import type { CheckpointVerifier } from '../../auth/audit-checkpoint';
import type { Actor } from './actor';
import type { AuditRecord } from './audit-record';
import { inTransaction } from './db';
import { repoPath } from './repo-path';

/**
 * Writing to the region's audit log (migrations in ./audit-migrations, applied to every
 * region's database). A change writes its row in its own transaction (audited-change.ts); the
 * personal fields a request showed unmasked, per record, are written in one transaction when
 * its response is ready. Either way the chain is extended under a transaction-scoped lock, so
 * concurrent writers queue and the sequence has no gaps.
 */

export const AUDIT_MIGRATIONS = repoPath('subgraphs', 'shared', 'audit-migrations');
/** The hub database's store of the regions' signed checkpoints. */
export const AUDIT_WITNESS_MIGRATIONS = repoPath('subgraphs', 'shared', 'audit-witness-migrations');

/** How this database's chain is kept: its key (from the hub's keys folder), and who hears of new rows. */
export interface AuditChain {
  key: Uint8Array;
  /** Checks the signature of the region's checkpoints (their public key); absent for the hub's own database. */
  checkpoints?: CheckpointVerifier;
  /** Told the newest row's seq once it has committed (the launcher checkpoints every N rows). */
  appended?(seq: number): void;
}

export interface AuditEntryInput {
  action: string;
  record: string;
  fields: string[];
}

export class RequestAudit {
  private readonly entries = new Map<string, { action: string; record: string; fields: Set<string> }>();
  /** Mutation fields whose change was audited in its transaction (checked when the response is ready). */
  readonly changed = new Set<string>();

  /** Records that `fields` of `record` were shown in full (READ). */
  add(action: string, record: AuditRecord, fields: string[]): void {
    const key = `${action}\n${record}`;
    const entry = this.entries.get(key) ?? { action, record, fields: new Set<string>() };
    fields.forEach((field) => entry.fields.add(field));
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  async flush(db: Pool, chain: AuditChain, actor: Actor): Promise<void> {
    if (this.entries.size === 0) return;
    const entries = [...this.entries.values()];
    this.entries.clear();
    const rows = entries.map((entry) => ({ action: entry.action, record: entry.record, fields: [...entry.fields].sort() }));
    // Everyone the answer goes to as it is: the actor, and the officers of equal rights it is shared with.
    const readers = [actor, ...(actor.alsoReadBy ?? []).map((reader) => ({ ...actor, officerId: reader.officerId, requestId: reader.requestId }))];
    const seq = await inTransaction(db, (client) => appendAudit(client, chain, readers, rows));
    chain.appended?.(seq);
  }
}

/**
 * Appends `entries` to the chain inside the caller's transaction, once for each of `actors`
 * when several read the same; returns the last seq written. The lock is held until that
 * transaction ends, so call it last, just before COMMIT.
 */
export async function appendAudit(
  client: PoolClient,
  chain: AuditChain,
  actors: Actor | readonly Actor[],
  entries: readonly AuditEntryInput[],
): Promise<number> {
  // Two statements, not one: the head must be read with a snapshot taken after the lock is held.
  await client.query("SELECT pg_advisory_xact_lock(hashtext('audit.entries'))");
  const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit.entries ORDER BY seq DESC LIMIT 1');
  let seq = rows.length ? Number(rows[0].seq) : 0;
  let prevHash = rows[0]?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const each = Array.isArray(actors) ? (actors as readonly Actor[]) : [actors as Actor];
  const chained: ChainedRow[] = each
    .flatMap((actor) => entries.map((entry) => ({ actor, entry })))
    .map(({ actor, entry }) => {
      seq += 1;
      const content: AuditContent = {
        seq,
        at,
        officer: actor.officerId,
        jurisdiction: actor.jurisdiction,
        action: entry.action,
        record: entry.record,
        fields: entry.fields,
        purpose: actor.purpose,
        requestId: actor.requestId,
      };
      const hash = chainHash(chain.key, prevHash, content);
      const row = { ...content, prevHash, hash };
      prevHash = hash;
      return row;
    });
  await client.query(
    `INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, purpose, request_id, prev_hash, hash)
     SELECT seq, at, officer, jurisdiction, action, record, string_to_array(fields, ','), purpose, request_id, prev_hash, hash
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS e(seq, at, officer, jurisdiction, action, record, fields, purpose, request_id, prev_hash, hash)`,
    [
      chained.map((r) => r.seq),
      chained.map((r) => r.at),
      chained.map((r) => r.officer),
      chained.map((r) => r.jurisdiction),
      chained.map((r) => r.action),
      chained.map((r) => r.record),
      chained.map((r) => r.fields.join(',')),
      chained.map((r) => r.purpose),
      chained.map((r) => r.requestId),
      chained.map((r) => r.prevHash),
      chained.map((r) => r.hash),
    ],
  );
  return seq;
}

interface EntryRow {
  seq: string;
  at: Date;
  officer: string;
  jurisdiction: string;
  action: string;
  record: string;
  fields: string[];
  purpose: string | null;
  request_id: string;
  prev_hash: string;
  hash: string;
}

const toChained = (row: EntryRow): ChainedRow => ({
  seq: Number(row.seq),
  at: row.at.toISOString(),
  officer: row.officer,
  jurisdiction: row.jurisdiction,
  action: row.action,
  record: row.record,
  fields: row.fields,
  purpose: row.purpose,
  requestId: row.request_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** The chain in order from row `afterSeq + 1` (all of it by default), for verification. */
export async function readChain(db: Pool | PoolClient, afterSeq = 0): Promise<ChainedRow[]> {
  const { rows } = await db.query<EntryRow>('SELECT * FROM audit.entries WHERE seq > $1 ORDER BY seq', [afterSeq]);
  return rows.map(toChained);
}

/** Of the rows written before rows named their record's type: the record's global id, and the actions only its rows had. */
export interface LegacyRows {
  id: string;
  actions: readonly string[];
}

/** Entries about one record, newest first: those naming it, and the rows of before the type was named that `legacy` claims. */
export async function entriesAbout(db: Pool, record: AuditRecord, limit: number, legacy?: LegacyRows): Promise<ChainedRow[]> {
  const { rows } = await db.query<EntryRow>(
    'SELECT * FROM audit.entries WHERE record = $1 OR (record = $3 AND action = ANY($4::text[])) ORDER BY seq DESC LIMIT $2',
    [record, limit, legacy?.id ?? null, legacy?.actions ?? []],
  );
  return rows.map(toChained);
}
