import { buildSchema, OperationDefinitionNode, parse, print } from 'graphql';
import { findCrossRegionLinks, keysOnly, linkFetch } from '../gateway/cross-region-links';
import { selectedCoordinates } from '../gateway/early-access';
import { analyzeOperation } from '../gateway/operation-analysis';
import { printRegionOperation } from '../gateway/operation-rewrite';
import type { RoutingRules } from '../gateway/routing-rules';
import { WARNINGS_FAN_OUT_RULES } from './support/fan-out-rules';

/**
 * Where the gateway's walks over selections used to disagree with CollectFields (each case failed
 * before they all went through gateway/collect-fields.ts): a field selected twice under one
 * response key is one field with both selections; a named fragment spread twice is used once; a
 * literal `@skip`/`@include` holds.
 */

const flat = (text: string) => text.replace(/\s+/g, ' ');

test('a fanned-out root field selected twice under one key is routed and rewritten once, with both selections', () => {
  const document = parse(`query Q($first: Int) { ...W ...W petitionWarnings(first: $first) { pageInfo { hasNextPage } } }
    fragment W on Query { petitionWarnings(first: $first) { edges { node { id } } } }`);
  const analyzed = analyzeOperation(document, WARNINGS_FAN_OUT_RULES);
  expect(analyzed.roots.map((root) => root.responseKey)).toEqual(['petitionWarnings']);
  expect(analyzed.roots[0].fanOut).toMatchObject({
    edges: [{ key: 'edges', cursorKeys: [] }],
    pageInfos: [{ key: 'pageInfo', fields: [{ key: 'hasNextPage', name: 'hasNextPage' }] }],
  });
  const text = flat(printRegionOperation(analyzed, analyzed.roots));
  // One field, one pair of page variables (two would be two fields under one key with different arguments: refused).
  expect(text.match(/petitionWarnings\(/g)).toHaveLength(1);
  expect(text).toContain('query Q($_yrdFirst0: Int, $_yrdAfter0: String)');
  expect(text).toContain('petitionWarnings(first: $_yrdFirst0, after: $_yrdAfter0) { edges { node { id } } pageInfo { hasNextPage } _yrdMergeEdges: edges');
});

const LINK_RULES: RoutingRules = {
  rootFields: new Map(),
  entityFields: new Map(),
  crossRegionFields: new Map([['Inspection.tasks', { subgraph: 'enforcement', typeName: 'Task', keyFields: ['id'] }]]),
  fieldTypes: new Map([['Query.inspection', 'Inspection']]),
};

test('a cross-region field selected twice under one key is one link whose records carry both selections', () => {
  const document = parse('{ inspection(id: "1") { tasks { id } ...T ...T } } fragment T on Inspection { tasks { status } }');
  const links = findCrossRegionLinks(document, LINK_RULES);
  expect(links).toHaveLength(1);
  expect(links[0].steps).toEqual([{ key: 'inspection' }, { key: 'tasks' }]);
  expect(flat(linkFetch(document, links[0]).text)).toContain('_entities(representations: $representations) { ... on Task { id status } }');
  // The answering region is asked for keys only, in every node of the field.
  expect(flat(print(keysOnly(document, links)))).toBe(
    '{ inspection(id: "1") { tasks { __typename id } ...T ...T } } fragment T on Inspection { tasks { __typename id } }',
  );
});

test('a cross-region field left out by a literal @include(if: false) is no link', () => {
  expect(findCrossRegionLinks(parse('{ inspection(id: "1") { tasks @include(if: false) { id } } }'), LINK_RULES)).toEqual([]);
});

test('early access reads the fields an operation selects: in fragments on the type they name, not those a literal condition leaves out', () => {
  const schema = buildSchema(
    'interface Record { id: ID! } type Person implements Record { id: ID! idNumber: String name: String } type Query { person: Person record: Record }',
  );
  const document = parse(`query { person { name idNumber @include(if: false) } record { ... on Person { ...P } } }
    fragment P on Person { idNumber @skip(if: $never) }`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  expect(selectedCoordinates(schema, document, operation)).toEqual(['Query.person', 'Person.name', 'Query.record', 'Person.idNumber']);
  const skipped = parse('{ person { name idNumber @include(if: false) } }');
  expect(selectedCoordinates(schema, skipped, skipped.definitions[0] as OperationDefinitionNode)).toEqual(['Query.person', 'Person.name']);
});
