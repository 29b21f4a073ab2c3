import { GraphQLError } from 'graphql';

/**
 * Every refusal a subgraph makes carries a stable code in `extensions.code` and a message a
 * person can act on. This is the one place that turns them into GraphQL errors.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'DUPLICATE_INSPECTION'
  | 'MATTER_CLOSED'
  | 'PASS_DOWN_REFUSED'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'REGION_UNAVAILABLE'
  | 'DATABASE_UNAVAILABLE'
  | 'AUDIT_UNAVAILABLE'
  | 'RESIDENT_INDEX_UNAVAILABLE';

export function hubError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function badInput(field: string, message: string): GraphQLError {
  return hubError('BAD_USER_INPUT', `${field}: ${message}`, { field });
}

/**
 * What a client learns when this subgraph's database could not be reached or dropped the
 * connection (db.ts, isDatabaseUnavailable): a failure to retry, not an internal one. The
 * gateway, which knows the region, reports it as REGION_UNAVAILABLE naming it.
 */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database of this subgraph did not answer; retry later.';
