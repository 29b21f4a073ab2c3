import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DELTA_CITIES } from '../auth/delta-jurisdictions';
import { connectExternalPostgres, PostgresServer, startEmbeddedPostgres } from '../launcher/postgres';
import { repoPath } from '../subgraphs/shared/repo-path';
import type { SeedScale } from '../subgraphs/shared/subgraph-module';
import { composeClassic } from './classic/compose';
import { expectedSmallResult, expectedStandardResult, generateData, SMALL_QUERY, STANDARD_QUERY } from './classic/data';
import type { SubgraphName } from './classic/subgraphs';
import { summariseProfile } from './cpuprofile-top';
import { Child, cpuSecondsOf, postgresCpuSeconds, rssOf, startChild } from './lib/ipc';
import { Checked, checkTarget, equalsJson, post, Round, runAlternating, runLoad, runSequential, summarise, Summary, Target } from './lib/load';
import type { GatewayKind } from './proc/gateway';
import type { HubChildArgs } from './proc/hub';
import type { LiveGatewayChildArgs } from './proc/live-gateway';
import { broadcastFloor, liveTable, liveWorkload, LiveResult, LiveSettings } from './live';
import { connect as connectNats } from 'nats';
import { warningEventsStream } from '../platform/nats-subjects';

/**
 * `npm run bench`: builds, then starts everything itself on loopback and prints one table.
 *
 *   node dist/bench/run.js [--volume] [--profile] [--only standard,overhead,fanout,memory,fanout-scan,fanout-metrics,live]
 *
 * (`fanout-metrics`: only the fan-out's metrics cost, which `fanout` measures too.)
 *
 * Settings (environment): BENCH_ROUNDS (5), BENCH_SECONDS (5, per round of the standard
 * workload), BENCH_LATENCY_SECONDS (3, per round of the latency workloads), BENCH_CONNECTIONS
 * (32), BENCH_SOAK_SECONDS (30; the issue's 5-minute run is 300), BENCH_VOLUME=1 (= --volume),
 * BENCH_PROFILE=1 (= --profile), BENCH_WRITE=0 (do not touch BENCHMARKS.md), BENCH_LIVE_SUBSCRIBERS,
 * BENCH_LIVE_RATE, BENCH_LIVE_SECONDS and BENCH_LIVE_NATS=0 (the live load; leave out its NATS case),
 * BENCH_METRICS_ROUNDS (4) and BENCH_METRICS_PAIRS (2000; what metrics cost a fan-out), DATABASE_URL
 * (a PostgreSQL server for the hub workloads; else an embedded one in $TMPDIR/yrd-hub-bench).
 */

const argv = process.argv.slice(2);
const flag = (name: string, env: string) => argv.includes(`--${name}`) || process.env[env] === '1';
const num = (env: string, fallback: number) => (process.env[env] ? Number(process.env[env]) : fallback);
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;

const config = {
  rounds: num('BENCH_ROUNDS', 5),
  seconds: num('BENCH_SECONDS', 5),
  latencySeconds: num('BENCH_LATENCY_SECONDS', 3),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 3),
  connections: num('BENCH_CONNECTIONS', 32),
  soakSeconds: num('BENCH_SOAK_SECONDS', 30),
  /** Requests per round of the fan-out rows: a p99 needs a few hundred samples, not the ~100 that 3 s of 41 regions give. */
  fanOutSamples: num('BENCH_FANOUT_SAMPLES', 300),
  /** What metrics cost a fan-out: rounds (alternating which hub starts first) and requests to each hub per round. */
  metricsRounds: num('BENCH_METRICS_ROUNDS', 4),
  metricsPairs: num('BENCH_METRICS_PAIRS', 2000),
  volume: flag('volume', 'BENCH_VOLUME'),
  profile: flag('profile', 'BENCH_PROFILE'),
  write: process.env.BENCH_WRITE !== '0',
  subgraphCache: process.env.BENCH_SUBGRAPH_CACHE !== '0',
};
const wants = (section: string) => !only || only.has(section);

