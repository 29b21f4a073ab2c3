import { GraphQLError } from 'graphql';
import { ConformanceCase, FED } from '../case';

/** Errors and null propagation through nested entity fetches: the paths and codes callers see. */

const fail = (message: string, code: string) => {
  throw new GraphQLError(message, { extensions: { code } });
};

const teams = [
  { id: 't1', members: ['m1', 'm2'] },
  { id: 't2', members: ['m3'] },
];
const members: Record<string, { name: string; badge: string | null }> = {
  m1: { name: '一', badge: 'B1' },
  m2: { name: '二', badge: null },
  m3: { name: '三', badge: 'B3' },
};

/** Subgraph `badges` fails for m2's badge; what that does depends on the field's nullability. */
function badgeCase(name: string, badgeType: string, memberList: string): ConformanceCase {
  const badge = (id: string) => members[id].badge ?? fail(`no badge for ${id}`, 'BADGE_MISSING');
  return {
    name,
    subgraphs: {
      teams: {
        typeDefs: `${FED} type Team @key(fields: "id") { id: ID! members: ${memberList} } type Member @key(fields: "id") { id: ID! name: String! } type Query { teams: [Team!]! }`,
        resolvers: { Query: { teams: () => teams.map((t) => ({ id: t.id, members: t.members.map((id) => ({ id, name: members[id].name })) })) } },
      },
      badges: {
        typeDefs: `${FED} type Member @key(fields: "id") { id: ID! badge: ${badgeType} }`,
        resolvers: { Member: { __resolveReference: ({ id }: { id: string }) => ({ id }), badge: ({ id }: { id: string }) => badge(id) } },
      },
    },
    truth: {
      typeDefs: `type Team { id: ID! members: ${memberList} } type Member { id: ID! name: String! badge: ${badgeType} } type Query { teams: [Team!]! }`,
      root: () => ({ teams: teams.map((t) => ({ id: t.id, members: t.members.map((id) => ({ id, name: members[id].name, badge: () => badge(id) })) })) }),
    },
    queries: [
      { label: 'the error’s path and code', query: '{ teams { id members { name badge } } }' },
      { label: 'only the failing field', query: '{ teams { members { badge } } }' },
    ],
  };
}

const nullableBadge = badgeCase('errors: a nullable field failing inside an entity fetch', 'String', '[Member!]!');
const nonNullBadge = badgeCase('errors: a non-null field failing nulls its nullable parent', 'String!', '[Member]!');
const nonNullUpward = badgeCase('errors: a non-null field failing propagates through non-null lists', 'String!', '[Member!]');

const cards = [{ id: 'c1' }, { id: 'c2' }];
/** The second hop fails at the root of its fetch: every entity of the fetch gets the error. */
const wholeFetchFails: ConformanceCase = {
  name: 'errors: a second hop that fails as a whole',
  subgraphs: {
    cards: {
      typeDefs: `${FED} type Card @key(fields: "id") { id: ID! } type Query { cards: [Card!]! status: String }`,
      resolvers: { Query: { cards: () => cards, status: () => 'ok' } },
    },
    balances: {
      typeDefs: `${FED} type Card @key(fields: "id") { id: ID! balance: Int }`,
      resolvers: {
        Card: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          balance: ({ id }: { id: string }) => (id === 'c1' ? 50 : fail('ledger offline', 'LEDGER_OFFLINE')),
        },
      },
    },
  },
  truth: {
    typeDefs: `type Card { id: ID! balance: Int } type Query { cards: [Card!]! status: String }`,
    root: () => ({ status: 'ok', cards: cards.map((c) => ({ ...c, balance: () => (c.id === 'c1' ? 50 : fail('ledger offline', 'LEDGER_OFFLINE')) })) }),
  },
  queries: [{ label: 'one entity’s field fails, the other and the root field stand', query: '{ status cards { id balance } }' }],
};

const rootFails: ConformanceCase = {
  name: 'errors: one subgraph’s root field fails, the other’s stands',
  subgraphs: {
    a: { typeDefs: `${FED} type Query { weather: String }`, resolvers: { Query: { weather: () => fail('sensor down', 'SENSOR_DOWN') } } },
    b: { typeDefs: `${FED} type Query { time: String! }`, resolvers: { Query: { time: () => '10:00' } } },
  },
  truth: { typeDefs: `type Query { weather: String time: String! }`, root: () => ({ weather: () => fail('sensor down', 'SENSOR_DOWN'), time: '10:00' }) },
  queries: [{ label: 'the failing field is null with its error', query: '{ weather time }' }],
};

const nonNullRootFails: ConformanceCase = {
  name: 'errors: a non-null root field fails, data becomes null',
  subgraphs: {
    a: { typeDefs: `${FED} type Query { config: String! }`, resolvers: { Query: { config: () => fail('no config', 'NO_CONFIG') } } },
    b: { typeDefs: `${FED} type Query { time: String! }`, resolvers: { Query: { time: () => '10:00' } } },
  },
  truth: { typeDefs: `type Query { config: String! time: String! }`, root: () => ({ config: () => fail('no config', 'NO_CONFIG'), time: '10:00' }) },
  queries: [{ label: 'null data, one error', query: '{ time config }' }],
};

const chain = [
  { id: 'q1', next: 'q2' },
  { id: 'q2', next: 'q3' },
];
const depths: Record<string, string> = { q1: '一', q2: '二', q3: '三' };
/** Three hops; the third fails for one entity: the path names the place in the caller’s answer. */
const deepPath: ConformanceCase = {
  name: 'errors: a path through three hops and a list',
  subgraphs: {
    links: {
      typeDefs: `${FED} type Step @key(fields: "id") { id: ID! next: Step } type Query { steps: [Step!]! }`,
      resolvers: {
        Query: { steps: () => chain.map((c) => ({ id: c.id })) },
        Step: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          next: ({ id }: { id: string }) => {
            const c = chain.find((x) => x.id === id);
            return c ? { id: c.next } : null;
          },
        },
      },
    },
    words: {
      typeDefs: `${FED} type Step @key(fields: "id") { id: ID! word: String }`,
      resolvers: {
        Step: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          word: ({ id }: { id: string }) => (id === 'q3' ? fail('no word for q3', 'NO_WORD') : depths[id]),
        },
      },
    },
  },
  truth: {
    typeDefs: `type Step { id: ID! next: Step word: String } type Query { steps: [Step!]! }`,
    root: () => {
      const step = (id: string): object => ({
        id,
        word: () => (id === 'q3' ? fail('no word for q3', 'NO_WORD') : depths[id]),
        next: () => {
          const c = chain.find((x) => x.id === id);
          return c ? step(c.next) : null;
        },
      });
      return { steps: chain.map((c) => step(c.id)) };
    },
  },
  queries: [{ label: 'the nested entity’s error path', query: '{ steps { word next { word next { id } } } }' }],
};

export const errorCases: ConformanceCase[] = [nullableBadge, nonNullBadge, nonNullUpward, wholeFetchFails, rootFails, nonNullRootFails, deepPath];
