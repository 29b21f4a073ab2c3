import { defaultFieldResolver, GraphQLError, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import { applyMiddleware, IMiddleware } from 'graphql-middleware';
import { allow, deny, IRules, rule, shield } from 'graphql-shield';
import type { AccessCatalogue } from './access';
import { shieldRulesFrom } from './access-schema';
import type { HubContext } from './context';

/**
 * Field rules with graphql-shield, set up the way this hub needs them:
 *  - the rule tree is derived from the schema's `@access` directives (access-schema.ts): one
 *    declaration per rule; shield's fallback still denies anything the tree does not name;
 *  - federation's own entry points (`_service`, `_entities`) allowed explicitly — the fields
 *    of what `_entities` returns are still guarded by their types' rules;
 *  - resolver errors pass through unchanged (not "Not Authorised!");
 *  - rules that depend on the record use no cache, so one record's answer is never reused
 *    for another.
 */

export const forbidden = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...extensions } });

/**
 * A record the caller may not see: the message names only what the caller already sent (the
 * id, which carries its region) and their own jurisdiction, never a field of the record.
 */
export const notShared = (what: string, id: string, callerJurisdiction: string) =>
  forbidden(`${what} ${id}: no sharing agreement opens it to ${callerJurisdiction}`, { reason: 'NO_AGREEMENT' });

/** The caller is known: the gateway's signed context was verified (every request has one). */
export const authenticated = rule({ cache: 'contextual' })((_parent, _args, ctx: HubContext) => (ctx.actor ? true : forbidden('this needs a verified caller')));

/** A decision about one record that needs no I/O: true, or the error to show at the field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a resolver's parent, arguments and context, as graphql-js types them
export type RecordPredicate<TParent = any, TContext = any> = (parent: TParent, args: any, ctx: TContext, info: GraphQLResolveInfo) => true | GraphQLError;

const recordPredicates = new WeakMap<object, RecordPredicate>();

/**
 * A per-record rule: shield's `no_cache` rule (never reused for another record), whose
 * predicate is also kept so that the field can be guarded synchronously (see below).
 */
export function recordRule<TParent, TContext>(predicate: RecordPredicate<TParent, TContext>) {
  const shieldRule = rule({ cache: 'no_cache' })(predicate as never);
  recordPredicates.set(shieldRule, predicate);
  return shieldRule;
}

/** Shield's answer when a rule says no without a reason, or fails. */
const notOpen = (info: GraphQLResolveInfo) =>
  forbidden(`${info.parentType.name}.${info.fieldName} is not open to you`, { field: `${info.parentType.name}.${info.fieldName}` });

/** A subgraph's schema guarded by the rules its `@access` directives name. */
export function withPermissions(schema: GraphQLSchema, access: AccessCatalogue, ...middlewares: IMiddleware[]): GraphQLSchema {
  return withShield(schema, shieldRulesFrom(schema, access), ...middlewares);
}

/** The schema guarded by a shield rule tree (withPermissions derives it; tests give one). */
export function withShield(schema: GraphQLSchema, rules: IRules, ...middlewares: IMiddleware[]): GraphQLSchema {
  const permissions = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, _ctx, info) => notOpen(info),
  });
  // The other middlewares first, shield outermost: as applyMiddleware(schema, permissions, ...middlewares) does.
  const inner = middlewares.length ? applyMiddleware(schema, ...middlewares) : schema;
  const guarded = applyMiddleware(inner, permissions);
  withoutAsyncWrappers(inner, guarded, rules);
  return guarded;
}

/**
 * graphql-shield makes every field asynchronous, even where the rule is a synchronous test: a
 * list of 20 warnings then costs a few hundred promise round trips per request, in every
 * region. Fields whose rule is `allow` get their own resolver back; fields whose rule is
 * `authenticated` or a `recordRule` get a synchronous check of the same condition with the
 * same error, still per record. The rule of each field is found exactly as shield finds it
 * (field, then the type's `*`, then deny); any other rule stays with shield.
 */
function withoutAsyncWrappers(original: GraphQLSchema, guarded: GraphQLSchema, rules: IRules): void {
  const isRule = (value: unknown) => typeof (value as { resolve?: unknown } | undefined)?.resolve === 'function';
  for (const type of Object.values(guarded.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const originalType = original.getType(type.name);
    if (!isObjectType(originalType)) continue;
    const typeRules = (rules as Record<string, unknown>)[type.name];
    for (const [name, field] of Object.entries(type.getFields())) {
      const fieldRules = typeRules as Record<string, unknown> | undefined;
      const effective = typeRules === undefined ? deny : isRule(typeRules) ? typeRules : (fieldRules![name] ?? fieldRules!['*'] ?? deny);
      const resolve: GraphQLFieldResolver<unknown, HubContext> = originalType.getFields()[name]?.resolve ?? defaultFieldResolver;
      if (effective === allow) field.resolve = resolve;
      else if (effective === authenticated)
        field.resolve = (parent, args, ctx, info) => (ctx?.actor ? resolve(parent, args, ctx, info) : forbidden('this needs a verified caller'));
      else {
        const predicate = recordPredicates.get(effective as object);
        if (predicate) {
          field.resolve = (parent, args, ctx, info) => {
            let decision: true | GraphQLError;
            try {
              decision = predicate(parent, args, ctx, info);
            } catch {
              return notOpen(info); // as shield treats a rule that throws
            }
            return decision === true ? resolve(parent, args, ctx, info) : decision;
          };
        }
      }
    }
  }
}
