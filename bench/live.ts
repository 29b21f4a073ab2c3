import { createClient, Client as WsClient, ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { Child, cpuSecondsOf, postgresCpuSeconds, rssOf } from './lib/ipc';

/**
 * `--only live`: live warnings at scale. Many subscribers of mixed jurisdictions hold one
 * graphql-ws connection each (as officers' consoles do) on one gateway, or split over two gateway
 * instances that hear the regions through NATS JetStream; petitions are registered through the
 * gateway at a fixed rate across the four regions, each raising a CROSS_REGION warning whose
 * event every entitled subscriber receives, resolved under that subscriber's own rights.
 *
 * Measured: delivery latency from the event's transaction to the client (`at` is the
 * transaction's time, so this includes the transaction itself), resident memory per idle
 * subscriber, and the gateway processes' CPU per delivered event (the second instance runs in
 * a process of its own; its CPU and memory are added) (the CPU of the same
 * registrations with nobody subscribed is subtracted, so what remains is the delivery).
 */

export interface LiveSettings {
  subscribers: number;
  eventsPerSecond: number;
  seconds: number;
  regions: readonly string[];
  /** Petition officers per region the subscribers are spread over. */
  officersPerRegion: number;
}

export interface LiveHub {
  child: Child;
  url: string;
  token: string;
  /** Starts one more gateway instance of the hub in a process of its own (bench/proc/gateway.ts). */
  startGateway?: () => Promise<{ child: Child; url: string }>;
}

export interface LiveResult {
  label: string;
  subscribers: number;
  registrations: number;
  failedRegistrations: number;
  delivered: number;
  p50: number;
  p99: number;
  max: number;
  /** Resident set growth per idle subscriber (V8's reserved heap included). */
  idleBytesPerSubscriber: number;
  /** What each idle subscriber keeps after a full collection: JavaScript heap in use and buffers outside it. */
  retainedBytesPerSubscriber: number;
  /** Events a subscriber received more than once (none, if each arrives once). */
  repeated: number;
  cpuMsPerDelivery: number;
  postgresCpuMsPerRegistration: number;
  /** Operations the gateways ran to resolve events (probes and selections), per registration; and the events each resolved on average. */
  operationsPerEvent?: number;
  eventsPerOperation?: number;
  /** One subscriber that missed the load and came back with its cursor: the events it caught up on, how long that took, in how many operations. */
  resumed?: Resumed;
}

interface Resumed {
  events: number;
  ms: number;
  operations: number;
}

const RESUMABLE = `subscription ($after: String) {
  petitionWarningEvents(filter: { kinds: [CROSS_REGION] }, after: $after) { cursor at kind region warning { id level subject { name } } }
}`;

/** A graphql-ws client of the gateway at `url` (its HTTP /graphql), as `token`'s officer, that never reconnects on its own. */
function benchClient(url: string, token: string, options: Partial<ClientOptions> = {}): WsClient {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    ...options,
  });
}

