import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-sse';

/**
 * How the explorer asks the hub, with the header editor's headers: queries and mutations as HTTP
 * POSTs to /graphql; subscriptions over Server-Sent Events at the same path (graphql-sse,
 * distinct connections, as the gateway serves them), each event shown as it arrives.
 */
export const fetcher: GraphiQLProps['fetcher'] = async (given, options) => {
  const params = { ...given, operationName: operationNameIn(given.query, given.operationName) };
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

/**
 * The operation to run: GraphiQL can still name the previous document's operation right after the
 * editor's text is replaced; a document of one operation runs that one.
 */
function operationNameIn(query: string, operationName: string | null | undefined): string | undefined {
  try {
    const operations = parse(query).definitions.filter((definition) => definition.kind === 'OperationDefinition');
    if (operationName && operations.some((operation) => 'name' in operation && operation.name?.value === operationName)) return operationName;
    return operations.length === 1 ? (operations[0] as { name?: { value: string } }).name?.value : (operationName ?? undefined);
  } catch {
    return operationName ?? undefined; // the gateway answers what does not parse
  }
}

function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false; // the gateway answers what does not parse
  }
}
