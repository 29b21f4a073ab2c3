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

/**
 * One actor per verified context. The regions a thread serves receive the same context token in
 * a fan-out (and the verifier hands back the same context for it), so they share one actor and
 * with it the access decisions memoised per viewer (auth/record-policy.ts). Hence frozen.
 */
const actors = new WeakMap<RequestContext, Readonly<Actor>>();

export function actorOf(context: RequestContext): Readonly<Actor> {
  let actor = actors.get(context);
  if (!actor) {
    const region = context.officerId.startsWith('service:') ? context.officerId.slice('service:'.length) : context.officerId.split(':')[0];
    actor = Object.freeze({ ...context, region });
    actors.set(context, actor);
  }
  return actor;
}

/** The acting officer, or UNAUTHENTICATED: a change must say who makes it. */
export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) {
    throw new GraphQLError('This change records who made it, and this request names nobody', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  return actor;
}
