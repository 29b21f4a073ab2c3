import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunningGateway, startGateway } from '../gateway/server';
import { hideInternalError, internalErrorsPlugin } from '../platform/internal-errors';
import { composeSupergraph } from '../schema/compose';

/**
 * The hub executes query plans itself (gateway/plan-executor.ts, response-shape.ts). Stock
 * Apollo Gateway is the reference: every query below goes to both, over the same subgraphs,
 * and the answers — data, errors with their paths and codes, value-completion reports, HTTP
 * status — must be identical. The subgraphs are built to reach the awkward parts: interfaces
 * and unions, `@requires` and `@provides`, aliases that shadow Object.prototype members,
 * `@skip`/`@include` with variables, a subgraph error inside an entity fetch, and values the
 * schema forbids (a null in a non-null field, an unknown enum value).
 */

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

const CATALOG = `${LINK}
  enum Status { OPEN CLOSED }
  interface Item { id: ID! title: String! }
  type Book implements Item @key(fields: "id") { id: ID! title: String! pages: Int! status: Status }
  type Film implements Item @key(fields: "id") { id: ID! title: String! minutes: Int }
  union Thing = Book | Film
  type Query {
    items: [Item!]!
    things: [Thing]
    book(id: ID!): Book
    broken: Book
    failing: String
    shelf: [[Book]]
  }`;

const REVIEWS = `${LINK}
  type Book @key(fields: "id") {
    id: ID!
    pages: Int! @external
    readingHours: Float @requires(fields: "pages")
    reviews: [Review!]!
  }
  type Film @key(fields: "id") { id: ID! rating: Int }
  type Review { stars: Int! text: String by: Reader @provides(fields: "name") }
  type Reader @key(fields: "id") { id: ID! name: String @external }
  type Query { topReview: Review }`;

const READERS = `${LINK}
  type Reader @key(fields: "id") { id: ID! name: String @shareable city: String }`;

/** An interface entity, and a subgraph that sees it only as an @interfaceObject (no __typename of its own). */
const ACCOUNTS = `${LINK}
  interface Account @key(fields: "id") { id: ID! name: String }
  type User implements Account @key(fields: "id") { id: ID! name: String email: String }
  type Team implements Account @key(fields: "id") { id: ID! name: String size: Int }
  type Query { accounts: [Account!]! }`;