/** Subscribes, and leaves with the cursor of the first event it hears. */
function leaveAfterFirstEvent(url: string, token: string): Promise<string> {
  const client = benchClient(url, token);
  return new Promise<string>((resolve, reject) => {
    client.subscribe(
      { query: RESUMABLE },
      {
        next: (message: any) => {
          const cursor = message.data?.petitionWarningEvents?.cursor;
          if (!cursor) return;
          resolve(cursor);
          void client.dispose();
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

/** Comes back after `cursor` and times the `expected` events it missed (or as many as come before 5 s without one). */
async function resumeFrom(url: string, token: string, cursor: string, expected: number): Promise<Resumed> {
  const before = await liveExecutions([url]);
  const started = Date.now();
  let events = 0;
  let last = started;
  const client = benchClient(url, token);
  client.subscribe(
    { query: RESUMABLE, variables: { after: cursor } },
    {
      next: (message: any) => {
        if (!message.data?.petitionWarningEvents) return;
        events += 1;
        last = Date.now();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  while (events < expected && Date.now() - Math.max(last, started) < 5000) await sleep(20);
  await client.dispose();
  const after = await liveExecutions([url]);
  return { events, ms: last - started, operations: after.operations - before.operations };
}

const SUBSCRIPTION = `subscription {
  petitionWarningEvents(filter: { kinds: [CROSS_REGION] }) { at kind region warning { id level subject { name } } }
}`;

const REGISTER = `mutation($input: RegisterPetitionInput!) { registerPetition(input: $input) { id } }`;

const CATEGORIES = ['征地拆迁补偿', '劳资纠纷欠薪', '环境污染投诉', '物业管理纠纷', '医疗纠纷', '社保待遇', '房屋质量问题', '教育入学', '交通出行', '涉法涉诉'];

interface Subscriber {
  client: WsClient;
  latencies: number[];
  errors: number;
  seen: Set<string>;
  repeated: number;
}

async function post(url: string, token: string, query: string, variables: object): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kb = (bytes: number) => (Number.isNaN(bytes) ? '—' : `${(bytes / 1024).toFixed(1)} KB`);

/** Subscribes `count` clients, spread round-robin over `urls` and over the officers' tokens. */
async function subscribeAll(urls: string[], tokens: string[], count: number): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  const connected: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    let resolveConnected!: () => void;
    connected.push(new Promise<void>((resolve) => (resolveConnected = resolve)));
    const client = benchClient(urls[i % urls.length], tokens[i % tokens.length], { lazy: false, on: { connected: () => resolveConnected() } });
    const subscriber: Subscriber = { client, latencies: [], errors: 0, seen: new Set(), repeated: 0 };
    client.subscribe(
      { query: SUBSCRIPTION },
      {
        next: (message: any) => {
          const event = message.data?.petitionWarningEvents;
          if (event?.at) {
            subscriber.latencies.push(Date.now() - Date.parse(event.at));
            // Each event once: a warning's change is one (warning, kind, time).
            const identity = `${event.warning?.id} ${event.kind} ${event.at}`;
            if (subscriber.seen.has(identity)) subscriber.repeated += 1;
            subscriber.seen.add(identity);
          }
          if (message.errors) subscriber.errors += 1;
        },
        error: () => (subscriber.errors += 1),
        complete: () => undefined,
      },
    );
    subscribers.push(subscriber);
    // Not all at once: a thousand handshakes in one tick is a connection storm, not a console.
    if (i % 50 === 49) await sleep(50);
  }
  await Promise.all(connected);
  return subscribers;
}

/** Registers petitions at `perSecond` for `seconds`, each for a resident of another region. */
async function registerAtRate(
  url: string,
  registrars: Map<string, { token: string; counties: string[] }>,
  settings: LiveSettings,
  offset: number,
  log: (line: string) => void,
): Promise<{ sent: number; failed: number }> {
  const regions = settings.regions;
  let sent = 0;
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const total = settings.eventsPerSecond * settings.seconds;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / settings.eventsPerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const n = offset + i;
    const region = regions[n % regions.length];
    const other = regions[(n + 1 + (Math.floor(n / regions.length) % (regions.length - 1))) % regions.length];
    const registrar = registrars.get(region)!;
    const input = {
      region,
      channel: 'VISIT',
      // A new person and category each time, so that each registration is a matter of its own.
      category: CATEGORIES[Math.floor(n / 7) % CATEGORIES.length],
      summary: '跨区域信访',
      content: `压测登记 ${n}`,
      registeredIn: registrar.counties[n % registrar.counties.length],
      petitionerIds: [`${other}:${1 + (n % 190)}`],
    };
    sent += 1;
    inFlight.push(
      post(url, registrar.token, REGISTER, { input }).then(
        (answer) => {
          if (!answer.errors) return;
          // The first failure's words, so that a failed run says why.
          if (!failed) log(`live: registration failed: ${answer.errors[0]?.message}`);
          failed += 1;
        },
        (error) => {
          if (!failed) log(`live: registration failed: ${(error as Error).message}`);
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { sent, failed };
}

async function countiesOf(url: string, token: string, region: string): Promise<string[]> {
  const answer = await post(url, token, `query($code: String!) { jurisdiction(code: $code) { children { code } } }`, { code: region });
  const children = (answer.data?.jurisdiction?.children ?? []).map((child: { code: string }) => child.code);
  return children.length ? children : [region];
}

export async function liveWorkload(hub: LiveHub, settings: LiveSettings, label: string, gateways: number, log: (line: string) => void): Promise<LiveResult> {
  const urls = [hub.url];
  const instances: Child[] = [];
  try {
    for (let i = 1; i < gateways; i++) {
      const instance = await hub.startGateway!();
      instances.push(instance.child);
      urls.push(instance.url);
    }
    return await measure(hub, [hub.child, ...instances], urls, settings, label, log);
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}

/** The gateway processes' CPU, memory and resident set, added up (one process, or the hub and its other instances). */
function gatewayProcesses(processes: Child[]) {
  return {
    cpuSeconds: () => processes.reduce((sum, child) => sum + cpuSecondsOf(child.pid), 0),
    rss: () => processes.reduce((sum, child) => sum + (rssOf(child.pid) ?? 0), 0),
    memory: async () => {
      const each = await Promise.all(processes.map((child) => child.call<NodeJS.MemoryUsage>('memory')));
      return { heapUsed: sum(each, 'heapUsed'), heapTotal: sum(each, 'heapTotal'), external: sum(each, 'external') };
    },
  };
}
const sum = (usages: NodeJS.MemoryUsage[], key: 'heapUsed' | 'heapTotal' | 'external') => usages.reduce((total, usage) => total + usage[key], 0);

async function measure(
  hub: LiveHub,
  processes: Child[],
  urls: string[],
  settings: LiveSettings,
  label: string,
  log: (line: string) => void,
): Promise<LiveResult> {
  const gateways = gatewayProcesses(processes);
  const officerIds = settings.regions.flatMap((region) => Array.from({ length: settings.officersPerRegion }, (_, k) => `${region}:${k + 1}`));
  const tokens = await Promise.all(officerIds.map((id) => hub.child.call<string>('token', id)));
  const registrars = new Map<string, { token: string; counties: string[] }>();
  for (const region of settings.regions) {
    const token = tokens[officerIds.indexOf(`${region}:1`)];
    registrars.set(region, { token, counties: await countiesOf(hub.url, token, region) });
  }

  // The same registrations with nobody listening: what the deliveries are measured against.
  const baseline = { hub: gateways.cpuSeconds(), postgres: postgresCpuSeconds() };
  const quiet = await registerAtRate(hub.url, registrars, settings, 0, log);
  const quietCpu = { hub: gateways.cpuSeconds() - baseline.hub, postgres: postgresCpuSeconds() - baseline.postgres };
  log(`  ${label}: ${quiet.sent} registrations with no subscriber (${quiet.failed} failed), hub CPU ${quietCpu.hub.toFixed(2)} s`);

  await sleep(2000);
  const heapBefore = await gateways.memory();
  const rssBefore = gateways.rss();
  const subscribers = await subscribeAll(urls, tokens, settings.subscribers);
  await sleep(3000);
  const heapIdle = await gateways.memory();
  const rssIdle = gateways.rss();
  // Where it is: the JavaScript heap (the gateway's own state per subscriber), buffers outside it, or neither (the allocator's and the sockets').
  const per = (bytes: number) => `${(bytes / subscribers.length / 1024).toFixed(1)} KB`;
  log(
    `  ${label}: ${subscribers.length} subscribers connected over ${urls.length} gateway(s); RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssIdle / 2 ** 20).toFixed(0)} MiB; per subscriber: heap ${per(heapIdle.heapUsed - heapBefore.heapUsed)} used, ${per(heapIdle.heapTotal - heapBefore.heapTotal)} reserved, external ${per(heapIdle.external - heapBefore.external)}`,
  );

  const before = { hub: gateways.cpuSeconds(), postgres: postgresCpuSeconds() };
  const executionsBefore = await liveExecutions(urls);
  // One more subscriber hears the first event, goes away, and comes back with its cursor after the rest (resumeFrom).
  const away = leaveAfterFirstEvent(urls[0], tokens[0]);
  const loud = await registerAtRate(hub.url, registrars, settings, quiet.sent, log);
  await allDelivered(subscribers);
  const executions = await liveExecutions(urls);
  const resumed = await resumeFrom(urls[0], tokens[0], await away, loud.sent - 1);
  log(
    `  ${label}: a subscriber back with its cursor received the ${resumed.events} events it missed in ${resumed.ms} ms, in ${resumed.operations} operations (${(resumed.operations / Math.max(1, resumed.events)).toFixed(2)} per event)`,
  );
  const loudCpu = { hub: gateways.cpuSeconds() - before.hub, postgres: postgresCpuSeconds() - before.postgres };
  const latencies = subscribers.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const errors = subscribers.reduce((sum, s) => sum + s.errors, 0);
  const repeated = subscribers.reduce((sum, s) => sum + s.repeated, 0);
  await Promise.all(subscribers.map((s) => s.client.dispose()));
  const result: LiveResult = {
    label,
    subscribers: subscribers.length,
    registrations: loud.sent,
    failedRegistrations: loud.failed + quiet.failed,
    delivered: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    idleBytesPerSubscriber: (rssIdle - rssBefore) / subscribers.length,
    retainedBytesPerSubscriber: (heapIdle.heapUsed - heapBefore.heapUsed + heapIdle.external - heapBefore.external) / subscribers.length,
    repeated,
    cpuMsPerDelivery: latencies.length ? ((loudCpu.hub - quietCpu.hub) * 1000) / latencies.length : NaN,
    postgresCpuMsPerRegistration: (loudCpu.postgres * 1000) / loud.sent,
    resumed,
    operationsPerEvent: (executions.operations - executionsBefore.operations) / loud.sent,
    eventsPerOperation: (executions.events - executionsBefore.events) / Math.max(1, executions.operations - executionsBefore.operations),
  };
  log(
    `  ${label}: ${result.delivered} deliveries of ${loud.sent} registrations (${errors} subscriber errors, ${repeated} events received twice), p50 ${result.p50} ms, p99 ${result.p99} ms, ${(result.idleBytesPerSubscriber / 1024).toFixed(1)} KB per idle subscriber, ${result.cpuMsPerDelivery.toFixed(3)} ms CPU per delivery`,
  );
  return result;
}

/**
 * Until every subscriber has what is coming: under more load than the gateway serves, events
 * wait in the subscribers' queues (up to 3 minutes). Done when nothing more arrived for 5 s: on
 * a busy machine a half-second without a delivery is no end.
 */
async function allDelivered(subscribers: Subscriber[]): Promise<void> {
  let delivered = 0;
  let stalledMs = 0;
  for (let waited = 0; waited < 180_000; waited += 500) {
    const now = subscribers.reduce((sum, s) => sum + s.latencies.length, 0);
    stalledMs = now === delivered ? stalledMs + 500 : 0;
    if (stalledMs >= 5000) return;
    delivered = now;
    await sleep(500);
  }
}

/** The gateways' live operations so far, from their /metrics: how many, and the events they resolved. */
async function liveExecutions(urls: string[]): Promise<{ operations: number; events: number }> {
  const texts = await Promise.all(urls.map(async (url) => (await fetch(new URL('/metrics', url))).text()));
  const total = (name: string) =>
    texts.reduce((sum, text) => sum + [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0), 0);
  return { operations: total('yrd_live_executions_total'), events: total('yrd_live_executed_events_total') };
}

/**
 * The machine's floor: stock graphql-ws broadcasting one ready-made event to as many
 * subscribers at the same rate (bench/proc/graphql-ws-broadcast.ts), nothing of the hub. The
 * hub's latency and CPU per delivery are set against it.
 */
export async function broadcastFloor(server: { child: Child; url: string }, settings: LiveSettings, log: (line: string) => void): Promise<LiveResult> {
  const label = "stock graphql-ws broadcasting a ready event (no hub): the machine's floor";
  const subscribers = await subscribeAll([server.url], ['none'], settings.subscribers);
  await sleep(3000);
  const before = cpuSecondsOf(server.child.pid);
  const sent = await server.child.call<number>(
    'broadcast',
    { perSecond: settings.eventsPerSecond, seconds: settings.seconds, regions: settings.regions },
    (settings.seconds + 60) * 1000,
  );
  await allDelivered(subscribers);
  const cpu = cpuSecondsOf(server.child.pid) - before;
  const latencies = subscribers.flatMap((s) => s.latencies).sort((a, b) => a - b);
  await Promise.all(subscribers.map((s) => s.client.dispose()));
  const result: LiveResult = {
    label,
    subscribers: subscribers.length,
    registrations: sent,
    failedRegistrations: 0,
    delivered: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    idleBytesPerSubscriber: NaN,
    retainedBytesPerSubscriber: NaN,
    repeated: subscribers.reduce((sum, s) => sum + s.repeated, 0),
    cpuMsPerDelivery: latencies.length ? (cpu * 1000) / latencies.length : NaN,
    postgresCpuMsPerRegistration: NaN,
  };
  log(
    `  ${label}: ${result.delivered} deliveries of ${sent} events, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.cpuMsPerDelivery.toFixed(3)} ms CPU per delivery`,
  );
  return result;
}

export function liveTable(results: LiveResult[], settings: LiveSettings): string {
  const lines = [
    `${settings.subscribers} subscribers (graphql-ws, one connection each) of ${settings.regions.length * settings.officersPerRegion} officers in ${settings.regions.length} regions, ${settings.eventsPerSecond} registrations/s for ${settings.seconds} s, each raising one CROSS_REGION warning; latency from the event's transaction to the client`,
    '',
    '| Setup | Deliveries | Received twice | p50 | p99 (target < 250 ms) | Max | Memory kept per idle subscriber (target < 50 KB) | RSS growth per idle subscriber | Gateway CPU per delivery | Operations per event (events per operation) | Failed registrations |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.delivered} | ${r.repeated} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${kb(r.retainedBytesPerSubscriber)} | ${kb(r.idleBytesPerSubscriber)} | ${r.cpuMsPerDelivery.toFixed(3)} ms | ${r.operationsPerEvent === undefined ? '—' : `${r.operationsPerEvent.toFixed(1)} (${r.eventsPerOperation!.toFixed(2)})`} | ${r.failedRegistrations} |`,
    ),
    '',
    'A subscriber that heard the first event, went away, and came back with its cursor once the others had theirs:',
    '',
    '| Setup | Events missed and received | Time to receive them | Operations, probes and selections (per event) |',
    '|---|---:|---:|---:|',
    ...results
      .filter((r) => r.resumed)
      .map(
        (r) =>
          `| ${r.label} | ${r.resumed!.events} | ${r.resumed!.ms} ms | ${r.resumed!.operations} (${(r.resumed!.operations / Math.max(1, r.resumed!.events)).toFixed(2)}) |`,
      ),
  ];
  return lines.join('\n');
}
