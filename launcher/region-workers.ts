import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JSONWebKeySet, JWK } from 'jose';
import type { SigningKey } from '../auth/keys';
import type { RunningHttpServer } from '../platform/apollo-http';
import type { RegionSummary } from '../subgraphs/shared/context';
import { repoPath } from '../subgraphs/shared/repo-path';
import type { ThreadSeries } from '../platform/thread-metrics';

/**
 * The hub's hosted regions, served from worker threads (region-worker.ts) instead of the
 * gateway's own thread. Every city runs its own subgraphs in production; on one machine the
 * launcher hosts them all, and in one thread 41 regions queue behind each other and behind the
 * gateway on one core. Spread over threads they use every core, and a region's garbage
 * collection no longer pauses the gateway.
 *
 * Regions are dealt round-robin to the threads. Each region keeps its own HTTP server (the
 * gateway still reaches it over HTTP, as it would a remote city) and its own connection pool.
 * A thread that dies is started again on the same ports after a second; until then its
 * regions answer REGION_UNAVAILABLE through the gateway's per-region breakers.
 */

export interface RegionWorkerData {
  regions: Array<{ code: string; name: string; databaseUrl: string; port: number; counter: number; auditChainKey: string }>;
  summaries: RegionSummary[];
  subgraphs: string[];
  contextKeys: JSONWebKeySet;
  serviceKey: SigningKey;
  /** The public half of the audit checkpoint key (the private half stays with the launcher). */
  checkpointKey: JWK;
  backgroundIntervalMs?: number;
  gatewayUrl?: string;
  /** One BigInt64 per region: SQL statements sent, read by `statementCount` without a message. */
  statements: SharedArrayBuffer;
}

type WorkerCommand = { type: 'gateway'; url: string } | { type: 'close'; region: string } | { type: 'metrics' } | { type: 'stop' };
export type WorkerRequest = { id: number } & WorkerCommand;
export interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
  /** The thread's series (a `metrics` request), as prom-client's getMetricsAsJSON gives them. */
  metrics?: ThreadSeries;
}
type WorkerEvent =
  | { type: 'ready'; servers: Record<string, { url: string; port: number }> }
  | { type: 'failed'; error: string }
  | { type: 'audited'; region: string; seq: number };
export type AuditedEvent = Extract<WorkerEvent, { type: 'audited' }>;

/** What every thread is given alike, plus the regions to deal out. */
export interface RegionWorkersOptions extends Omit<RegionWorkerData, 'regions' | 'gatewayUrl' | 'statements'> {
  regions: ReadonlyArray<{ code: string; name: string; databaseUrl: string; auditChainKey: string }>;
  /** Threads to start (at most one per region). */
  threads: number;
  /** A region's audit chain reached row `seq` (for the checkpointer). */
  onAudited?(region: string, seq: number): void;
  log: (line: string) => void;
}