const RATINGS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@interfaceObject"])
  type Account @key(fields: "id") @interfaceObject { id: ID! rating: Int }
  type Query { topAccounts: [Account!]! }`;
const accounts = [
  { __typename: 'User', id: 'u1', name: '王五', email: 'w@example.cn' },
  { __typename: 'Team', id: 't1', name: '综合执法队', size: 6 },
  { __typename: 'User', id: 'u2', name: '赵六', email: null },
];

/** Served by a bare HTTP handler, not graphql-js: it answers what a faulty subgraph might, and only the gateway can catch it. */
const LEGACY = `${LINK}
  enum LegacyStatus { ACTIVE RETIRED }
  type Legacy { id: ID! title: String! status: LegacyStatus }
  type Query { legacy: Legacy legacyList: [Legacy!] legacyBadEnum: Legacy legacyCount: Int }`;
const LEGACY_ANSWER = {
  data: {
    legacy: { id: 'l1', title: null, status: 'ACTIVE' },
    legacyList: [{ id: 'l2', title: '旧', status: 'RETIRED' }, null],
    legacyBadEnum: { id: 'l3', title: '旧', status: 'WEIRD' },
    legacyCount: 'many',
  },
};

const books = [
  { id: 'b1', title: '长江三角洲', pages: 320, status: 'OPEN' },
  { id: 'b2', title: '嘉兴南湖', pages: 180, status: 'CLOSED' },
  { id: 'b3', title: '太湖', pages: 90, status: null },
];
const films = [
  { id: 'f1', title: '江南', minutes: 95 },
  { id: 'f2', title: '吴江', minutes: null },
];
const readers: Record<string, { id: string; name: string; city: string }> = {
  r1: { id: 'r1', name: '张三', city: '嘉善' },
  r2: { id: 'r2', name: '李四', city: '吴江' },
};
const reviewsOf: Record<string, Array<{ stars: number; text: string | null; reader: string }>> = {
  b1: [
    { stars: 5, text: '好', reader: 'r1' },
    { stars: 3, text: null, reader: 'r2' },
  ],
  b2: [{ stars: 4, text: '可以', reader: 'r2' }],
  b3: [],
};

const typed = <T extends object>(typename: string, value: T) => ({ __typename: typename, ...value });
const servers: ApolloServer[] = [];
const rawServers: Server[] = [];

async function serve(typeDefs: string, resolvers: object): Promise<string> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
  });
  servers.push(server);
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return url;
}

let hub: RunningGateway;
let stockUrl: string;

beforeAll(async () => {
  const catalogUrl = await serve(CATALOG, {
    Query: {
      items: () => [typed('Book', books[0]), typed('Film', films[0]), typed('Book', books[1]), typed('Film', films[1])],
      things: () => [typed('Film', films[1]), null, typed('Book', books[2]), typed('Film', films[0])],
      book: (_: unknown, { id }: { id: string }) => books.find((b) => b.id === id) ?? null,
      broken: () => ({ id: 'b9', title: null, pages: 1 }),
      failing: () => {
        throw new GraphQLError('the catalog is closed today', { extensions: { code: 'CATALOG_CLOSED' } });
      },
      shelf: () => [[books[0], null], [], [books[1]]],
    },
    Item: { __resolveType: (item: { __typename: string }) => item.__typename },
    Thing: { __resolveType: (item: { __typename: string }) => item.__typename },
    Book: { __resolveReference: ({ id }: { id: string }) => books.find((b) => b.id === id) },
    Film: { __resolveReference: ({ id }: { id: string }) => films.find((f) => f.id === id) },
  });
  const reviewsUrl = await serve(REVIEWS, {
    Query: { topReview: () => ({ ...reviewsOf.b1[0] }) },
    Book: {
      __resolveReference: (reference: { id: string; pages?: number }) => reference,
      readingHours: (book: { pages: number }) => book.pages / 40,
      reviews: (book: { id: string }) => reviewsOf[book.id] ?? [],
    },
    Film: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      rating: ({ id }: { id: string }) => {
        if (id === 'f2') throw new Error(`no rating for film ${id}`);
        return 7;
      },
    },
    Review: { by: (review: { reader: string }) => ({ id: review.reader, name: readers[review.reader].name }) },
  });
  const readersUrl = await serve(READERS, {
    Reader: { __resolveReference: ({ id }: { id: string }) => readers[id] ?? null },
  });
  const accountsUrl = await serve(ACCOUNTS, {
    Query: { accounts: () => accounts },
    Account: {
      __resolveType: (account: { __typename: string }) => account.__typename,
      __resolveReference: ({ id }: { id: string }) => accounts.find((a) => a.id === id) ?? null,
    },
    User: { __resolveReference: ({ id }: { id: string }) => accounts.find((a) => a.id === id) ?? null },
    Team: { __resolveReference: ({ id }: { id: string }) => accounts.find((a) => a.id === id) ?? null },
  });
  const ratingsUrl = await serve(RATINGS, {
    Query: { topAccounts: () => [{ id: 't1' }, { id: 'u2' }, { id: 'u1' }] },
    Account: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      rating: ({ id }: { id: string }) => id.length + (id.startsWith('t') ? 3 : 0),
    },
  });
  const legacy = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(LEGACY_ANSWER)));
  });
  rawServers.push(legacy);
  await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
  const legacyUrl = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}/graphql`;
  const supergraphSdl = composeSupergraph([
    { name: 'legacy', url: legacyUrl, typeDefs: LEGACY },
    { name: 'catalog', url: catalogUrl, typeDefs: CATALOG },
    { name: 'reviews', url: reviewsUrl, typeDefs: REVIEWS },
    { name: 'readers', url: readersUrl, typeDefs: READERS },
    { name: 'accounts', url: accountsUrl, typeDefs: ACCOUNTS },
    { name: 'ratings', url: ratingsUrl, typeDefs: RATINGS },
  ]);
  hub = await startGateway({ supergraphSdl, port: 0, host: '127.0.0.1', auth: 'insecure-no-auth' });
  // The reference gets the hub's error policy too (platform/internal-errors.ts): what is compared is the execution.
  const stock = new ApolloServer({
    gateway: new ApolloGateway({ supergraphSdl }),
    includeStacktraceInErrorResponses: false,
    formatError: hideInternalError,
    plugins: [internalErrorsPlugin('stock gateway', () => undefined)],
  });
  servers.push(stock);
  stockUrl = (await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } })).url;
});

