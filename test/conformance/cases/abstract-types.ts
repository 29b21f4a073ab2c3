import { byKey, ConformanceCase, FED, typed } from '../case';

/** Interfaces, unions and @interfaceObject across subgraphs, with and without `__typename` in the query. */

const media = [
  typed('Book', { id: 'm1', title: '围城', pages: 300 }),
  typed('Movie', { id: 'm2', title: '霸王别姬', minutes: 171 }),
  typed('Book', { id: 'm3', title: '活着', pages: 190 }),
];
const ratings: Record<string, number> = { m1: 9, m2: 10, m3: 8 };
const mediaTruth = () => media.map((m) => ({ ...m, rating: ratings[m.id] }));

const interfaceAcross: ConformanceCase = {
  name: 'interfaces: implementations extended by another subgraph',
  subgraphs: {
    media: {
      typeDefs: `${FED} interface Media { id: ID! title: String! } type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
        type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! } type Query { media: [Media!]! }`,
      resolvers: { Query: { media: () => media }, Media: { __resolveType: (m: { __typename: string }) => m.__typename } },
    },
    ratings: {
      typeDefs: `${FED} type Book @key(fields: "id") { id: ID! rating: Int! } type Movie @key(fields: "id") { id: ID! rating: Int! }`,
      resolvers: {
        Book: { __resolveReference: ({ id }: { id: string }) => ({ id, rating: ratings[id] }) },
        Movie: { __resolveReference: ({ id }: { id: string }) => ({ id, rating: ratings[id] }) },
      },
    },
  },
  truth: {
    typeDefs: `interface Media { id: ID! title: String! } type Book implements Media { id: ID! title: String! pages: Int! rating: Int! }
      type Movie implements Media { id: ID! title: String! minutes: Int! rating: Int! } type Query { media: [Media!]! }`,
    root: () => ({ media: mediaTruth() }),
  },
  queries: [
    { label: 'interface fields, no __typename', query: '{ media { id title } }' },
    { label: 'with __typename', query: '{ media { __typename id } }' },
    { label: 'type conditions reaching another subgraph', query: '{ media { title ... on Book { pages rating } ... on Movie { rating } } }' },
    { label: 'a fragment on the interface itself', query: '{ media { ... on Media { id } } }' },
    { label: 'named fragments nested on abstract types', query: '{ media { ...M } } fragment M on Media { id ...B } fragment B on Book { pages rating }' },
  ],
};

const results = [typed('Person', { id: 'p1', name: '张' }), typed('Place', { id: 'l1', city: '苏州' }), typed('Person', { id: 'p2', name: '李' })];
const ages: Record<string, number> = { p1: 20, p2: 30 };
const unionAcross: ConformanceCase = {
  name: 'unions: members extended by another subgraph',
  subgraphs: {
    search: {
      typeDefs: `${FED} union Result = Person | Place type Person @key(fields: "id") { id: ID! name: String! } type Place { id: ID! city: String! } type Query { search: [Result!]! }`,
      resolvers: { Query: { search: () => results }, Result: { __resolveType: (r: { __typename: string }) => r.__typename } },
    },
    people: {
      typeDefs: `${FED} type Person @key(fields: "id") { id: ID! age: Int! }`,
      resolvers: { Person: { __resolveReference: ({ id }: { id: string }) => ({ id, age: ages[id] }) } },
    },
  },
  truth: {
    typeDefs: `union Result = Person | Place type Person { id: ID! name: String! age: Int! } type Place { id: ID! city: String! } type Query { search: [Result!]! }`,
    root: () => ({ search: results.map((r) => (r.__typename === 'Person' ? { ...r, age: ages[r.id] } : r)) }),
  },
  queries: [
    { label: 'members by type condition, no __typename', query: '{ search { ... on Person { name age } ... on Place { city } } }' },
    { label: 'only __typename', query: '{ search { __typename } }' },
    { label: 'one member only (the other answers {})', query: '{ search { ... on Place { city } } }' },
    { label: 'an aliased __typename and a named fragment', query: '{ search { kind: __typename ...P } } fragment P on Person { id age }' },
  ],
};

