import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

export type LiveState = 'connecting' | 'connected' | 'closed';

/** Whether the live connection is up, and how many times it has connected (a reconnection is a new count). */
export interface LiveStatus {
  state: LiveState;
  connections: number;
}
const liveListeners = new Set<() => void>();
let liveStatus: LiveStatus = { state: 'connecting', connections: 0 };
function setLiveState(state: LiveState) {
  liveStatus = { state, connections: liveStatus.connections + (state === 'connected' ? 1 : 0) };
  liveListeners.forEach((listener) => listener());
}
export const liveStore = {
  subscribe(listener: () => void) {
    liveListeners.add(listener);
    return () => liveListeners.delete(listener);
  },
  get: () => liveStatus,
};

/**
 * The headers of every query and mutation. `accept` names JSON only: urql's default also lists
 * text/event-stream, which the gateway takes as a request for a subscription over SSE.
 */
export function authorizationHeaders(token: string, purpose?: string): Record<string, string> {
  return { accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) };
}

/**
 * Queries and mutations over HTTP POST, subscriptions over WebSocket (graphql-transport-ws), both
 * at the gateway's /graphql, signed in with the officer's bearer token.
 */
export function consoleClient(token: string): { client: Client; close(): void } {
  const url = new URL('/graphql', window.location.href);
  const ws = createWsClient({
    url: url.href.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connecting: () => setLiveState('connecting'),
      connected: () => setLiveState('connected'),
      closed: () => setLiveState('closed'),
    },
  });
  const client = new Client({
    url: url.href,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: authorizationHeaders(token) }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, close: () => void ws.dispose() };
}