afterAll(async () => {
  await hub?.stop();
  await Promise.all(servers.map((server) => server.stop()));
  rawServers.forEach((server) => server.close());
});

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json() };
}

/** Both gateways' answers; the hub's must be stock Apollo's. */
async function compare(query: string, variables?: Record<string, unknown>) {
  const [ours, stock] = await Promise.all([post(hub.graphqlUrl, query, variables), post(stockUrl, query, variables)]);
  // Compared as text: key order is part of the answer, and jest's deep equality trips over
  // objects with own `constructor`/`hasOwnProperty` keys (one case below has them).
  expect(JSON.stringify(ours, null, 1)).toBe(JSON.stringify(stock, null, 1));
  return ours;
}

const CASES: Array<[string, string, Record<string, unknown>?]> = [
  [
    'interfaces, entity fetches and @requires',
    '{ items { __typename id title ... on Book { pages readingHours reviews { stars text } } ... on Film { minutes } } }',
  ],
  [
    'named fragments on a union, aliases, aliased __typename',
    '{ things { kind: __typename ...T } } fragment T on Thing { ... on Book { id name: title reviews { s: stars } } ... on Film { id t: title } }',
  ],
  ['aliases that are Object.prototype members', '{ items { constructor: title toString: id hasOwnProperty: __typename } }'],
  [
    '@provides: the reader name from reviews, the city from readers',
    '{ topReview { stars by { id name city } } book(id: "b2") { reviews { by { name city } } } }',
  ],
  ['a subgraph error inside an entity fetch keeps the caller’s path', '{ things { ... on Film { id rating } ... on Book { id } } }'],
  ['a root field error beside data', '{ failing items { id } }'],
  ['a subgraph’s own non-null error', '{ broken { id title } }'],
  ['a null in a non-null field nulls its parent (value completion)', '{ legacy { id title status } }'],
  ['a null element of a [T!] list nulls the list', '{ legacyList { id title } }'],
  ['an unknown enum value and a string for an Int', '{ legacyBadEnum { id status } legacyCount }'],
  ['value completion is not reported when a fetch failed', '{ legacy { id title } failing }'],
  ['lists of lists with nulls', '{ shelf { id title readingHours } }'],
  ['root __typename', '{ __typename items { __typename } }'],
  ['an interface list the query asks no __typename of (the plan asks none either)', '{ items { id title } }'],
  ['an interface list with a fragment on the interface itself and no __typename', '{ items { ... on Item { id } title } }'],
  ['a union asked only for __typename', '{ things { __typename } }'],
  ['an @interfaceObject list, fields of its own subgraph only', '{ topAccounts { id rating } }'],
  ['an @interfaceObject list with a field of the interface’s own subgraph', '{ topAccounts { id name rating } }'],
  ['an @interfaceObject list with __typename and a type condition', '{ topAccounts { __typename rating ... on Team { size } } }'],
  ['an interface entity list with a field from the @interfaceObject subgraph', '{ accounts { name rating } }'],
  ['variables reach the right fetch', 'query($id: ID!) { book(id: $id) { title reviews { stars } } }', { id: 'b1' }],
  [
    '@skip/@include with variables, both ways',
    'query($withReviews: Boolean!, $noTitle: Boolean = false) { items { id title @skip(if: $noTitle) ... on Book @include(if: $withReviews) { reviews { stars } readingHours } } }',
    { withReviews: true },
  ],
  [
    '@skip/@include with variables, the other way',
    'query($withReviews: Boolean!, $noTitle: Boolean = false) { items { id title @skip(if: $noTitle) ... on Book @include(if: $withReviews) { reviews { stars } readingHours } } }',
    { withReviews: false, noTitle: true },
  ],
  ['a variable of the wrong type', 'query($withReviews: Boolean!) { items { id ... on Book @include(if: $withReviews) { pages } } }', { withReviews: 'yes' }],
  ['introspection (handed to stock Apollo)', '{ __schema { queryType { name } } __type(name: "Book") { fields { name } } }'],
];