const accounts = [typed('Admin', { id: 'a1', name: '管理员', level: 3 }), typed('Member', { id: 'a2', name: '会员' })];
const credits: Record<string, number> = { a1: 100, a2: 5 };
const interfaceObject: ConformanceCase = {
  name: 'interfaces: an @interfaceObject subgraph adds a field to every implementation',
  subgraphs: {
    accounts: {
      typeDefs: `${FED} interface Account @key(fields: "id") { id: ID! name: String! } type Admin implements Account @key(fields: "id") { id: ID! name: String! level: Int! }
        type Member implements Account @key(fields: "id") { id: ID! name: String! } type Query { accounts: [Account!]! }`,
      resolvers: {
        Query: { accounts: () => accounts },
        Account: { __resolveType: (a: { __typename: string }) => a.__typename, __resolveReference: byKey(accounts, 'id') },
        Admin: { __resolveReference: byKey(accounts, 'id') },
        Member: { __resolveReference: byKey(accounts, 'id') },
      },
    },
    credits: {
      typeDefs: `${FED} type Account @key(fields: "id") @interfaceObject { id: ID! credit: Int! } type Query { richest: [Account!]! }`,
      resolvers: {
        Query: {
          richest: () => [
            { id: 'a1', credit: 100 },
            { id: 'a2', credit: 5 },
          ],
        },
        Account: { __resolveReference: ({ id }: { id: string }) => ({ id, credit: credits[id] }) },
      },
    },
  },
  truth: {
    typeDefs: `interface Account { id: ID! name: String! credit: Int! } type Admin implements Account { id: ID! name: String! level: Int! credit: Int! }
      type Member implements Account { id: ID! name: String! credit: Int! } type Query { accounts: [Account!]! richest: [Account!]! }`,
    root: () => {
      const all = accounts.map((a) => ({ ...a, credit: credits[a.id] }));
      return { accounts: all, richest: all };
    },
  },
  queries: [
    { label: 'the interface’s subgraph, a field of the interface object, no __typename', query: '{ accounts { name credit } }' },
    { label: 'from the interface object, its own fields only', query: '{ richest { id credit } }' },
    { label: 'from the interface object, a field of the implementations', query: '{ richest { credit name } }' },
    { label: 'from the interface object, __typename and a type condition', query: '{ richest { __typename ... on Admin { level } } }' },
  ],
};

const shapes = [typed('Circle', { id: 's1', radius: 2 }), typed('Square', { id: 's2', side: 3 })];
const colours: Record<string, string> = { s1: 'red', s2: 'blue' };
/** The interface is an entity only through its implementations; the second subgraph implements only one of them. */
const partialInterface: ConformanceCase = {
  name: 'interfaces: one implementation known to a second subgraph only',
  subgraphs: {
    shapes: {
      typeDefs: `${FED} interface Shape { id: ID! } type Circle implements Shape @key(fields: "id") { id: ID! radius: Int! } type Square implements Shape @key(fields: "id") { id: ID! side: Int! } type Query { shapes: [Shape!]! }`,
      resolvers: { Query: { shapes: () => shapes }, Shape: { __resolveType: (s: { __typename: string }) => s.__typename } },
    },
    paint: {
      typeDefs: `${FED} type Circle @key(fields: "id") { id: ID! colour: String! }`,
      resolvers: { Circle: { __resolveReference: ({ id }: { id: string }) => ({ id, colour: colours[id] }) } },
    },
  },
  truth: {
    typeDefs: `interface Shape { id: ID! } type Circle implements Shape { id: ID! radius: Int! colour: String! } type Square implements Shape { id: ID! side: Int! } type Query { shapes: [Shape!]! }`,
    root: () => ({ shapes: shapes.map((s) => (s.__typename === 'Circle' ? { ...s, colour: colours[s.id] } : s)) }),
  },
  queries: [
    { label: 'a type condition on the extended implementation only', query: '{ shapes { id ... on Circle { colour } } }' },
    { label: 'interface field only', query: '{ shapes { id } }' },
  ],
};

