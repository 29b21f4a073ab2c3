import {
  ArgumentNode,
  DefinitionNode,
  FieldNode,
  Kind,
  OperationDefinitionNode,
  parseType,
  print,
  SelectionNode,
  VariableDefinitionNode,
  visit,
} from 'graphql';
import { AnalyzedOperation, MERGE_EDGES_KEY, MERGE_PAGE_KEY, RootSelection } from './operation-analysis';

/**
 * Prints the operation a region receives: only the root fields routed to it, and for each
 * fanned-out field
 *  - `first` and `after` replaced by variables of ours, since every region resumes from its
 *    own cursor and all must return a full page;
 *  - a small "merge skeleton" aliased beside the caller's selection (each edge's cursor and
 *    sort key, and whether the region has more), so that merging never depends on what the
 *    caller chose to select.
 * Printed texts are cached on the analysed operation per subset of root fields.
 */

export const firstVariable = (root: RootSelection) => `_yrdFirst${root.index}`;
export const afterVariable = (root: RootSelection) => `_yrdAfter${root.index}`;

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (fieldName: string, alias?: string, selections?: SelectionNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});
const variableArgument = (argumentName: string, variableName: string): ArgumentNode => ({
  kind: Kind.ARGUMENT,
  name: name(argumentName),
  value: { kind: Kind.VARIABLE, name: name(variableName) },
});
const variableDefinition = (variableName: string, type: string): VariableDefinitionNode => ({
  kind: Kind.VARIABLE_DEFINITION,
  variable: { kind: Kind.VARIABLE, name: name(variableName) },
  type: parseType(type),
});

function rewriteFanOut(root: RootSelection): FieldNode {
  const rule = root.fanOut!.rule;
  const kept = (root.field.arguments ?? []).filter((a) => a.name.value !== 'first' && a.name.value !== 'after');
  const skeleton = [
    field('edges', MERGE_EDGES_KEY, [field('cursor', 'c'), field('node', 'n', [field(rule.sortKey, 'k')])]),
    field('pageInfo', MERGE_PAGE_KEY, [field('hasNextPage', 'h')]),
  ];
  return {
    ...root.field,
    arguments: [...kept, variableArgument('first', firstVariable(root)), variableArgument('after', afterVariable(root))],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [...(root.field.selectionSet?.selections ?? []), ...skeleton] },
  };
}

export function printRegionOperation(analyzed: AnalyzedOperation & { printed?: Map<string, string> }, roots: RootSelection[]): string {
  const cacheKey = roots.map((root) => root.index).join(',');
  analyzed.printed ??= new Map();
  const cached = analyzed.printed.get(cacheKey);
  if (cached !== undefined) return cached;

  const selections = roots.map((root) => (root.fanOut ? rewriteFanOut(root) : root.field));
  const extraVariables = roots
    .filter((root) => root.fanOut)
    .flatMap((root) => [
      variableDefinition(firstVariable(root), root.fanOut!.rule.firstType),
      variableDefinition(afterVariable(root), root.fanOut!.rule.afterType),
    ]);
  const selectionSet = { kind: Kind.SELECTION_SET, selections } as const;

  // Keep only the fragments and variables the remaining selections use: GraphQL refuses unused ones.
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const collect = (node: object) =>
    visit(node as never, {
      FragmentSpread(spread) {
        if (!usedFragments.has(spread.name.value)) {
          usedFragments.add(spread.name.value);
          const fragment = analyzed.fragments.get(spread.name.value);
          if (fragment) collect(fragment);
        }
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  collect(selectionSet);

  const operation: OperationDefinitionNode = {
    ...analyzed.operation,
    variableDefinitions: [
      ...(analyzed.operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)),
      ...extraVariables,
    ],
    selectionSet,
  };
  const definitions: DefinitionNode[] = [operation, ...[...usedFragments].map((fragmentName) => analyzed.fragments.get(fragmentName)!)];
  const text = print({ kind: Kind.DOCUMENT, definitions });
  analyzed.printed.set(cacheKey, text);
  return text;
}
