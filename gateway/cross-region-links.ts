import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, print, SelectionNode, SelectionSetNode, visit } from 'graphql';
import { collectFields, CollectOptions, fragmentsOf, STATIC, subSelections } from './collect-fields';
import { pruneUnusedDefinitions } from './operation-rewrite';
import type { CrossRegionRule, RoutingRules } from './routing-rules';

/**
 * Links between records of one regional subgraph that live in different regions: a joint
 * inspection (lead region) lists its participants' tasks (each in its participant's region).
 *
 * The query planner sees one subgraph, so it asks the inspection's region for the whole
 * selection, tasks included — and that region does not hold them. For fields declared
 * `@crossRegion`, the router therefore asks the answering region only for each record's key,
 * then fetches the records themselves from their owners with an `_entities` fetch of the
 * caller's selection (split by region like any other, and followed again if it holds more
 * such links), and puts them back where the keys were.
 */

interface Step {
  key: string;
  /** The object holding `key` must be of this type (a fragment's condition); checked by `__typename` when present. */
  onType?: string;
}

export interface CrossRegionLink {
  /** The linked field, with the selections of every node that selects it under its key. */
  field: FieldNode;
  /** The operation's nodes of the field (rewritten to keys only for the answering region). */
  nodes: FieldNode[];
  rule: CrossRegionRule;
  /** Response keys from the operation's root to the field. */
  steps: Step[];
  /** The `_entities` operation that fetches the records from their owners, printed once. */
  fetch?: { text: string; variableNames: string[] };
}

/** A place in a response where a linked record sits. */
export interface LinkSlot {
  parent: Record<string | number, unknown>;
  slot: string | number;
  path: Array<string | number>;
  value: Record<string, unknown>;
}

/** The `@crossRegion` fields an operation selects, outside one another (nested ones are followed when their parent is fetched). */
export function findCrossRegionLinks(document: DocumentNode, rules: RoutingRules): CrossRegionLink[] {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const options: CollectOptions = { fragments: fragmentsOf(document), variables: STATIC };
  const links: CrossRegionLink[] = [];
  // Fields by response key (collect-fields.ts): a field selected twice under one key is one link, with both selections.
  const walk = (selectionSets: readonly SelectionSetNode[], parentType: string | undefined, steps: Step[]) => {
    for (const [key, nodes] of collectFields(selectionSets, parentType ?? '', options)) {
      // Grouped further by the fragment type each is written in: its step checks `__typename`.
      const byCondition = new Map<string | undefined, FieldNode[]>();
      for (const { node, typeCondition } of nodes) {
        // A fragment on the type the selection is already on tests nothing.
        const condition = typeCondition === parentType ? undefined : typeCondition;
        const group = byCondition.get(condition);
        if (group) group.push(node);
        else byCondition.set(condition, [node]);
      }
      for (const [onType, fields] of byCondition) {
        const name = fields[0].name.value;
        const writtenOn = onType ?? parentType;
        const coordinate = writtenOn ? `${writtenOn}.${name}` : undefined;
        const step: Step = { key, onType };
        const rule = coordinate ? rules.crossRegionFields.get(coordinate) : undefined;
        const selectionSet = mergedSelectionSet(fields);
        if (rule && selectionSet) links.push({ field: { ...fields[0], selectionSet }, nodes: fields, rule, steps: [...steps, step] });
        else if (selectionSet) {
          // `_entities` returns a union: its fragments name the types.
          const childType = name === '_entities' || !coordinate ? undefined : rules.fieldTypes.get(coordinate);
          walk([selectionSet], childType, [...steps, step]);
        }
      }
    }
  };
  walk([operation.selectionSet], operation.operation === 'mutation' ? 'Mutation' : 'Query', []);
  return links;
}

/** The sub-selections of a field selected by several nodes, as one selection set. */
function mergedSelectionSet(fields: readonly FieldNode[]): SelectionSetNode | undefined {
  const sets = subSelections(fields);
  if (sets.length <= 1) return sets[0];
  return { kind: Kind.SELECTION_SET, selections: sets.flatMap((set) => set.selections) };
}

const field = (name: string): FieldNode => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } });

/** The operation the answering region receives: each linked record reduced to its type and key. */
export function keysOnly(document: DocumentNode, links: CrossRegionLink[]): DocumentNode {
  const reduced = new Map(links.flatMap((link) => link.nodes.map((node) => [node, link] as const)));
  const rewritten = visit(document, {
    Field(node) {
      const link = reduced.get(node);
      if (!link) return undefined;
      const selections: SelectionNode[] = [field('__typename'), ...link.rule.keyFields.map(field)];
      return { ...node, selectionSet: { kind: Kind.SELECTION_SET, selections } };
    },
  });
  return pruneUnusedDefinitions(rewritten);
}

/** The `_entities` operation fetching a link's records, with the caller's selection, variables and fragments. */
export function linkFetch(document: DocumentNode, link: CrossRegionLink): { text: string; variableNames: string[] } {
  if (link.fetch) return link.fetch;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    name: { kind: Kind.NAME, value: `CrossRegion${link.rule.typeName}` },
    variableDefinitions: [
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } },
        type: {
          kind: Kind.NON_NULL_TYPE,
          type: { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: '_Any' } } } },
        },
      },
      ...(operation.variableDefinitions ?? []).filter((d) => d.variable.name.value !== 'representations'),
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          ...field('_entities'),
          arguments: [
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'representations' },
              value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } },
            },
          ],
          selectionSet: {
            kind: Kind.SELECTION_SET,
            selections: [
              {
                kind: Kind.INLINE_FRAGMENT,
                typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: link.rule.typeName } },
                selectionSet: link.field.selectionSet!,
              },
            ],
          },
        },
      ],
    },
  };
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const pruned = pruneUnusedDefinitions({ kind: Kind.DOCUMENT, definitions: [query, ...fragments] });
  const variableNames = (pruned.definitions[0] as OperationDefinitionNode)
    .variableDefinitions!.map((d) => d.variable.name.value)
    .filter((name) => name !== 'representations');
  link.fetch = { text: print(pruned), variableNames };
  return link.fetch;
}

/** Every linked record (an object holding the key) at the link's place in `data`, lists included. */
export function linkSlots(data: unknown, steps: Step[]): LinkSlot[] {
  const slots: LinkSlot[] = [];
  const descend = (node: unknown, depth: number, path: Array<string | number>) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => descend(item, depth, [...path, index]));
      return;
    }
    const object = node as Record<string, unknown>;
    const step = steps[depth];
    if (step.onType && typeof object.__typename === 'string' && object.__typename !== step.onType) return;
    const value = object[step.key];
    if (depth < steps.length - 1) {
      descend(value, depth + 1, [...path, step.key]);
      return;
    }
    const place = (parent: Record<string | number, unknown>, slot: string | number, item: unknown, at: Array<string | number>) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) slots.push({ parent, slot, path: at, value: item as Record<string, unknown> });
    };
    if (Array.isArray(value)) value.forEach((item, index) => place(value as never, index, item, [...path, step.key, index]));
    else place(object, step.key, value, [...path, step.key]);
  };
  descend(data, 0, []);
  return slots;
}
