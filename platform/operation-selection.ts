import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';

/**
 * A document that parses and validates but names no operation to run (several operations and no
 * `operationName`, or a name the document lacks) is the client's mistake: HTTP 400 with the
 * reason, as the GraphQL-over-HTTP spec has it, before any plugin or executor looks for the
 * operation that is not there.
 */
export function operationSelectionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
          const name = request.operationName;
          const message =
            operations.length === 0
              ? 'The document holds no operation (only fragments): send a query, mutation or subscription'
              : name
                ? `Unknown operation named ${JSON.stringify(name)}: the document holds ${operations.map((o) => (o.name ? JSON.stringify(o.name.value) : 'an anonymous one')).join(', ')}`
                : 'The document holds several operations: say which to run with "operationName"';
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}
