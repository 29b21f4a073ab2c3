import { ArgumentNode, DefinitionNode, DocumentNode, FieldNode, Kind, OperationDefinitionNode, parseType, print, VariableDefinitionNode, visit } from 'graphql';
import { fragmentsOf } from './collect-fields';
import { skeletonSelections } from './merge-skeleton';
import { AnalyzedOperation, EntityFanOut, FanOutShape, RootSelection } from './operation-analysis';

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

/** A fanned-out field selected by `nodes` (one response key), as one node: our page variables, the caller's selections, the merge skeleton. */
function rewriteFanOutField(nodes: readonly FieldNode[], rule: FanOutShape['rule'], first: string, after: string): FieldNode {
  const [original] = nodes;
  const kept = (original.arguments ?? []).filter((a) => a.name.value !== 'first' && a.name.value !== 'after');
  return {
    ...original,
    arguments: [...kept, variableArgument('first', first), variableArgument('after', after)],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [...nodes.flatMap((node) => node.selectionSet?.selections ?? []), ...skeletonSelections(rule.sortKey)],
    },
  };
}

const rewriteFanOut = (root: RootSelection) => rewriteFanOutField(root.fields, root.fanOut!.rule, firstVariable(root), afterVariable(root));

export const entityFirstVariable = (fanOut: EntityFanOut) => `_yrdFirstE${fanOut.index}`;
export const entityAfterVariable = (fanOut: EntityFanOut) => `_yrdAfterE${fanOut.index}`;

/**
 * The `_entities` operation every region receives when it selects fanned-out entity fields:
 * the same text for all regions (only variables differ), printed once per operation.
 */
export function printEntitiesFanOutOperation(analyzed: AnalyzedOperation & { printedEntities?: string }): string {
  if (analyzed.printedEntities !== undefined) return analyzed.printedEntities;
  const targets = new Map(analyzed.entityFanOuts.flatMap((fanOut) => fanOut.fields.map((node) => [node, fanOut] as const)));
  const rewritten = visit(analyzed.document, {
    Field(node) {
      const fanOut = targets.get(node);
      return fanOut ? rewriteFanOutField([node], fanOut.fanOut.rule, entityFirstVariable(fanOut), entityAfterVariable(fanOut)) : undefined;
    },
    OperationDefinition: {
      leave(node) {
        const extra = analyzed.entityFanOuts.flatMap((fanOut) => [
          variableDefinition(entityFirstVariable(fanOut), fanOut.fanOut.rule.firstType),
          variableDefinition(entityAfterVariable(fanOut), fanOut.fanOut.rule.afterType),
        ]);
        return { ...node, variableDefinitions: [...(node.variableDefinitions ?? []), ...extra] };
      },
    },
  });
  // The caller's `first`/`after` variables may now be unused, which GraphQL refuses: drop those.
  const pruned = pruneUnusedDefinitions(rewritten);
  analyzed.printedEntities = print(pruned);
  return analyzed.printedEntities;
}

export function printRegionOperation(analyzed: AnalyzedOperation & { printed?: Map<string, string> }, roots: RootSelection[]): string {
  const cacheKey = roots.map((root) => root.index).join(',');
  analyzed.printed ??= new Map();
  const cached = analyzed.printed.get(cacheKey);
  if (cached !== undefined) return cached;

  const selections = roots.flatMap((root) => (root.fanOut ? [rewriteFanOut(root)] : root.fields));
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
    variableDefinitions: [...(analyzed.operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)), ...extraVariables],
    selectionSet,
  };
  const definitions: DefinitionNode[] = [operation, ...[...usedFragments].map((fragmentName) => analyzed.fragments.get(fragmentName)!)];
  const text = print({ kind: Kind.DOCUMENT, definitions });
  analyzed.printed.set(cacheKey, text);
  return text;
}

/**
 * Drops variable definitions and fragments nothing uses any more (GraphQL refuses both), after
 * a rewrite has removed the selections that used them.
 */
export function pruneUnusedDefinitions(document: DocumentNode): DocumentNode {
  const fragments = fragmentsOf(document);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return document;
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const collect = (node: object) =>
    visit(node as never, {
      VariableDefinition: () => false,
      FragmentSpread(spread) {
        if (usedFragments.has(spread.name.value)) return;
        usedFragments.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (fragment) collect(fragment);
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  collect(operation.selectionSet);
  return {
    ...document,
    definitions: document.definitions.flatMap((definition): DefinitionNode[] => {
      if (definition === operation) {
        return [{ ...operation, variableDefinitions: (operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)) }];
      }
      if (definition.kind === Kind.FRAGMENT_DEFINITION) return usedFragments.has(definition.name.value) ? [definition] : [];
      return [definition];
    }),
  };
}
