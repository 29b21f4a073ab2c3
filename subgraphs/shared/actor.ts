import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { parseGlobalId } from '../../auth/global-id';

/**
 * Who acts in a request: the officer whose name goes into timelines and audit rows.
 *
 * Until verified callers exist, the officer is named by the `X-Officer` header (an officer's
 * global id, "330400:3"), which the gateway passes through. It is a declaration, not a proof:
 * the signed context token of the authorization work replaces it, and this module is the one
 * place that will read the token instead.
 */
export interface Actor {
  officerId: string;
  /** Region of the officer's own record (the prefix of their id). */
  region: string;
}

export const ACTOR_HEADER = 'x-officer';

export function actorFromHeaders(headers: IncomingHttpHeaders): Actor | null {
  const value = headers[ACTOR_HEADER];
  const text = Array.isArray(value) ? value[0] : value;
  const parts = parseGlobalId(text);
  return parts ? { officerId: text!, region: parts.region } : null;
}

/** The acting officer, or an UNAUTHENTICATED error saying how to name one. */
export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) {
    throw new GraphQLError(`This change records who made it: send the header X-Officer with your officer id (for example "330400:1")`, {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  return actor;
}