const animals = [typed('Dog', { id: 'd1', name: '旺财', barks: true }), typed('Cat', { id: 'c1', name: '咪咪', lives: 9 })];
/** The same interface in two subgraphs, each with its own implementation: type conditions must apply per subgraph's answer. */
const sharedInterface: ConformanceCase = {
  name: 'interfaces: one interface, its implementations in different subgraphs',
  subgraphs: {
    dogs: {
      typeDefs: `${FED} interface Animal { id: ID! name: String! } type Dog implements Animal @key(fields: "id") { id: ID! name: String! barks: Boolean! } type Query { pets: [Animal!]! }`,
      resolvers: {
        Query: { pets: () => animals.filter((a) => a.__typename === 'Dog') },
        Animal: { __resolveType: (a: { __typename: string }) => a.__typename },
      },
    },
    cats: {
      typeDefs: `${FED} interface Animal { id: ID! name: String! } type Cat implements Animal @key(fields: "id") { id: ID! name: String! lives: Int! } type Query { strays: [Animal!]! }`,
      resolvers: {
        Query: { strays: () => animals.filter((a) => a.__typename === 'Cat') },
        Animal: { __resolveType: (a: { __typename: string }) => a.__typename },
      },
    },
  },
  truth: {
    typeDefs: `interface Animal { id: ID! name: String! } type Dog implements Animal { id: ID! name: String! barks: Boolean! } type Cat implements Animal { id: ID! name: String! lives: Int! } type Query { pets: [Animal!]! strays: [Animal!]! }`,
    root: () => ({ pets: animals.filter((a) => a.__typename === 'Dog'), strays: animals.filter((a) => a.__typename === 'Cat') }),
  },
  queries: [
    {
      label: 'type conditions on both implementations',
      query: '{ pets { name ... on Dog { barks } ... on Cat { lives } } strays { ... on Cat { lives } ... on Dog { barks } } }',
    },
    { label: 'no __typename, interface fields only', query: '{ pets { name } strays { id } }' },
  ],
};

const nodes = [typed('Doc', { id: 'n1', text: '文' }), typed('Pic', { id: 'n2', url: 'u' })];
const owners: Record<string, string> = { n1: '王', n2: '赵' };
const unionInInterfaceField: ConformanceCase = {
  name: 'unions: a union field inside an entity fetch',
  subgraphs: {
    folders: {
      typeDefs: `${FED} type Folder @key(fields: "id") { id: ID! } type Query { folder: Folder! }`,
      resolvers: { Query: { folder: () => ({ id: 'f1' }) } },
    },
    content: {
      typeDefs: `${FED} type Folder @key(fields: "id") { id: ID! items: [Entry!]! } union Entry = Doc | Pic type Doc @key(fields: "id") { id: ID! text: String! } type Pic @key(fields: "id") { id: ID! url: String! }`,
      resolvers: {
        Folder: { __resolveReference: ({ id }: { id: string }) => ({ id, items: nodes }) },
        Entry: { __resolveType: (n: { __typename: string }) => n.__typename },
      },
    },
    owners: {
      typeDefs: `${FED} type Doc @key(fields: "id") { id: ID! owner: String! } type Pic @key(fields: "id") { id: ID! owner: String! }`,
      resolvers: {
        Doc: { __resolveReference: ({ id }: { id: string }) => ({ id, owner: owners[id] }) },
        Pic: { __resolveReference: ({ id }: { id: string }) => ({ id, owner: owners[id] }) },
      },
    },
  },
  truth: {
    typeDefs: `type Folder { id: ID! items: [Entry!]! } union Entry = Doc | Pic type Doc { id: ID! text: String! owner: String! } type Pic { id: ID! url: String! owner: String! } type Query { folder: Folder! }`,
    root: () => ({ folder: { id: 'f1', items: nodes.map((n) => ({ ...n, owner: owners[n.id] })) } }),
  },
  queries: [
    { label: 'two hops, the second per member', query: '{ folder { items { ... on Doc { text owner } ... on Pic { owner } } } }' },
    {
      label: 'a fragment per member spread through a named fragment',
      query: '{ folder { items { ...E } } } fragment E on Entry { __typename ... on Pic { url } }',
    },
  ],
};

