import type { ApolloServerPlugin } from '@apollo/server';
import { ArgumentNode, DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, TypeInfo, valueFromASTUntyped, visit, visitWithTypeInfo } from 'graphql';
import type { GatewayContext } from './request-budget';

/**
 * Early refusal: fields whose `@access` directive names roles (schema/routing-directives.ts)
 * are refused before planning when the caller holds none of them — no subgraph is asked for an
 * answer the caller could never get. Every other rule is the owning subgraph's, per record.
 */

/** "Type.field" → the roles of which a caller needs one, read from the supergraph. */
export function readRoleRules(supergraph: DocumentNode): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const access = field.directives?.find((d) => d.name.value === 'access');
      const roles = access?.arguments?.find((a: ArgumentNode) => a.name.value === 'roles');
      if (!roles) continue;
      const value = valueFromASTUntyped(roles.value) as string[] | null;
      if (value?.length) rules.set(`${definition.name.value}.${field.name.value}`, value);
    }
  }
  return rules;
}

export function earlyAccessPlugin(rules: Map<string, string[]>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          const caller = contextValue.auth?.caller;
          if (!caller || !operation || rules.size === 0) return;
          const fragments = new Map(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
          );
          const refused = new Set<string>();
          const pending = [operation as never as FragmentDefinitionNode];
          const seen = new Set<string>();
          const typeInfo = new TypeInfo(schema);
          while (pending.length) {
            visit(
              pending.pop()!,
              visitWithTypeInfo(typeInfo, {
                Field(node) {
                  const parent = typeInfo.getParentType();
                  const coordinate = `${parent?.name}.${node.name.value}`;
                  const roles = rules.get(coordinate);
                  if (roles && !roles.some((role) => caller.roles.includes(role))) refused.add(`${coordinate} (needs ${roles.join(' or ')})`);
                },
                FragmentSpread(node) {
                  const fragment = fragments.get(node.name.value);
                  if (fragment && !seen.has(fragment.name.value)) {
                    seen.add(fragment.name.value);
                    pending.push(fragment);
                  }
                },
              }),
            );
          }
          if (refused.size) {
            throw new GraphQLError(`This operation selects ${[...refused].join(', ')}; you hold ${caller.roles.join(', ') || 'no role'}`, {
              extensions: { code: 'FORBIDDEN', http: { status: 403 }, fields: [...refused].map((f) => f.split(' ')[0]) },
            });
          }
        },
      };
    },
  };
}
