import { byKey, ConformanceCase, FED } from '../case';

/** Entities joined by keys: simple, composite, nested, several keys, and keys that cannot be resolved. */

const products = [
  { id: 'p1', name: '丝绸', price: 120 },
  { id: 'p2', name: '龙井', price: 80 },
  { id: 'p3', name: '紫砂', price: 300 },
];
const reviews: Record<string, Array<{ body: string; stars: number }>> = {
  p1: [{ body: '顺滑', stars: 5 }],
  p2: [
    { body: '清香', stars: 4 },
    { body: '贵', stars: 2 },
  ],
  p3: [],
};

const simpleKey: ConformanceCase = {
  name: 'keys: a simple key',
  subgraphs: {
    catalog: {
      typeDefs: `${FED} type Product @key(fields: "id") { id: ID! name: String! price: Int } type Query { products: [Product!]! product(id: ID!): Product }`,
      resolvers: {
        Query: { products: () => products, product: (_: unknown, { id }: { id: string }) => products.find((p) => p.id === id) ?? null },
        Product: { __resolveReference: byKey(products, 'id') },
      },
    },
    reviews: {
      typeDefs: `${FED} type Product @key(fields: "id") { id: ID! reviews: [Review!]! } type Review { body: String! stars: Int! }`,
      resolvers: { Product: { __resolveReference: ({ id }: { id: string }) => ({ id }), reviews: ({ id }: { id: string }) => reviews[id] } },
    },
  },
  truth: {
    typeDefs: `type Product { id: ID! name: String! price: Int reviews: [Review!]! } type Review { body: String! stars: Int! } type Query { products: [Product!]! product(id: ID!): Product }`,
    root: () => {
      const all = products.map((p) => ({ ...p, reviews: reviews[p.id] }));
      return { products: all, product: ({ id }: { id: string }) => all.find((p) => p.id === id) ?? null };
    },
  },
  queries: [
    { label: 'a list joined with another subgraph', query: '{ products { id name reviews { body stars } } }' },
    { label: 'only the joined fields', query: '{ products { reviews { stars } } }' },
    {
      label: 'an argument by variable, a missing entity',
      query: 'query($id: ID!) { product(id: $id) { name reviews { body } } none: product(id: "x") { name } }',
      variables: { id: 'p2' },
    },
  ],
};

const stock = [
  { sku: 's1', brand: 'hz', label: '杭州一号' },
  { sku: 's1', brand: 'sz', label: '苏州一号' },
  { sku: 's2', brand: 'hz', label: '杭州二号' },
];
const stockCounts: Record<string, number> = { 's1|hz': 10, 's1|sz': 0, 's2|hz': 7 };

const compositeKey: ConformanceCase = {
  name: 'keys: a composite key',
  subgraphs: {
    items: {
      typeDefs: `${FED} type Item @key(fields: "sku brand") { sku: String! brand: String! label: String! } type Query { items: [Item!]! }`,
      resolvers: { Query: { items: () => stock }, Item: { __resolveReference: byKey(stock, 'sku', 'brand') } },
    },
    warehouse: {
      typeDefs: `${FED} type Item @key(fields: "sku brand") { sku: String! brand: String! inStock: Int! }`,
      resolvers: { Item: { __resolveReference: (ref: { sku: string; brand: string }) => ({ ...ref, inStock: stockCounts[`${ref.sku}|${ref.brand}`] }) } },
    },
  },
  truth: {
    typeDefs: `type Item { sku: String! brand: String! label: String! inStock: Int! } type Query { items: [Item!]! }`,
    root: () => ({ items: stock.map((s) => ({ ...s, inStock: stockCounts[`${s.sku}|${s.brand}`] })) }),
  },
  queries: [{ label: 'both parts of the key carried', query: '{ items { label inStock } }' }],
};