/** Sizes of the classic data: about 85 KB per answer of the standard query. */
const DATA_OPTIONS = { users: 10, products: 10, reviewsPerUser: 3, topProducts: 5, seed: 2026 };
const DEMO_CODES = ['310000', '320500', '330400', '340100'];
const FAN_OUT_SCALE: SeedScale = { persons: 200, petitions: 200, warnings: 100, inspections: 20, officersPerAgency: 1 };
const VOLUME_PETITIONS = 1_000_000;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '–');
const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 1048576).toFixed(0)} MB`);

interface Row {
  workload: string;
  target: string;
  rps?: string;
  p50?: string;
  p99?: string;
  note: string;
}

function rowOf(workload: string, target: string, s: Summary | undefined, note: string, withRps = true): Row {
  if (!s) return { workload, target, note };
  if (s.failed) return { workload, target, rps: 'FAILED', note: s.failed };
  return { workload, target, rps: withRps ? s.rps.toFixed(0) : undefined, p50: ms(s.p50), p99: ms(s.p99), note };
}

function table(rows: Row[]): string {
  const lines = ['| workload | target | req/s | p50 ms | p99 ms | ratio / notes |', '| --- | --- | ---: | ---: | ---: | --- |'];
  for (const r of rows) lines.push(`| ${r.workload} | ${r.target} | ${r.rps ?? ''} | ${r.p50 ?? ''} | ${r.p99 ?? ''} | ${r.note} |`);
  return lines.join('\n');
}

/** Rounds interleaved across targets (order rotated each round), so that drift in the machine's load spreads evenly. */
async function interleaved(targets: Checked[], rounds: number, run: (t: Checked) => Promise<Round>): Promise<Map<string, Summary>> {
  const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + r) % targets.length];
      const round = await run(target);
      results.get(target.name)!.push(round);
      log(
        `  round ${r + 1}/${rounds} ${target.name}: ${round.rps.toFixed(0)} req/s, p50 ${ms(round.p50)} ms, p99 ${ms(round.p99)} ms${round.failed ? ` FAILED: ${round.failed}` : ''}`,
      );
    }
  }
  return new Map([...results].map(([name, rs]) => [name, summarise(rs)]));
}

const GATEWAY_LABEL: Record<GatewayKind, string> = {
  hub: 'YRD Hub gateway (plain mode)',
  'hub-traced': 'YRD Hub gateway, tracing on (OTLP to a local sink)',
  'hub-no-metrics': 'YRD Hub gateway, metrics off (HUB_METRICS=off)',
  apollo: 'stock @apollo/gateway 2.14.4',
  hive: '@graphql-hive/gateway 2.15.1',
};

/** The gateways of the classic workloads, in the order of the table's rows. */
const GATEWAY_KINDS: GatewayKind[] = ['hub', 'hub-no-metrics', 'hub-traced', 'apollo', 'hive'];
/** The environment each gateway's process starts with, beyond the bench's own (read as its modules load). */
const GATEWAY_ENV: Partial<Record<GatewayKind, Record<string, string>>> = { 'hub-no-metrics': { HUB_METRICS: 'off' } };
/** Variants of the hub that the standard workload alone compares (each against the default hub, `hub`). */
const HUB_VARIANTS: ReadonlySet<GatewayKind> = new Set(['hub-no-metrics', 'hub-traced']);

interface Classic {
  subgraphs: Child;
  urls: Record<SubgraphName, string>;
  supergraphFile: string;
  gateways: Map<GatewayKind, { child?: Child; url?: string; startRss?: number; error?: string }>;
  otlp: Awaited<ReturnType<typeof startOtlpSink>>;
}

async function startClassic(): Promise<Classic> {
  const data = generateData(DATA_OPTIONS);
  const { child: subgraphs, ready } = await startChild<{ urls: Record<SubgraphName, string> }>('subgraphs', {
    dataOptions: DATA_OPTIONS,
    cache: config.subgraphCache,
  });
  const supergraphFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-')), 'supergraph.graphql');
  writeFileSync(supergraphFile, composeClassic(data, ready.urls));
  const gateways: Classic['gateways'] = new Map();
  const otlp = await startOtlpSink();
  for (const kind of GATEWAY_KINDS) {
    try {
      const { child, ready: g } = await startChild<{ url: string }>(
        'gateway',
        { kind, supergraphFile, otlpEndpoint: otlp.endpoint },
        { execArgv: ['--expose-gc'], env: GATEWAY_ENV[kind] },
      );
      gateways.set(kind, { child, url: g.url, startRss: rssOf(child.pid) });
    } catch (error) {
      gateways.set(kind, { error: (error as Error).message.split('\n')[0] });
      log(`${kind} gateway did not start: ${(error as Error).message}`);
    }
  }
  return { subgraphs, urls: ready.urls, supergraphFile, gateways, otlp };
}

/**
 * Where the traced hub sends its spans: an OTLP/HTTP endpoint in this process that reads each
 * export and counts its spans (a collector's receiving side, without the storage).
 */
async function startOtlpSink(): Promise<{ endpoint: string; spans(): number; close(): Promise<void> }> {
  let spans = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> };
        for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
      } catch {
        // counted as nothing
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => spans,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function standardWorkload(classic: Classic, rows: Row[]): Promise<Checked | undefined> {
  const data = generateData(DATA_OPTIONS);
  const expected = expectedStandardResult(data);
  const body = JSON.stringify({ query: STANDARD_QUERY, operationName: 'TestQuery' });
  const targets: Checked[] = [];
  const failures = new Map<string, string>();
  for (const [kind, g] of classic.gateways) {
    if (!g.url) {
      failures.set(kind, `did not start: ${g.error}`);
      continue;
    }
    try {
      targets.push(await checkTarget({ name: kind, url: g.url, body }, equalsJson(expected)));
    } catch (error) {
      failures.set(kind, (error as Error).message);
      log((error as Error).message);
    }
  }
  // The ceiling: the most expensive single subgraph request of the query plan, sent straight to its subgraph.
  let ceilingLabel = 'subgraph ceiling';
  const reference = targets.find((t) => t.name === 'apollo') ?? targets[0];
  if (reference) {
    await classic.subgraphs.call('record', true);
    await post(reference.url, body);
    const fetches = await classic.subgraphs.call<
      Array<{ subgraph: SubgraphName; query: string; variables?: unknown; operationName?: string | null; responseBytes: number }>
    >('record', false);
    // The hottest fetch: the slowest one when the subgraphs execute every request, the largest
    // answer when they serve from their cache (then transfer is all that is left). Both are
    // the reviews subgraph's big _entities fetch with this data.
    let hottest: { target: Target; cost: number; label: string } | undefined;
    for (const [i, f] of fetches.entries()) {
      const target = {
        name: `fetch${i}`,
        url: classic.urls[f.subgraph],
        body: JSON.stringify({ query: f.query, variables: f.variables, operationName: f.operationName }),
      };
      let cost = f.responseBytes;
      if (!config.subgraphCache) {
        const times: number[] = [];
        for (let k = 0; k < 15; k++) {
          const t0 = performance.now();
          await post(target.url, target.body);
          times.push(performance.now() - t0);
        }
        cost = times.sort((a, b) => a - b)[times.length >> 1];
      }
      const kind = /_entities/.test(f.query) ? '_entities' : (f.query.match(/\{\s*(\w+)/)?.[1] ?? 'query');
      log(`  subgraph fetch ${i}: ${f.subgraph} ${kind}, ${f.responseBytes} B`);
      if (!hottest || cost > hottest.cost) hottest = { target, cost, label: `${f.subgraph} ${kind} (${(f.responseBytes / 1024).toFixed(0)} KB)` };
    }
    if (hottest) {
      ceilingLabel = `subgraph ceiling: ${hottest.label}, direct, of ${fetches.length} fetches per query`;
      targets.push(
        await checkTarget({ ...hottest.target, name: 'ceiling' }, (json) =>
          json.data && !json.errors ? true : `errors: ${JSON.stringify(json.errors)?.slice(0, 200)}`,
        ),
      );
    }
  }
  log(`standard workload: ${targets.map((t) => `${t.name} ${t.bytes} B`).join(', ')}; warming up`);
  for (const t of targets) await runLoad(t, { connections: config.connections, seconds: config.warmupSeconds });
  // Each gateway's CPU per request beside its req/s: on a machine others load too, the CPU a
  // request costs moves far less than the requests a second it gets through.
  const cpu = new Map<string, { seconds: number; requests: number }>();
  const results = await interleaved(targets, config.rounds, async (t) => {
    const pid = classic.gateways.get(t.name as GatewayKind)?.child?.pid;
    const before = pid ? cpuSecondsOf(pid) : 0;
    const round = await runLoad(t, { connections: config.connections, seconds: config.seconds });
    if (pid) {
      const used = cpu.get(t.name) ?? { seconds: 0, requests: 0 };
      cpu.set(t.name, { seconds: used.seconds + cpuSecondsOf(pid) - before, requests: used.requests + round.requests });
    }
    return round;
  });
  const cpuMs = (name: string) => {
    const used = cpu.get(name);
    return used?.requests ? (used.seconds * 1000) / used.requests : undefined;
  };
  const apollo = results.get('apollo');
  const hub = results.get('hub');
  const noMetrics = results.get('hub-no-metrics');
  const bytes = targets.find((t) => t.name !== 'ceiling')?.bytes ?? 0;
  const workload = `1 standard (${(bytes / 1024).toFixed(0)} KB, ${config.connections} conn)`;
  const ok = (s: Summary | undefined): s is Summary => !!s && !s.failed;
  for (const kind of GATEWAY_KINDS) {
    const s = results.get(kind);
    let ratio = ok(s) && ok(apollo) ? `×${(s.rps / apollo.rps).toFixed(2)} stock Apollo's req/s` : '';
    // The default hub (metrics on, tracing off) beside the hub without metrics: what metrics cost (target < 3 %).
    if (kind === 'hub' && ok(s) && ok(noMetrics))
      ratio = `×${(s.rps / noMetrics.rps).toFixed(3)} the req/s with metrics off: metrics cost ${((1 - s.rps / noMetrics.rps) * 100).toFixed(1)} % (target < 3 %) (${ratio})`;
    if (kind === 'hub-traced' && ok(s) && ok(hub))
      ratio = `×${(s.rps / hub.rps).toFixed(3)} the untraced hub's req/s (${ratio}); ${classic.otlp.spans()} spans exported`;
    const ownCpu = cpuMs(kind);
    const hubCpu = cpuMs('hub');
    const noMetricsCpu = cpuMs('hub-no-metrics');
    if (ownCpu !== undefined) {
      const compared =
        kind === 'hub-traced' && hubCpu
          ? ` (×${(ownCpu / hubCpu).toFixed(2)} the untraced hub's)`
          : kind === 'hub' && noMetricsCpu
            ? ` (×${(ownCpu / noMetricsCpu).toFixed(3)} the hub's with metrics off)`
            : '';
      ratio += `${ratio ? '; ' : ''}${ownCpu.toFixed(2)} ms gateway CPU per request${compared}`;
    }
    rows.push(
      s
        ? rowOf(workload, GATEWAY_LABEL[kind], s, kind === 'apollo' ? 'baseline (×1.00)' : ratio)
        : { workload, target: GATEWAY_LABEL[kind], rps: 'n/a', note: failures.get(kind) ?? 'not run' },
    );
  }
  const ceiling = results.get('ceiling');
  if (ceiling) rows.push(rowOf(workload, ceilingLabel, ceiling, 'an upper bound: one of the subgraph requests each gateway request needs'));
  return targets.find((t) => t.name === 'hub');
}

