import { byKey, ConformanceCase, FED, typed } from '../case';

/** What the operation itself does: @skip/@include, aliases, fragments, mutations in order, lists of lists. */

const films = [
  { id: 'f1', title: '小城之春', year: 1948 },
  { id: 'f2', title: '黄土地', year: 1984 },
];
const reviewsOf: Record<string, string[]> = { f1: ['经典'], f2: ['苍凉', '壮阔'] };
const filmSubgraphs = {
  films: {
    typeDefs: `${FED} type Film @key(fields: "id") { id: ID! title: String! year: Int! } type Query { films: [Film!]! film(id: ID!): Film }`,
    resolvers: {
      Query: { films: () => films, film: (_: unknown, { id }: { id: string }) => films.find((f) => f.id === id) ?? null },
      Film: { __resolveReference: byKey(films, 'id') },
    },
  },
  reviews: {
    typeDefs: `${FED} type Film @key(fields: "id") { id: ID! reviews(first: Int = 10): [String!]! }`,
    resolvers: {
      Film: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        reviews: ({ id }: { id: string }, { first }: { first: number }) => reviewsOf[id].slice(0, first),
      },
    },
  },
};
const filmTruth = {
  typeDefs: `type Film { id: ID! title: String! year: Int! reviews(first: Int = 10): [String!]! } type Query { films: [Film!]! film(id: ID!): Film }`,
  root: () => {
    const all = films.map((f) => ({ ...f, reviews: ({ first }: { first: number }) => reviewsOf[f.id].slice(0, first) }));
    return { films: all, film: ({ id }: { id: string }) => all.find((f) => f.id === id) ?? null };
  },
};

const skipInclude: ConformanceCase = {
  name: 'directives: @skip and @include with variables',
  subgraphs: filmSubgraphs,
  truth: filmTruth,
  queries: [
    {
      label: 'a skipped entity field, an included fragment',
      query: 'query($s: Boolean!, $i: Boolean!) { films { title reviews @skip(if: $s) ... on Film @include(if: $i) { year } } }',
      variables: { s: true, i: true },
    },
    {
      label: 'the other way round',
      query: 'query($s: Boolean!, $i: Boolean!) { films { title reviews @skip(if: $s) ... on Film @include(if: $i) { year } } }',
      variables: { s: false, i: false },
    },
    {
      label: 'a default value, a skipped root field',
      query: 'query($i: Boolean = true) { films @include(if: $i) { id } film(id: "f1") @skip(if: $i) { id } }',
    },
    { label: 'both on one field', query: 'query($x: Boolean!) { films { reviews @skip(if: $x) @include(if: $x) title } }', variables: { x: false } },
  ],
};

const aliases: ConformanceCase = {
  name: 'aliases: one field under several names with different arguments',
  subgraphs: filmSubgraphs,
  truth: filmTruth,
  queries: [
    { label: 'entity fields aliased with different arguments', query: '{ films { one: reviews(first: 1) all: reviews name: title } }' },
    { label: 'a root field aliased twice', query: '{ a: film(id: "f1") { reviews } b: film(id: "f2") { reviews(first: 1) } }' },
    { label: 'an alias named like another field', query: '{ films { title: year year: title id: reviews } }' },
  ],
};

const fragments: ConformanceCase = {
  name: 'fragments: named, inline, nested and repeated',
  subgraphs: filmSubgraphs,
  truth: filmTruth,
  queries: [
    {
      label: 'a fragment spread twice and nested',
      query: '{ films { ...A ...A } film(id: "f2") { ...B } } fragment A on Film { id ...B } fragment B on Film { reviews(first: 1) }',
    },
    { label: 'an inline fragment without a type condition', query: '{ films { ... { title } ... on Film { year } } }' },
    { label: 'fields merged from fragments and the selection', query: '{ films { reviews ... on Film { reviews title } } }' },
  ],
};

const rootTypename: ConformanceCase = {
  name: 'typename: on the root and on entities',
  subgraphs: filmSubgraphs,
  truth: filmTruth,
  queries: [
    { label: '__typename at the root and on entities', query: '{ __typename films { __typename t: __typename reviews } }' },
    { label: 'only __typename', query: '{ __typename }' },
  ],
};

interface Counter {
  log: string[];
}
const counter: Counter = { log: [] };
const mutations: ConformanceCase = {
  name: 'mutations: run in order across subgraphs',
  subgraphs: {
    ledger: {
      typeDefs: `${FED} type Entry @key(fields: "id") { id: ID! amount: Int! } type Mutation { record(amount: Int!): Entry! } type Query { count: Int! }`,
      resolvers: {
        Query: { count: () => counter.log.length },
        Mutation: {
          record: (_: unknown, { amount }: { amount: number }) => {
            counter.log.push(`record ${amount}`);
            return { id: `e${counter.log.length}`, amount };
          },
        },
      },
    },
    audit: {
      typeDefs: `${FED} type Entry @key(fields: "id") { id: ID! seenAt: Int! } type Mutation { mark(note: String!): String! }`,
      resolvers: {
        Entry: { __resolveReference: ({ id }: { id: string }) => ({ id, seenAt: counter.log.length }) },
        Mutation: {
          mark: (_: unknown, { note }: { note: string }) => {
            counter.log.push(`mark ${note}`);
            return counter.log.join(', ');
          },
        },
      },
    },
  },
  truth: {
    typeDefs: `type Entry { id: ID! amount: Int! seenAt: Int! } type Mutation { record(amount: Int!): Entry! mark(note: String!): String! } type Query { count: Int! }`,
    root: () => ({
      count: () => counter.log.length,
      // The entity field of a mutation result is read when the field completes, before the next mutation runs.
      record: ({ amount }: { amount: number }) => {
        counter.log.push(`record ${amount}`);
        return { id: `e${counter.log.length}`, amount, seenAt: counter.log.length };
      },
      mark: ({ note }: { note: string }) => {
        counter.log.push(`mark ${note}`);
        return counter.log.join(', ');
      },
    }),
  },
  reset: () => {
    counter.log = [];
  },
  queries: [
    {
      label: 'four mutations over two subgraphs, in the written order',
      query: 'mutation { a: record(amount: 1) { id amount } b: mark(note: "x") c: record(amount: 2) { id seenAt } d: mark(note: "y") }',
    },
  ],
};

