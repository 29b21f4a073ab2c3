import { DocumentNode, FieldNode, GraphQLError, Kind, OperationDefinitionNode, print, SelectionSetNode, visit } from 'graphql';
import { CollectOptions, collectFields, conditionValues, Fragments, fragmentsOf, subSelections } from '../collect-fields';

/**
 * Turns a `petitionWarningEvents` subscription into the query the gateway runs for each event
 * under the subscriber's context: each selection of `warning` becomes a root
 * `petitionWarning(id:)` and each of `officer` a root `officer(id:)`, with the fragments and
 * variables they use. The answer is then exactly a query's: agreements, masking, FORBIDDEN,
 * operation limits and audit all apply as they would to the same query over HTTP.
 */

/** The per-event query's own variables start with this; a subscription may not name one so. */
const RESERVED_VARIABLE_PREFIX = 'yrdLive';
export const WARNING_ID_VARIABLE = 'yrdLiveWarningId';
export const OFFICER_ID_VARIABLE = 'yrdLiveOfficerId';
/** Always asked: whether the subscriber may see the warning at all, and what the filter tests. */
export const PROBE_KEY = 'yrdLiveProbe';
const PROBE = `${PROBE_KEY}: petitionWarning(id: $${WARNING_ID_VARIABLE}) { level kind status raisedIn raisedAt subject { id } }`;

/** One field of the event as the client selected it: where its value goes, and what it is. */
export interface EventField {
  responseKey: string;
  name: string;
  /** For `warning` and `officer`: the root field's key in the per-event query. */
  queryKey?: string;
}

export interface EventQuery {
  /** The root field's response key in the subscription, and the field itself. */
  rootKey: string;
  rootField: FieldNode;
  operation: OperationDefinitionNode;
  fields: EventField[];
  /**
   * Asked first for each event: whether the subscriber may see the warning and whether the
   * filter matches, reading no personal data, so that an event the subscriber does not receive
   * reads nothing that would be audited as read.
   */
  probeOnly: string;
  /** Whether the subscription selects the event's `officer` (a record of its own, read beside the warning). */
  selectsOfficer: boolean;
  /** The per-event query text, for an event with an officer and for one without. */
  withOfficer: string;
  withoutOfficer: string;
  /** The subscription's variables the query uses. */
  variables: Record<string, unknown>;
}

/**
 * The fields of a selection set by response key (collect-fields.ts, with the subscription's
 * variables: a field its `@skip`/`@include` leaves out is not sent), each one node: a key
 * selected twice has its sub-selections together.
 */
function eventFields(selectionSets: readonly SelectionSetNode[], parentType: string, options: CollectOptions): FieldNode[] {
  return [...collectFields(selectionSets, parentType, options).values()].map((fields) => {
    const [first] = fields;
    const sets = subSelections(fields);
    return sets.length > 1 ? { ...first.node, selectionSet: { kind: Kind.SELECTION_SET, selections: sets.flatMap((set) => set.selections) } } : first.node;
  });
}

/** Fragment names and variable names used inside `node`, following fragments. */
function usage(nodes: readonly SelectionSetNode[], fragments: Fragments): { fragments: Set<string>; variables: Set<string> } {
  const used = { fragments: new Set<string>(), variables: new Set<string>() };
  const pending = [...nodes];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        if (used.fragments.has(node.name.value)) return;
        used.fragments.add(node.name.value);
        const fragment = fragments.get(node.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      },
      Variable(node) {
        used.variables.add(node.name.value);
      },
    });
  }
  return used;
}

export function buildEventQuery(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): EventQuery {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw new GraphQLError('operationName: name the subscription to run', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
  const reserved = (operation.variableDefinitions ?? []).find((definition) => definition.variable.name.value.startsWith(RESERVED_VARIABLE_PREFIX));
  if (reserved)
    throw new GraphQLError(`$${reserved.variable.name.value}: variables whose names start with ${RESERVED_VARIABLE_PREFIX} are the gateway's own; rename it`, {
      extensions: { code: 'BAD_USER_INPUT', field: reserved.variable.name.value },
    });
  const fragments = fragmentsOf(document);
  const options: CollectOptions = { fragments, variables: conditionValues(operation, variables ?? {}) };
  const root = eventFields([operation.selectionSet], 'Subscription', options).find((field) => field.name.value === 'petitionWarningEvents');
  if (!root?.selectionSet) throw new GraphQLError('the subscription must select petitionWarningEvents { … }', { extensions: { code: 'BAD_USER_INPUT' } });

  const fields: EventField[] = [];
  const warningRoots: string[] = [];
  const officerRoots: string[] = [];
  const nested: SelectionSetNode[] = [];
  for (const field of eventFields([root.selectionSet], 'PetitionWarningEvent', options)) {
    const responseKey = field.alias?.value ?? field.name.value;
    const name = field.name.value;
    if ((name === 'warning' || name === 'officer') && field.selectionSet) {
      const list = name === 'warning' ? warningRoots : officerRoots;
      const queryKey = `${name}${list.length}`;
      const argument = name === 'warning' ? `petitionWarning(id: $${WARNING_ID_VARIABLE})` : `officer(id: $${OFFICER_ID_VARIABLE})`;
      list.push(`${queryKey}: ${argument} ${print(field.selectionSet)}`);
      nested.push(field.selectionSet);
      fields.push({ responseKey, name, queryKey });
    } else {
      fields.push({ responseKey, name });
    }
  }
  const used = usage(nested, fragments);
  const definitions = (operation.variableDefinitions ?? [])
    .filter((definition) => used.variables.has(definition.variable.name.value))
    .map((definition) => print(definition));
  const fragmentText = [...used.fragments]
    .map((name) => fragments.get(name))
    .filter(Boolean)
    .map((fragment) => print(fragment!))
    .join('\n');
  const text = (withOfficer: boolean) => {
    const declared = [`$${WARNING_ID_VARIABLE}: ID!`, ...(withOfficer && officerRoots.length ? [`$${OFFICER_ID_VARIABLE}: ID!`] : []), ...definitions];
    const roots = [PROBE, ...warningRoots, ...(withOfficer ? officerRoots : [])];
    return `query PetitionWarningEvent(${declared.join(', ')}) {\n  ${roots.join('\n  ')}\n}\n${fragmentText}`;
  };
  const passed = Object.fromEntries(Object.entries(variables ?? {}).filter(([name]) => used.variables.has(name)));
  const probeOnly = `query PetitionWarningEventProbe($${WARNING_ID_VARIABLE}: ID!) {\n  ${PROBE}\n}`;
  return {
    rootKey: root.alias?.value ?? root.name.value,
    rootField: root,
    operation,
    fields,
    probeOnly,
    selectsOfficer: officerRoots.length > 0,
    withOfficer: text(true),
    withoutOfficer: text(false),
    variables: passed,
  };
}
