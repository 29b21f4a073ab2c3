import { buildSchema, GraphQLObjectType, Kind, OperationDefinitionNode, parse } from 'graphql';
import { collectFields as graphqlCollectFields } from 'graphql/execution/collectFields';
import { collectFields, conditionValues, conditionVariableNames, fragmentsOf, isIncluded, STATIC, typeConditionTest } from '../gateway/collect-fields';

/** The gateway's one CollectFields (gateway/collect-fields.ts), held to graphql-js' own where both apply. */

const schema = buildSchema(`
  interface Node { id: ID! }
  interface Named { name: String }
  type Person implements Node & Named { id: ID! name: String age: Int }
  type Agency implements Node & Named { id: ID! name: String code: String }
  type Ticket implements Node { id: ID! title: String }
  union Party = Person | Agency
  type Query { node: Node party: Party a: Int b: Int }
`);

const DOCUMENT = parse(`
  query Q($yes: Boolean!, $no: Boolean!) {
    node {
      id
      ... on Person { name age }
      ... on Named { label: name }
      ...AgencyParts
      ...AgencyParts
      ... @include(if: $no) { skipped: id }
      ... on Node @skip(if: $no) { id other: id }
      ignored: id @skip(if: $yes)
      shown: id @include(if: $yes)
      ...Twice @skip(if: true)
      ...Twice
    }
  }
  fragment AgencyParts on Agency { code name }
  fragment Twice on Node { twice: id }
`);
const operation = DOCUMENT.definitions[0] as OperationDefinitionNode;
const nodeField = operation.selectionSet.selections[0];
const selectionSet = nodeField.kind === Kind.FIELD ? nodeField.selectionSet! : operation.selectionSet;
const fragments = fragmentsOf(DOCUMENT);
const variables = { yes: true, no: false };

const keysFor = (runtimeType: string) =>
  [...collectFields(selectionSet, 'Node', { fragments, variables, applies: typeConditionTest(schema, schema.getType(runtimeType) as GraphQLObjectType) })].map(
    ([key, fields]) => `${key}:${fields.length}`,
  );

test('for a concrete type: fields by response key in order, the same as graphql-js’ collectFields', () => {
  for (const runtimeType of ['Person', 'Agency', 'Ticket']) {
    const ours = keysFor(runtimeType);
    const theirs = [
      ...graphqlCollectFields(schema, Object.fromEntries(fragments), variables, schema.getType(runtimeType) as GraphQLObjectType, selectionSet),
    ].map(([key, nodes]) => `${key}:${nodes.length}`);
    expect(ours).toEqual(theirs);
  }
  // A fragment on an interface applies to its implementations; one on another object type does not.
  expect(keysFor('Person')).toEqual(['id:2', 'name:1', 'age:1', 'label:1', 'other:1', 'shown:1', 'twice:1']);
  expect(keysFor('Agency')).toEqual(['id:2', 'label:1', 'code:1', 'name:1', 'other:1', 'shown:1', 'twice:1']);
  expect(keysFor('Ticket')).toEqual(['id:2', 'other:1', 'shown:1', 'twice:1']);
});

test('a fragment spread twice is collected once; one skipped first is still collected where it is not skipped', () => {
  const collected = collectFields(selectionSet, 'Node', {
    fragments,
    variables,
    applies: typeConditionTest(schema, schema.getType('Agency') as GraphQLObjectType),
  });
  expect(collected.get('code')).toHaveLength(1);
  expect(collected.get('twice')).toHaveLength(1);
});

test('each field says which type it is written on and in which fragment type', () => {
  const collected = collectFields(selectionSet, 'Node', {
    fragments,
    variables,
    applies: typeConditionTest(schema, schema.getType('Person') as GraphQLObjectType),
  });
  expect(collected.get('id')!.map(({ parentType, typeCondition }) => [parentType, typeCondition])).toEqual([
    ['Node', undefined],
    ['Node', 'Node'],
  ]);
  expect(collected.get('label')!.map(({ parentType }) => parentType)).toEqual(['Named']);
  expect(collected.get('twice')!.map(({ parentType }) => parentType)).toEqual(['Node']);
});

