import { createHash } from 'node:crypto';

/**
 * A hash chain over audit rows: each row's hash covers its own content and the previous row's
 * hash, so editing, deleting or inserting a row by hand breaks every hash from there on, and
 * verification names the first row that does not fit.
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

/** Canonical text of a row's content: fixed key order, so the hash does not depend on how it was built. */
export function canonical(content: AuditContent): string {
  const { seq, at, officer, jurisdiction, action, record, fields, purpose, requestId } = content;
  return JSON.stringify([seq, at, officer, jurisdiction, action, record, [...fields], purpose, requestId]);
}

export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(content)).digest('hex');
}

export type ChainVerdict = { ok: true; rows: number } | { ok: false; rows: number; firstBadSeq: number; reason: string };

/** Checks rows in `seq` order: numbering without gaps, each linked to the one before, each hash right. */
export function verifyChain(rows: readonly ChainedRow[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const bad = (reason: string): ChainVerdict => ({ ok: false, rows: rows.length, firstBadSeq: row.seq, reason });
    if (row.seq !== expectedSeq) return bad(row.seq > expectedSeq ? `rows ${expectedSeq}–${row.seq - 1} are missing` : `row ${row.seq} appears twice or out of order`);
    if (row.prevHash !== prevHash) return bad('it does not link to the row before it (a row was deleted or inserted before it)');
    if (chainHash(row.prevHash, row) !== row.hash) return bad('its content does not match its hash (it was edited)');
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: rows.length };
}
