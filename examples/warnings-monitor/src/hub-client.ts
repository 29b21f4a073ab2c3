import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentString } from './generated/graphql';

/** Where the hub is and who calls it: the caller token of an officer, and the purpose stated for full reads. */
export interface HubConnection {
  /** The hub's address, such as http://127.0.0.1:4000 (its GraphQL endpoint is /graphql). */
  url: string;
  token: string;
  purpose?: string;
}

/** A GraphQL error as the hub sends it: every error carries `extensions.code`. */
export class HubError extends Error {
  constructor(readonly errors: ReadonlyArray<{ message: string; extensions?: { code?: string } }>) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  }
}

/** Runs a query or mutation over HTTP POST; the result is typed by the document. */
export async function execute<TResult, TVariables>(
  hub: HubConnection,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${hub.token}`,
      ...(hub.purpose ? { 'x-purpose': hub.purpose } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const answer = (await response.json()) as { data?: TResult; errors?: HubError['errors'] };
  if (answer.errors?.length || !answer.data) throw new HubError(answer.errors ?? [{ message: `HTTP ${response.status} without data` }]);
  return answer.data;
}

/** A WebSocket client (graphql-transport-ws) for subscriptions, signed in through connection_init. */
export function subscriptionClient(hub: HubConnection, onConnected: () => void): Client {
  return createClient({
    url: `${hub.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${hub.token}`, ...(hub.purpose ? { purpose: hub.purpose } : {}) },
    on: { connected: onConnected },
  });
}

/** Follows a subscription; each result is typed by the document. Errors of the subscription itself end it with a HubError. */
export async function* subscribe<TResult, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): AsyncGenerator<TResult> {
  for await (const result of client.iterate<TResult>({ query: document.toString(), variables })) {
    if (result.errors?.length) throw new HubError(result.errors);
    if (result.data) yield result.data;
  }
}