test('for an abstract runtime type (an answer without __typename): fragments on it and on the interfaces it implements apply, not those on its implementations', () => {
  const keys = (runtimeType: string) => [
    ...collectFields(selectionSet, 'Node', { fragments, variables, applies: typeConditionTest(schema, schema.getType(runtimeType) as never) }).keys(),
  ];
  expect(keys('Node')).toEqual(['id', 'other', 'shown', 'twice']);
  // A union is no subtype of anything: only a fragment on the union itself applies.
  const party = parse('{ party { ... on Party { __typename } ... on Named { name } ... on Person { age } } }');
  const partySet = (party.definitions[0] as OperationDefinitionNode).selectionSet.selections[0];
  const sets = partySet.kind === Kind.FIELD ? partySet.selectionSet! : operation.selectionSet;
  expect([
    ...collectFields(sets, 'Party', { fragments: new Map(), variables: {}, applies: typeConditionTest(schema, schema.getType('Party') as never) }).keys(),
  ]).toEqual(['__typename']);
});

test('a static walk (once per operation): literal conditions hold, a condition on a variable counts as met, every fragment applies', () => {
  const keys = [...collectFields(selectionSet, 'Node', { fragments, variables: STATIC }).keys()];
  expect(keys).toEqual(['id', 'name', 'age', 'label', 'code', 'skipped', 'other', 'ignored', 'shown', 'twice']);
});

test('@skip and @include: both must allow the node; a missing variable is not true', () => {
  const field = (directives: string) => {
    const parsed = parse(`query($t: Boolean!, $f: Boolean!, $u: Boolean!) { a ${directives} }`);
    return (parsed.definitions[0] as OperationDefinitionNode).selectionSet.selections[0];
  };
  const values = { t: true, f: false };
  expect(isIncluded(field(''), values)).toBe(true);
  expect(isIncluded(field('@include(if: $t) @skip(if: $f)'), values)).toBe(true);
  expect(isIncluded(field('@include(if: $t) @skip(if: $t)'), values)).toBe(false);
  expect(isIncluded(field('@include(if: $u)'), values)).toBe(false);
  expect(isIncluded(field('@skip(if: $u)'), values)).toBe(true);
  expect(isIncluded(field('@include(if: false)'), STATIC)).toBe(false);
  expect(isIncluded(field('@include(if: $f)'), STATIC)).toBe(true);
});

test('aliases: two keys of one field are two entries; one key selected twice merges its sub-selections', () => {
  const parsed = parse('{ x: node { id } y: node { id } x: node { ... on Person { name } } }');
  const collected = collectFields((parsed.definitions[0] as OperationDefinitionNode).selectionSet, 'Query', { fragments: new Map(), variables: {} });
  expect([...collected.keys()]).toEqual(['x', 'y']);
  expect(collected.get('x')!.map(({ node }) => node.selectionSet!.selections.length)).toEqual([1, 1]);
});

test('the fragment map is built once per document', () => {
  expect(fragmentsOf(DOCUMENT)).toBe(fragments);
  expect([...fragments.keys()]).toEqual(['AgencyParts', 'Twice']);
});

test('the variables conditions read, fragments included, and their values with the operation’s literal defaults', () => {
  expect(conditionVariableNames(operation, fragments)).toEqual(['no', 'yes']);
  const withDefault = parse('query($a: Boolean = true, $b: Boolean! = false, $c: Boolean!) { x @include(if: $a) }').definitions[0] as OperationDefinitionNode;
  expect(conditionValues(withDefault, { c: true, b: true })).toEqual({ a: true, b: true, c: true });
  expect(conditionValues(withDefault, {})).toEqual({ a: true, b: false });
});