const orgs = [
  { id: 'o1', region: 'sh', name: '上海局' },
  { id: 'o1', region: 'hz', name: '杭州局' },
];
const nestedKey: ConformanceCase = {
  name: 'keys: a key with a nested object',
  subgraphs: {
    staff: {
      typeDefs: `${FED} type Org @key(fields: "id region { code }") { id: ID! region: Region! name: String! } type Region @shareable { code: String! } type Query { orgs: [Org!]! }`,
      resolvers: { Query: { orgs: () => orgs.map((o) => ({ ...o, region: { code: o.region } })) } },
    },
    budget: {
      typeDefs: `${FED} type Org @key(fields: "id region { code }") { id: ID! region: Region! budget: Int! } type Region @shareable { code: String! }`,
      resolvers: { Org: { __resolveReference: (ref: { id: string; region: { code: string } }) => ({ ...ref, budget: ref.region.code === 'sh' ? 900 : 500 }) } },
    },
  },
  truth: {
    typeDefs: `type Org { id: ID! region: Region! name: String! budget: Int! } type Region { code: String! } type Query { orgs: [Org!]! }`,
    root: () => ({ orgs: orgs.map((o) => ({ ...o, region: { code: o.region }, budget: o.region === 'sh' ? 900 : 500 })) }),
  },
  queries: [{ label: 'the nested key part travels in the representation', query: '{ orgs { name budget region { code } } }' }],
};

const users = [
  { id: 'u1', email: 'a@x.cn', name: '甲' },
  { id: 'u2', email: 'b@x.cn', name: '乙' },
];
const ages: Record<string, number> = { 'a@x.cn': 31, 'b@x.cn': 45 };
const levels: Record<string, string> = { u1: 'senior', u2: 'junior' };
const multipleKeys: ConformanceCase = {
  name: 'keys: several keys, each subgraph joining by its own',
  subgraphs: {
    accounts: {
      typeDefs: `${FED} type User @key(fields: "id") @key(fields: "email") { id: ID! email: String! name: String! } type Query { users: [User!]! }`,
      resolvers: {
        Query: { users: () => users },
        User: { __resolveReference: (ref: { id?: string; email?: string }) => users.find((u) => u.id === ref.id || u.email === ref.email) ?? null },
      },
    },
    profiles: {
      typeDefs: `${FED} type User @key(fields: "email") { email: String! age: Int! }`,
      resolvers: { User: { __resolveReference: ({ email }: { email: string }) => ({ email, age: ages[email] }) } },
    },
    grades: {
      typeDefs: `${FED} type User @key(fields: "id") { id: ID! level: String! } type Query { seniors: [User!]! }`,
      resolvers: {
        Query: { seniors: () => [{ id: 'u1', level: 'senior' }] },
        User: { __resolveReference: ({ id }: { id: string }) => ({ id, level: levels[id] }) },
      },
    },
  },
  truth: {
    typeDefs: `type User { id: ID! email: String! name: String! age: Int! level: String! } type Query { users: [User!]! seniors: [User!]! }`,
    root: () => {
      const all = users.map((u) => ({ ...u, age: ages[u.email], level: levels[u.id] }));
      return { users: all, seniors: all.filter((u) => u.level === 'senior') };
    },
  },
  queries: [
    { label: 'two joins from the owner', query: '{ users { name age level } }' },
    { label: 'from id to email through the owner', query: '{ seniors { level age } }' },
  ],
};

const authors = [
  { id: 'a1', name: '鲁迅' },
  { id: 'a2', name: '茅盾' },
];
const books = [
  { id: 'b1', title: '呐喊', author: 'a1' },
  { id: 'b2', title: '子夜', author: 'a2' },
  { id: 'b3', title: '佚名', author: 'a9' },
];
const unresolvableReference: ConformanceCase = {
  name: 'keys: resolvable: false on a referenced entity',
  subgraphs: {
    library: {
      typeDefs: `${FED} type Book { id: ID! title: String! author: Author } type Author @key(fields: "id", resolvable: false) { id: ID! } type Query { books: [Book!]! }`,
      resolvers: { Query: { books: () => books.map((b) => ({ ...b, author: { id: b.author } })) } },
    },
    people: {
      typeDefs: `${FED} type Author @key(fields: "id") { id: ID! name: String }`,
      resolvers: { Author: { __resolveReference: byKey(authors, 'id') } },
    },
  },
  truth: {
    typeDefs: `type Book { id: ID! title: String! author: Author } type Author { id: ID! name: String } type Query { books: [Book!]! }`,
    // An author `people` does not know keeps its id (the reference) and has no name.
    root: () => ({ books: books.map((b) => ({ ...b, author: authors.find((a) => a.id === b.author) ?? { id: b.author, name: null } })) }),
  },
  queries: [{ label: 'the reference is joined where it resolves', query: '{ books { title author { id name } } }' }],
};

