import { Supergraph } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { callerPath, PlannerFieldNames, withWireAliases } from '../gateway/wire-aliases';
import { composeSupergraph } from '../schema/compose';

/** Which caller fields get a wire alias of their own: those that could share a response key with a field the planner adds. */

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])';
const supergraphSdl = composeSupergraph([
  {
    name: 'posts',
    url: 'http://posts',
    typeDefs: `${FED} type Post @key(fields: "id") { id: ID! title: String! comments(limit: Int!): [Comment!]! } type Comment { id: ID! body: String } type Query { posts: [Post!]! post(id: ID!): Post }`,
  },
  {
    name: 'stats',
    url: 'http://stats',
    typeDefs: `${FED} type Post @key(fields: "id") { id: ID! comments(limit: Int!): [Comment!]! @external recent: Int! @requires(fields: "comments(limit: 3) { id }") } type Comment { id: ID! @external }`,
  },
]);
const supergraph = Supergraph.build(supergraphSdl);
const apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
const names = new PlannerFieldNames(supergraph.schema.toGraphQLJSSchema(), supergraphSdl);

const plannedText = (query: string) => print(withWireAliases(apiSchema, parse(query), names.wireKeyOf).document).replace(/\s+/g, ' ');

test('a caller field with arguments under a required field’s name, and an alias naming a key, get wire aliases', () => {
  const wire = withWireAliases(apiSchema, parse('{ posts { comments(limit: 1) { id } id: title } }'), names.wireKeyOf);
  expect(print(wire.document).replace(/\s+/g, ' ')).toBe('{ posts { _yrd_comments: comments(limit: 1) { id } _yrd_id: title } }');
  expect([...wire.callerKeys]).toEqual([
    ['_yrd_comments', 'comments'],
    ['_yrd_id', 'id'],
  ]);
});

test('fields that cannot collide keep their names: plain fields, aliases the planner never uses, root fields, __typename', () => {
  const query = '{ a: post(id: "1") { t: title id comments: comments(limit: 2) { body } kind: __typename } posts { id } }';
  expect(plannedText(query)).toBe('{ a: post(id: "1") { t: title id _yrd_comments: comments(limit: 2) { body } kind: __typename } posts { id } }');
  const untouched = parse('{ posts { title id } }');
  expect(withWireAliases(apiSchema, untouched, names.wireKeyOf).document).toBe(untouched);
});

test('an error path in wire keys is the caller’s again', () => {
  expect(callerPath(['posts', 0, '_yrd_comments', 1, 'id'], new Map([['_yrd_comments', 'comments']]))).toEqual(['posts', 0, 'comments', 1, 'id']);
});