async function overheadWorkload(classic: Classic, rows: Row[]): Promise<void> {
  const data = generateData(DATA_OPTIONS);
  const body = JSON.stringify({ query: SMALL_QUERY, operationName: 'Small' });
  const check = equalsJson(expectedSmallResult(data));
  const targets: Checked[] = [await checkTarget({ name: 'direct', url: classic.urls.accounts, body }, check)];
  for (const [kind, g] of classic.gateways) {
    // Tracing's and metrics' costs are shown by the standard workload; here the gateways as they run by default.
    if (g.url && !HUB_VARIANTS.has(kind))
      targets.push(await checkTarget({ name: kind, url: g.url, body }, check).catch((e) => (log(e.message), undefined as never)));
  }
  const ready = targets.filter(Boolean);
  for (const t of ready) await runSequential(t, { seconds: 1 });
  const results = await interleaved(ready, config.rounds, (t) => runSequential(t, { seconds: config.latencySeconds }));
  const direct = results.get('direct')!;
  const workload = '2 overhead (small query, 1 conn)';
  rows.push(rowOf(workload, 'accounts subgraph, direct', direct, 'baseline', true));
  for (const kind of ['hub', 'apollo', 'hive'] as GatewayKind[]) {
    const s = results.get(kind);
    if (!s) continue;
    const added =
      s.failed || direct.failed ? '' : `adds ${((s.p50 - direct.p50) * 1000).toFixed(0)} µs at p50, ${((s.p99 - direct.p99) * 1000).toFixed(0)} µs at p99`;
    rows.push(rowOf(workload, GATEWAY_LABEL[kind], s, added, true));
  }
}