/** The compiled worker script: next to this file when running from dist/, else dist/ (tests run the TypeScript sources; `npm test` builds first). */
function workerScript(): string {
  const script = __filename.endsWith('.ts') ? repoPath('dist', 'launcher', 'region-worker.js') : path.join(__dirname, 'region-worker.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  return script;
}

const RESTART_DELAY_MS = 1000;

class RegionThread {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  private stopping = false;
  private alive = false;
  /** Regions closed on purpose (`close`): a restarted thread does not serve them again. */
  private readonly closed = new Set<string>();
  private gatewayUrl: string | undefined;

  constructor(
    private readonly data: RegionWorkerData,
    private readonly log: (line: string) => void,
    private readonly onAudited?: (region: string, seq: number) => void,
  ) {}

  get regionCodes(): string[] {
    return this.data.regions.map((region) => region.code);
  }

  /** Ends the thread at once, as a crash would; it is started again like after a crash. */
  async crash(): Promise<void> {
    await this.worker.terminate();
  }

  private get names(): string {
    return this.data.regions.map((region) => region.code).join(', ');
  }

  /** Starts the thread; resolves with each region's address once all of them listen. */
  start(): Promise<Record<string, { url: string; port: number }>> {
    const regions = this.data.regions.filter((region) => !this.closed.has(region.code));
    const worker = new Worker(workerScript(), { workerData: { ...this.data, regions, gatewayUrl: this.gatewayUrl } });
    this.worker = worker;
    this.alive = true;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: WorkerEvent | WorkerReply) => {
        if ('type' in message && message.type === 'audited') {
          this.onAudited?.(message.region, message.seq);
        } else if ('id' in message) {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.ok) waiting?.resolve(message);
          else waiting?.reject(new Error(message.error));
        } else if (message.type === 'ready') {
          started = true;
          // Later starts keep the ports the first one was given: the gateway knows those.
          for (const region of regions) region.port = message.servers[region.code].port;
          resolve(message.servers);
        } else {
          reject(new Error(`the thread serving regions ${this.names} could not start: ${message.error}`));
        }
      });
      worker.on('error', (error) => {
        if (!started) reject(error);
        else this.log(`region thread (${this.names}) failed: ${error.stack ?? error.message}`);
      });
      worker.on('exit', (code) => {
        this.alive = false;
        for (const waiting of this.pending.values()) waiting.reject(new Error(`the thread serving regions ${this.names} exited (${code})`));
        this.pending.clear();
        if (!started) reject(new Error(`the thread serving regions ${this.names} exited (${code}) before it listened`));
        else if (!this.stopping) this.restartLater(code);
      });
    });
  }

  private restartLater(code: number): void {
    this.log(`region thread (${this.names}) exited (${code}); starting it again in ${RESTART_DELAY_MS} ms`);
    setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => this.log(`region thread (${this.names}) serves again`),
        (error: Error) => {
          this.log(`region thread (${this.names}) did not come back: ${error.message}`);
          if (!this.stopping) this.restartLater(1);
        },
      );
    }, RESTART_DELAY_MS).unref();
  }

  private async send(request: WorkerCommand, timeoutMs = 15_000): Promise<void> {
    await this.ask(request, timeoutMs);
  }

  private ask(request: WorkerCommand, timeoutMs: number): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the thread serving regions ${this.names} did not answer ${request.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.worker.postMessage({ ...request, id });
    });
  }

  setGatewayUrl(url: string): Promise<void> {
    this.gatewayUrl = url;
    return this.send({ type: 'gateway', url });
  }

  /** The thread's metric series; none from a thread that is down or does not answer within `timeoutMs`. */
  async metrics(timeoutMs: number): Promise<ThreadSeries> {
    if (!this.alive) return [];
    return (await this.ask({ type: 'metrics' }, timeoutMs).catch(() => undefined))?.metrics ?? [];
  }

  close(region: string): Promise<void> {
    this.closed.add(region);
    return this.send({ type: 'close', region });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await this.send({ type: 'stop' }).catch((error: Error) => this.log(`while stopping: ${error.message}`));
    // A thread that does not end by itself (a handle left open) is ended.
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export interface RunningRegionWorkers {
  /** Each hosted region's HTTP server; `close()` stops that region only (its thread serves the others). */
  servers: Map<string, RunningHttpServer>;
  /** SQL statements the hosted regions have sent. */
  statementCount(): number;
  /** The threads and the regions each serves; `crash()` ends one as a failure would (operations drills, tests). */
  threads: ReadonlyArray<{ regions: string[]; crash(): Promise<void> }>;
  setGatewayUrl(url: string): Promise<void>;
  /** Each thread's metric series (for the gateway's /metrics). */
  metrics(): Promise<ThreadSeries[]>;
  stop(): Promise<void>;
}

/** How long a scrape waits for a thread's series: a thread busy past this is left out of that scrape. */
const METRICS_TIMEOUT_MS = 2000;

export async function startRegionWorkers(options: RegionWorkersOptions): Promise<RunningRegionWorkers> {
  const count = Math.max(1, Math.min(options.threads, options.regions.length));
  const statements = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT * options.regions.length);
  const counters = new BigInt64Array(statements);
  const threads: RegionThread[] = [];
  const threadOf = new Map<string, RegionThread>();
  for (let t = 0; t < count; t++) {
    const regions = options.regions.map((region, counter) => ({ ...region, port: 0, counter })).filter((_region, index) => index % count === t);
    const { regions: _all, threads: _count, log, onAudited, ...shared } = options;
    const thread = new RegionThread({ ...shared, regions, statements }, log, onAudited);
    threads.push(thread);
    for (const region of regions) threadOf.set(region.code, thread);
  }
  const stop = async () => {
    await Promise.all(threads.map((thread) => thread.stop()));
  };
  const servers = new Map<string, RunningHttpServer>();
  try {
    const started = await Promise.allSettled(threads.map((thread) => thread.start()));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const result of started) {
      for (const [code, { url, port }] of Object.entries((result as PromiseFulfilledResult<Record<string, { url: string; port: number }>>).value)) {
        servers.set(code, { url, port, close: () => threadOf.get(code)!.close(code) });
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    servers,
    statementCount: () => counters.reduce((sum, _count, index) => sum + Number(Atomics.load(counters, index)), 0),
    threads: threads.map((thread) => ({ regions: thread.regionCodes, crash: () => thread.crash() })),
    metrics: () => Promise.all(threads.map((thread) => thread.metrics(METRICS_TIMEOUT_MS))),
    setGatewayUrl: async (url) => {
      await Promise.all(threads.map((thread) => thread.setGatewayUrl(url)));
    },
    stop,
  };
}
