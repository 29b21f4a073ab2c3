import { createHmac } from 'node:crypto';

/**
 * A keyed hash chain over audit rows: each row's MAC (HMAC-SHA-256 under the region's chain
 * key) covers its own content and the previous row's MAC. The key is not in the region's
 * database, so someone who can write that database can neither fix up the MACs after an edit,
 * a deletion or an insertion, nor append a row of their own. What a key cannot show — rows
 * cut off the end — the signed checkpoints kept outside the database show (audit-checkpoint.ts):
 * a chain that ends before, or disagrees with, its newest checkpoint was shortened.
 */

export interface AuditContent {
  seq: number;
  at: string;
  officer: string;
  jurisdiction: string;
  action: string;
  record: string;
  fields: string[];
  purpose: string | null;
  requestId: string;
}

export interface ChainedRow extends AuditContent {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical text of a row's content: fixed key order, so the MAC does not depend on how it was built. */
export function canonical(content: AuditContent): string {
  const { seq, at, officer, jurisdiction, action, record, fields, purpose, requestId } = content;
  return JSON.stringify([seq, at, officer, jurisdiction, action, record, [...fields], purpose, requestId]);
}

export function chainHash(key: Uint8Array, prevHash: string, content: AuditContent): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonical(content)).digest('hex');
}

/** A chain head vouched for from outside the database (already checked against its signature). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; rows: number; lastCheckpointSeq: number | null }
  | { ok: false; rows: number; firstBadSeq: number; reason: string; lastCheckpointSeq: number | null };

/**
 * Checks rows in `seq` order: numbering without gaps, each linked to the one before, each MAC
 * right under `key`, and the row at the newest checkpoint (if any) the one it vouched for.
 * `from` starts the walk after a known row (a checkpointer checks only what is new).
 */
export function verifyChain(
  rows: readonly ChainedRow[],
  key: Uint8Array,
  checkpoint: ChainAnchor | null = null,
  from: ChainAnchor = { seq: 0, hash: GENESIS_HASH },
): ChainVerdict {
  const lastCheckpointSeq = checkpoint?.seq ?? null;
  let prevHash = from.hash;
  let expectedSeq = from.seq + 1;
  for (const row of rows) {
    const bad = (reason: string): ChainVerdict => ({ ok: false, rows: rows.length, firstBadSeq: row.seq, reason, lastCheckpointSeq });
    if (row.seq !== expectedSeq)
      return bad(row.seq > expectedSeq ? `rows ${expectedSeq}–${row.seq - 1} are missing` : `row ${row.seq} appears twice or out of order`);
    if (row.prevHash !== prevHash) return bad('it does not link to the row before it (a row was deleted or inserted before it)');
    if (chainHash(key, row.prevHash, row) !== row.hash) return bad('its content does not match its MAC (it was edited, or written without the chain key)');
    if (checkpoint && row.seq === checkpoint.seq && row.hash !== checkpoint.hash) {
      return bad(`it is not the row the checkpoint of row ${checkpoint.seq} vouched for (the chain was rewritten)`);
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  if (checkpoint && expectedSeq - 1 < checkpoint.seq) {
    return {
      ok: false,
      rows: rows.length,
      firstBadSeq: expectedSeq,
      reason: `rows ${expectedSeq}–${checkpoint.seq} are missing: the chain ends before its checkpoint of row ${checkpoint.seq} (rows were removed from its end)`,
      lastCheckpointSeq,
    };
  }
  return { ok: true, rows: rows.length, lastCheckpointSeq };
}
