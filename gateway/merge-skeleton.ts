import { FieldNode, Kind, SelectionNode } from 'graphql';

/**
 * The merge skeleton: what the gateway adds, under aliases of its own, beside the caller's
 * selection of a fanned-out connection — each edge's cursor and sort key, and whether the region
 * has more — so that merging the regions' pages never depends on what the caller selected. This
 * module is the only place those wire names are made (`skeletonSelections`) and read (the rest):
 * a user alias cannot start with "_yrd" (names under it are the gateway's, see wire-aliases.ts).
 */

type Json = Record<string, unknown>;

const EDGES_KEY = '_yrdMergeEdges';
const PAGE_KEY = '_yrdMergePage';
const CURSOR = 'c';
const NODE = 'n';
const SORT_VALUE = 'k';
const HAS_MORE = 'h';

/** One edge of a region's skeleton, as the region returned it. */
export interface SkeletonEdge {
  [CURSOR]: string;
  [NODE]: { [SORT_VALUE]: unknown } | null;
}

const field = (name: string, alias: string, selections?: SelectionNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  alias: { kind: Kind.NAME, value: alias },
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** The selections added to a fanned-out connection field sorted by `sortKey`. */
export function skeletonSelections(sortKey: string): FieldNode[] {
  return [
    field('edges', EDGES_KEY, [field('cursor', CURSOR), field('node', NODE, [field(sortKey, SORT_VALUE)])]),
    field('pageInfo', PAGE_KEY, [field('hasNextPage', HAS_MORE)]),
  ];
}

/** The skeleton's edges in a region's value of the connection (none when it returned none). */
export function skeletonEdges(value: Json | null | undefined): SkeletonEdge[] {
  return (value?.[EDGES_KEY] as SkeletonEdge[] | null | undefined) ?? [];
}

export const edgeCursor = (edge: SkeletonEdge): string => edge[CURSOR];
export const edgeSortValue = (edge: SkeletonEdge): unknown => edge[NODE]?.[SORT_VALUE];

/** Whether the region has edges after those it returned. */
export function skeletonHasMore(value: Json): boolean {
  return Boolean((value[PAGE_KEY] as { [HAS_MORE]?: boolean } | null | undefined)?.[HAS_MORE]);
}

/** Appends a refill's skeleton to the region's (`value`, changed in place): its edges after the first ones, its page as the last word. */
export function appendSkeleton(value: Json, refill: Json): void {
  value[EDGES_KEY] = [...skeletonEdges(value), ...skeletonEdges(refill)];
  value[PAGE_KEY] = refill[PAGE_KEY];
}

/** Whether a response key of a connection's value is the skeleton's (the gateway's, never the caller's). */
export function isSkeletonKey(key: unknown): boolean {
  return key === EDGES_KEY || key === PAGE_KEY;
}

/** What a region answers for the skeleton (the subgraph's side: for tests that play a region). */
export function skeletonAnswer(edges: ReadonlyArray<{ cursor: string; sortValue: unknown }>, hasMore: boolean): Json {
  return {
    [EDGES_KEY]: edges.map((edge): SkeletonEdge => ({ [CURSOR]: edge.cursor, [NODE]: { [SORT_VALUE]: edge.sortValue } })),
    [PAGE_KEY]: { [HAS_MORE]: hasMore },
  };
}
