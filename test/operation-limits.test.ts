import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery, GraphQLFormattedError } from 'graphql';
import { DEFAULT_OPERATION_LIMITS, OperationLimits, operationLimitsPlugin } from '../gateway/operation-limits';

/**
 * The limits refuse an operation before anything runs (a resolver counter stays 0), each with its
 * own code, HTTP 400 and a message naming the limit, the measured value and where; operations
 * right at each limit run. Last, in a gateway-mode server over the real supergraph, the hub's own
 * deepest legitimate queries pass the defaults.
 */

const SDL = `
  type Query {
    item(id: ID!): Item
    items(first: Int = 20): ItemConnection!
    "No schema default: the limits assume 20."
    things(first: Int): ItemConnection!
    "Schema default 200: the limits must read it."
    bigItems(first: Int = 200): ItemConnection!
    byColor(color: Color!): [Item!]!
    a: Int  b: Int  c: Int  d: Int  e: Int  f: Int  g: Int  h: Int  i: Int  j: Int  k: Int
  }
  enum Color { RED GREEN }
  type ItemConnection { edges: [ItemEdge!]! }
  type ItemEdge { node: Item! }
  type Item { id: ID! name: String! parent: Item children(first: Int = 20): ItemConnection! tags: [Tag!]! }
  type Tag { label: String! }
`;

let resolved = 0;
const item = (id: string): Record<string, unknown> => ({ id, name: `item ${id}`, parent: () => item(`${id}^`), tags: [] });
const connection = (args: { first?: number | null }) => {
  resolved++;
  return { edges: Array.from({ length: Math.min(args.first ?? 20, 3) }, (_, i) => ({ node: item(String(i)) })) };
};
const resolvers = {
  Query: {
    item: (_: unknown, args: { id: string }) => (resolved++, item(args.id)),
    items: (_: unknown, args: { first?: number }) => connection(args),
    things: (_: unknown, args: { first?: number }) => connection(args),
    bigItems: (_: unknown, args: { first?: number }) => connection(args),
    byColor: () => (resolved++, []),
    ...Object.fromEntries('abcdefghijk'.split('').map((name) => [name, () => (resolved++, 1)])),
  },
  Item: { children: (_: unknown, args: { first?: number }) => connection(args) },
};

function server(config: Partial<OperationLimits> = {}, options: { dangerouslyDisableValidation?: boolean } = {}) {
  return new ApolloServer({ typeDefs: SDL, resolvers, plugins: [operationLimitsPlugin(config)], introspection: true, ...options });
}

interface Outcome {
  status: number | undefined;
  errors: readonly GraphQLFormattedError[];
  data: unknown;
  resolved: number;
}

async function run(apollo: ApolloServer, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  resolved = 0;
  const response = await apollo.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { errors = [], data } = response.body.singleResult;
  return { status: response.http.status, errors, data, resolved };
}

function expectRefused(outcome: Outcome, code: string) {
  expect(outcome.errors.map((e) => e.extensions?.code)).toEqual([code]);
  expect(outcome.status).toBe(400);
  expect(outcome.data).toBeUndefined();
  expect(outcome.resolved).toBe(0);
  return outcome.errors[0];
}

function expectRan(outcome: Outcome) {
  expect(outcome.errors).toEqual([]);
  expect(outcome.resolved).toBeGreaterThan(0);
}

