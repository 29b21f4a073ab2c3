import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptsEventStreamFirst } from './accepts-event-stream';
import { InFlightRequests } from './drain';
import { serveMetrics } from './metrics-endpoint';
import { logger } from './logger';
import { annotateSpan, inServerSpan, tracingOn } from './tracing';

/**
 * Node's http server in front of Apollo Server instances: `GET /health`, GraphQL at the
 * routes given, a cap on request bodies, and a clean stop that closes kept-alive sockets.
 * Both the gateway and the subgraph hosts serve through it.
 */

export interface GraphQLRoute<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  /**
   * Tried first for a POST: an answer given without Apollo Server's pipeline (see
   * subgraphs/shared/direct-execution.ts), or undefined to let Apollo Server answer.
   */
  direct?: (body: unknown, request: IncomingMessage) => Promise<{ status: number; headers: Record<string, string>; body: string } | undefined>;
  /**
   * Takes the request when it asks for Server-Sent Events first (`Accept: text/event-stream`):
   * subscriptions over SSE at the same path.
   */
  eventStream?: HttpHandler;
  /**
   * Turns the request's body (POST) or query string (GET) into the form Apollo Server reads, before
   * it does: a persisted document's `documentId` into Apollo's APQ extension, at the gateway.
   */
  rewrite?: (request: { body: unknown; search: string }) => { body: unknown; search: string };
  /** Takes a GET that asks for HTML (a browser opening the URL): the explorer at the gateway's /graphql. */
  page?: HttpHandler;
  /** Called with the request's context once its answer is written (if a context was made). */
  finished?: (context: TContext) => void;
}

/** A plain route: answers the request itself. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpServerOptions {
  port: number;
  host?: string;
  /** Requests with a larger body get HTTP 413. */
  maxBodyBytes?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own context type
  routes: Record<string, GraphQLRoute<any>>;
  /**
   * Plain routes by exact path, tried before the GraphQL ones: the gateway's /ready, a region's
   * warning feed. Each says which methods it takes (`plainRoute`); `/health` and `/metrics` every
   * server has.
   */
  handlers?: Record<string, PlainRoute>;
  /** Routes by path prefix (`/console` takes `/console/…`): built web applications. */
  folders?: Record<string, HttpHandler>;
  /** WebSocket upgrades (GraphQL subscriptions at the gateway); without it, upgrades are refused. */
  upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** A plain route and the methods it answers; other methods get 405. */
export interface PlainRoute {
  methods: readonly string[];
  handle: HttpHandler;
}

/** A plain route for reading: GET and HEAD. */
export function readOnlyRoute(handle: HttpHandler): PlainRoute {
  return { methods: ['GET', 'HEAD'], handle };
}

/** A plain route for any method (it checks the method itself). */
export function anyMethodRoute(handle: HttpHandler): PlainRoute {
  return { methods: [], handle };
}

const healthRoute = readOnlyRoute((_request, response) => sendJson(response, 200, { status: 'ok' }));
const metricsRoute = readOnlyRoute(serveMetrics);

function plainRouteAt(options: HttpServerOptions, path: string): PlainRoute | undefined {
  if (path === '/health') return healthRoute;
  if (path === '/metrics') return metricsRoute;
  return options.handlers?.[path];
}

function folderAt(options: HttpServerOptions, path: string): HttpHandler | undefined {
  for (const [prefix, handler] of Object.entries(options.folders ?? {})) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return handler;
  }
  return undefined;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /**
   * Stops accepting and resolves once the requests in flight are answered (true) or `timeoutMs`
   * cut them (false). Absent for a server in another thread (its requests come from the gateway,
   * whose drain awaits them).
   */
  drain?(timeoutMs: number): Promise<boolean>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`Port ${port} on ${host} is already in use: stop the program holding it, or choose another port (PORT=… or --port …)`);
    this.name = 'PortInUseError';
  }
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** How long an over-large body may keep arriving (discarded) before the connection is cut. */
const DRAIN_LIMIT_MS = 10_000;

