import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Subscribers as a real client makes them: graphql-ws over WebSocket, and Server-Sent Events
 * read from fetch's stream (with their ids, as an EventSource sees them). Each collects what it
 * receives; tests poll the collection with bounded loops.
 */

export interface Received {
  events: any[];
  errors: any[];
  /** Set when the subscription ended: by completion, or the socket's close code and reason. */
  ended?: { code?: number; reason?: string };
  /** SSE: the id line of each event. */
  ids: string[];
  stop(): Promise<void>;
}

export function wsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

export function subscribeWs(
  graphqlUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  params: Record<string, string> = {},
): Received {
  const received: Received = { events: [], errors: [], ids: [], stop: async () => undefined };
  const client: Client = createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...params },
    retryAttempts: 0,
    lazy: false,
    on: {
      closed: (event) => {
        const close = event as { code?: number; reason?: string };
        received.ended ??= { code: close.code, reason: close.reason };
      },
    },
    onNonLazyError: () => undefined,
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...result.errors);
        if (result.data) received.events.push((result.data as any).petitionWarningEvents ?? result.data);
      },
      error: (error) => {
        if (Array.isArray(error)) received.errors.push(...error);
        else received.ended ??= { code: (error as any)?.code, reason: (error as any)?.reason ?? String(error) };
      },
      complete: () => {
        received.ended ??= {};
      },
    },
  );
  received.stop = async () => {
    dispose();
    await client.dispose();
  };
  return received;
}

export function subscribeSse(
  graphqlUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Received & { status: Promise<number> } {
  const controller = new AbortController();
  const received: Received = { events: [], errors: [], ids: [], stop: async () => controller.abort() };
  const status = (async () => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      const body = await response.text();
      try {
        received.errors.push(...(JSON.parse(body).errors ?? []));
      } catch {
        received.errors.push({ message: body });
      }
      received.ended = { code: response.status };
      return response.status;
    }
    void (async () => {
      const decoder = new TextDecoder();
      let rest = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          rest += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = rest.indexOf('\n\n')) >= 0) {
            const message = rest.slice(0, end);
            rest = rest.slice(end + 2);
            const event = /^event: (\w+)$/m.exec(message)?.[1];
            const data = /^data: (.*)$/m.exec(message)?.[1];
            const id = /^id: (.*)$/m.exec(message)?.[1];
            if (event === 'next' && data) {
              const result = JSON.parse(data);
              if (result.errors) received.errors.push(...result.errors);
              if (result.data) received.events.push(result.data.petitionWarningEvents);
              if (id) received.ids.push(id);
            }
            if (event === 'complete') received.ended ??= {};
          }
        }
      } catch {
        // aborted by stop()
      }
      received.ended ??= {};
    })();
    return response.status;
  })();
  return Object.assign(received, { status });
}

/** Polls `check` until it holds, at most `seconds`; answers whether it did (no timing is asserted). */
export async function eventually(check: () => boolean | Promise<boolean>, seconds = 15): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/**
 * A subscription listens from the moment the gateway has set it up, which the client is not
 * told: make a change, look for its event for a second, and make another if none came.
 */
export async function repeatUntil(action: () => Promise<unknown>, check: () => boolean, attempts = 20): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    await action();
    if (await eventually(check, 1)) return true;
  }
  return false;
}