/** `item(id: 1) { parent { parent { … id } } }`, `depth` fields deep. */
const nested = (depth: number) => `{ item(id: 1) { ${'parent { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

const apollo = server();
beforeAll(() => apollo.start());
afterAll(() => apollo.stop());

describe('depth', () => {
  test('12 fields deep runs; 13 is refused with the limit, the depth, the path and the line', async () => {
    expectRan(await run(apollo, nested(12)));
    const error = expectRefused(await run(apollo, nested(13)), 'DEPTH_LIMIT_EXCEEDED');
    expect(error.message).toContain('13 fields deep at item.parent.parent');
    expect(error.message).toContain('.parent.id');
    expect(error.message).toContain('the limit is 12');
    expect(error.extensions).toMatchObject({ limit: 12, value: 13 });
    expect(error.locations).toEqual([{ line: 1, column: 17 + 9 * 11 }]);
  });

  test('fragments add no level, but their fields do, however they are spread or inlined', async () => {
    // item > parent (F) > parent (G) > … : 2 + 2 levels from fragments = depth counted through spreads
    const query = (innerDepth: number) => `
      { item(id: 1) { ...F } }
      fragment F on Item { parent { ... on Item { ...G } } }
      fragment G on Item { ${'parent { '.repeat(innerDepth)}id${' }'.repeat(innerDepth)} }`;
    expectRan(await run(apollo, query(9))); // item + parent + 9 parents + id = 12
    const error = expectRefused(await run(apollo, query(10)), 'DEPTH_LIMIT_EXCEEDED');
    expect(error.extensions).toMatchObject({ value: 13 });
  });

  test('a fragment used at several depths is measured where it goes deepest', async () => {
    const query = `
      { item(id: 1) { ...P parent { parent { parent { ...P } } } } }
      fragment P on Item { ${'parent { '.repeat(7)}id${' }'.repeat(7)} }`;
    // deepest: item + 3 parents + 7 parents + id = 12 → runs; one more level in P → 13
    expectRan(await run(apollo, query));
    expectRefused(await run(apollo, query.replace('parent { id', 'parent { parent { id }')), 'DEPTH_LIMIT_EXCEEDED');
  });
});

describe('aliases', () => {
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `n${i}: item(id: ${i}) { id }`).join(' ')} }`;

  test('30 aliases run; 31 are refused, naming some of them and their lines', async () => {
    expectRan(await run(server({ maxRootFields: 100 }), aliased(30)));
    const error = expectRefused(await run(server({ maxRootFields: 100 }), aliased(31)), 'ALIAS_LIMIT_EXCEEDED');
    expect(error.message).toContain('uses 31 aliases');
    expect(error.message).toContain('"n0" at line 1, column 3');
    expect(error.message).toContain('the limit is 30');
  });

  test('aliases in a fragment count once per use', async () => {
    const fragment = `fragment Names on Item { ${Array.from({ length: 10 }, (_, i) => `x${i}: name`).join(' ')} }`;
    const uses = (count: number) =>
      `{ item(id: 1) { ${Array.from({ length: count }, (_, i) => `${'parent { '.repeat(i)}...Names${' }'.repeat(i)}`).join(' ')} } } ${fragment}`;
    expectRan(await run(apollo, uses(3)));
    const error = expectRefused(await run(apollo, uses(4)), 'ALIAS_LIMIT_EXCEEDED');
    expect(error.extensions).toMatchObject({ limit: 30, value: 40 });
  });

  test('a fragment spread again in the same selection set is no second use (CollectFields visits it once)', async () => {
    const fragment = `fragment Names on Item { ${Array.from({ length: 10 }, (_, i) => `x${i}: name`).join(' ')} }`;
    expectRan(await run(apollo, `{ item(id: 1) { ...Names ...Names ... on Item { ...Names } ...Names } } ${fragment}`));
    // In another selection set it is another use.
    const error = expectRefused(
      await run(apollo, `{ item(id: 1) { ...Names p1: parent { ...Names } p2: parent { ...Names } } } ${fragment}`),
      'ALIAS_LIMIT_EXCEEDED',
    );
    expect(error.extensions).toMatchObject({ limit: 30, value: 32 });
  });
});

