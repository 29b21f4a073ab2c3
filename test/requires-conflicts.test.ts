import { Supergraph } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { RequiresConflicts } from '../gateway/requires-conflicts';
import { composeSupergraph } from '../schema/compose';

/** Which operations are planned once per group of disagreeing @requires, and what each copy keeps. */

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])';
const supergraphSdl = composeSupergraph([
  {
    name: 'prices',
    url: 'http://prices',
    typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! price(currency: String!): Int! } type Query { goods: [Good!]! } type Mutation { touch: Good }`,
  },
  {
    name: 'shipping',
    url: 'http://shipping',
    typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! @external price(currency: String!): Int! @external
      usd: Int! @requires(fields: "price(currency: \\"USD\\") weight")
      usdLight: Int! @requires(fields: "price(currency: \\"USD\\")")
      eur: Int! @requires(fields: "price(currency: \\"EUR\\") weight") }`,
  },
]);
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const conflicts = new RequiresConflicts(supergraphSdl);
const split = (query: string) => conflicts.split(schema, parse(query))?.map((document) => print(document).replace(/\s+/g, ' '));

test('fields whose requirements disagree are planned apart, those that agree together; a later copy keeps only the way to its own', () => {
  expect(split('{ goods { upc usd usdLight eur } }')).toEqual(['{ goods { upc usd usdLight } }', '{ goods { eur } }']);
  expect(split('{ goods { ...F weight } } fragment F on Good { upc ... on Good { usd } eur }')).toEqual([
    '{ goods { ...F weight } } fragment F on Good { upc ... on Good { usd } }',
    '{ goods { ...F } } fragment F on Good { eur }',
  ]);
});

test('an operation selecting one group only is planned once', () => {
  expect(split('{ goods { usd usdLight price(currency: "EUR") } }')).toBeUndefined();
});

test('a mutation is split as a query is (mutation-replans.ts makes it run once)', () => {
  expect(split('mutation { touch { usd eur } }')).toEqual(['mutation { touch { usd } }', 'mutation { touch { eur } }']);
});

test('a selection left empty in a copy asks for __typename', () => {
  expect(split('{ goods { ... on Good { eur } usd } }')).toEqual(['{ goods { ... on Good { __typename } usd } }', '{ goods { ... on Good { eur } } }']);
});
