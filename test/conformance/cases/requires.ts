import { GraphQLError } from 'graphql';
import { byKey, ConformanceCase, FED } from '../case';

/** `@requires` and `@provides`: simple, nested, chained, with arguments, and beside the caller's own selection. */

const parcels = [
  { id: 'c1', weight: 2, size: { width: 3, height: 4 } },
  { id: 'c2', weight: 5, size: { width: 1, height: 1 } },
];
const parcelTruth = () => parcels.map((p) => ({ ...p, shipping: p.weight * 10, volume: p.size.width * p.size.height, label: `${p.id}:${p.weight * 10}` }));

const simpleRequires: ConformanceCase = {
  name: 'requires: a scalar from another subgraph',
  subgraphs: {
    parcels: {
      typeDefs: `${FED} type Parcel @key(fields: "id") { id: ID! weight: Int! size: Size! } type Size @shareable { width: Int! height: Int! } type Query { parcels: [Parcel!]! }`,
      resolvers: { Query: { parcels: () => parcels }, Parcel: { __resolveReference: byKey(parcels, 'id') } },
    },
    shipping: {
      typeDefs: `${FED} type Parcel @key(fields: "id") { id: ID! weight: Int! @external size: Size! @external shipping: Int! @requires(fields: "weight") volume: Int! @requires(fields: "size { width height }") }
        type Size @shareable { width: Int! height: Int! }`,
      resolvers: {
        Parcel: {
          __resolveReference: (ref: object) => ref,
          shipping: ({ weight }: { weight: number }) => weight * 10,
          volume: ({ size }: { size: { width: number; height: number } }) => size.width * size.height,
        },
      },
    },
    labels: {
      typeDefs: `${FED} type Parcel @key(fields: "id") { id: ID! shipping: Int! @external label: String! @requires(fields: "shipping") }`,
      resolvers: { Parcel: { __resolveReference: (ref: object) => ref, label: ({ id, shipping }: { id: string; shipping: number }) => `${id}:${shipping}` } },
    },
  },
  truth: {
    typeDefs: `type Parcel { id: ID! weight: Int! size: Size! shipping: Int! volume: Int! label: String! } type Size { width: Int! height: Int! } type Query { parcels: [Parcel!]! }`,
    root: () => ({ parcels: parcelTruth() }),
  },
  queries: [
    { label: 'a required scalar', query: '{ parcels { id shipping } }' },
    { label: 'a required object (nested selection)', query: '{ parcels { volume } }' },
    { label: 'a requirement that itself requires (chained)', query: '{ parcels { label } }' },
    { label: 'the caller also selects the required field', query: '{ parcels { weight shipping size { width } volume } }' },
  ],
};

const posts = [
  { id: 'x1', comments: [{ id: 'k1' }, { id: 'k2' }, { id: 'k3' }, { id: 'k4' }] },
  { id: 'x2', comments: [{ id: 'k5' }] },
];
/** https://github.com/graphql-hive/federation-gateway-audit, "requires-with-argument": both selections land under one key. */
const requiresWithArgument: ConformanceCase = {
  name: 'requires: a field with arguments, beside the caller’s own',
  subgraphs: {
    posts: {
      typeDefs: `${FED} type Post @key(fields: "id") { id: ID! comments(limit: Int!): [Comment!]! } type Comment { id: ID! } type Query { posts: [Post!]! }`,
      resolvers: {
        Query: { posts: () => posts },
        Post: {
          __resolveReference: byKey(posts, 'id'),
          comments: (post: { comments: object[] }, { limit }: { limit: number }) => post.comments.slice(0, limit),
        },
      },
    },
    stats: {
      typeDefs: `${FED} type Post @key(fields: "id") { id: ID! comments(limit: Int!): [Comment!]! @external recentCount: Int! @requires(fields: "comments(limit: 3) { id }") } type Comment { id: ID! @external }`,
      resolvers: { Post: { __resolveReference: (ref: object) => ref, recentCount: ({ comments }: { comments: object[] }) => comments.length } },
    },
  },
  truth: {
    typeDefs: `type Post { id: ID! comments(limit: Int!): [Comment!]! recentCount: Int! } type Comment { id: ID! } type Query { posts: [Post!]! }`,
    root: () => ({
      posts: posts.map((p) => ({
        id: p.id,
        comments: ({ limit }: { limit: number }) => p.comments.slice(0, limit),
        recentCount: Math.min(3, p.comments.length),
      })),
    }),
  },
  queries: [
    { label: 'only the requiring field', query: '{ posts { id recentCount } }' },
    { label: 'the caller selects the same field with another argument', query: '{ posts { id recentCount comments(limit: 1) { id } } }' },
    { label: 'the caller selects it with the required argument', query: '{ posts { recentCount comments(limit: 3) { id } } }' },
  ],
};