describe("the gateway's batches of live events", () => {
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `n${i}: item(id: ${i}) { id }`).join(' ')} }`;
  const asBatch = async (apollo: ApolloServer, query: string, copies: number) => {
    resolved = 0;
    const response = await apollo.executeOperation({ query }, { contextValue: { liveEvents: copies } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, errors: response.body.singleResult.errors ?? [], data: response.body.singleResult.data, resolved };
  };

  test('an operation of n copies is held to n times the aliases, root fields and cost, and to the same depth', async () => {
    const limits = server({ maxAliases: 10, maxRootFields: 100 });
    expectRan(await asBatch(limits, aliased(20), 2));
    expectRefused(await asBatch(limits, aliased(21), 2), 'ALIAS_LIMIT_EXCEEDED');
    expectRefused(await asBatch(apollo, nested(13), 4), 'DEPTH_LIMIT_EXCEEDED');
  });

  test("a batch's verdict is not a client's: the same text sent by a client is measured against its own limits", async () => {
    const limits = server({ maxAliases: 10, maxRootFields: 100 });
    expectRan(await asBatch(limits, aliased(20), 2));
    expectRefused(await run(limits, aliased(20)), 'ALIAS_LIMIT_EXCEEDED');
  });
});

describe('root fields', () => {
  test('10 root fields run; 11 are refused with their names; a field asked twice is one', async () => {
    expectRan(await run(apollo, '{ a b c d e f g h i j a }'));
    const error = expectRefused(await run(apollo, '{ a b c d e f g h i j k }'), 'ROOT_FIELD_LIMIT_EXCEEDED');
    expect(error.message).toContain('selects 11 root fields (a, b, c, d, e, f, g, h, i, j, k); the limit is 10');
    expect(error.locations).toEqual([{ line: 1, column: 23 }]);
  });

  test('a root field a literal @skip/@include leaves out is not counted; one behind a variable is', async () => {
    expectRan(await run(apollo, '{ a b c d e f g h i j k @skip(if: true) }'));
    expectRan(await run(apollo, '{ a b c d e f g h i j ... on Query @include(if: false) { k } }'));
    const error = expectRefused(
      await run(apollo, 'query($no: Boolean!) { a b c d e f g h i j k @include(if: $no) }', { no: false }),
      'ROOT_FIELD_LIMIT_EXCEEDED',
    );
    expect(error.extensions).toMatchObject({ value: 11 });
  });

  test('root fields are counted through fragments', async () => {
    const error = expectRefused(await run(apollo, '{ a b ...R ... on Query { f g h i j k } } fragment R on Query { c d e }'), 'ROOT_FIELD_LIMIT_EXCEEDED');
    expect(error.extensions).toMatchObject({ value: 11 });
  });
});

describe('cost', () => {
  const twoPages = (outer: string, inner = 'first: $inner') =>
    `query Pages${inner ? '($inner: Int)' : ''} { ${outer} { edges { node { children${inner ? `(${inner})` : ''} { edges { node { id } } } } } } }`;

  test('scales with `first`: pages of 5 nested twice run, pages of 100 are refused with the cost and the field', async () => {
    expectRan(await run(apollo, twoPages('items(first: 5)'), { inner: 5 }));
    const outcome = await run(apollo, twoPages('items(first: 100)'), { inner: 100 });
    const error = expectRefused(outcome, 'COST_LIMIT_EXCEEDED');
    // items: 1 + 100 × (edges 1 + node 1 + children (1 + 100 × (edges 1 + node 1 + id 1)))
    expect(error.extensions).toMatchObject({ limit: 10_000, value: 1 + 100 * (2 + 1 + 100 * 3) });
    expect(error.message).toContain('estimated cost of 30301; the limit is 10000');
    expect(error.message).toContain('costliest root field is items');
    expect(error.locations).toEqual([{ line: 1, column: 28 }]);
  });

  test('a page size set by a variable is priced at its value', async () => {
    expectRan(await run(apollo, twoPages('items(first: 20)'), { inner: 20 }));
    expectRefused(await run(apollo, twoPages('items(first: 20)'), { inner: 500 }), 'COST_LIMIT_EXCEEDED');
  });

  test("an absent page argument is priced at the schema's default, else 20", async () => {
    // bigItems defaults to 200: 1 + 200 × 63 = 12,601; things has no default: 1 + 20 × 63 = 1,261
    expectRefused(await run(apollo, twoPages('bigItems', '')), 'COST_LIMIT_EXCEEDED');
    expectRan(await run(apollo, twoPages('things', '')));
    expectRan(await run(apollo, twoPages('items', '')));
  });

  test('a lower limit refuses what the default lets through', async () => {
    expectRefused(await run(server({ maxCost: 1000 }), twoPages('things', '')), 'COST_LIMIT_EXCEEDED');
  });
});

describe('what must pass', () => {
  test('introspection (as GraphiQL and Apollo Sandbox send it) passes', async () => {
    const outcome = await run(apollo, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true }));
    expect(outcome.errors).toEqual([]);
    expect((outcome.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(5);
    // Its size is the schema's, not the data's: exempt from depth and cost, however low they are set.
    expect((await run(server({ maxDepth: 3, maxCost: 10 }), getIntrospectionQuery())).errors).toEqual([]);
  });

  test('a fragment cycle cannot hang the limits: validation refuses it, and without validation so do the limits', async () => {
    const query = '{ item(id: 1) { ...A } } fragment A on Item { parent { ...B } } fragment B on Item { id ...A }';
    const validating = await run(apollo, query);
    expect(validating.errors[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unvalidated = server({}, { dangerouslyDisableValidation: true });
    const error = expectRefused(await run(unvalidated, query), 'DEPTH_LIMIT_EXCEEDED');
    expect(error.message).toContain('fragment A spreads itself');
    expectRan(await run(unvalidated, '{ item(id: 1) { ...A } } fragment A on Item { parent { ...B } } fragment B on Item { id }'));
  });
});

describe('suggestions', () => {
  const typos = ['{ itme(id: 1) { id } }', '{ byColor(color: REDD) { id } }', '{ item(id: 1, idd: 1) { id } }'];

  test('"Did you mean" is cut from error messages, so they name no other field', async () => {
    for (const query of typos) {
      const outcome = await run(server({ hideSuggestions: true }), query);
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors[0].message).not.toMatch(/did you mean|"item"|"RED"|"id"/i);
      expect(outcome.errors[0].message).toMatch(/^(Cannot query field "itme"|Value "REDD" does not exist|Unknown argument "idd")/);
    }
  });

  test('in development they stay, and hiding is the default elsewhere', async () => {
    for (const query of typos) {
      const outcome = await run(server({ hideSuggestions: false }), query);
      expect(outcome.errors[0].message).toMatch(/Did you mean .*\?$/);
    }
    expect(DEFAULT_OPERATION_LIMITS.hideSuggestions).toBe(process.env.NODE_ENV !== 'development');
  });
});

test('over HTTP, a refused operation is a 400 with its code', async () => {
  const standalone = server();
  const { url } = await startStandaloneServer(standalone, { listen: { port: 0, host: '127.0.0.1' } });
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: nested(20) }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: GraphQLFormattedError[] };
    expect(body.errors[0].extensions).toEqual({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 12, value: 20 });
  } finally {
    await standalone.stop();
  }
});

test('configuration is checked at construction', () => {
  expect(() => operationLimitsPlugin({ maxDepth: -1 })).toThrow('maxDepth must be a non-negative integer, but got: -1');
  expect(() => operationLimitsPlugin({ maxCost: 1.5 })).toThrow('maxCost must be a non-negative integer, but got: 1.5');
});

describe("the hub's gateway, with its real supergraph", () => {
  // A gateway-mode ApolloServer over the real supergraph; subgraph fetches are counted, not sent.
  let fetches = 0;
  let hub: ApolloServer;
  beforeAll(async () => {
    const supergraphSdl = readFileSync(path.join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
    const gateway = new ApolloGateway({
      supergraphSdl,
      buildService: () => ({ process: async () => (fetches++, { data: null, errors: [{ message: 'not sent in this test' }] }) }),
    });
    hub = new ApolloServer({ gateway, plugins: [operationLimitsPlugin()] });
    await hub.start();
  });
  afterAll(() => hub.stop());

  async function gatewayRun(query: string) {
    fetches = 0;
    const response = await hub.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, codes: (response.body.singleResult.errors ?? []).map((e) => e.extensions?.code), fetches };
  }

  test('its deepest legitimate queries pass the default limits and are planned and fetched', async () => {
    for (const query of [
      '{ petitionWarnings { edges { node { subject { petitions { edges { node { petitioners { name } } } } } petition { history { officer { name } } } } } } }',
      '{ inspections(first: 50) { edges { node { participants { task { findings { severity } } } } } } }',
    ]) {
      const outcome = await gatewayRun(query);
      expect(outcome.codes).not.toContainEqual(expect.stringMatching(/LIMIT_EXCEEDED|VALIDATION_FAILED/));
      expect(outcome.fetches).toBeGreaterThan(0);
    }
  });

  test('two nested pages of 100 are refused before any subgraph is called', async () => {
    const outcome = await gatewayRun('{ persons(first: 100) { edges { node { petitions(first: 100) { edges { node { id } } } } } } }');
    expect(outcome).toEqual({ status: 400, codes: ['COST_LIMIT_EXCEEDED'], fetches: 0 });
  });
});