/**
 * The body as text, or undefined when it is larger than `limit`. Nothing past the limit is kept:
 * the rest is read and thrown away until the client has sent it, so that the 413 answer reaches a
 * client still writing (closing on unread data would reset the connection and lose the answer).
 */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(request.headers['content-length']) > limit ? limit + 1 : 0;
    let drainTimer: NodeJS.Timeout | undefined;
    request.on('data', (chunk: Buffer) => {
      if (size > limit) return; // discarding
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        drainTimer = setTimeout(() => request.destroy(), DRAIN_LIMIT_MS);
        return;
      }
      chunks.push(chunk);
    });
    if (size > limit) drainTimer = setTimeout(() => request.destroy(), DRAIN_LIMIT_MS);
    request.on('end', () => {
      clearTimeout(drainTimer);
      resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', (error) => {
      clearTimeout(drainTimer);
      reject(error);
    });
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's context type
async function handleGraphQL(route: GraphQLRoute<any>, request: IncomingMessage, response: ServerResponse, maxBody: number) {
  let body: unknown;
  if (request.method === 'POST') {
    const text = await readBody(request, maxBody);
    if (text === undefined) {
      response.setHeader('connection', 'close');
      sendJson(response, 413, {
        errors: [{ message: `Request body larger than ${maxBody} bytes: send a smaller request`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      });
      return;
    }
    try {
      body = text.length ? JSON.parse(text) : undefined;
    } catch {
      sendJson(response, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
  }
  if (route.direct && request.method === 'POST') {
    const answer = await route.direct(body, request);
    if (answer) {
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const { body: rewrittenBody, search } = route.rewrite ? route.rewrite({ body, search: url.search }) : { body, search: url.search };
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: request.method ?? 'GET', headers, search, body: rewrittenBody };
  let context: Promise<unknown> | undefined;
  try {
    const result = await route.server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => (context = route.context(request)) });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    annotateSpan({ 'http.response.status_code': response.statusCode });
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  } finally {
    // After the last chunk: an incremental answer is still being computed until then.
    const finished = route.finished;
    if (finished && context) context.then(finished, () => undefined);
  }
}

export function listen(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const plain = plainRouteAt(options, path);
    if (plain) {
      if (plain.methods.length && !plain.methods.includes(request.method ?? 'GET')) {
        response.setHeader('allow', plain.methods.join(', '));
        sendJson(response, 405, { errors: [{ message: `${path} answers ${plain.methods.join(' and ')} only`, extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
        return;
      }
      plain.handle(request, response);
      return;
    }
    const folder = folderAt(options, path);
    if (folder) {
      folder(request, response);
      return;
    }
    const route = options.routes[path];
    if (route?.eventStream && acceptsEventStreamFirst(request.headers.accept)) {
      route.eventStream(request, response);
      return;
    }
    if (route?.page && (request.method === 'GET' || request.method === 'HEAD') && /text\/html/i.test(request.headers.accept ?? '')) {
      route.page(request, response);
      return;
    }
    if (!route) {
      sendJson(response, 404, { errors: [{ message: `Nothing at ${path}; GraphQL is served at ${Object.keys(options.routes).join(', ')}` }] });
      return;
    }
    const handled = tracingOn()
      ? inServerSpan(`${request.method} ${path}`, request.headers, { 'http.request.method': request.method ?? 'GET', 'url.path': path }, () =>
          handleGraphQL(route, request, response, maxBody),
        )
      : handleGraphQL(route, request, response, maxBody);
    handled.catch((error) => {
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else response.destroy();
      logger.error(`[http] ${path}: ${(error as Error).stack ?? error}`);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (options.upgrade) options.upgrade(request, socket, head);
    else socket.destroy();
  });
  const inFlight = new InFlightRequests(server);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, host) : error));
    server.listen(options.port, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
        drain: (timeoutMs) => inFlight.drain(timeoutMs),
      });
    });
  });
}
