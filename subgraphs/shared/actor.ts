import { GraphQLError } from 'graphql';
import type { RequestContext } from '../../auth/context-token';

/**
 * Who acts in a request, as the gateway vouches for it in the signed context token (see
 * auth/context-token.ts; the host verifies it before anything runs): the officer whose id goes
 * into timelines and audit rows, their jurisdiction, agency, roles, purpose and grants.
 */
export interface Actor extends RequestContext {
  /** Region of the officer's own record (the prefix of their id), or the region a service acts for. */
  region: string;
}

export function actorOf(context: RequestContext): Actor {
  const region = context.officerId.startsWith('service:') ? context.officerId.slice('service:'.length) : context.officerId.split(':')[0];
  return { ...context, region };
}

/** The acting officer, or UNAUTHENTICATED: a change must say who makes it. */
export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) {
    throw new GraphQLError('This change records who made it, and this request names nobody', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  return actor;
}
