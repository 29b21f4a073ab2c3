import { createHash } from 'node:crypto';

/**
 * Deterministic random numbers for demo data: the same seed and labels always give the same
 * sequence, so every machine seeds the same records. (mulberry32: tiny, fast, and good enough
 * for test data; not for anything secret.)
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number, ...labels: string[]) {
    this.state = createHash('sha256')
      .update(`${seed}|${labels.join('|')}`)
      .digest()
      .readUInt32LE(0);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** A fixed instant that demo timestamps count back from, so seeds do not depend on the clock. */
export const DEMO_EPOCH = Date.parse('2026-11-01T00:00:00Z');

/** Splits rows into batches, so that one INSERT statement carries many rows. */
export function chunk<T>(rows: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