const tags = [
  { id: 't1', label: '税' },
  { id: 't2', label: '农' },
];
/** `topics` knows a tag by its label, a key the owner `tags` declares but cannot resolve: the jump goes one way only. */
const unresolvableJump: ConformanceCase = {
  name: 'keys: a jump through a key the target marks resolvable: false',
  subgraphs: {
    tags: {
      typeDefs: `${FED} type Tag @key(fields: "id") @key(fields: "label", resolvable: false) { id: ID! label: String! weight: Int! } type Query { tags: [Tag!]! }`,
      resolvers: {
        Query: { tags: () => tags.map((t) => ({ ...t, weight: t.label.length })) },
        Tag: {
          __resolveReference: ({ id }: { id: string }) => {
            const tag = tags.find((t) => t.id === id);
            return tag && { ...tag, weight: tag.label.length };
          },
        },
      },
    },
    topics: {
      typeDefs: `${FED} type Tag @key(fields: "label") { label: String! topic: String! }`,
      resolvers: { Tag: { __resolveReference: ({ label }: { label: string }) => ({ label, topic: label === '税' ? 'finance' : 'farming' }) } },
    },
  },
  truth: {
    typeDefs: `type Tag { id: ID! label: String! weight: Int! topic: String! } type Query { tags: [Tag!]! }`,
    root: () => {
      const all = tags.map((t) => ({ ...t, weight: t.label.length, topic: t.label === '税' ? 'finance' : 'farming' }));
      return { tags: all };
    },
  },
  queries: [{ label: 'from the owner to the label-keyed subgraph', query: '{ tags { id topic } }' }],
};

const units = [
  { id: 'k1', code: 'c-1', ref: { zone: 'z1', seq: 's1', batch: 'b1' }, label: '一号' },
  { id: 'k2', code: 'c-2', ref: { zone: 'z2', seq: 's2', batch: 'b2' }, label: '二号' },
];
const unitById = (id: string) => units.find((u) => u.id === id);
/**
 * Four keys, each subgraph resolving by one of them only. The planner goes back to `depots` for
 * `tag` through `ref { zone seq }`, a key `depots` marks resolvable: false, so depots cannot find
 * the unit. After graphql-hive/federation-gateway-audit "keys-mashup".
 */
const keysMashup: ConformanceCase = {
  name: 'keys: four keys, a different one resolvable in each subgraph',
  subgraphs: {
    units: {
      typeDefs: `${FED} type Unit @key(fields: "id") @key(fields: "code", resolvable: false) @key(fields: "ref { zone seq }", resolvable: false) @key(fields: "id ref { seq batch }", resolvable: false)
        { id: ID! code: ID! ref: Ref! label: String! } type Ref { zone: ID! seq: ID! batch: ID! }`,
      resolvers: { Unit: { __resolveReference: ({ id }: { id: string }) => unitById(id) ?? null } },
    },
    depots: {
      typeDefs: `${FED} type Query { depot: Depot } type Depot @key(fields: "id") { id: ID! units: [Unit!]! }
        type Unit @key(fields: "ref { zone seq }", resolvable: false) @key(fields: "id ref { seq batch }") @key(fields: "code", resolvable: false) @key(fields: "id", resolvable: false)
          { id: ID! code: ID! ref: Ref! label: String! @external tag: String! @requires(fields: "label") } type Ref { zone: ID! seq: ID! batch: ID! }`,
      resolvers: {
        Query: { depot: () => ({ id: 'd1', units: units.map(({ id, code, ref }) => ({ id, code, ref })) }) },
        // Found only by its resolvable key, `id ref { seq batch }`.
        Unit: {
          __resolveReference: (ref: { id?: string; ref?: { batch?: string }; label?: string }) => {
            const unit = ref.id && ref.ref?.batch ? unitById(ref.id) : undefined;
            return unit ? { ...unit, label: ref.label } : null;
          },
          tag: ({ label }: { label: string }) => `tag ${label}`,
        },
      },
    },
  },
  truth: {
    typeDefs: `type Query { depot: Depot } type Depot { id: ID! units: [Unit!]! } type Unit { id: ID! code: ID! ref: Ref! label: String! tag: String! } type Ref { zone: ID! seq: ID! batch: ID! }`,
    root: () => ({ depot: { id: 'd1', units: units.map((u) => ({ ...u, tag: `tag ${u.label}` })) } }),
  },
  queries: [
    { label: 'a field of the owner only', query: '{ depot { units { id label } } }' },
    { label: 'a field requiring the owner’s, back in the first subgraph', query: '{ depot { id units { id label tag } } }' },
  ],
};

export const keyCases: ConformanceCase[] = [keysMashup, simpleKey, compositeKey, nestedKey, multipleKeys, unresolvableReference, unresolvableJump];