const nodeUsers = [typed('User', { id: 'u1', name: '钱' }), typed('Bot', { id: 'b7', name: '小助手' })];
/** The interface object cannot be resolved in `pointers` (resolvable: false): it only hands out ids, which the interface's own subgraph resolves. */
const unresolvableInterfaceObject: ConformanceCase = {
  name: 'interfaces: an @interfaceObject that its subgraph cannot resolve',
  subgraphs: {
    nodes: {
      typeDefs: `${FED} interface Node @key(fields: "id") { id: ID! name: String! } type User implements Node @key(fields: "id") { id: ID! name: String! }
        type Bot implements Node @key(fields: "id") { id: ID! name: String! } type Query { nodes: [Node!]! }`,
      resolvers: {
        Query: { nodes: () => nodeUsers },
        Node: { __resolveType: (n: { __typename: string }) => n.__typename, __resolveReference: byKey(nodeUsers, 'id') },
        User: { __resolveReference: byKey(nodeUsers, 'id') },
        Bot: { __resolveReference: byKey(nodeUsers, 'id') },
      },
    },
    pointers: {
      typeDefs: `${FED} type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! } type Query { pinned: Node! maybe: Node }`,
      resolvers: { Query: { pinned: () => ({ id: 'b7' }), maybe: () => ({ id: 'u1' }) } },
    },
  },
  truth: {
    typeDefs: `interface Node { id: ID! name: String! } type User implements Node { id: ID! name: String! } type Bot implements Node { id: ID! name: String! } type Query { nodes: [Node!]! pinned: Node! maybe: Node }`,
    root: () => ({ nodes: nodeUsers, pinned: nodeUsers[1], maybe: nodeUsers[0] }),
  },
  queries: [
    { label: 'its own field only, no __typename (a non-null root field)', query: '{ pinned { id } maybe { id } }' },
    { label: 'a field of the interface, from its own subgraph', query: '{ pinned { id name } }' },
    { label: '__typename and a type condition', query: '{ maybe { __typename ... on User { name } } }' },
  ],
};

/**
 * `Query.a` returns an interface none of whose implementations its subgraph knows: nothing can
 * answer `a`'s fields, and the query must fail, as the monolith (whose resolver has nothing to
 * return) does. After graphql-hive/federation-gateway-audit "non-resolvable-interface-object".
 */
const unreachableInterface: ConformanceCase = {
  name: 'interfaces: a root field whose subgraph knows no implementation',
  subgraphs: {
    roots: {
      typeDefs: `${FED} interface Node { id: ID! } type Query { a: Node! }`,
      resolvers: { Query: { a: () => ({ id: 'n1' }) } },
    },
    extras: {
      typeDefs: `${FED} type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! field: String! } type Query { b: Node! }`,
      resolvers: { Query: { b: () => ({ id: 'n1', field: 'foo' }) } },
    },
    items: {
      typeDefs: `${FED} interface Node @key(fields: "id") { id: ID! } type Item implements Node @key(fields: "id") { id: ID! }`,
      resolvers: {
        Node: { __resolveType: () => 'Item', __resolveReference: ({ id }: { id: string }) => ({ id }) },
        Item: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
      },
    },
  },
  truth: {
    typeDefs: `interface Node { id: ID! field: String! } type Item implements Node { id: ID! field: String! } type Query { a: Node! b: Node! }`,
    root: () => ({
      a: () => {
        throw new Error('no implementation of Node is known where Query.a is resolved');
      },
      b: typed('Item', { id: 'n1', field: 'foo' }),
    }),
  },
  queries: [
    { label: 'a field of the interface object only: nothing can answer it', query: '{ a { field } }' },
    { label: 'the same field left out by a literal @skip: no error', query: '{ __typename a @skip(if: true) { field } }' },
    { label: 'the interface’s own field: its subgraph fails to answer', query: '{ a { id } }' },
    { label: 'from the interface object, no type condition', query: '{ b { id field } }' },
  ],
};

export const abstractTypeCases: ConformanceCase[] = [
  unreachableInterface,
  interfaceAcross,
  unionAcross,
  interfaceObject,
  partialInterface,
  sharedInterface,
  unionInInterfaceField,
  unresolvableInterfaceObject,
];
