import { DocumentNode, execute, ExecutionResult, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { EventQuery } from './event-query';
import type { EventPayload, QueryAnswer } from './warning-event-stream';

/**
 * Each delivered event is executed against its subscription's own selection (aliases,
 * __typename, fragments) to give the result the client asked for. Subscribers who share an
 * event's answer (reader-groups.ts) and its per-event query (one per document and variables)
 * get the same result but for the cursor, which holds each one's own positions: so the result
 * is made once per answer and query, with a stand-in for the cursor, and each subscriber's
 * copy has its own cursor put in.
 */

const CURSOR_STAND_IN = '\u0000cursor';

/** Values of a payload are stored under the client's response keys (aliases), at every depth. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  source && typeof source === 'object' ? (source as Record<string, unknown>)[info.path.key as string] : undefined;

export interface Selection {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variableValues: Record<string, unknown> | undefined;
  query: EventQuery;
}

export class SharedResults {
  private readonly made = new WeakMap<QueryAnswer, Map<EventQuery, Promise<ExecutionResult>>>();

  /** The result of `payload` for `selection`; `answer` is the per-event answer the payload was made from, shared by its readers. */
  async resultOf(selection: Selection, payload: EventPayload, answer: QueryAnswer | undefined): Promise<ExecutionResult> {
    const { errors, ...rootValue } = payload;
    const { query } = selection;
    const cursorKeys = query.fields.filter((field) => field.name === 'cursor').map((field) => field.responseKey);
    const event = rootValue[query.rootKey];
    let result: ExecutionResult;
    if (!answer || !event) {
      result = await run(selection, rootValue);
    } else {
      let byQuery = this.made.get(answer);
      if (!byQuery) this.made.set(answer, (byQuery = new Map()));
      let made = byQuery.get(query);
      if (!made) {
        const standIn = { ...event };
        for (const key of cursorKeys) standIn[key] = CURSOR_STAND_IN;
        byQuery.set(query, (made = run(selection, { [query.rootKey]: standIn })));
      }
      result = withCursors(await made, query.rootKey, cursorKeys, event);
    }
    return errors?.length ? { ...result, errors: [...(result.errors ?? []), ...(errors as never[])] } : result;
  }
}

function run(selection: Selection, rootValue: Record<string, unknown>): Promise<ExecutionResult> {
  const { schema, document, operationName, variableValues } = selection;
  return Promise.resolve(execute({ schema, document, operationName, variableValues, rootValue, fieldResolver: byResponseKey }) as ExecutionResult);
}

/** The shared result with this subscriber's cursor where the stand-in is (the event's own fields, never deeper). */
function withCursors(result: ExecutionResult, rootKey: string, cursorKeys: string[], event: Record<string, unknown>): ExecutionResult {
  const root = result.data?.[rootKey] as Record<string, unknown> | null | undefined;
  if (!root || !cursorKeys.length) return result;
  const own = { ...root };
  for (const key of cursorKeys) if (own[key] === CURSOR_STAND_IN) own[key] = event[key];
  return { ...result, data: { ...result.data, [rootKey]: own } };
}
