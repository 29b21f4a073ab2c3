import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import { DocumentNode, parse, print } from 'graphql';
import { MutationReplans } from '../gateway/mutation-replans';
import { RequiresConflicts } from '../gateway/requires-conflicts';
import { composeSupergraph } from '../schema/compose';

/**
 * A mutation whose requiring fields disagree is planned once per group and runs once: the first
 * plan runs it with its records' keys, the later plans read those records by key.
 */

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])';
const supergraphSdl = composeSupergraph([
  {
    name: 'prices',
    url: 'http://prices',
    typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! price(currency: String!): Int! } type Query { goods: [Good!]! }
      type Mutation { touch(upc: String!): Good touchAll: [Good!]! note: String }`,
  },
  {
    name: 'shipping',
    url: 'http://shipping',
    typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! @external price(currency: String!): Int! @external
      usd: Int! @requires(fields: "price(currency: \\"USD\\") weight") eur: Int! @requires(fields: "price(currency: \\"EUR\\") weight") }`,
  },
]);
const supergraph = Supergraph.build(supergraphSdl);
const apiSchema = supergraph.apiSchema();
const planner = new QueryPlanner(supergraph);
const replans = new MutationReplans(supergraph, apiSchema.toGraphQLJSSchema());
const conflicts = new RequiresConflicts(supergraphSdl);
const planOf = (document: DocumentNode) => planner.buildQueryPlan(operationFromDocument(apiSchema, document, {}));

function fetches(node: PlanNode | undefined, path: Array<string | number> = []): Array<{ path: string; fetch: FetchNode }> {
  if (!node) return [];
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap((child) => fetches(child, path));
    case 'Flatten':
      return fetches(node.node, [...path, ...node.path]);
    case 'Fetch':
      return [{ path: path.join('.'), fetch: node }];
    default:
      return [];
  }
}

const flat = (text: string) => print(parse(text)).replace(/\s+/g, ' ').trim();

test('the mutation runs in the first plan only, with its records’ keys; the later plan reads them by key', () => {
  const copies = conflicts.split(apiSchema.toGraphQLJSSchema(), parse('mutation { touch(upc: "g1") { usd eur } all: touchAll { eur } note }'))!;
  expect(copies.map((copy) => flat(print(copy)))).toEqual([
    'mutation { touch(upc: "g1") { usd } all: touchAll { __typename } note }',
    'mutation { touch(upc: "g1") { eur } all: touchAll { eur } }',
  ]);
  const plans = replans.plans(copies, planOf)!;
  expect(plans).toHaveLength(2);
  const [first, second] = plans.map((plan) => fetches(plan.node as PlanNode));
  const mutations = (list: typeof first) => list.filter(({ fetch }) => fetch.operationKind === 'mutation');
  expect(mutations(first)).toHaveLength(1);
  expect(flat(mutations(first)[0].fetch.operation)).toContain('touch(upc: "g1") { __typename upc');
  expect(mutations(second)).toEqual([]);
  const reads = second.filter(({ fetch }) => fetch.serviceName === 'prices');
  expect(reads.map(({ path }) => path)).toEqual(['touch', 'all.@']);
  for (const { fetch } of reads) {
    expect(fetch.requires).toEqual([
      {
        kind: 'InlineFragment',
        typeCondition: 'Good',
        selections: [
          { kind: 'Field', name: '__typename' },
          { kind: 'Field', name: 'upc' },
        ],
      },
    ]);
    expect(flat(fetch.operation)).toMatch(
      /^query \(\$representations: \[_Any!\]!\) \{ _entities\(representations: \$representations\) \{ \.\.\. on Good \{ .*price\(currency: "EUR"\)/,
    );
  }
  // The later plan's own reads: eur from shipping, from the merged records.
  expect(second.filter(({ fetch }) => fetch.serviceName === 'shipping').map(({ path }) => path)).toEqual(['touch', 'all.@']);
});

test('a mutation whose root fields sit in a fragment is not split (its keys could not be added where the first plan puts them)', () => {
  const copies = conflicts.split(apiSchema.toGraphQLJSSchema(), parse('mutation { ...M } fragment M on Mutation { touch(upc: "g1") { usd eur } }'))!;
  expect(copies).toHaveLength(2);
  expect(replans.plans(copies, planOf)).toBeUndefined();
});
