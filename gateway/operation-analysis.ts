import {
  ArgumentNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
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
  route: RootRoute;
  fanOut?: FanOutShape;
}

export interface AnalyzedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  roots: RootSelection[];
  /** Fanned-out entity fields, when the operation is an `_entities` fetch that selects any. */
  entityFanOuts: EntityFanOut[];
}

/** Names that are ours inside rewritten operations; a user alias cannot start with "_yrd". */
export const MERGE_EDGES_KEY = '_yrdMergeEdges';
export const MERGE_PAGE_KEY = '_yrdMergePage';

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** The fields of a selection set with fragments flattened, in order (object types only, as the planner emits). */
export function collectFields(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet.selections);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet.selections);
      }
    }
  };
  if (selectionSet) visit(selectionSet.selections);
  return fields;
}

export const responseKey = (field: FieldNode): string => field.alias?.value ?? field.name.value;

function fanOutShape(field: FieldNode, rule: FanOutRule, fragments: Map<string, FragmentDefinitionNode>): FanOutShape {
  const shape: FanOutShape = { rule, edges: [], pageInfos: [], others: [] };
  for (const child of collectFields(field.selectionSet, fragments)) {
    const key = responseKey(child);
    if (child.name.value === 'edges') {
      const cursorKeys = collectFields(child.selectionSet, fragments)
        .filter((f) => f.name.value === 'cursor')
        .map(responseKey);
      shape.edges.push({ key, cursorKeys });
    } else if (child.name.value === 'pageInfo') {
      const fields = collectFields(child.selectionSet, fragments).map((f) => ({ key: responseKey(f), name: f.name.value }));
      shape.pageInfos.push({ key, fields });
    } else {
      shape.others.push({ key, name: child.name.value });
    }
  }
  return shape;
}

export function analyzeOperation(document: DocumentNode, rules: RoutingRules): AnalyzedOperation {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('subgraph request holds no operation');
  const fragments = fragmentsOf(document);
  const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
  const roots = collectFields(operation.selectionSet, fragments).map((field, index): RootSelection => {
    const name = field.name.value;
    const base = { index, responseKey: responseKey(field), field };
    if (name === '_entities') return { ...base, route: { kind: 'entities' } };
    const rule = rules.rootFields.get(`${rootType}.${name}`);
    if (!rule) return { ...base, route: { kind: 'any' } }; // __typename, _service: any region answers alike
    if (rule.kind === 'fanOut') return { ...base, route: rule, fanOut: fanOutShape(field, rule, fragments) };
    return { ...base, route: rule };
  });
  const entities = roots.find((root) => root.route.kind === 'entities');
  const entityFanOuts = entities && rules.entityFields.size ? findEntityFanOuts(entities.field, fragments, rules) : [];
  return { document, operation, fragments, roots, entityFanOuts };
}

/** The fanned-out fields under `_entities`, by the type condition of the fragment they sit in. */
function findEntityFanOuts(entities: FieldNode, fragments: Map<string, FragmentDefinitionNode>, rules: RoutingRules): EntityFanOut[] {
  const found: EntityFanOut[] = [];
  const visit = (selections: readonly SelectionNode[], typeName: string | undefined) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const rule = typeName ? rules.entityFields.get(`${typeName}.${selection.name.value}`) : undefined;
        if (rule && typeName) {
          found.push({ index: found.length, typeName, responseKey: responseKey(selection), field: selection, fanOut: fanOutShape(selection, rule, fragments) });
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet.selections, selection.typeCondition?.name.value ?? typeName);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet.selections, fragment.typeCondition.name.value);
      }
    }
  };
  if (entities.selectionSet) visit(entities.selectionSet.selections, undefined);
  return found;
}

/** The value of a field argument, with variables substituted. */
export function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown> | undefined): unknown {
  const argument = field.arguments?.find((a: ArgumentNode) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}
