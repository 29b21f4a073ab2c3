import { ClassType, Directive, Field, ObjectType } from 'type-graphql';
import { badInput } from './errors';

/**
 * Keyset pagination: a cursor is the sort key and id of the last row seen, so the next page is
 * `WHERE (sort_key, id) < (cursor)` on an index, never OFFSET. The gateway merges regions'
 * pages but treats these cursors as opaque.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Relay page information.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
}

/** Declares `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function connectionOf<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String, { description: 'Opaque position of this edge.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export function checkPageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput('first', `must be an integer from 0 to ${MAX_PAGE_SIZE}, but got ${size}`);
  }
  return size;
}

export interface KeysetPosition {
  sortKey: string;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.sortKey}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): KeysetPosition | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = text.lastIndexOf('|');
  const sortKey = text.slice(0, separator);
  const id = text.slice(separator + 1);
  if (separator < 1 || !/^\d+$/.test(id) || Number.isNaN(Date.parse(sortKey))) {
    throw badInput('after', 'is not a cursor this field issued; pass a pageInfo.endCursor or edges.cursor value');
  }
  return { sortKey, id };
}

/**
 * Turns rows fetched with `LIMIT size + 1` into a connection: the extra row only tells that a
 * next page exists.
 */
export function toConnection<Row, T>(rows: Row[], size: number, position: (row: Row) => KeysetPosition, toNode: (row: Row) => T): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ cursor: encodeCursor(position(row)), node: toNode(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}

/** The arguments every `@fanOut` list field takes. */
export interface FanOutArguments {
  first: number | null | undefined;
  after: string | null | undefined;
  regions: string[] | null | undefined;
}

/**
 * This region's page of a `@fanOut` list field: empty when the caller's `regions` leave this
 * region out, else `size` rows after the cursor (fetching one more to learn whether more exist).
 */
export async function regionPage<Row, T>(
  region: string,
  args: FanOutArguments,
  fetchRows: (limit: number, after: KeysetPosition | undefined) => Promise<Row[]>,
  position: (row: Row) => KeysetPosition,
  toNode: (row: Row) => T,
): Promise<Connection<T>> {
  const size = checkPageSize(args.first);
  const after = decodeCursor(args.after);
  const outOfScope = Array.isArray(args.regions) && !args.regions.includes(region);
  if (outOfScope || size === 0) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  return toConnection(await fetchRows(size + 1, after), size, position, toNode);
}