// A rest parameter: jest reads a callback of more parameters than the row has as `done`-style.
test.each(CASES)('%s: the same answer as stock Apollo Gateway', async (...[, query, variables]) => {
  await compare(query, variables);
});

test('the hub’s executor ran every operation but introspection, and did the work (not a copy of the stock answer)', async () => {
  const before = hub.executorCounts();
  const interfaces = await compare(CASES[0][1]);
  const introspection = await compare('{ __schema { queryType { name } } }');
  // An @interfaceObject answer without a __typename of a concrete type: shaped by the hub itself.
  const interfaceObjects = await compare('{ topAccounts { id rating } }');
  const after = hub.executorCounts();
  expect(after.executed - before.executed).toBe(2);
  expect(interfaceObjects.body.data.topAccounts[0]).toEqual({ id: 't1', rating: 5 });
  expect(after.delegated - before.delegated).toBe(1);
  // The data really came through the plan: entity fields from reviews merged into catalog's items.
  expect(interfaces.body.data.items[0]).toEqual({
    __typename: 'Book',
    id: 'b1',
    title: '长江三角洲',
    pages: 320,
    readingHours: 8,
    reviews: [
      { stars: 5, text: '好' },
      { stars: 3, text: null },
    ],
  });
  expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
});

test('what a faulty subgraph returns is caught by the gateway, as stock Apollo does', async () => {
  const { body } = await compare('{ legacy { id title } legacyList { id } legacyBadEnum { status } legacyCount }');
  expect(body.data).toEqual({ legacy: null, legacyList: null, legacyBadEnum: { status: null }, legacyCount: null });
  expect(body.extensions.valueCompletion.map((e: { path: unknown[] }) => e.path)).toEqual([
    ['legacy', 'title'],
    ['legacyList', 1],
    ['legacyBadEnum', 'status'],
    ['legacyCount'],
  ]);
});

test('an entity error is reported at the entity’s place in the answer, with the subgraph’s name (and, having no code, none of its words)', async () => {
  const { body } = await compare('{ things { ... on Film { id rating } } }');
  expect(body.errors).toEqual([
    {
      message: 'Internal server error; the hub logged the details',
      path: ['things', 0, 'rating'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'reviews' },
    },
  ]);
  expect(body.data.things[0]).toEqual({ id: 'f2', rating: null });
});

test('the query-plan debug header is answered by stock Apollo’s executor, with the plan', async () => {
  const before = hub.executorCounts();
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-query-plan-experimental': '1' },
    body: JSON.stringify({ query: '{ items { id } }' }),
  });
  const body = await response.json();
  expect(body.data.items.map((item: { id: string }) => item.id)).toEqual(['b1', 'f1', 'b2', 'f2']);
  expect(body.extensions.__queryPlanExperimental).toMatch(/Fetch\(service: "catalog"\)/);
  expect(hub.executorCounts().delegated - before.delegated).toBe(1);
});
