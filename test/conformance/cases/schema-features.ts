import { byKey, ConformanceCase, FED } from '../case';

/** @shareable, @override, @inaccessible, enums and input coercion. */

const places = [
  { id: 'z1', name: '西湖', geo: { lat: 30, lng: 120 } },
  { id: 'z2', name: '外滩', geo: { lat: 31, lng: 121 } },
];
const shareableValue: ConformanceCase = {
  name: 'shareable: a value type and a field both subgraphs resolve',
  subgraphs: {
    maps: {
      typeDefs: `${FED} type Place @key(fields: "id") { id: ID! name: String! @shareable geo: Geo! @shareable } type Geo @shareable { lat: Int! lng: Int! } type Query { places: [Place!]! }`,
      resolvers: { Query: { places: () => places }, Place: { __resolveReference: byKey(places, 'id') } },
    },
    guide: {
      typeDefs: `${FED} type Place @key(fields: "id") { id: ID! name: String! @shareable geo: Geo! @shareable tip: String! } type Geo @shareable { lat: Int! lng: Int! } type Query { featured: Place! }`,
      resolvers: {
        Query: { featured: () => ({ ...places[1], tip: '夜景' }) },
        Place: { __resolveReference: ({ id }: { id: string }) => ({ ...places.find((p) => p.id === id), tip: id === 'z1' ? '断桥' : '夜景' }) },
      },
    },
  },
  truth: {
    typeDefs: `type Place { id: ID! name: String! geo: Geo! tip: String! } type Geo { lat: Int! lng: Int! } type Query { places: [Place!]! featured: Place! }`,
    root: () => {
      const all = places.map((p) => ({ ...p, tip: p.id === 'z1' ? '断桥' : '夜景' }));
      return { places: all, featured: all[1] };
    },
  },
  queries: [
    { label: 'shared fields from the first subgraph, one field from the second', query: '{ places { name geo { lat } tip } }' },
    { label: 'shared fields from the second subgraph', query: '{ featured { name geo { lat lng } tip } }' },
  ],
};

const shareableRoot: ConformanceCase = {
  name: 'shareable: a root field two subgraphs serve',
  subgraphs: {
    a: { typeDefs: `${FED} type Query { version: String! @shareable alpha: Int! }`, resolvers: { Query: { version: () => '2.7', alpha: () => 1 } } },
    b: { typeDefs: `${FED} type Query { version: String! @shareable beta: Int! }`, resolvers: { Query: { version: () => '2.7', beta: () => 2 } } },
  },
  truth: { typeDefs: `type Query { version: String! alpha: Int! beta: Int! }`, root: () => ({ version: '2.7', alpha: 1, beta: 2 }) },
  queries: [{ label: 'all root fields in one query', query: '{ beta version alpha }' }],
};

const orders = [
  { id: 'o1', total: 10 },
  { id: 'o2', total: 20 },
];
const override: ConformanceCase = {
  name: 'override: a field moved to another subgraph',
  subgraphs: {
    legacy: {
      typeDefs: `${FED} type Order @key(fields: "id") { id: ID! total: Int! status: String! } type Query { orders: [Order!]! }`,
      resolvers: {
        Query: { orders: () => orders.map((o) => ({ ...o, status: 'OLD' })) },
        Order: { __resolveReference: (ref: { id: string }) => ({ ...orders.find((o) => o.id === ref.id), status: 'OLD' }) },
      },
    },
    billing: {
      typeDefs: `${FED} type Order @key(fields: "id") { id: ID! status: String! @override(from: "legacy") }`,
      resolvers: { Order: { __resolveReference: ({ id }: { id: string }) => ({ id, status: id === 'o1' ? 'PAID' : 'DUE' }) } },
    },
  },
  truth: {
    typeDefs: `type Order { id: ID! total: Int! status: String! } type Query { orders: [Order!]! }`,
    root: () => ({ orders: orders.map((o) => ({ ...o, status: o.id === 'o1' ? 'PAID' : 'DUE' })) }),
  },
  queries: [{ label: 'the overriding subgraph answers the field', query: '{ orders { id total status } }' }],
};

const overrideRoot: ConformanceCase = {
  name: 'override: a root field moved to another subgraph',
  subgraphs: {
    old: { typeDefs: `${FED} type Query { greeting: String! other: Int! }`, resolvers: { Query: { greeting: () => 'old', other: () => 1 } } },
    new: { typeDefs: `${FED} type Query { greeting: String! @override(from: "old") }`, resolvers: { Query: { greeting: () => 'new' } } },
  },
  truth: { typeDefs: `type Query { greeting: String! other: Int! }`, root: () => ({ greeting: 'new', other: 1 }) },
  queries: [{ label: 'the new subgraph answers', query: '{ greeting other }' }],
};

const staff = [
  { id: 'e1', name: '周', salary: 9000 },
  { id: 'e2', name: '吴', salary: 7000 },
];
const inaccessible: ConformanceCase = {
  name: 'inaccessible: a field and an argument hidden from callers but used in the plan',
  subgraphs: {
    hr: {
      typeDefs: `${FED} type Employee @key(fields: "id") { id: ID! name: String! salary: Int! @inaccessible } type Query { staff(internal: Boolean @inaccessible): [Employee!]! }`,
      resolvers: { Query: { staff: () => staff }, Employee: { __resolveReference: byKey(staff, 'id') } },
    },
    payroll: {
      typeDefs: `${FED} type Employee @key(fields: "id") { id: ID! salary: Int! @external band: String! @requires(fields: "salary") }`,
      resolvers: { Employee: { __resolveReference: (ref: object) => ref, band: ({ salary }: { salary: number }) => (salary > 8000 ? 'A' : 'B') } },
    },
  },
  truth: {
    typeDefs: `type Employee { id: ID! name: String! band: String! } type Query { staff: [Employee!]! }`,
    root: () => ({ staff: staff.map((e) => ({ id: e.id, name: e.name, band: e.salary > 8000 ? 'A' : 'B' })) }),
  },
  queries: [
    { label: 'a field requiring an inaccessible one', query: '{ staff { name band } }' },
    { label: 'the inaccessible field itself is refused', query: '{ staff { salary } }', errors: 'presence' },
    { label: 'the inaccessible argument is refused', query: '{ staff(internal: true) { name } }', errors: 'presence' },
  ],
};