const fragile = (upc: string) => {
  throw new GraphQLError(`no label for ${upc}`, { extensions: { code: 'NO_LABEL' } });
};
const goods = [
  { upc: 'g1', weight: 1, prices: { USD: 11, EUR: 44 } },
  { upc: 'g2', weight: 2, prices: { USD: 5, EUR: 20 } },
];
/** https://github.com/graphql-hive/federation-gateway-audit, "requires-with-argument-conflict": the two arguments overwrite each other. */
const requiresArgumentConflict: ConformanceCase = {
  name: 'requires: one field required twice, with different arguments',
  subgraphs: {
    prices: {
      typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! price(currency: String!): Int! fragile: String } type Query { goods: [Good!]! } type Mutation { touch(upc: String!): Good }`,
      resolvers: {
        Query: { goods: () => goods },
        Mutation: { touch: (_: unknown, { upc }: { upc: string }) => goods.find((g) => g.upc === upc) ?? null },
        Good: {
          __resolveReference: byKey(goods, 'upc'),
          price: (good: { prices: Record<string, number> }, { currency }: { currency: string }) => good.prices[currency],
          fragile: (good: { upc: string }) => fragile(good.upc),
        },
      },
    },
    shipping: {
      typeDefs: `${FED} type Good @key(fields: "upc") { upc: String! weight: Int! @external price(currency: String!): Int! @external
          shippingEstimate: Int! @requires(fields: "price(currency: \\"USD\\") weight")
          shippingEstimateEUR: Int! @requires(fields: "price(currency: \\"EUR\\") weight") }`,
      resolvers: {
        Good: {
          __resolveReference: (ref: object) => ref,
          shippingEstimate: ({ price, weight }: { price: number; weight: number }) => price * weight * 10,
          shippingEstimateEUR: ({ price, weight }: { price: number; weight: number }) => price * weight * 10,
        },
      },
    },
  },
  truth: {
    typeDefs: `type Good { upc: String! weight: Int! price(currency: String!): Int! fragile: String shippingEstimate: Int! shippingEstimateEUR: Int! } type Query { goods: [Good!]! } type Mutation { touch(upc: String!): Good }`,
    root: () => {
      const all = goods.map((g) => ({
        upc: g.upc,
        weight: g.weight,
        fragile: () => fragile(g.upc),
        price: ({ currency }: { currency: 'USD' | 'EUR' }) => g.prices[currency],
        shippingEstimate: g.prices.USD * g.weight * 10,
        shippingEstimateEUR: g.prices.EUR * g.weight * 10,
      }));
      return { goods: all, touch: ({ upc }: { upc: string }) => all.find((g) => g.upc === upc) ?? null };
    },
  },
  queries: [
    { label: 'one of them', query: '{ goods { upc shippingEstimate } }' },
    { label: 'both in one query', query: '{ goods { upc shippingEstimate shippingEstimateEUR } }' },
    { label: 'both, and the caller’s own price', query: '{ goods { shippingEstimateEUR price(currency: "USD") shippingEstimate } }' },
    {
      label: 'both in a fragment, beside a field by variable only the first plan keeps',
      query: 'query($c: String!) { goods { ...G price(currency: $c) } } fragment G on Good { shippingEstimateEUR upc shippingEstimate }',
      variables: { c: 'EUR' },
    },
    { label: 'both, beside a failing field (planned twice, reported once)', query: '{ goods { fragile shippingEstimate shippingEstimateEUR } }' },
    { label: 'both on a mutation’s result', query: 'mutation { touch(upc: "g1") { shippingEstimate shippingEstimateEUR } }' },
  ],
};

const reviews = [
  { id: 'r1', body: '好', author: { id: 'u1', name: '甲' } },
  { id: 'r2', body: '差', author: { id: 'u2', name: '乙' } },
];
const cities: Record<string, string> = { u1: '上海', u2: '南京' };
const provides: ConformanceCase = {
  name: 'provides: a field another subgraph provides on the way',
  subgraphs: {
    reviews: {
      typeDefs: `${FED} type Review { id: ID! body: String! author: User! @provides(fields: "name") } type User @key(fields: "id") { id: ID! name: String! @external } type Query { reviews: [Review!]! }`,
      resolvers: { Query: { reviews: () => reviews } },
    },
    users: {
      typeDefs: `${FED} type User @key(fields: "id") { id: ID! name: String! @shareable city: String! }`,
      resolvers: { User: { __resolveReference: ({ id }: { id: string }) => ({ id, name: `${id}-from-users`, city: cities[id] }) } },
    },
  },
  truth: {
    typeDefs: `type Review { id: ID! body: String! author: User! } type User { id: ID! name: String! city: String! } type Query { reviews: [Review!]! }`,
    // The provided name is the reviews subgraph's; `users` is asked only for the city.
    root: () => ({ reviews: reviews.map((r) => ({ ...r, author: { ...r.author, city: cities[r.author.id] } })) }),
  },
  queries: [
    { label: 'the provided field, no second fetch', query: '{ reviews { body author { name } } }' },
    { label: 'the provided field and one from the owner', query: '{ reviews { author { name city } } }' },
  ],
};

const rooms = [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }];
const areas: Record<string, number | undefined> = { h1: 20, h3: 35 };
/** The owner of `area` does not know h2: no representation can be built for it, the others are still asked. */
const requiresMissing: ConformanceCase = {
  name: 'requires: an entity whose required field cannot be read',
  subgraphs: {
    rooms: {
      typeDefs: `${FED} type Room @key(fields: "id") { id: ID! } type Query { rooms: [Room!]! }`,
      resolvers: { Query: { rooms: () => rooms } },
    },
    survey: {
      typeDefs: `${FED} type Room @key(fields: "id") { id: ID! area: Int! }`,
      resolvers: { Room: { __resolveReference: ({ id }: { id: string }) => (areas[id] === undefined ? null : { id, area: areas[id] }) } },
    },
    rent: {
      typeDefs: `${FED} type Room @key(fields: "id") { id: ID! area: Int! @external rent: Int @requires(fields: "area") }`,
      resolvers: { Room: { __resolveReference: (ref: object) => ref, rent: ({ area }: { area: number }) => area * 100 } },
    },
  },
  truth: {
    // h2 is unknown to the survey: its area and rent stay unanswered (null), with no error.
    typeDefs: `type Room { id: ID! area: Int rent: Int } type Query { rooms: [Room!]! }`,
    root: () => ({ rooms: rooms.map((r) => ({ id: r.id, area: areas[r.id] ?? null, rent: areas[r.id] === undefined ? null : areas[r.id]! * 100 })) }),
  },
  queries: [{ label: 'the rent of rooms the survey knows', query: '{ rooms { id rent } }' }],
};

const meters = [
  { serial: 'm1', reading: 7 },
  { serial: 'm2', reading: 12 },
];
const note = (lang: string) => {
  if (lang === 'xx') throw new GraphQLError(`no notes in ${lang}`, { extensions: { code: 'NO_NOTES' } });
  return `note (${lang})`;
};
const aliasedKeys: ConformanceCase = {
  name: 'requires: the caller aliases the key and the required field',
  subgraphs: {
    meters: {
      typeDefs: `${FED} type Meter @key(fields: "serial") { serial: String! reading: Int! note(lang: String!): String } type Query { meters: [Meter!]! }`,
      resolvers: {
        Query: { meters: () => meters },
        Meter: { __resolveReference: byKey(meters, 'serial'), note: (_: unknown, { lang }: { lang: string }) => note(lang) },
      },
    },
    bills: {
      typeDefs: `${FED} type Meter @key(fields: "serial") { serial: String! reading: Int! @external bill: Int! @requires(fields: "reading") }`,
      resolvers: { Meter: { __resolveReference: (ref: object) => ref, bill: ({ reading }: { reading: number }) => reading * 3 } },
    },
  },
  truth: {
    typeDefs: `type Meter { serial: String! reading: Int! bill: Int! note(lang: String!): String } type Query { meters: [Meter!]! }`,
    root: () => ({ meters: meters.map((m) => ({ ...m, bill: m.reading * 3, note: ({ lang }: { lang: string }) => note(lang) })) }),
  },
  queries: [
    { label: 'key and required field under other names', query: '{ meters { s: serial r: reading bill } }' },
    { label: 'the key’s name used as an alias of another field', query: '{ meters { serial: bill reading: serial } }' },
    { label: 'an error in a field under the key’s name keeps the caller’s path', query: '{ meters { serial: note(lang: "xx") bill } }' },
  ],
};

export const requiresCases: ConformanceCase[] = [simpleRequires, requiresWithArgument, requiresArgumentConflict, provides, requiresMissing, aliasedKeys];
