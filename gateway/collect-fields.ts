import {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  GraphQLCompositeType,
  GraphQLSchema,
  InlineFragmentNode,
  isAbstractType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  visit,
} from 'graphql';

/**
 * The gateway's one walk over selection sets, graphql-js' CollectFields (GraphQL spec,
 * "CollectFields()"): the fields of one or more selection sets grouped by response key, in
 * order; fragments spread or inlined are applied when their type condition matches; `@skip` and
 * `@include` are evaluated; each named fragment is visited once per collection. Every part of
 * the gateway that reads an operation's selections (analysis, limits, shaping, the plan
 * executor, early access, cross-region links, wire aliases) goes through here, so they all
 * agree on what a selection set selects.
 *
 * graphql-js' own `collectFields` (graphql/execution/collectFields) needs a concrete runtime
 * type and coerced variables, and does not say on which type each field was written; the
 * gateway also walks statically (once per operation, before any variables are known, over
 * abstract types), so the walk is written here once, with the same rules.
 */

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

const fragmentsByDocument = new WeakMap<DocumentNode, Map<string, FragmentDefinitionNode>>();

/** A document's fragment definitions by name, built once per document. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  let fragments = fragmentsByDocument.get(document);
  if (!fragments) {
    fragments = new Map();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    fragmentsByDocument.set(document, fragments);
  }
  return fragments;
}

export const responseKey = (field: FieldNode): string => field.alias?.value ?? field.name.value;

/**
 * Variable values for `@skip`/`@include`, or `STATIC`: a walk done once per operation, whatever
 * the variables. It evaluates literal conditions (`@include(if: false)` selects nothing, ever)
 * and counts a condition on a variable as met, so it sees every field a request may select.
 */
export const STATIC = Symbol('any variables');
export type ConditionValues = Readonly<Record<string, unknown>> | typeof STATIC;

/** Variable values as `@skip`/`@include` read them: those given, else the operation's literal defaults. */
export function conditionValues(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue?.kind === Kind.BOOLEAN) values[name] = definition.defaultValue.value;
  }
  return values;
}

/** The variables the `@skip`/`@include` conditions of an operation (its fragments included) read, sorted: what a walk with variables depends on. */
export function conditionVariableNames(operation: OperationDefinitionNode, fragments: Fragments): string[] {
  const names = new Set<string>();
  const visitor = {
    Directive(directive: DirectiveNode) {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') return;
      for (const argument of directive.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    },
  };
  visit(operation.selectionSet, visitor);
  for (const fragment of fragments.values()) visit(fragment.selectionSet, visitor);
  return [...names].sort();
}

type Directed = Pick<FieldNode | InlineFragmentNode | FragmentSpreadNode, 'directives'>;

/** The spec's `@skip(if:)`/`@include(if:)` test (graphql-js' shouldIncludeNode). */
export function isIncluded(node: Directed, variables: ConditionValues): boolean {
  const directives = node.directives;
  if (!directives || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    let value: boolean;
    if (argument?.kind === Kind.BOOLEAN) value = argument.value;
    else if (argument?.kind === Kind.VARIABLE) {
      if (variables === STATIC) continue;
      value = variables[argument.name.value] === true;
    } else continue; // validation refuses anything else
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}

/** Whether a fragment with `typeCondition` applies; the default applies every fragment (a walk over all possible types). */
export type TypeConditionTest = (typeCondition: string) => boolean;
const everyType: TypeConditionTest = () => true;

/**
 * The spec's DoesFragmentTypeApply for `runtimeType`, with graphql-js' rule for abstract runtime
 * types (a value whose answer names no concrete type): an interface matches itself and the
 * interfaces it implements, a union only itself.
 */
export function typeConditionTest(schema: GraphQLSchema, runtimeType: GraphQLCompositeType): TypeConditionTest {
  return (typeCondition) => fragmentTypeApplies(schema, typeCondition, runtimeType);
}

export function fragmentTypeApplies(schema: GraphQLSchema, typeCondition: string, runtimeType: GraphQLCompositeType): boolean {
  if (typeCondition === runtimeType.name) return true;
  const condition = schema.getType(typeCondition);
  return !!condition && isAbstractType(condition) && !isUnionType(runtimeType) && schema.isSubType(condition, runtimeType);
}

/** One field node met in a collection, with the type it is written on. */
export interface CollectedField {
  node: FieldNode;
  /** The type condition of the innermost fragment around it, else the type of the selection set collected. */
  parentType: string;
  /** The innermost fragment's type condition, when the field sits in one that has one. */
  typeCondition?: string;
}

export interface CollectOptions {
  fragments: Fragments;
  variables: ConditionValues;
  /** Which fragments apply (default: all). */
  applies?: TypeConditionTest;
}

/**
 * CollectFields over `selectionSets` (several: the sub-selections of a field selected more than
 * once) written on `parentType`: response key → the field nodes of that key, in order.
 */
export function collectFields(
  selectionSets: SelectionSetNode | readonly SelectionSetNode[],
  parentType: string,
  options: CollectOptions,
): Map<string, CollectedField[]> {
  const grouped = new Map<string, CollectedField[]>();
  const visited = new Set<string>();
  const { fragments, variables } = options;
  const applies = options.applies ?? everyType;
  const walk = (selectionSet: SelectionSetNode, writtenOn: string, typeCondition: string | undefined) => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = responseKey(selection);
        const field: CollectedField =
          typeCondition === undefined ? { node: selection, parentType: writtenOn } : { node: selection, parentType: writtenOn, typeCondition };
        const group = grouped.get(key);
        if (group) group.push(field);
        else grouped.set(key, [field]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (condition === undefined) walk(selection.selectionSet, writtenOn, typeCondition);
        else if (applies(condition)) walk(selection.selectionSet, condition, condition);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments.get(name);
        if (!fragment) continue;
        const condition = fragment.typeCondition.name.value;
        if (applies(condition)) walk(fragment.selectionSet, condition, condition);
      }
    }
  };
  if (Array.isArray(selectionSets)) for (const selectionSet of selectionSets) walk(selectionSet, parentType, undefined);
  else walk(selectionSets as SelectionSetNode, parentType, undefined);
  return grouped;
}

/** The sub-selections of a field selected by `nodes` (graphql-js' collectSubfields, before collecting). */
export function subSelections(nodes: readonly CollectedField[] | readonly FieldNode[]): SelectionSetNode[] {
  const sets: SelectionSetNode[] = [];
  for (const item of nodes) {
    const node = 'node' in item ? item.node : item;
    if (node.selectionSet) sets.push(node.selectionSet);
  }
  return sets;
}

/** The fields of `field`'s sub-selections, by response key (a static collection). */
export function collectSubfields(
  nodes: readonly CollectedField[] | readonly FieldNode[],
  parentType: string,
  options: CollectOptions,
): Map<string, CollectedField[]> {
  return collectFields(subSelections(nodes), parentType, options);
}