const tasks = [
  { id: 't1', state: 'OPEN', priority: 'HIGH' },
  { id: 't2', state: 'DONE', priority: 'LOW' },
  { id: 't3', state: 'OPEN', priority: 'LOW' },
];
const enums: ConformanceCase = {
  name: 'enums: as arguments, variables, and results across subgraphs',
  subgraphs: {
    tasks: {
      typeDefs: `${FED} enum State { OPEN DONE } type Task @key(fields: "id") { id: ID! state: State! } type Query { tasks(state: State): [Task!]! }`,
      resolvers: {
        Query: { tasks: (_: unknown, { state }: { state?: string }) => tasks.filter((t) => !state || t.state === state) },
        Task: { __resolveReference: byKey(tasks, 'id') },
      },
    },
    triage: {
      typeDefs: `${FED} enum Priority { HIGH LOW } type Task @key(fields: "id") { id: ID! priority: Priority! isUrgent(threshold: Priority = HIGH): Boolean! }`,
      resolvers: {
        Task: {
          __resolveReference: ({ id }: { id: string }) => tasks.find((t) => t.id === id),
          isUrgent: (task: { priority: string }, { threshold }: { threshold: string }) => task.priority === threshold,
        },
      },
    },
  },
  truth: {
    typeDefs: `enum State { OPEN DONE } enum Priority { HIGH LOW } type Task { id: ID! state: State! priority: Priority! isUrgent(threshold: Priority = HIGH): Boolean! } type Query { tasks(state: State): [Task!]! }`,
    root: () => ({
      tasks: ({ state }: { state?: string }) =>
        tasks.filter((t) => !state || t.state === state).map((t) => ({ ...t, isUrgent: ({ threshold }: { threshold: string }) => t.priority === threshold })),
    }),
  },
  queries: [
    { label: 'an enum literal argument', query: '{ tasks(state: OPEN) { id priority } }' },
    {
      label: 'an enum variable reaching an entity fetch, a default argument',
      query: 'query($p: Priority!) { tasks { id a: isUrgent(threshold: $p) b: isUrgent } }',
      variables: { p: 'LOW' },
    },
    { label: 'an unknown enum value is refused', query: '{ tasks(state: LOST) { id } }', errors: 'presence' },
  ],
};

interface Filter {
  cities?: string[];
  min?: number;
  nested?: { tag: string };
}
const rows = [
  { id: 'r1', city: '杭州', score: 5, tag: 'a' },
  { id: 'r2', city: '宁波', score: 2, tag: 'b' },
  { id: 'r3', city: '杭州', score: 9, tag: 'b' },
];
const select = (filter: Filter | undefined) =>
  rows.filter((r) => (!filter?.cities || filter.cities.includes(r.city)) && r.score >= (filter?.min ?? 0) && (!filter?.nested || filter.nested.tag === r.tag));
const inputs: ConformanceCase = {
  name: 'inputs: input objects, list coercion and defaults',
  subgraphs: {
    data: {
      typeDefs: `${FED} input Nested { tag: String! } input Filter { cities: [String!] min: Int = 3 nested: Nested } type Row @key(fields: "id") { id: ID! city: String! } type Query { rows(filter: Filter): [Row!]! }`,
      resolvers: { Query: { rows: (_: unknown, { filter }: { filter?: Filter }) => select(filter) } },
    },
    scores: {
      typeDefs: `${FED} type Row @key(fields: "id") { id: ID! scaled(by: [Int!]! = [1]): [Int!]! }`,
      resolvers: {
        Row: {
          __resolveReference: ({ id }: { id: string }) => rows.find((r) => r.id === id),
          scaled: (row: { score: number }, { by }: { by: number[] }) => by.map((n) => n * row.score),
        },
      },
    },
  },
  truth: {
    typeDefs: `input Nested { tag: String! } input Filter { cities: [String!] min: Int = 3 nested: Nested } type Row { id: ID! city: String! scaled(by: [Int!]! = [1]): [Int!]! } type Query { rows(filter: Filter): [Row!]! }`,
    root: () => ({
      rows: ({ filter }: { filter?: Filter }) => select(filter).map((r) => ({ ...r, scaled: ({ by }: { by: number[] }) => by.map((n) => n * r.score) })),
    }),
  },
  queries: [
    { label: 'a single value for a list, an input default', query: '{ rows(filter: { cities: "杭州" }) { id scaled(by: 2) } }' },
    {
      label: 'an input object by variable, a list argument by variable',
      query: 'query($f: Filter, $by: [Int!]!) { rows(filter: $f) { city scaled(by: $by) } }',
      variables: { f: { min: 0, nested: { tag: 'b' } }, by: [1, 10] },
    },
    {
      label: 'a variable of the wrong type is refused',
      query: 'query($f: Filter) { rows(filter: $f) { id } }',
      variables: { f: { min: 'many' } },
      errors: 'presence',
    },
  ],
};

export const schemaFeatureCases: ConformanceCase[] = [shareableValue, shareableRoot, override, overrideRoot, inaccessible, enums, inputs];
