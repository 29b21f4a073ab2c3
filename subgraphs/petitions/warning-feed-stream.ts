import type { IncomingMessage, ServerResponse } from 'node:http';
import { Client, Pool } from 'pg';
import { ContextTokenError, ContextVerifier, GATEWAY_IDENTITY } from '../../auth/context-token';
import { FeedEvent, feedHead, readFeed } from './warning-feed';

/**
 * Serves the region's warning feed to the hub gateway over HTTP (the gateway never reads a
 * region's database): `GET /petitions/warning-feed?after=N` answers newline-delimited JSON —
 * first `{"head":H,"pruned":P}`, then every event after N in order, and, unless `follow=0`,
 * each new event as it commits, with `{}` as a keep-alive. New events are learnt of through
 * PostgreSQL LISTEN on the region's database; a stream also looks every few seconds on its
 * own, so a lost notification (or a listener reconnecting) delays an event, never loses it.
 *
 * Only the gateway may read it: the caller shows a context token for this subgraph signed by
 * the hub's key, naming the gateway itself (GATEWAY_IDENTITY), not an officer.
 */

const PAGE = 500;
const KEEP_ALIVE_MS = 15_000;
const SAFETY_POLL_MS = 5_000;

interface Follower {
  wake(): void;
}

export class WarningFeedStreams {
  private readonly followers = new Set<Follower>();
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Pool,
    private readonly region: string,
    private readonly verifier: ContextVerifier,
  ) {}

  /** The HTTP handler for the feed route. */
  handle = (request: IncomingMessage, response: ServerResponse): void => {
    this.serve(request, response).catch((error) => {
      if (!response.headersSent) sendError(response, 500, 'INTERNAL_SERVER_ERROR', 'the warning feed could not be read');
      else response.destroy();
      console.warn(`[petitions ${this.region}] warning feed: ${(error as Error).message}`);
    });
  };

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return sendError(response, 401, 'UNAUTHENTICATED', 'no context token: the warning feed is for the hub gateway');
    try {
      const context = await this.verifier.verify(token, 'petitions');
      if (context.officerId !== GATEWAY_IDENTITY) return sendError(response, 403, 'FORBIDDEN', 'the warning feed is for the hub gateway, not for officers');
    } catch (error) {
      if (error instanceof ContextTokenError) return sendError(response, 401, 'UNAUTHENTICATED', error.message);
      throw error;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const afterText = url.searchParams.get('after') ?? '';
    if (afterText !== '' && !/^\d{1,15}$/.test(afterText)) return sendError(response, 400, 'BAD_USER_INPUT', 'after: must be a feed position (a whole number)');
    const follow = url.searchParams.get('follow') !== '0';
    const head = await feedHead(this.db);
    let position = afterText === '' ? head.head : Number(afterText);
    response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    response.write(`${JSON.stringify(head)}\n`);
    const write = (events: FeedEvent[]) => {
      if (events.length) response.write(events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    };
    if (!follow) {
      const events = await readFeed(this.db, this.region, position, PAGE);
      write(events);
      response.end();
      return;
    }
    await this.listen();
    let closed = false;
    let reading = false;
    let again = false;
    const readOn = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          for (;;) {
            const events = await readFeed(this.db, this.region, position, PAGE);
            if (closed || !events.length) break;
            position = events[events.length - 1].seq;
            write(events);
            if (events.length < PAGE) break;
          }
        } while (again && !closed);
      } catch (error) {
        console.warn(`[petitions ${this.region}] warning feed read failed, trying again: ${(error as Error).message}`);
      } finally {
        reading = false;
      }
    };
    const follower: Follower = { wake: () => void readOn() };
    this.followers.add(follower);
    const safety = setInterval(() => void readOn(), SAFETY_POLL_MS);
    const keepAlive = setInterval(() => response.write('{}\n'), KEEP_ALIVE_MS);
    response.on('close', () => {
      closed = true;
      clearInterval(safety);
      clearInterval(keepAlive);
      this.followers.delete(follower);
    });
    await readOn();
  }

  /** One LISTEN connection per region, opened with the first follower and kept; reconnects after a failure. */
  private listen(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.listening ??= (async () => {
      const client = new Client((this.db as unknown as { options: object }).options);
      client.on('notification', () => this.followers.forEach((follower) => follower.wake()));
      client.on('error', () => undefined);
      client.on('end', () => {
        this.listener = undefined;
        this.listening = undefined;
        if (this.stopped) return;
        // Readers look on their own meanwhile; once listening again, everyone catches up.
        setTimeout(
          () =>
            void this.listen().then(
              () => this.followers.forEach((follower) => follower.wake()),
              () => undefined,
            ),
          1000,
        ).unref();
      });
      try {
        await client.connect();
        await client.query('LISTEN petitions_warning_feed');
        this.listener = client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    })().catch((error) => {
      this.listening = undefined;
      console.warn(`[petitions ${this.region}] LISTEN failed, polling until it works: ${(error as Error).message}`);
    });
    return this.listening;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => undefined);
  }
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
