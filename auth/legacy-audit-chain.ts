import { createHash } from 'node:crypto';
import { canonical, ChainedRow, GENESIS_HASH } from './audit-chain';

/**
 * The audit chain as it was before it was keyed: sha256 over the previous hash and the row.
 * Only to recognise a log written by an earlier version, which the launcher then keys once,
 * before its first checkpoint (audit-checkpointer.ts); never accepted by verification.
 */
export function legacyChainHash(prevHash: string, row: ChainedRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');
}

/** True if `rows` are a gap-free legacy chain from the first row. */
export function isLegacyChain(rows: readonly ChainedRow[]): boolean {
  let prevHash = GENESIS_HASH;
  return rows.every((row, index) => {
    const fits = row.seq === index + 1 && row.prevHash === prevHash && legacyChainHash(prevHash, row) === row.hash;
    prevHash = row.hash;
    return fits;
  });
}
