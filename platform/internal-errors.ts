import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/**
 * What a client learns of a failure the hub did not mean. An error the code raises on purpose
 * carries its own `extensions.code` (BAD_USER_INPUT, FORBIDDEN, REGION_UNAVAILABLE…, and
 * Apollo's GRAPHQL_VALIDATION_FAILED and the like) and reaches the client unchanged. Anything
 * else — an exception, a PostgreSQL error, a subgraph that could not be reached — would carry
 * SQL, PostgreSQL's own words or internal hosts and ports; outside NODE_ENV=development the
 * client gets INTERNAL_SERVER_ERROR with a generic message and the request id instead, and the
 * full error goes to the server's log under that id.
 *
 * Both the gateway and the subgraphs use it, so an error is hidden where it arises and again at
 * the gateway (a city's own subgraphs may not hide theirs).
 */

const INTERNAL_CODES = new Set(['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);
/** Extensions an internal error keeps: which part of the hub failed, never what it said. */
const KEPT_EXTENSIONS = ['serviceName', 'region'];

export const revealsInternalErrors = (): boolean => process.env.NODE_ENV === 'development';

function isInternal(code: unknown): boolean {
  return typeof code !== 'string' || INTERNAL_CODES.has(code);
}

export function genericMessage(requestId: string | undefined): string {
  return requestId ? `Internal server error; the hub logged the details under request id ${requestId}` : 'Internal server error; the hub logged the details';
}

/**
 * Apollo Server's `formatError`: an internal error becomes the generic one (its request id is
 * added when the response is settled, see `withRequestId`, as formatError does not see the
 * request). Development keeps everything.
 */
export function hideInternalError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (revealsInternalErrors() || !isInternal(formatted.extensions?.code)) return formatted;
  const extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR' };
  for (const name of KEPT_EXTENSIONS) if (formatted.extensions?.[name] !== undefined) extensions[name] = formatted.extensions[name];
  return {
    message: genericMessage(undefined),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}

/** Every error of a response as a client may see it: hidden if internal, with the request id. Changes `errors` in place. */
export function withRequestId(errors: GraphQLFormattedError[] | undefined, requestId: string | undefined): void {
  if (!errors || revealsInternalErrors()) return;
  errors.forEach((error, index) => {
    if (!isInternal(error.extensions?.code)) return;
    const hidden = hideInternalError(error);
    errors[index] = { ...hidden, message: genericMessage(requestId), extensions: { ...hidden.extensions, ...(requestId ? { requestId } : {}) } };
  });
}

/** Writes the internal ones of `errors` (as raised, before formatting) to the log, with the request id. */
export function logInternalErrors(where: string, errors: readonly GraphQLError[], requestId: string | undefined): void {
  for (const error of errors) {
    if (!isInternal(error.extensions?.code)) continue;
    // An exception's stack says where it arose; an error a subgraph reported has only its words and origin.
    const cause = error.originalError;
    const origin = ['serviceName', 'region'].flatMap((name) => (error.extensions?.[name] ? [`${name} ${String(error.extensions[name])}`] : [])).join(', ');
    const text = cause ? (cause.stack ?? cause.message) : `${error.message}${origin ? ` (${origin})` : ''}`;
    console.error(`[${where}] request ${requestId ?? '(none)'}${error.path ? ` at ${error.path.join('.')}` : ''}: ${text}`);
  }
}

/**
 * The Apollo Server plugin: logs internal errors as raised, and gives the hidden ones the
 * request id. Pair it with `formatError: hideInternalError`.
 */
export function internalErrorsPlugin<TContext extends BaseContext>(
  where: string,
  requestIdOf: (context: TContext) => string | undefined,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          logInternalErrors(where, errors, requestIdOf(contextValue));
        },
        async willSendResponse({ response, contextValue }) {
          // In place: another plugin's willSendResponse (the audit's) may hold the same result object.
          if (response.body.kind === 'single')
            withRequestId(response.body.singleResult.errors as GraphQLFormattedError[] | undefined, requestIdOf(contextValue));
        },
      };
    },
  };
}
