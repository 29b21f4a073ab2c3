import { GraphQLError, GraphQLSchema } from 'graphql';
import { applyMiddleware, IMiddleware } from 'graphql-middleware';
import { allow, deny, IRules, rule, shield } from 'graphql-shield';
import type { HubContext } from './context';

/**
 * Field rules with graphql-shield, set up the way this hub needs them:
 *  - deny by default: a field no rule names is FORBIDDEN;
 *  - federation's own entry points (`_service`, `_entities`) allowed explicitly — the fields
 *    of what `_entities` returns are still guarded by their types' rules;
 *  - resolver errors pass through unchanged (not "Not Authorised!");
 *  - rules that depend on the record use no cache, so one record's answer is never reused
 *    for another.
 */

export const forbidden = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...extensions } });

/** The caller is known: the gateway's signed context was verified (every request has one). */
export const authenticated = rule({ cache: 'contextual' })((_parent, _args, ctx: HubContext) => (ctx.actor ? true : forbidden('this needs a verified caller')));

export const FEDERATION_RULES = { Query: { _service: allow, _entities: allow }, _Service: allow };

export function withPermissions(schema: GraphQLSchema, rules: IRules, ...middlewares: IMiddleware[]): GraphQLSchema {
  const permissions = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, _ctx, info) =>
      forbidden(`${info.parentType.name}.${info.fieldName} is not open to you`, { field: `${info.parentType.name}.${info.fieldName}` }),
  });
  return applyMiddleware(schema, permissions, ...middlewares);
}
