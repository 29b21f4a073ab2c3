import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { reportFailure, reportReady, serveIpc } from '../lib/ipc';

/**
 * Child process: stock graphql-ws over ws, broadcasting one ready-made event to every
 * subscriber — no hub, no caller, no region, no authorization, the same subscription document
 * and result shape as the hub's live bench. What this machine gives a live fan-out at all, to
 * set the hub's figures against (bench/live.ts `broadcastFloor`).
 */

const schema = buildSchema(`
  type Query { ok: Boolean }
  enum WarningKind { CROSS_REGION }
  input Filter { kinds: [WarningKind!] }
  type Person { name: String }
  type Warning { id: ID! level: String subject: Person }
  type Event { at: String! kind: String! region: String! warning: Warning }
  type Subscription { petitionWarningEvents(filter: Filter): Event }
`);

type Event = { at: string; kind: string; region: string; warning: { id: string; level: string; subject: { name: string } } };

/** Every subscriber's way to take an event. */
const subscribers = new Set<(event: Event) => void>();

/** One subscriber's events, as graphql-js reads a subscription: an async iterator, unbounded (the floor has no limits). */
function subscription(): AsyncIterableIterator<{ petitionWarningEvents: Event }> {
  const waiting: Event[] = [];
  let wake: ((result: IteratorResult<{ petitionWarningEvents: Event }>) => void) | undefined;
  const take = (event: Event) => {
    if (wake) {
      const resolve = wake;
      wake = undefined;
      resolve({ value: { petitionWarningEvents: event }, done: false });
    } else waiting.push(event);
  };
  subscribers.add(take);
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      waiting.length ? Promise.resolve({ value: { petitionWarningEvents: waiting.shift()! }, done: false }) : new Promise((resolve) => (wake = resolve)),
    return: async () => {
      subscribers.delete(take);
      return { value: undefined, done: true };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function broadcast({ perSecond, seconds, regions }: { perSecond: number; seconds: number; regions: string[] }): Promise<number> {
  const total = perSecond * seconds;
  const started = Date.now();
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / perSecond - Date.now();
    if (wait > 0) await sleep(wait);
    const region = regions[n % regions.length];
    const event: Event = {
      at: new Date().toISOString(),
      kind: 'RAISED',
      region,
      warning: { id: `${region}:${n + 1}`, level: 'RED', subject: { name: '张*' } },
    };
    for (const take of subscribers) take(event);
  }
  return total;
}

async function main(): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer({ schema, roots: { subscription: { petitionWarningEvents: subscription } } }, wss, 12_000);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveIpc({
    broadcast: (payload: { perSecond: number; seconds: number; regions: string[] }) => broadcast(payload),
    subscribers: () => subscribers.size,
    stop: async () => {
      wss.clients.forEach((socket) => socket.terminate());
      server.close();
      setImmediate(() => process.exit(0));
    },
  });
  reportReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` });
}

main().catch(reportFailure);
