import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-sse';

/**
 * How the explorer asks the hub, with the header editor's headers: queries and mutations as HTTP
 * POSTs to /graphql; subscriptions over Server-Sent Events at the same path (graphql-sse,
 * distinct connections, as the gateway serves them), each event shown as it arrives.
 */
export const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const headers = { ...(options?.headers as Record<string, string> | undefined) };
  if (isSubscription(params.query, params.operationName)) {
    const client = createClient({ url: '/graphql', headers, retryAttempts: 0 });
    return client.iterate({ query: params.query, variables: params.variables ?? undefined, operationName: params.operationName ?? undefined });
  }
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  });
  return response.json();
};

function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false; // the gateway answers what does not parse
  }
}
