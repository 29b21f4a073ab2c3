import { ArgumentNode, DocumentNode, FieldNode, Kind, OperationDefinitionNode, valueFromASTUntyped } from 'graphql';
import { collectFields, CollectOptions, collectSubfields, Fragments, fragmentsOf, STATIC } from './collect-fields';
import type { RootFieldRule, RoutingRules } from './routing-rules';

/**
 * What the router needs to know about one subgraph operation the query planner produced: its
 * root fields, the rule that routes each, and for fanned-out fields where the connection's
 * parts sit in the response. Computed once per distinct operation text and cached, because the
 * planner reuses the same operation for every request of the same shape.
 */

type FanOutRule = Extract<RootFieldRule, { kind: 'fanOut' }>;

/** A fanned-out field inside an `_entities` fetch: `... on Person { petitions(first: 5) { … } }`. */
export interface EntityFanOut {
  index: number;
  typeName: string;
  responseKey: string;
  field: FieldNode;
  /** Every node selecting it (a field may be selected more than once under one key): `field` is the first. */
  fields: FieldNode[];
  fanOut: FanOutShape;
}

export interface FanOutShape {
  rule: FanOutRule;
  /** Response keys of `edges` selections, each with the response keys of its `cursor` selections. */
  edges: Array<{ key: string; cursorKeys: string[] }>;
  /** Response keys of `pageInfo` selections, each with its sub-fields. */
  pageInfos: Array<{ key: string; fields: Array<{ key: string; name: string }> }>;
  /** Any other connection field (`__typename`, `totalCount`, …). */
  others: Array<{ key: string; name: string }>;
}

export type RootRoute = { kind: 'any' } | { kind: 'entities' } | RootFieldRule;

export interface RootSelection {
  index: number;
  responseKey: string;
  field: FieldNode;
  /** Every node selecting it under this response key: `field` is the first. */
  fields: FieldNode[];
  route: RootRoute;
  fanOut?: FanOutShape;
}

export interface AnalyzedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  roots: RootSelection[];
  /** Fanned-out entity fields, when the operation is an `_entities` fetch that selects any. */
  entityFanOuts: EntityFanOut[];
}

/** Analysed once per operation text, for any variables; every fragment applies, so the type names given to the walk only label. */
const STATIC_WALK = (fragments: Fragments): CollectOptions => ({ fragments, variables: STATIC });

function fanOutShape(fields: readonly FieldNode[], rule: FanOutRule, fragments: Fragments): FanOutShape {
  const shape: FanOutShape = { rule, edges: [], pageInfos: [], others: [] };
  const options = STATIC_WALK(fragments);
  for (const [key, children] of collectSubfields(fields, rule.connectionType, options)) {
    const name = children[0].node.name.value;
    if (name === 'edges') {
      const cursorKeys = [...collectSubfields(children, `${rule.connectionType}.edges`, options)]
        .filter(([, edge]) => edge[0].node.name.value === 'cursor')
        .map(([cursorKey]) => cursorKey);
      shape.edges.push({ key, cursorKeys });
    } else if (name === 'pageInfo') {
      const fields = [...collectSubfields(children, rule.pageInfoType, options)].map(([fieldKey, nodes]) => ({
        key: fieldKey,
        name: nodes[0].node.name.value,
      }));
      shape.pageInfos.push({ key, fields });
    } else {
      shape.others.push({ key, name });
    }
  }
  return shape;
}

export function analyzeOperation(document: DocumentNode, rules: RoutingRules): AnalyzedOperation {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('subgraph request holds no operation');
  const fragments = fragmentsOf(document);
  const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
  const collected = [...collectFields(operation.selectionSet, rootType, STATIC_WALK(fragments))];
  const roots = collected.map(([key, nodes], index): RootSelection => {
    const fields = nodes.map((collectedField) => collectedField.node);
    const field = fields[0];
    const name = field.name.value;
    const base = { index, responseKey: key, field, fields };
    if (name === '_entities') return { ...base, route: { kind: 'entities' } };
    const rule = rules.rootFields.get(`${rootType}.${name}`);
    if (!rule) return { ...base, route: { kind: 'any' } }; // __typename, _service: any region answers alike
    if (rule.kind === 'fanOut') return { ...base, route: rule, fanOut: fanOutShape(fields, rule, fragments) };
    return { ...base, route: rule };
  });
  const entities = roots.find((root) => root.route.kind === 'entities');
  const entityFanOuts = entities && rules.entityFields.size ? findEntityFanOuts(entities.fields, fragments, rules) : [];
  return { document, operation, fragments, roots, entityFanOuts };
}

/** The fanned-out fields under `_entities`, by the type condition of the fragment they sit in. */
function findEntityFanOuts(entities: readonly FieldNode[], fragments: Fragments, rules: RoutingRules): EntityFanOut[] {
  const found: EntityFanOut[] = [];
  for (const [key, nodes] of collectSubfields(entities, '_Entity', STATIC_WALK(fragments))) {
    const byType = new Map<string, FieldNode[]>();
    for (const { node, typeCondition } of nodes) {
      if (typeCondition === undefined || !rules.entityFields.has(`${typeCondition}.${node.name.value}`)) continue;
      const same = byType.get(typeCondition);
      if (same) same.push(node);
      else byType.set(typeCondition, [node]);
    }
    for (const [typeName, fields] of byType) {
      const rule = rules.entityFields.get(`${typeName}.${fields[0].name.value}`)!;
      found.push({ index: found.length, typeName, responseKey: key, field: fields[0], fields, fanOut: fanOutShape(fields, rule, fragments) });
    }
  }
  return found;
}

/** The value of a field argument, with variables substituted. */
export function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown> | undefined): unknown {
  const argument = field.arguments?.find((a: ArgumentNode) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}