async function memoryWorkload(classic: Classic, hubTarget: Checked, rows: Row[]): Promise<void> {
  const hub = classic.gateways.get('hub')!;
  const before = rssOf(hub.child!.pid);
  log(`memory: sustained standard load on the hub gateway for ${config.soakSeconds} s`);
  // RSS once a minute (or five times in a shorter run) while the load runs: a plateau, or a climb.
  const samples: Array<number | undefined> = [];
  const sampler = setInterval(() => samples.push(rssOf(hub.child!.pid)), Math.min(60, config.soakSeconds / 5) * 1000);
  const soak = await runLoad(hubTarget, { connections: config.connections, seconds: config.soakSeconds }).finally(() => clearInterval(sampler));
  const after = rssOf(hub.child!.pid);
  const gc = await hub.child!.call<NodeJS.MemoryUsage>('gc');
  const afterGcRss = rssOf(hub.child!.pid);
  rows.push({
    workload: `memory (${config.soakSeconds} s at ${config.connections} conn)`,
    target: GATEWAY_LABEL.hub,
    rps: soak.failed ? 'FAILED' : soak.rps.toFixed(0),
    p50: soak.failed ? undefined : ms(soak.p50),
    p99: soak.failed ? undefined : ms(soak.p99),
    note: soak.failed
      ? soak.failed
      : `RSS ${mb(hub.startRss)} at start, ${mb(before)} after workloads 1–2, during the run ${samples.map(mb).join(' → ')}, ${mb(after)} at its end (${mb(afterGcRss)} after GC: V8 heap ${mb(gc.heapUsed)} used of ${mb(gc.heapTotal)}, buffers ${mb(gc.arrayBuffers)})`,
  });
}

