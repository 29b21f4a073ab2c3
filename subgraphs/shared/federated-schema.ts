import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema, BuildSchemaOptions, createResolversMap } from 'type-graphql';
import { ROUTING_DIRECTIVES_SDL, SCHEMA_LINKS_SDL } from '../../schema/routing-directives';
import type { AccessCatalogue } from './access';
import { materializeAccess } from './access-schema';

/**
 * type-graphql builds the schema from the classes; Apollo's buildSubgraphSchema then adds what
 * federation needs (`_service`, `_entities`, the @link imports). The two meet through printed
 * SDL because type-graphql keeps `@Directive` usages only in the AST it prints; on the way, the
 * `@access` rules are checked against the subgraph's catalogue and completed (access-schema.ts).
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: GraphQLResolverMap<unknown>,
  access: AccessCatalogue,
): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const resolvers = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(typeResolvers as object) } as never;
  }
  const typeDefs = materializeAccess(parse(SCHEMA_LINKS_SDL + ROUTING_DIRECTIVES_SDL + printSchemaWithDirectives(typeGraphqlSchema)), access);
  return buildSubgraphSchema({ typeDefs, resolvers });
}
