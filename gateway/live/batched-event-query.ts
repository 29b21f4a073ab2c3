import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, parse, print, SelectionNode, VariableDefinitionNode, visit } from 'graphql';
import { OFFICER_ID_VARIABLE, WARNING_ID_VARIABLE } from './event-query';
import type { QueryAnswer } from './warning-event-stream';

/**
 * Several events' per-event queries as one operation (event-batches.ts runs it): each root
 * field once per event under the alias `e<i>_<key>`, each event's ids in variables of its own
 * (`$yrdLiveWarningId_<i>`), the subscription's own variables and fragments once. Every copy
 * is the per-event query itself, so agreements, masking, FORBIDDEN and the audit apply to each
 * event exactly as they would alone, and the regions each event's fields route to are asked
 * once for all of them. The answer is split back into one answer per event (errors without
 * their locations, which point into the batch's text).
 */

/** The variables that differ from event to event; everything else in a per-event query is the subscription's. */
const EVENT_VARIABLES: ReadonlySet<string> = new Set([WARNING_ID_VARIABLE, OFFICER_ID_VARIABLE]);

const eventAlias = (event: number, key: string) => `e${event}_${key}`;
const EVENT_KEY = /^e(\d+)_(.+)$/;
const eventVariable = (name: string, event: number) => `${name}_${event}`;

interface ParsedEventQuery {
  operation: OperationDefinitionNode;
  rest: DocumentNode['definitions'];
  byCount: Map<number, string>;
}

export class BatchedEventQueries {
  private readonly parsed = new Map<string, ParsedEventQuery>();

  /** The operation that asks `query` (a per-event query's text) for `count` events at once. */
  textFor(query: string, count: number): string {
    let parsed = this.parsed.get(query);
    if (!parsed) {
      const document = parse(query);
      const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
      if (!operation) throw new Error('a per-event query has an operation');
      // Per-event texts are one per subscription document and variables (live-warnings.ts keeps at most a few hundred).
      if (this.parsed.size >= 1000) this.parsed.clear();
      this.parsed.set(query, (parsed = { operation, rest: document.definitions.filter((definition) => definition !== operation), byCount: new Map() }));
    }
    let text = parsed.byCount.get(count);
    if (!text) parsed.byCount.set(count, (text = print(batchDocument(parsed, count))));
    return text;
  }
}

function batchDocument({ operation, rest }: ParsedEventQuery, count: number): DocumentNode {
  const events = Array.from({ length: count }, (_, event) => event);
  const definitions: VariableDefinitionNode[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!EVENT_VARIABLES.has(name)) definitions.push(definition);
    else for (const event of events) definitions.push({ ...definition, variable: renamed(definition.variable, event) });
  }
  const selections: SelectionNode[] = events.flatMap((event) =>
    operation.selectionSet.selections.map((selection) => {
      // A per-event query's roots are fields the gateway wrote itself, each under an alias (event-query.ts).
      if (selection.kind !== Kind.FIELD) throw new Error('a per-event query selects fields at its root');
      const key = selection.alias?.value ?? selection.name.value;
      const field: FieldNode = {
        ...selection,
        alias: { kind: Kind.NAME, value: eventAlias(event, key) },
        arguments: selection.arguments?.map((argument) =>
          visit(argument, { Variable: (variable) => (EVENT_VARIABLES.has(variable.name.value) ? renamed(variable, event) : undefined) }),
        ),
      };
      return field;
    }),
  );
  const batched: OperationDefinitionNode = {
    ...operation,
    name: operation.name && { ...operation.name, value: `${operation.name.value}s` },
    variableDefinitions: definitions,
    selectionSet: { ...operation.selectionSet, selections },
  };
  return { kind: Kind.DOCUMENT, definitions: [batched, ...rest] };
}

function renamed<T extends { name: { value: string } }>(variable: T, event: number): T {
  return { ...variable, name: { ...variable.name, value: eventVariable(variable.name.value, event) } };
}

/** The batch's variables: the subscription's once (the same in every event of a batch), each event's ids under its own names. */
export function batchVariables(eventsVariables: readonly Record<string, unknown>[]): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  eventsVariables.forEach((own, event) => {
    for (const [name, value] of Object.entries(own)) variables[EVENT_VARIABLES.has(name) ? eventVariable(name, event) : name] = value;
  });
  return variables;
}

/**
 * One answer per event, as the per-event query alone would have given it: its fields under
 * their own keys, the errors on its paths; an error on no path (the operation refused as a
 * whole) is every event's.
 */
export function splitBatchAnswer(answer: QueryAnswer, count: number): QueryAnswer[] {
  const answers: QueryAnswer[] = Array.from({ length: count }, () => (answer.data === undefined ? {} : { data: answer.data === null ? null : {} }));
  for (const [key, value] of Object.entries(answer.data ?? {})) {
    const match = EVENT_KEY.exec(key);
    if (match && Number(match[1]) < count) answers[Number(match[1])].data![match[2]] = value;
  }
  for (const error of answer.errors ?? []) {
    const match = typeof error.path?.[0] === 'string' ? EVENT_KEY.exec(error.path[0]) : null;
    const targets = match && Number(match[1]) < count ? [answers[Number(match[1])]] : answers;
    // Its locations are in the batch's text, which no client ever sees: left out.
    const { locations: _inBatch, ...located } = error as typeof error & { locations?: unknown };
    const own = match ? { ...located, path: [match[2], ...error.path!.slice(1)] } : located;
    for (const target of targets) target.errors = [...(target.errors ?? []), own];
  }
  return answers;
}