/** The newest .cpuprofile in `dir`. */
function newestProfile(dir: string): string | undefined {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

async function profileRun(classic: Classic, hubTarget: Checked): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-profile-'));
  const { child, ready } = await startChild<{ url: string }>(
    'gateway',
    { kind: 'hub', supergraphFile: classic.supergraphFile },
    { execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
  );
  const target: Checked = { ...hubTarget, name: 'hub (profiled)', url: ready.url };
  await runLoad(target, { connections: config.connections, seconds: config.warmupSeconds });
  const round = await runLoad(target, { connections: config.connections, seconds: 10 });
  await child.stop();
  const file = newestProfile(dir);
  if (!file) return 'no profile was written';
  log(`profile: ${file}`);
  return `Hub gateway under \`node --cpu-prof\`, standard workload, ${config.connections} connections, ${config.warmupSeconds} s warm-up + 10 s (${round.failed ? `FAILED: ${round.failed}` : `${round.rps.toFixed(0)} req/s while profiled`}); profile: \`${file}\`\n\n${summariseProfile(file, 15)}`;
}

// ---------------------------------------------------------------------------------------------
// Hub workloads (PostgreSQL)

async function benchPostgres(): Promise<PostgresServer> {
  if (process.env.DATABASE_URL) return connectExternalPostgres(process.env.DATABASE_URL);
  const dir = path.join(os.tmpdir(), 'yrd-hub-bench');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return startEmbeddedPostgres(dir, log);
}

async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%'", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

const cityOf = (code: string) => DELTA_CITIES.find((c) => c.code === code)!;

async function startBenchHub(
  pg: PostgresServer,
  args: Omit<HubChildArgs, 'databaseUrl' | 'dataDir' | 'officer'>,
  fresh: boolean,
  execArgv?: string[],
  env?: Record<string, string>,
) {
  if (fresh) await dropDatabases(pg.urlFor('postgres'), args.databasePrefix);
  const t0 = Date.now();
  const started = await startChild<{ url: string; token: string; startMs: number }>(
    'hub',
    {
      ...args,
      databaseUrl: pg.urlFor('postgres'),
      dataDir: path.join(os.tmpdir(), 'yrd-hub-bench', args.databasePrefix),
      officer: '330400:1',
    } satisfies HubChildArgs,
    { startTimeoutMs: 60 * 60_000, execArgv, env },
  );
  log(`hub ${args.databasePrefix} (${args.regions.length} regions) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return started;
}

async function statementsPerRequest(hub: Child, target: Checked, n = 20): Promise<number> {
  const before = await hub.call<number>('statements');
  const round = await runSequential(target, { seconds: 60, maxRequests: n });
  if (round.failed) throw new Error(`${target.name}: ${round.failed}`);
  const after = await hub.call<number>('statements');
  return (after - before) / n;
}

const WARNINGS = (regions?: string[]) =>
  JSON.stringify({
    query: `query Warnings { petitionWarnings(first: 20${regions ? `, regions: ${JSON.stringify(regions)}` : ''}) { edges { node { id level raisedAt subject { name } } } } }`,
    operationName: 'Warnings',
  });

const warningsCheck =
  (regions?: string[]) =>
  (json: any): true | string => {
    if (json.errors) return `errors: ${JSON.stringify(json.errors).slice(0, 300)}`;
    const edges = json.data?.petitionWarnings?.edges;
    if (!Array.isArray(edges) || edges.length !== 20) return `expected 20 warnings, got ${edges?.length}`;
    if (!edges.every((e: any) => typeof e.node.subject?.name === 'string')) return 'a warning without its subject';
    const times = edges.map((e: any) => Date.parse(e.node.raisedAt));
    if (times.some((t: number, i: number) => i > 0 && t > times[i - 1])) return 'not newest first';
    if (regions && !edges.every((e: any) => regions.includes(String(e.node.id).split(':')[0]))) return `a warning from outside ${regions.join(', ')}`;
    return true;
  };

/** The 41-region hub (gateway and region threads, all of them profiled) under `--cpu-prof`, the fan-out query alone. */
async function fanOutProfile(pg: PostgresServer): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-profile-fanout-'));
  const { child, ready } = await startBenchHub(pg, { regions: DELTA_CITIES, databasePrefix: 'yrdbench_fan41', scale: FAN_OUT_SCALE }, false, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  let round: Round;
  try {
    const target = await checkTarget(
      { name: 'fan41 (profiled)', url: ready.url, body: WARNINGS(), headers: { authorization: `Bearer ${ready.token}` } },
      warningsCheck(),
    );
    await runSequential(target, { seconds: config.warmupSeconds });
    round = await runSequential(target, { seconds: 10 });
  } finally {
    await child.stop();
  }
  // One file per thread: the gateway's and each region thread's.
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  if (files.length === 0) return 'no profile was written';
  log(`fan-out profiles: ${files.join(', ')}`);
  return `41-region hub (the gateway, and the 164 regional subgraph servers on the region threads of the same process) under \`node --cpu-prof\` (start-up included), the fan-out query, 1 connection, ${config.warmupSeconds} s warm-up + 10 s (${round.failed ? `FAILED: ${round.failed}` : `p50 ${ms(round.p50)} ms while profiled`}); profiles: \`${dir}\`\n\n${summariseProfile(files, 15)}`;
}

/**
 * `--only fanout-scan`: what each region adds. The 41-region hub, asked for the warnings of the
 * first 1, 5, 10, 20 and 41 regions (Jiaxing first), with and without their subjects.
 */
async function fanOutScan(pg: PostgresServer): Promise<string> {
  const { child, ready } = await startBenchHub(pg, { regions: DELTA_CITIES, databasePrefix: 'yrdbench_fan41', scale: FAN_OUT_SCALE }, false);
  const lines = ['| regions asked | with subjects p50 / p99 ms | without subjects p50 / p99 ms |', '| ---: | ---: | ---: |'];
  try {
    const codes = ['330400', ...DELTA_CITIES.map((c) => c.code).filter((code) => code !== '330400')];
    for (const n of [1, 5, 10, 20, codes.length]) {
      const cells: string[] = [];
      for (const withSubjects of [true, false]) {
        const regions = codes.slice(0, n);
        const body = JSON.stringify({
          query: `query Warnings { petitionWarnings(first: 20, regions: ${JSON.stringify(regions)}) { edges { node { id level raisedAt${withSubjects ? ' subject { name }' : ''} } } } }`,
        });
        const target = await checkTarget({ name: `scan-${n}`, url: ready.url, body, headers: { authorization: `Bearer ${ready.token}` } }, (json) =>
          json.errors ? `errors: ${JSON.stringify(json.errors).slice(0, 300)}` : json.data?.petitionWarnings?.edges?.length === 20 || `expected 20 warnings`,
        );
        await runSequential(target, { seconds: 1 });
        const round = await runSequential(target, { seconds: config.latencySeconds });
        cells.push(round.failed ? `FAILED ${round.failed}` : `${ms(round.p50)} / ${ms(round.p99)}`);
        log(`  scan ${n} regions, subjects ${withSubjects}: ${cells[cells.length - 1]}`);
      }
      lines.push(`| ${n} | ${cells.join(' | ')} |`);
    }
  } finally {
    await child.stop();
  }
  return `Fan-out scan on the 41-region hub, 1 connection, ${config.latencySeconds} s per cell\n\n${lines.join('\n')}`;
}

/**
 * Two 4-region hubs on the same data up at once (`first` started first, with its environment),
 * requests alternating between them one at a time, each process's CPU read over the same window:
 * whatever else the machine does meanwhile weighs on both alike. Returns each hub's CPU ms per
 * request (gateway and region threads).
 */
async function alternatingHubsCpu(pg: PostgresServer, hubs: Array<{ name: string; env: Record<string, string> }>): Promise<number[]> {
  // The data, keys and database roles of the 4-region row (seeded by the first hub when absent): both hubs share them.
  const hubArgs = { regions: DEMO_CODES.map(cityOf), databasePrefix: 'yrdbench_fan4', scale: FAN_OUT_SCALE };
  const started: Array<{ child: Child; target: Checked }> = [];
  try {
    for (const { name, env } of hubs) {
      const { child, ready } = await startBenchHub(pg, hubArgs, false, undefined, env);
      started.push({
        child,
        target: await checkTarget({ name, url: ready.url, body: WARNINGS(), headers: { authorization: `Bearer ${ready.token}` } }, warningsCheck()),
      });
    }
    const targets = started.map((s) => s.target);
    const warmUp = await runAlternating(targets, 200);
    if (warmUp) throw new Error(`warm-up: ${warmUp}`);
    const before = started.map((s) => cpuSecondsOf(s.child.pid));
    const failed = await runAlternating(targets, config.metricsPairs);
    if (failed) throw new Error(failed);
    return started.map((s, i) => ((cpuSecondsOf(s.child.pid) - before[i]) * 1000) / config.metricsPairs);
  } finally {
    for (const { child } of started) await child.stop();
  }
}

/**
 * What metrics cost a fan-out, to the per cent: hubs measured one after the other differ by
 * ±5–8 % between runs on a shared machine, more than the 3 % target, so a hub with metrics and
 * one without run at once (alternatingHubsCpu). The hub started first costs a few per cent more
 * even when both are the same, so the rounds alternate which starts first and the cost is their
 * (geometric) mean; two rounds of two identical hubs (both metrics off) show that bias.
 */
async function metricsCostOfFanOut(pg: PostgresServer, rows: Row[]): Promise<void> {
  const on = { name: 'fan4-metrics', env: {} };
  const off = { name: 'fan4-no-metrics', env: { HUB_METRICS: 'off' } };
  const costs: number[] = [];
  const said: string[] = [];
  for (let round = 0; round < config.metricsRounds; round++) {
    const onFirst = round % 2 === 0;
    const cpu = await alternatingHubsCpu(pg, onFirst ? [on, off] : [off, on]);
    const [onMs, offMs] = onFirst ? cpu : [cpu[1], cpu[0]];
    costs.push(onMs / offMs - 1);
    said.push(`${onFirst ? 'on' : 'off'} first ${ms(onMs)}/${ms(offMs)} ms (${pct(onMs / offMs - 1)})`);
    log(`  metrics cost, round ${round + 1}: ${said[said.length - 1]}`);
  }
  const control: string[] = [];
  for (let round = 0; round < 2; round++) {
    const [firstMs, secondMs] = await alternatingHubsCpu(pg, [off, { ...off, name: 'fan4-no-metrics-2' }]);
    control.push(pct(firstMs / secondMs - 1));
    log(`  metrics cost, control round ${round + 1}: two metrics-off hubs, first started ${ms(firstMs)} against ${ms(secondMs)} ms`);
  }
  // The geometric mean of the ratios cancels a first-started hub's extra cost exactly when the rounds are even.
  const mean = Math.exp(costs.reduce((sum, cost) => sum + Math.log(1 + cost), 0) / costs.length) - 1;
  rows.push({
    workload: '3 fan-out: petitionWarnings(first: 20) with subjects, 1 conn',
    target: '4-region hub, metrics on against off, both up at once, requests alternating',
    note: `metrics cost **${pct(mean)}** of the hub's CPU per request (target < 3 %): geometric mean of ${costs.length} rounds of ${config.metricsPairs} requests to each hub (metrics on/off CPU per request: ${said.join('; ')}); two identical metrics-off hubs, the first-started against the other: ${control.join(', ')}`,
  });
}

const pct = (ratio: number) => `${ratio >= 0 ? '+' : '−'}${Math.abs(ratio * 100).toFixed(1)} %`;

async function fanOutWorkload(pg: PostgresServer, rows: Row[]): Promise<void> {
  const results: Array<{ label: string; s: Summary; statements: number; cpu: { hub: number; postgres: number } }> = [];
  const measure = async (hub: Child, label: string, target: Target, regions?: string[]) => {
    const checked = await checkTarget(target, warningsCheck(regions));
    await runSequential(checked, { seconds: 1 });
    const rounds: Round[] = [];
    // CPU per request, all of it: the hub's process (gateway and region threads) and PostgreSQL.
    const before = { hub: cpuSecondsOf(hub.pid), postgres: postgresCpuSeconds() };
    for (let r = 0; r < Math.max(3, Math.ceil(config.rounds / 2)); r++)
      rounds.push(await runSequential(checked, { seconds: 120, maxRequests: config.fanOutSamples }));
    const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
    const cpu = { hub: ((cpuSecondsOf(hub.pid) - before.hub) * 1000) / requests, postgres: ((postgresCpuSeconds() - before.postgres) * 1000) / requests };
    const statements = await statementsPerRequest(hub, checked);
    const s = summarise(rounds);
    log(
      `  ${label}: p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms, ${statements} SQL statements, CPU ${ms(cpu.hub + cpu.postgres)} ms per request${s.failed ? ` FAILED ${s.failed}` : ''}`,
    );
    results.push({ label, s, statements, cpu });
  };
  {
    const { child, ready } = await startBenchHub(pg, { regions: DEMO_CODES.map(cityOf), databasePrefix: 'yrdbench_fan4', scale: FAN_OUT_SCALE }, true);
    try {
      await measure(child, '4-region hub', { name: 'fan4', url: ready.url, body: WARNINGS(), headers: { authorization: `Bearer ${ready.token}` } });
    } finally {
      await child.stop();
    }
  }
  {
    const { child, ready } = await startBenchHub(pg, { regions: DELTA_CITIES, databasePrefix: 'yrdbench_fan41', scale: FAN_OUT_SCALE }, true);
    try {
      const headers = { authorization: `Bearer ${ready.token}` };
      await measure(child, '41-region hub, `regions: ["330400"]` (1 region)', { name: 'fan41-1', url: ready.url, body: WARNINGS(['330400']), headers }, [
        '330400',
      ]);
      await measure(child, '41-region hub (every Delta city)', { name: 'fan41', url: ready.url, body: WARNINGS(), headers });
    } finally {
      await child.stop();
    }
  }
  const one = results.find((r) => r.label.includes('1 region'))?.s;
  const workload = '3 fan-out: petitionWarnings(first: 20) with subjects, 1 conn';
  for (const { label, s, statements, cpu } of results) {
    const ratio =
      one && !one.failed && !s.failed && s !== one && label.startsWith('41') ? `; p99 ×${(s.p99 / one.p99).toFixed(2)} the 1-region p99 (target ≤ 2)` : '';
    const work = `${statements.toFixed(1)} SQL statements and ${ms(cpu.hub + cpu.postgres)} ms of CPU (hub ${ms(cpu.hub)}, PostgreSQL ${ms(cpu.postgres)}) per request`;
    rows.push(rowOf(workload, label, s, `${work}${ratio}`, false));
  }
  await metricsCostOfFanOut(pg, rows);
}

async function volumeWorkload(pg: PostgresServer): Promise<string> {
  const { child, ready } = await startBenchHub(
    pg,
    { regions: DEMO_CODES.map(cityOf), databasePrefix: 'yrdbench_vol', scale: FAN_OUT_SCALE, regionScale: { '330400': { petitions: VOLUME_PETITIONS } } },
    false, // seeded once, reused on later runs (seed_runs)
  );
  const rows: Row[] = [];
  const client = new Client({ connectionString: pg.urlFor('yrdbench_vol_330400') });
  await client.connect();
  const petitionCount = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM petitions.petitions')).rows[0].n;
  await client.end();
  if (petitionCount < VOLUME_PETITIONS)
    throw new Error(`yrdbench_vol_330400 holds ${petitionCount} petitions, not ${VOLUME_PETITIONS}: drop the yrdbench_vol_* databases and run again`);
  try {
    const headers = { authorization: `Bearer ${ready.token}` };
    const queries: Array<{ label: string; query: string; check: (json: any) => true | string }> = [
      {
        label: 'petitions(first: 20, regions: ["330400"])',
        query: '{ petitions(first: 20, regions: ["330400"]) { edges { node { id status registeredAt } } pageInfo { hasNextPage endCursor } } }',
        check: (j) => (j.errors ? JSON.stringify(j.errors).slice(0, 300) : j.data.petitions.edges.length === 20 || 'not 20 petitions'),
      },
      {
        label: 'petitions(first: 20, regions: ["330400"], filter: { status: HANDLING })',
        query:
          '{ petitions(first: 20, regions: ["330400"], filter: { status: HANDLING }) { edges { node { id status registeredAt } } pageInfo { hasNextPage endCursor } } }',
        check: (j) =>
          j.errors
            ? JSON.stringify(j.errors).slice(0, 300)
            : j.data.petitions.edges.every((e: any) => e.node.status === 'HANDLING') && j.data.petitions.edges.length === 20
              ? true
              : 'wrong statuses or count',
      },
      {
        label: 'person("330400:17") { petitions(first: 10) }',
        query: '{ person(id: "330400:17") { name petitions(first: 10) { edges { node { id region status registeredAt } } } } }',
        check: (j) => (j.errors ? JSON.stringify(j.errors).slice(0, 300) : j.data.person?.petitions.edges.length === 10 || 'not 10 petitions'),
      },
      {
        label: 'petition(id: "330400:500000")',
        query: '{ petition(id: "330400:500000") { id status registeredAt summary } }',
        check: (j) => (j.errors ? JSON.stringify(j.errors).slice(0, 300) : j.data.petition?.id === '330400:500000' || 'not found'),
      },
    ];
    for (const q of queries) {
      const target = await checkTarget({ name: q.label, url: ready.url, body: JSON.stringify({ query: q.query }), headers }, q.check);
      await runSequential(target, { seconds: 1 });
      const rounds: Round[] = [];
      for (let r = 0; r < 3; r++) rounds.push(await runSequential(target, { seconds: config.latencySeconds }));
      const s = summarise(rounds);
      const statements = await statementsPerRequest(child, target);
      log(`  ${q.label}: p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms`);
      rows.push(
        rowOf(
          `4 volume: 330400 with ${petitionCount.toLocaleString('en')} petitions, 1 conn`,
          q.label,
          s,
          `${s.p99 < 50 ? 'meets' : 'MISSES'} p99 < 50 ms; ${statements.toFixed(1)} SQL statements per request`,
          false,
        ),
      );
    }
  } finally {
    await child.stop();
  }
  return table(rows);
}

// ---------------------------------------------------------------------------------------------
// Live warnings at scale (bench/live.ts)

const LIVE_SCALE: SeedScale = { persons: 200, petitions: 100, warnings: 50, inspections: 10, officersPerAgency: 5 };
const LIVE_SETTINGS: LiveSettings = {
  subscribers: Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 1000),
  eventsPerSecond: Number(process.env.BENCH_LIVE_RATE ?? 50),
  seconds: Number(process.env.BENCH_LIVE_SECONDS ?? 20),
  regions: DEMO_CODES,
  officersPerRegion: 5,
};
const LIVE_NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

async function natsReachable(url: string): Promise<boolean> {
  try {
    const nats = await connectNats({ servers: url, timeout: 2000 });
    await nats.close();
    return true;
  } catch {
    return false;
  }
}

async function liveSection(pg: PostgresServer): Promise<string> {
  // Subscriptions per caller are limited (20 by default); the benchmark's 20 officers hold 50 each.
  process.env.HUB_LIVE_SUBSCRIPTIONS_PER_CALLER = String(
    Math.ceil(LIVE_SETTINGS.subscribers / (LIVE_SETTINGS.regions.length * LIVE_SETTINGS.officersPerRegion)) + 1,
  );
  const results: LiveResult[] = [];
  const profiles: string[] = [];
  const run = async (label: string, databasePrefix: string, gateways: number) => {
    // With --profile, the first hub (its gateway and region threads) runs under --cpu-prof.
    const profileDir = config.profile && !profiles.length ? mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-profile-live-')) : undefined;
    const execArgv = ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const { child, ready } = await startBenchHub(pg, { regions: DEMO_CODES.map(cityOf), databasePrefix, scale: LIVE_SCALE }, true, execArgv);
    // A second gateway instance runs in a process of its own, as one behind a load balancer would.
    const startGateway = async () => {
      const setup = await child.call<Omit<LiveGatewayChildArgs, 'dataDir'>>('gatewaySetup');
      const dataDir = path.join(os.tmpdir(), 'yrd-hub-bench', databasePrefix);
      const started = await startChild<{ url: string }>('live-gateway', { ...setup, dataDir } satisfies LiveGatewayChildArgs, { execArgv: ['--expose-gc'] });
      return { child: started.child, url: started.ready.url };
    };
    try {
      results.push(await liveWorkload({ child, url: ready.url, token: ready.token, startGateway }, LIVE_SETTINGS, label, gateways, log));
    } finally {
      await child.stop();
    }
    if (profileDir) {
      const files = readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(profileDir, f));
      log(`live profiles: ${profileDir}`);
      profiles.push(
        files.length
          ? `Live hub under \`node --cpu-prof\` (start-up included); profiles: \`${profileDir}\`\n\n${summariseProfile(files, 20)}`
          : 'no profile was written',
      );
    }
  };
  await run('1 gateway, regions relayed over HTTP feeds (no NATS)', 'yrdbench_live', 1);
  // The same fan-out from stock graphql-ws with nothing of the hub: what this machine gives at all.
  const floor = await startChild<{ url: string }>('graphql-ws-broadcast', {});
  try {
    results.push(await broadcastFloor({ child: floor.child, url: floor.ready.url }, LIVE_SETTINGS, log));
  } finally {
    await floor.child.stop();
  }
  if (process.env.BENCH_LIVE_NATS === '0') {
    log('live: BENCH_LIVE_NATS=0; the two-gateway case is left out');
  } else if (await natsReachable(LIVE_NATS_URL)) {
    const prefix = `yrdbench_${process.pid}`;
    process.env.NATS_URL = LIVE_NATS_URL;
    process.env.HUB_NATS_PREFIX = prefix;
    try {
      await run('2 gateway processes on NATS JetStream (subscribers split)', 'yrdbench_livenats', 2);
    } finally {
      delete process.env.NATS_URL;
      delete process.env.HUB_NATS_PREFIX;
      const nats = await connectNats({ servers: LIVE_NATS_URL });
      await (await nats.jetstreamManager()).streams.delete(warningEventsStream(prefix)).catch(() => undefined);
      await nats.close();
    }
  } else {
    log(`live: NATS unreachable at ${LIVE_NATS_URL}; the two-gateway case is left out`);
  }
  delete process.env.HUB_LIVE_SUBSCRIPTIONS_PER_CALLER;
  return [liveTable(results, LIVE_SETTINGS), ...profiles].join('\n\n');
}

