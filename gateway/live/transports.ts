import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AuthenticatedRequest } from '../authentication';
import type { LiveWarnings, Subscriber } from './live-warnings';
import { SubscriptionDocuments } from './subscription-documents';
import { LIVE_CLOSE } from './warning-event-stream';

/**
 * The two ways to subscribe at `/graphql`: WebSocket with the graphql-transport-ws protocol
 * (graphql-ws) and Server-Sent Events (graphql-sse, "distinct connections" mode). Both verify
 * the caller exactly as a query is verified — the token in `connection_init`'s payload
 * (`{ "authorization": "Bearer …" }`) or in the upgrade / request headers — and refuse with
 * UNAUTHENTICATED (WebSocket close 4401; SSE HTTP 401) before anything is subscribed.
 */

/** A WebSocket close reason is at most 123 bytes. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -2) + '…';
  return reason;
}

/** What a subscriber's caller is made from, kept for the connection's life (not all of the upgrade request's headers). */
const CALLER_HEADERS = ['authorization', 'x-purpose', 'x-request-id'] as const;

function connectionHeaders(request: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const name of CALLER_HEADERS) if (request.headers[name] !== undefined) (headers as Record<string, unknown>)[name] = request.headers[name];
  const given = params?.authorization ?? params?.Authorization ?? (params?.token ? `Bearer ${params.token}` : undefined);
  if (typeof given === 'string') headers.authorization = given;
  const purpose = params?.['x-purpose'] ?? params?.purpose;
  if (typeof purpose === 'string') headers['x-purpose'] = purpose;
  return headers;
}

type WsExtra = {
  headers?: IncomingHttpHeaders;
  auth?: AuthenticatedRequest;
};

export interface LiveTransports {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  eventStream(request: IncomingMessage, response: ServerResponse): void;
  close(): Promise<void>;
  /** A drain: every WebSocket subscriber hears "going away" (1001) and resumes elsewhere with its last cursor. */
  goAway(): void;
}

/**
 * Whether a subscription's document may be run (trusted documents, gateway/trusted-documents-plugin.ts):
 * the refusal, or undefined to go on.
 */
export type SubscriptionAdmission = (query: string, auth: AuthenticatedRequest | undefined) => GraphQLError | undefined;

export function liveTransports(live: LiveWarnings, path = '/graphql', admit?: SubscriptionAdmission): LiveTransports {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const documents = new SubscriptionDocuments(live.schema);
  const disposable = useServer<Record<string, unknown>, WsExtra>(
    {
      schema: live.schema,
      // The connection's context (its socket and verified caller) is each subscription's.
      context: (ctx) => ctx as never,
      onConnect: async (ctx) => {
        const headers = connectionHeaders(ctx.extra.request, ctx.connectionParams);
        try {
          ctx.extra.auth = await live.authenticate(headers);
          ctx.extra.headers = headers;
          // graphql-ws keeps the upgrade request for the connection's life only for us; what we need of it is kept above.
          (ctx.extra as { request?: unknown }).request = undefined;
          return true;
        } catch (error) {
          const code = error instanceof GraphQLError ? String(error.extensions?.code) : 'INTERNAL_SERVER_ERROR';
          // 4401 for a caller not let in, as graphql-ws itself uses it; 4400 for a bad header
          // (X-Purpose); 4503 when the roster could not be read (try again shortly).
          const closeCode =
            code === 'UNAUTHENTICATED'
              ? LIVE_CLOSE.UNAUTHENTICATED.code
              : code === 'BAD_USER_INPUT'
                ? 4400
                : code === 'ROSTER_UNAVAILABLE'
                  ? LIVE_CLOSE.EVENTS_UNAVAILABLE.code
                  : 4500;
          ctx.extra.socket.close(closeCode, closeReason(`${code}: ${(error as Error).message}`));
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const refusal = admit?.(payload.query, ctx.extra.auth);
        if (refusal) return [refusal];
        const document = documents.documentFor(payload.query);
        if (!('kind' in document)) return [...document];
        return {
          schema: live.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? undefined,
          contextValue: ctx as never,
        };
      },
      subscribe: (args) => {
        const ctx = args.contextValue as unknown as { extra: WsExtra & { socket: import('ws').WebSocket } };
        const subscriber: Subscriber = {
          headers: ctx.extra.headers!,
          auth: ctx.extra.auth,
          fail: (code, message) => ctx.extra.socket.close(code.code, closeReason(`${code.name}: ${message}`)),
        };
        return live.subscribe(args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, subscriber) as never;
      },
      execute: () => ({
        errors: [
          new GraphQLError('Queries and mutations go over HTTP POST to /graphql; this socket serves subscriptions', { extensions: { code: 'BAD_REQUEST' } }),
        ],
      }),
    },
    wss,
    live.limits.keepAliveMs,
  );

  const sse = createHandler<{ subscriber: Subscriber }>({
    schema: live.schema,
    onSubscribe: async (req, params) => {
      const headers = req.raw.headers;
      try {
        const auth = await live.authenticate(headers);
        const lastEventId = req.raw.headers['last-event-id'];
        req.context = {
          subscriber: {
            headers,
            auth,
            inBand: true,
            lastEventId: typeof lastEventId === 'string' && lastEventId ? lastEventId : undefined,
            fail: () => undefined,
          },
        } as never;
        const refusal = admit?.(typeof params.query === 'string' ? params.query : '', auth);
        if (refusal) throw refusal;
      } catch (error) {
        const graphqlError =
          error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        const status = Number((graphqlError.extensions?.http as { status?: number } | undefined)?.status ?? 500);
        return [
          JSON.stringify({ errors: [graphqlError.toJSON()] }),
          { status, statusText: status === 401 ? 'Unauthorized' : 'Refused', headers: { 'content-type': 'application/json; charset=utf-8' } },
        ];
      }
    },
    context: (req) => req.context as never,
    subscribe: (args) =>
      live.subscribe(args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, args.contextValue.subscriber) as never,
    execute: () => ({
      errors: [
        new GraphQLError('Queries and mutations go over HTTP POST to /graphql without Accept: text/event-stream', { extensions: { code: 'BAD_REQUEST' } }),
      ],
    }),
  });

  return {
    upgrade: (request, socket, head) => {
      if ((request.url ?? '/').split('?')[0] !== path) return void socket.destroy();
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    eventStream: (request, response) => {
      withEventIds(response);
      sse(request, response).catch((error) => {
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
        console.error(`[gateway] SSE subscription failed: ${(error as Error).stack ?? error}`);
      });
    },
    goAway: () => {
      for (const client of wss.clients) client.close(1001, 'going away: reconnect with your last cursor');
    },
    close: async () => {
      await disposable.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * graphql-sse writes `event: next` messages without an `id:` line; each of ours carries its
 * event's cursor as the id, so that an EventSource that reconnects sends it back as
 * Last-Event-ID and resumes exactly after the last event it received.
 */
function withEventIds(response: ServerResponse): void {
  const write = response.write.bind(response) as (chunk: unknown, ...rest: unknown[]) => boolean;
  (response as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('event: next\ndata: ')) {
      const cursor = /"cursor":"([A-Za-z0-9_-]+)"/.exec(chunk)?.[1];
      if (cursor) return write(`id: ${cursor}\n${chunk}`, ...rest);
    }
    return write(chunk, ...rest);
  };
}
