import {
  ASTNode,
  DocumentNode,
  FieldNode,
  GraphQLSchema,
  InlineFragmentNode,
  Kind,
  parse,
  print,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { collectFields, CollectOptions, STATIC, subSelections } from './collect-fields';

/**
 * Two fields that `@requires` the same field with different arguments — `shippingEstimate`
 * needing `price(currency: "USD")`, `shippingEstimateEUR` needing `price(currency: "EUR")` —
 * cannot be planned together: a field set has no aliases, so the planner fetches one `price`
 * into the entity and sends it as the representation of both (Apollo Gateway answers one of
 * them from the wrong currency).
 *
 * The hub splits such an operation once, when it is planned: the requiring fields of each type
 * are put into groups whose requirements agree (computed once from the supergraph), and an
 * operation that selects fields of several groups of one type is planned once per group, each
 * copy without the other groups' fields (and the copies after the first with nothing but the way
 * to their own group's fields). The executor runs the plans one after another into the
 * same merged data, so each group's fetches read the required values of its own plan. An
 * operation without such a conflict is planned once, as before. A mutation is split too, and
 * must then run once: mutation-replans.ts makes the later plans read its results by key.
 */

/** What a `@requires` field set selects: `path` (response keys joined by ".") → printed arguments. */
type Requirement = Map<string, string>;

export class RequiresConflicts {
  /** `Type.field` → its group, for the requiring fields of types where requirements disagree. */
  private readonly groupOf = new Map<string, number>();

  constructor(supergraphSdl: string) {
    for (const definition of parse(supergraphSdl).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const requiring: Array<{ field: string; requirement: Requirement }> = [];
      for (const field of definition.fields ?? []) {
        for (const directive of field.directives ?? []) {
          if (directive.name.value !== 'join__field') continue;
          const value = directive.arguments?.find((a) => a.name.value === 'requires')?.value;
          if (value?.kind === Kind.STRING) requiring.push({ field: field.name.value, requirement: requirementOf(value.value) });
        }
      }
      // Greedy grouping: each field joins the first group none of whose fields it disagrees with.
      const groups: Requirement[][] = [];
      const assigned: Array<{ field: string; group: number }> = [];
      for (const { field, requirement } of requiring) {
        let group = groups.findIndex((members) => members.every((other) => agree(other, requirement)));
        if (group < 0) group = groups.push([]) - 1;
        groups[group].push(requirement);
        assigned.push({ field, group });
      }
      if (groups.length > 1) for (const { field, group } of assigned) this.groupOf.set(`${definition.name.value}.${field}`, group);
    }
  }

  /** The operation once per group it needs, or undefined when one plan answers it rightly. */
  split(schema: GraphQLSchema, document: DocumentNode): DocumentNode[] | undefined {
    if (this.groupOf.size === 0) return undefined;
    const groupsByType = new Map<string, Set<number>>();
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: (field) => {
          const type = typeInfo.getParentType()?.name;
          const group = type === undefined ? undefined : this.groupOf.get(`${type}.${field.name.value}`);
          if (group === undefined) return;
          let groups = groupsByType.get(type!);
          if (!groups) groupsByType.set(type!, (groups = new Set()));
          groups.add(group);
        },
      }),
    );
    const conflicting = [...groupsByType].filter(([, groups]) => groups.size > 1);
    if (conflicting.length === 0) return undefined;
    const splitTypes = new Set(conflicting.map(([type]) => type));
    const groups = [...new Set(conflicting.flatMap(([, g]) => [...g]))].sort((a, b) => a - b);
    return groups.map((keep, index) => this.withoutOtherGroups(schema, document, splitTypes, keep, index === 0));
  }

  /**
   * The copy for group `keep`: without the other groups' fields. The first copy keeps all else;
   * later copies keep only the way to their own group's fields (the first fetched the rest).
   */
  private withoutOtherGroups(schema: GraphQLSchema, document: DocumentNode, splitTypes: Set<string>, keep: number, first: boolean): DocumentNode {
    const typeInfo = new TypeInfo(schema);
    const ownGroup = (field: FieldNode) => {
      const type = typeInfo.getParentType()?.name;
      return type !== undefined && splitTypes.has(type) ? this.groupOf.get(`${type}.${field.name.value}`) : undefined;
    };
    return visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: {
          enter: (field: FieldNode) => {
            const group = ownGroup(field);
            if (group !== undefined) return group === keep ? false : null; // false: keep it whole, as selected
            return first || field.selectionSet ? undefined : null;
          },
          leave: (field: FieldNode) => (!first && onlyPlaceholder(field.selectionSet) ? null : undefined),
        },
        InlineFragment: { leave: (fragment: InlineFragmentNode) => (!first && onlyPlaceholder(fragment.selectionSet) ? null : undefined) },
        SelectionSet: {
          // A selection left empty asks for __typename instead (a selection set cannot be empty).
          leave: (selectionSet: SelectionSetNode): SelectionSetNode | undefined =>
            selectionSet.selections.length ? undefined : { ...selectionSet, selections: [PLACEHOLDER] },
        },
      }),
    );
  }
}

const PLACEHOLDER: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
const onlyPlaceholder = (selectionSet: SelectionSetNode | undefined) => selectionSet?.selections.length === 1 && selectionSet.selections[0] === PLACEHOLDER;

function requirementOf(fieldSet: string): Requirement {
  const requirement: Requirement = new Map();
  const operation = parse(`{${fieldSet}}`).definitions[0];
  // A field set: no named fragments, no conditions; type conditions all apply (any entity type).
  const options: CollectOptions = { fragments: new Map(), variables: STATIC };
  const walk = (selectionSets: readonly SelectionSetNode[], prefix: string) => {
    for (const fields of collectFields(selectionSets, '', options).values()) {
      for (const { node } of fields) {
        const path = prefix + node.name.value;
        requirement.set(
          path,
          (node.arguments ?? [])
            .map((argument) => print(argument as ASTNode))
            .sort()
            .join(','),
        );
      }
      // Sub-selections of one response key, collected together.
      walk(subSelections(fields), `${prefix}${fields[0].node.name.value}.`);
    }
  };
  if (operation.kind === Kind.OPERATION_DEFINITION) walk([operation.selectionSet], '');
  return requirement;
}

/** Whether two requirements can share a representation: every field both select, with the same arguments. */
function agree(a: Requirement, b: Requirement): boolean {
  for (const [path, args] of a) if (b.has(path) && b.get(path) !== args) return false;
  return true;
}