// ---------------------------------------------------------------------------------------------

function writeBlock(name: string, content: string): void {
  const file = repoPath('BENCHMARKS.md');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    log('BENCHMARKS.md not found; not written');
    return;
  }
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    log(`BENCHMARKS.md has no ${start} … ${end} block; not written`);
    return;
  }
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`);
}

function machine(): string {
  const cpus = os.cpus();
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim()} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · load average before the run ${os.loadavg()[0].toFixed(2)}`;
}

async function main(): Promise<void> {
  const header = machine();
  log(`${header}; ${JSON.stringify(config)}`);
  const rows: Row[] = [];
  let profile: string | undefined;
  const profileStandard = config.profile && (wants('standard') || wants('profile'));
  if (wants('standard') || wants('overhead') || wants('memory') || profileStandard) {
    const classic = await startClassic();
    try {
      const hubTarget = wants('standard') || wants('memory') || profileStandard ? await standardWorkload(classic, rows) : undefined;
      if (wants('overhead')) await overheadWorkload(classic, rows);
      if (wants('memory') && hubTarget) await memoryWorkload(classic, hubTarget, rows);
      // Stop the other gateways before profiling: the profiled one runs alone with the subgraphs.
      for (const g of classic.gateways.values()) await g.child?.stop();
      if (profileStandard && hubTarget) profile = await profileRun(classic, hubTarget);
    } finally {
      for (const g of classic.gateways.values()) await g.child?.stop();
      await classic.subgraphs.stop();
      await classic.otlp.close();
      rmSync(path.dirname(classic.supergraphFile), { recursive: true, force: true });
    }
  }
  let volume: string | undefined;
  let fanOutProfiled: string | undefined;
  let scan: string | undefined;
  let live: string | undefined;
  if (wants('fanout') || config.volume || only?.has('fanout-scan') || only?.has('fanout-metrics') || wants('live')) {
    const pg = await benchPostgres();
    try {
      if (wants('live')) live = await liveSection(pg);
      if (wants('fanout')) await fanOutWorkload(pg, rows);
      else if (only?.has('fanout-metrics')) await metricsCostOfFanOut(pg, rows);
      if (wants('fanout') && config.profile) fanOutProfiled = await fanOutProfile(pg);
      if (only?.has('fanout-scan')) scan = await fanOutScan(pg);
      if (config.volume) volume = await volumeWorkload(pg);
    } finally {
      await pg.stop();
    }
  }
  const settings = `rounds ${config.rounds} × ${config.seconds} s (standard), ${config.latencySeconds} s (latency), ${config.fanOutSamples} requests (fan-out, 3 rounds or more); servers with NODE_ENV=production; medians over rounds`;
  const main = `${header}\n${settings}\n\n${table(rows)}`;
  if (rows.length) process.stdout.write(`\n${main}\n`);
  if (volume) process.stdout.write(`\n${volume}\n`);
  if (profile) process.stdout.write(`\n${profile}\n`);
  if (fanOutProfiled) process.stdout.write(`\n${fanOutProfiled}\n`);
  if (scan) process.stdout.write(`\n${scan}\n`);
  if (live) process.stdout.write(`\n${live}\n`);
  if (config.write) {
    if (rows.length && !only) writeBlock('results', main);
    if (volume) writeBlock('volume', `${header}\n\n${volume}`);
    if (profile) writeBlock('profile', profile);
    if (fanOutProfiled) writeBlock('profile-fanout', fanOutProfiled);
    if (live) writeBlock('live', `${header}\n\n${live}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
