import { readFileSync } from 'node:fs';
import path from 'node:path';
import { plannerSupergraphSdl } from '../gateway/planner-supergraph';
import { composeSupergraph } from '../schema/compose';

/** Which keys the hub's planner does not see: a subgraph's non-resolvable keys of a type it also resolves by another key. */

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const keysOf = (sdl: string, type: string) => [...new RegExp(`type ${type}\\b([^{]*)\\{`).exec(sdl)![1].matchAll(/@join__type\(([^)]*)\)/g)].map((m) => m[1]);

test('a non-resolvable key is dropped only where the same subgraph has a resolvable one', () => {
  const sdl = composeSupergraph([
    {
      name: 'a',
      url: 'http://a',
      typeDefs: `${FED} type T @key(fields: "id") @key(fields: "code", resolvable: false) { id: ID! code: ID! } type Query { t: T }`,
    },
    { name: 'b', url: 'http://b', typeDefs: `${FED} type T @key(fields: "id", resolvable: false) { id: ID! } type Query { u: T }` },
  ]);
  expect(keysOf(plannerSupergraphSdl(sdl), 'T')).toEqual(['graph: A, key: "id"', 'graph: B, key: "id", resolvable: false']);
  expect(keysOf(sdl, 'T')).toHaveLength(3);
});

test('the hub’s own supergraph is planned as it is (no key shadowed there)', () => {
  const sdl = readFileSync(path.join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
  expect(plannerSupergraphSdl(sdl)).toBe(sdl);
});
