import { CompositeCursor, encodeCompositeCursor } from './composite-cursor';
import { appendSkeleton, edgeCursor, edgeSortValue, isSkeletonKey, SkeletonEdge, skeletonEdges, skeletonHasMore } from './merge-skeleton';
import type { FanOutShape } from './operation-analysis';

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

interface Answered {
  region: string;
  value: Json;
  edges: SkeletonEdge[];
  more: boolean;
  /** Edges taken so far. */
  next: number;
}

function answeredPages(pages: RegionPage[]): Answered[] {
  return pages
    .filter((page) => page.value !== null)
    .sort((a, b) => (a.region < b.region ? -1 : 1))
    .map((page) => ({
      region: page.region,
      value: page.value!,
      edges: skeletonEdges(page.value),
      more: skeletonHasMore(page.value!),
      next: 0,
    }));
}

/** The k-way merge: takes the best head `first` times (or until every page is used up), calling `take` for each. */
function takeBest(shape: FanOutShape, answered: Answered[], first: number, take: (source: Answered, index: number) => void): void {
  const sign = shape.rule.descending ? 1 : -1; // +1: a larger key comes first
  for (let taken = 0; taken < first; taken++) {
    let best: Answered | undefined;
    for (const candidate of answered) {
      if (candidate.next >= candidate.edges.length) continue;
      // Strictly better only: on equal keys the earlier (lower-coded) region keeps the place.
      if (!best || sign * compareSortValues(edgeSortValue(candidate.edges[candidate.next]), edgeSortValue(best.edges[best.next])) > 0) best = candidate;
    }
    if (!best) break;
    take(best, best.next++);
  }
}

/** Below this many regions every region is asked for the whole page at once. */
const PROBE_MIN_REGIONS = 8;
/**
 * Larger pages are asked in full: the subgraphs refuse `first` over 100 (MAX_PAGE_SIZE in
 * subgraphs/shared/pagination.ts), and a small probe must not turn a refused page into an
 * accepted one.
 */
const PROBE_MAX_PAGE = 100;
/** Edges asked of each region beyond its even share of the page. */
const PROBE_MARGIN = 3;

/**
 * How many edges to ask each of `regions` regions for, for a page of `first`. A page of 20 over
 * 41 regions takes about one edge from each, so asking every region for 20 (and discarding
 * 800 of 820) costs each region a page of rows it reads, checks, serialises and sends for
 * nothing. Regions are asked for their even share plus a margin; those that may hold more of
 * the page are asked again (`refillsNeeded`), so the page is exactly what full pages give.
 */
export function probeSize(first: number, regions: number): number {
  if (regions < PROBE_MIN_REGIONS || first > PROBE_MAX_PAGE) return first;
  const probe = Math.ceil(first / regions) + PROBE_MARGIN;
  return probe * 2 <= first ? probe : first;
}

export interface Refill {
  region: string;
  /** The region's cursor after its last edge fetched so far. */
  after: string;
  first: number;
}

/**
 * After every region answered a probe: the regions that may hold more of the page. A region
 * all of whose fetched edges made the page, and which has more, may have its next edge in the
 * page too; any other region's unfetched edges all sort after the page's last. Asking each
 * such region for `first` minus what it already placed makes one more round always enough:
 * it then holds at least `first` fetched edges and can never run short in the merge.
 */
export function refillsNeeded(shape: FanOutShape, pages: RegionPage[], first: number): Refill[] {
  const answered = answeredPages(pages);
  takeBest(shape, answered, first, () => undefined);
  return answered
    .filter((page) => page.more && page.next === page.edges.length && page.edges.length > 0 && page.next < first)
    .map((page) => ({ region: page.region, after: edgeCursor(page.edges[page.edges.length - 1]), first: first - page.next }));
}

/** Appends a refill's edges to the region's page (`value`, changed in place). */
export function appendPage(shape: FanOutShape, value: Json, refill: Json): void {
  for (const { key } of shape.edges) {
    value[key] = [...((value[key] as unknown[] | null) ?? []), ...((refill[key] as unknown[] | null) ?? [])];
  }
  appendSkeleton(value, refill);
}

export function mergeFanOut(input: MergeInput): Json {
  return mergeFanOutPlaced(input).value;
}

/** A merged page, and where each region's edges went in it. */
export interface PlacedMerge {
  value: Json;
  /** The merged index of `region`'s edge `index` (as that region returned it), or undefined when the page dropped it. */
  placed(region: string, index: number): number | undefined;
}

export function mergeFanOutPlaced({ shape, pages, first, start, resumed }: MergeInput): PlacedMerge {
  const answered = answeredPages(pages);
  const positions = { ...start.positions };
  const exhausted = new Set(start.exhausted);
  const wantsEdgeCursors = shape.edges.some((e) => e.cursorKeys.length > 0) || shape.pageInfos.some((p) => p.fields.some((f) => f.name === 'startCursor'));
  const picks: Array<{ source: Answered; index: number; cursor?: string }> = [];

  takeBest(shape, answered, first, (source, index) => {
    positions[source.region] = edgeCursor(source.edges[index]);
    picks.push({ source, index, cursor: wantsEdgeCursors ? encodeCompositeCursor({ positions, exhausted: [...exhausted] }) : undefined });
  });

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
    result[key] = values.length && values.every((v) => typeof v === 'number') ? (values as number[]).reduce((a, b) => a + b, 0) : (values[0] ?? null);
  }
  const mergedIndex = new Map(picks.map(({ source, index }, merged) => [`${source.region}\n${index}`, merged]));
  return { value: result, placed: (region, index) => mergedIndex.get(`${region}\n${index}`) };
}

/**
 * Where an error a region reported inside its page of a fanned-out connection belongs in the
 * merged page. `path` starts at the connection (`[edges, 3, node, name]`, the region's own edge
 * index, counted from `offset` when it came with a refill of the region's page); the answer is the same path at the edge's merged index, or null when the merged page
 * dropped that edge (its error belongs to no row the caller sees). Paths outside the edges
 * (pageInfo, totalCount, the connection itself) stay as they are; the merge skeleton's own keys
 * are the gateway's, so an error there is reported at the connection.
 */
export function mergedErrorPath(
  shape: FanOutShape,
  merge: PlacedMerge,
  region: string,
  path: ReadonlyArray<string | number>,
  offset = 0,
): Array<string | number> | null {
  const [head, index, ...rest] = path;
  if (isSkeletonKey(head)) return [];
  if (!shape.edges.some((edges) => edges.key === head) || typeof index !== 'number') return [...path];
  const merged = merge.placed(region, index + offset);
  return merged === undefined ? null : [head, merged, ...rest];
}

/** The field's value when no region needs asking (all exhausted): an empty page. */
export function emptyPage(shape: FanOutShape, start: CompositeCursor, resumed: boolean): Json {
  return mergeFanOut({ shape, pages: [], first: 0, start, resumed });
}
