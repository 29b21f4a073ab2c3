import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A subscription POSTed as if it were a query is the client's mistake, not the gateway's
 * failure (Apollo Gateway would answer 500 "not supported"): HTTP 400 saying where
 * subscriptions are served.
 */
export function subscriptionsOverHttpPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served at /graphql over WebSocket (graphql-transport-ws protocol) or Server-Sent Events (send Accept: text/event-stream), not as a plain HTTP request',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
