/**
 * One conformance case: a small supergraph (its subgraphs' SDL and resolvers), the same data
 * served by one plain graphql-js schema (the truth), and the queries both must answer alike.
 *
 * The truth is a monolith built with graphql-js `buildSchema`; its resolvers are the default
 * ones over `truth.root`: a property is the value, a function property is called with the
 * field's arguments (graphql-js' default field resolver), and an abstract value names its type
 * in `__typename` (graphql-js' default type resolver).
 */

export type Json = Record<string, unknown>;

export interface SubgraphDefinition {
  typeDefs: string;
  resolvers: Record<string, unknown>;
}

export interface ConformanceQuery {
  label: string;
  query: string;
  variables?: Json;
  /**
   * How errors are compared: `paths` (the default) — the same paths, and the same code where
   * the truth's error has one; `presence` — only that there are errors exactly when the truth
   * has them (the message and path of a planner-level failure are the gateway's own).
   */
  errors?: 'paths' | 'presence';
}

export interface ConformanceCase {
  name: string;
  subgraphs: Record<string, SubgraphDefinition>;
  truth: { typeDefs: string; root: () => Json };
  queries: ConformanceQuery[];
  /** Called before each run of a query (truth, hub, stock Apollo), for cases with mutations. */
  reset?: () => void;
}

const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@override', '@inaccessible', '@interfaceObject'];

/** A subgraph schema's federation header. */
export const FED = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ${JSON.stringify(FEDERATION_IMPORTS)})`;

/** `__resolveReference` that finds an entity in a list by its key fields. */
export function byKey<T extends Json>(items: readonly T[], ...fields: string[]) {
  return (reference: Json) => items.find((item) => fields.every((field) => JSON.stringify(item[field]) === JSON.stringify(reference[field]))) ?? null;
}

/** A copy of `item` with `__typename`, for abstract types (both sides resolve the type from it). */
export const typed = <T extends object>(typename: string, item: T): T & { __typename: string } => ({ __typename: typename, ...item });
