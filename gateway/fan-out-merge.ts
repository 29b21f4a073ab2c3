import { CompositeCursor, encodeCompositeCursor } from './composite-cursor';
import { FanOutShape, MERGE_EDGES_KEY, MERGE_PAGE_KEY } from './operation-analysis';

/**
 * Merges the pages that several regions returned for one fanned-out connection into a single
 * page, as if one database held them all.
 *
 * Each region returns its first `first` edges after its own position, already in order. A
 * k-way merge takes the best head among the regions `first` times. It never reorders edges
 * within a region, so every region's consumed edges are a prefix of what it returned, and
 * "resume each region after the last edge taken from it" yields no duplicate and no gap —
 * whatever the sort key values are, ties included (ties between regions go to the lower
 * region code, so the order is total and stable across pages).
 */

type Json = Record<string, unknown>;

export interface RegionPage {
  region: string;
  /** The field's value in that region's response, merge skeleton included; null when the region returned none. */
  value: Json | null;
}

interface SkeletonEdge {
  c: string;
  n: { k: unknown } | null;
}

export interface MergeInput {
  shape: FanOutShape;
  pages: RegionPage[];
  first: number;
  /** Position the request started from (decoded `after`, or empty). */
  start: CompositeCursor;
  /** True when the caller passed `after`. */
  resumed: boolean;
}

export function compareSortValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function mergeFanOut({ shape, pages, first, start, resumed }: MergeInput): Json {
  const sign = shape.rule.descending ? 1 : -1; // +1: a larger key comes first
  const answered = pages
    .filter((page) => page.value !== null)
    .sort((a, b) => (a.region < b.region ? -1 : 1))
    .map((page) => ({
      region: page.region,
      value: page.value!,
      edges: (page.value![MERGE_EDGES_KEY] as SkeletonEdge[] | null) ?? [],
      more: Boolean((page.value![MERGE_PAGE_KEY] as { h?: boolean } | null)?.h),
      next: 0,
    }));

  const positions = { ...start.positions };
  const exhausted = new Set(start.exhausted);
  const wantsEdgeCursors = shape.edges.some((e) => e.cursorKeys.length > 0) || shape.pageInfos.some((p) => p.fields.some((f) => f.name === 'startCursor'));
  const picks: Array<{ source: (typeof answered)[number]; index: number; cursor?: string }> = [];

  while (picks.length < first) {
    let best: (typeof answered)[number] | undefined;
    for (const candidate of answered) {
      if (candidate.next >= candidate.edges.length) continue;
      // Strictly better only: on equal keys the earlier (lower-coded) region keeps the place.
      if (!best || sign * compareSortValues(candidate.edges[candidate.next].n?.k, best.edges[best.next].n?.k) > 0) best = candidate;
    }
    if (!best) break;
    const index = best.next++;
    positions[best.region] = best.edges[index].c;
    picks.push({ source: best, index, cursor: wantsEdgeCursors ? encodeCompositeCursor({ positions, exhausted: [...exhausted] }) : undefined });
  }

  for (const region of answered) {
    if (region.next >= region.edges.length && !region.more) {
      exhausted.add(region.region);
      delete positions[region.region];
    }
  }
  const hasNextPage = answered.some((region) => region.next < region.edges.length || region.more);
  const endCursor = picks.length || resumed ? encodeCompositeCursor({ positions, exhausted: [...exhausted] }) : null;

  const result: Json = {};
  for (const { key, cursorKeys } of shape.edges) {
    result[key] = picks.map(({ source, index, cursor }) => {
      const edge = { ...((source.value[key] as Json[])[index] ?? {}) };
      for (const cursorKey of cursorKeys) edge[cursorKey] = cursor;
      return edge;
    });
  }
  for (const { key, fields } of shape.pageInfos) {
    const pageInfo: Json = {};
    for (const field of fields) {
      if (field.name === 'hasNextPage') pageInfo[field.key] = hasNextPage;
      else if (field.name === 'endCursor') pageInfo[field.key] = endCursor;
      else if (field.name === 'hasPreviousPage') pageInfo[field.key] = resumed;
      else if (field.name === 'startCursor') pageInfo[field.key] = picks[0]?.cursor ?? null;
      else if (field.name === '__typename') pageInfo[field.key] = shape.rule.pageInfoType;
      else pageInfo[field.key] = (answered[0]?.value[key] as Json | undefined)?.[field.key] ?? null;
    }
    result[key] = pageInfo;
  }
  for (const { key, name } of shape.others) {
    if (name === '__typename') {
      result[key] = shape.rule.connectionType;
      continue;
    }
    const values = answered.map((region) => region.value[key]);
    // Counts add up across regions; anything else is the same in every region by contract.
    result[key] = values.length && values.every((v) => typeof v === 'number') ? (values as number[]).reduce((a, b) => a + b, 0) : values[0] ?? null;
  }
  return result;
}

/** The field's value when no region needs asking (all exhausted): an empty page. */
export function emptyPage(shape: FanOutShape, start: CompositeCursor, resumed: boolean): Json {
  return mergeFanOut({ shape, pages: [], first: 0, start, resumed });
}