const grid = [[{ id: 'c1' }, null, { id: 'c2' }], [], [{ id: 'c3' }]];
const cellValues: Record<string, number> = { c1: 1, c2: 2, c3: 3 };
const listsOfLists: ConformanceCase = {
  name: 'lists: lists of lists of entities, with nulls',
  subgraphs: {
    grid: {
      typeDefs: `${FED} type Cell @key(fields: "id") { id: ID! } type Query { grid: [[Cell]!]! matrix: [[Int!]] }`,
      resolvers: { Query: { grid: () => grid, matrix: () => [[1, 2], null, [3]] } },
    },
    values: {
      typeDefs: `${FED} type Cell @key(fields: "id") { id: ID! value: Int! neighbours: [[Cell!]!]! }`,
      resolvers: {
        Cell: { __resolveReference: ({ id }: { id: string }) => ({ id, value: cellValues[id], neighbours: [[{ id: 'c1' }], [{ id: 'c3' }, { id: 'c2' }]] }) },
      },
    },
  },
  truth: {
    typeDefs: `type Cell { id: ID! value: Int! neighbours: [[Cell!]!]! } type Query { grid: [[Cell]!]! matrix: [[Int!]] }`,
    root: () => {
      const cell = (id: string): object => ({ id, value: cellValues[id], neighbours: () => [[cell('c1')], [cell('c3'), cell('c2')]] });
      return { grid: grid.map((row) => row.map((c) => (c ? cell(c.id) : null))), matrix: [[1, 2], null, [3]] };
    },
  },
  queries: [
    { label: 'an entity field through a list of lists', query: '{ grid { id value } matrix }' },
    { label: 'lists of lists inside an entity fetch', query: '{ grid { neighbours { id } } }' },
  ],
};

const items = [typed('Doc', { id: 'd1', pages: 3 }), typed('Clip', { id: 'v1', seconds: 40 })];
const sizes: Record<string, number> = { d1: 300, v1: 4000 };
/** Fragments on an interface and its members, with directives on them, through an entity fetch. */
const abstractFragments: ConformanceCase = {
  name: 'fragments: on abstract types, with @include, through an entity fetch',
  subgraphs: {
    files: {
      typeDefs: `${FED} interface File { id: ID! } type Doc implements File @key(fields: "id") { id: ID! pages: Int! } type Clip implements File @key(fields: "id") { id: ID! seconds: Int! } type Query { files: [File!]! }`,
      resolvers: { Query: { files: () => items }, File: { __resolveType: (f: { __typename: string }) => f.__typename } },
    },
    storage: {
      typeDefs: `${FED} type Doc @key(fields: "id") { id: ID! bytes: Int! } type Clip @key(fields: "id") { id: ID! bytes: Int! }`,
      resolvers: {
        Doc: { __resolveReference: ({ id }: { id: string }) => ({ id, bytes: sizes[id] }) },
        Clip: { __resolveReference: ({ id }: { id: string }) => ({ id, bytes: sizes[id] }) },
      },
    },
  },
  truth: {
    typeDefs: `interface File { id: ID! } type Doc implements File { id: ID! pages: Int! bytes: Int! } type Clip implements File { id: ID! seconds: Int! bytes: Int! } type Query { files: [File!]! }`,
    root: () => ({ files: items.map((i) => ({ ...i, bytes: sizes[i.id] })) }),
  },
  queries: [
    {
      label: 'member fragments from a named fragment on the interface',
      query: 'query($b: Boolean!) { files { ...F } } fragment F on File { id ... on Doc @include(if: $b) { bytes } ... on Clip { seconds bytes } }',
      variables: { b: true },
    },
    {
      label: 'the same, the fragment excluded',
      query: 'query($b: Boolean!) { files { ...F } } fragment F on File { id ... on Doc @include(if: $b) { bytes } ... on Clip { seconds bytes } }',
      variables: { b: false },
    },
  ],
};

const nullRoot: ConformanceCase = {
  name: 'nulls: a null root entity and an empty list need no second fetch',
  subgraphs: filmSubgraphs,
  truth: filmTruth,
  queries: [{ label: 'null and found side by side', query: '{ none: film(id: "nope") { title reviews } some: film(id: "f2") { reviews } }' }],
};

export const operationCases: ConformanceCase[] = [skipInclude, aliases, fragments, rootTypename, mutations, listsOfLists, abstractFragments, nullRoot];
