import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { Pool } from 'pg';
import { loadRegionConfig, RegionConfig } from '../gateway/region-config';
import { RunningGateway, startGateway } from '../gateway/server';
import type { RunningHttpServer } from '../platform/apollo-http';
import { createPool, statementCount } from '../subgraphs/shared/db';
import { SubgraphHost } from '../subgraphs/shared/host';
import { HubLink } from '../subgraphs/shared/hub-link';
import { AUDIT_MIGRATIONS, AUDIT_WITNESS_MIGRATIONS } from '../subgraphs/shared/audit-log';
import { AuditCheckpointer, CheckpointSchedule, DEFAULT_CHECKPOINT_SCHEDULE } from './audit-checkpointer';
import { ensureRoles, grantSubgraphs, handOver, urlAs } from './database-roles';
import { HubIdentity } from './hub-identity';
import { demoSignInRoutes } from './demo-sign-in';
import { TrustedDocuments, trustedDocumentsFolder } from '../gateway/trusted-documents';
import type { TrustedDocumentsMode } from '../gateway/trusted-documents-plugin';
import { staticFolder } from '../platform/static-folder';
import { repoPath } from '../subgraphs/shared/repo-path';
import { RunningRegionWorkers, startRegionWorkers } from './region-workers';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import type { SeedScale, SubgraphModule } from '../subgraphs/shared/subgraph-module';
import { BUILTIN_SUBGRAPHS } from './builtin-subgraphs';
import { connectExternalPostgres, PostgresServer, startEmbeddedPostgres } from './postgres';
import { CheckpointVerifier } from '../auth/audit-checkpoint';
import { flushTracing, startTracing } from '../platform/tracing';
import { planRegionReload } from './region-reload';
import { watchFiles } from './config-watch';
import { addThreadMetrics } from '../platform/thread-metrics';

/**
 * `yrd-hub start`: everything on one machine. PostgreSQL (embedded unless DATABASE_URL is
 * set), one database per region plus the hub's own, migrations, demo data once, every hosted
 * region's subgraphs, the directory, and the gateway in front. This is the only module that
 * knows every part.
 */

export interface HubOptions {
  regionsFile: string;
  supergraphFile: string;
  dataDir: string;
  databaseUrl?: string;
  /** Database names are <prefix>_hub and <prefix>_<region code>, unless a region names its own. */
  databasePrefix: string;
  port: number;
  host?: string;
  /** Trusted identity providers (see identity.example.yaml); without it, demo providers are made in dataDir/keys. */
  identityFile?: string;
  /** How often subgraphs' background work (deadline sweeps, cross-region deliveries) runs; 0: never. */
  backgroundIntervalMs?: number;
  /**
   * Worker threads serving the hosted regions (region-workers.ts); 0 serves them in this
   * thread, beside the gateway. Default: one per CPU core.
   */
  regionThreads?: number;
  /** How often each region's audit chain head is checkpointed (default: every 1,000 rows or 60 seconds). */
  auditCheckpoints?: CheckpointSchedule;
  /** Demo data, seeded once per database; false for none. `regionScale` overrides sizes for some regions (a million petitions in one, for benchmarks). */
  seed: { seed: number; scale: SeedScale; regionScale?: Record<string, Partial<SeedScale>> } | false;
  /** Reload regions.yaml and the supergraph whenever either file changes (reload() is there either way, for SIGHUP). */
  watchConfig?: boolean;
  log: (line: string) => void;
  /**
   * Apps' registered operations: the manifests in `dataDir/trusted-documents/` (yrd-hub documents
   * add) and in `folders` (HUB_TRUSTED_DOCUMENTS_DIR); `require` answers only those (HUB_TRUSTED_DOCUMENTS=require).
   */
  trustedDocuments?: { mode?: TrustedDocumentsMode; folders?: string[] };
}

/** What a reload did: applied (with what changed, maybe nothing), or refused with the reason. */
export type ReloadOutcome = { applied: true; changes: string[] } | { applied: false; reason: string };

import { DEFAULT_SCALE } from './demo-scale';
import { observePool } from '../subgraphs/shared/pool-metrics';
export { DEFAULT_SCALE, parseRegionScale } from './demo-scale';

export interface RunningHub {
  gateway: RunningGateway;
  regions: RegionConfig;
  postgres: PostgresServer;
  /** Connection URL of each hosted region's database, and of the hub's own ("hub"), as the server's administrator. */
  databaseUrls: Map<string, string>;
  /** The same databases as the subgraphs reach them: as the prefix's subgraphs role (database-roles.ts). */
  subgraphDatabaseUrls: Map<string, string>;
  /** Checkpoints the audit chain head of `region` (every hosted region without it) now, as the schedule would. */
  checkpointAudit(region?: string): Promise<void>;
  /** HTTP server of each hosted region's subgraphs. */
  regionServers: Map<string, RunningHttpServer>;
  /** The worker threads serving the hosted regions; absent when they are served in the gateway's thread. */
  regionThreads?: RunningRegionWorkers['threads'];
  /** HTTP server of the hub-owned subgraphs (the directory). */
  directoryServer: RunningHttpServer;
  /**
   * SQL statements sent so far by the subgraphs of this hub: all databases together, or only
   * the regions' (leaving out the hub's own directory, which the gateway asks for callers'
   * grants once per jurisdiction every few seconds).
   */
  statementCount(scope?: 'all' | 'regions'): number;
  /** Keys and trust: demo tokens, service identities. */
  identity: HubIdentity;
  /** The data folder (embedded PostgreSQL, keys). */
  dataDir: string;
  /**
   * Reads regions.yaml and the supergraph file again (SIGHUP, or a change when watched) and
   * applies what changed; a file with problems is refused with the errors a start would give,
   * logged, and the running configuration stays.
   */
  reload(): Promise<ReloadOutcome>;
  stop(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const regions = loadRegionConfig(options.regionsFile);
  const supergraphSdl = readFileSync(options.supergraphFile, 'utf8');
  const regionalModules = BUILTIN_SUBGRAPHS.filter((module) => module.regional);
  const hubModules = BUILTIN_SUBGRAPHS.filter((module) => !module.regional);
  const unservable = regions.regionalSubgraphs.filter((name) => !regionalModules.some((m) => m.name === name));
  regions.regions.forEach((region, index) => {
    if (region.hosted && unservable.length) {
      throw new Error(
        `${options.regionsFile}: regions.${index} (${region.code}) has no url, but this hub cannot host ${unservable.join(', ')}; give the region's url or endpoints`,
      );
    }
  });

  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (platform/tracing.ts); region threads start their own.
  startTracing('yrd-hub');
  const cleanup: Array<() => Promise<unknown>> = [flushTracing];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch((error) => options.log(`while stopping: ${(error as Error).message}`));
  };
  try {
    const postgres = options.databaseUrl ? await connectExternalPostgres(options.databaseUrl) : await startEmbeddedPostgres(options.dataDir, options.log);
    cleanup.push(() => postgres.stop());

    const roles = await ensureRoles(postgres.adminUrl, options.databasePrefix, options.dataDir);
    const summaries = regions.regions.map(({ code, name }) => ({ code, name }));
    const databaseUrls = new Map<string, string>();
    const subgraphDatabaseUrls = new Map<string, string>();
    const ownerUrls = new Map<string, string>();
    const pools: Array<{ pool: Pool; hub: boolean }> = [];
    const openPool = (url: string, max?: number) => {
      const pool = createPool(url, max);
      cleanup.push(async () => {
        if (!pool.ended) await pool.end();
      });
      return pool;
    };
    // Migrated and seeded as the owner role; served as the subgraphs role, which may only append to the audit log.
    const prepare = async (key: string, database: string, modules: readonly SubgraphModule[], region?: { code: string; name: string }) => {
      await postgres.ensureDatabase(database, roles.owner.name);
      const adminUrl = postgres.urlFor(database);
      await handOver(adminUrl, database, roles.owner);
      const ownerUrl = urlAs(adminUrl, roles.owner);
      const pool = openPool(ownerUrl);
      try {
        const audit = await migrate(pool, 'audit', readMigrations(AUDIT_MIGRATIONS));
        if (audit.length) options.log(`${database}: applied audit migrations ${audit.join(', ')}`);
        if (!region) await migrate(pool, 'audit-witness', readMigrations(AUDIT_WITNESS_MIGRATIONS));
        for (const module of modules) {
          const applied = module.migrationsFolder ? await migrate(pool, module.name, readMigrations(module.migrationsFolder)) : [];
          if (applied.length) options.log(`${database}: applied ${module.name} migrations ${applied.join(', ')}`);
          if (options.seed && module.seed) {
            const { seed, scale, regionScale } = options.seed;
            const scaleOf = (code: string): SeedScale => ({ ...scale, ...regionScale?.[code] });
            await module.seed(pool, region as never, { seed, scale: region ? scaleOf(region.code) : scale, scaleOf, regions: summaries });
          }
        }
        await grantSubgraphs(pool, roles.subgraphs);
      } finally {
        await pool.end();
      }
      databaseUrls.set(key, adminUrl);
      ownerUrls.set(key, ownerUrl);
      subgraphDatabaseUrls.set(key, urlAs(adminUrl, roles.subgraphs));
    };

    await prepare('hub', `${options.databasePrefix}_hub`, hubModules);
    const hubPool = openPool(subgraphDatabaseUrls.get('hub')!);
    pools.push({ pool: hubPool, hub: true });
    observePool(hubPool, 'hub');
    const hosted = regions.regions.filter((region) => region.hosted);
    await Promise.all(hosted.map((region) => prepare(region.code, region.database ?? `${options.databasePrefix}_${region.code}`, regionalModules, region)));

    const officersPerAgency = (code: string) =>
      (options.seed ? { ...options.seed.scale, ...options.seed.regionScale?.[code] } : DEFAULT_SCALE).officersPerAgency;
    const identity = await HubIdentity.prepare({
      dataDir: options.dataDir,
      regionCodes: regions.regions.map((region) => region.code),
      hostedRegionCodes: hosted.map((region) => region.code),
      identityFile: options.identityFile,
      auditKeys: true,
      officersPerAgency,
    });
    const verifier = identity.contextVerifier();
    // The checkpointer reads the regions' rows and writes the hub's checkpoints as the owner, one connection each.
    const checkpointer = new AuditCheckpointer({
      hub: openPool(ownerUrls.get('hub')!, 1),
      regions: new Map(hosted.map((region) => [region.code, openPool(ownerUrls.get(region.code)!, 1)])),
      chainKey: (code) => identity.auditChainKey(code),
      signingKey: identity.checkpointKey,
      schedule: options.auditCheckpoints ?? DEFAULT_CHECKPOINT_SCHEDULE,
      log: options.log,
    });
    // Only by a hub whose chain keys are new: later, an unkeyed log is a forgery, not history.
    if (identity.auditChainKeysNew) for (const region of hosted) await checkpointer.keyLegacyLog(region.code);
    checkpointer.start();
    // Runs after the servers have stopped (cleanup goes in reverse): a clean stop leaves no window.
    cleanup.push(async () => {
      checkpointer.stop();
      await checkpointer.checkpointAll();
    });
    const checkpointVerifier = new CheckpointVerifier(identity.checkpointKey.publicJwk);
    const auditChainOf = (code: string) => ({
      key: identity.auditChainKey(code),
      checkpoints: checkpointVerifier,
      appended: (seq: number) => checkpointer.appended(code, seq),
    });
    // Subgraphs reach other regions through the gateway, which listens only once they do.
    const hubLinks: HubLink[] = [];
    const threads = Math.min(options.regionThreads ?? os.availableParallelism(), hosted.length);
    const host = await SubgraphHost.create(threads > 0 ? hubModules : BUILTIN_SUBGRAPHS);
    cleanup.push(() => host.stop());
    const directory = await host.serve({
      subgraphs: hubModules.map((m) => m.name),
      db: hubPool,
      regions: summaries,
      hub: new HubLink(),
      verifier,
      port: 0,
      auditChain: { key: identity.auditChainKey('hub') },
    });
    cleanup.push(() => directory.close());
    const regionServers = new Map<string, RunningHttpServer>();
    let workers: RunningRegionWorkers | undefined;
    if (threads > 0) {
      workers = await startRegionWorkers({
        regions: hosted.map((region) => ({
          code: region.code,
          name: region.name,
          databaseUrl: subgraphDatabaseUrls.get(region.code)!,
          auditChainKey: identity.auditChainKey(region.code).toString('hex'),
        })),
        checkpointKey: identity.checkpointKey.publicJwk,
        onAudited: (code, seq) => checkpointer.appended(code, seq),
        threads,
        summaries,
        subgraphs: regionalModules.map((m) => m.name),
        contextKeys: { keys: [identity.contextKey.publicJwk] },
        serviceKey: identity.serviceKey,
        backgroundIntervalMs: options.backgroundIntervalMs,
        log: options.log,
      });
      cleanup.push(() => workers!.stop());
      // The gateway's /metrics shows the threads' regions too (their own hosts show only theirs).
      const forgetThreads = addThreadMetrics(() => workers!.metrics());
      cleanup.push(async () => forgetThreads());
      for (const [code, server] of workers.servers) regionServers.set(code, server);
    } else {
      for (const region of hosted) {
        const pool = openPool(subgraphDatabaseUrls.get(region.code)!);
        pools.push({ pool, hub: false });
        observePool(pool, region.code);
        const server = await host.serve({
          subgraphs: regionalModules.map((m) => m.name),
          db: pool,
          auditChain: auditChainOf(region.code),
          regions: summaries,
          region: { code: region.code, name: region.name },
          hub: hubLinks[hubLinks.push(new HubLink(identity.serviceCredentials(region.code))) - 1],
          verifier,
          port: 0,
          backgroundIntervalMs: options.backgroundIntervalMs,
        });
        cleanup.push(() => server.close());
        regionServers.set(region.code, server);
      }
    }
    for (const region of hosted) {
      const server = regionServers.get(region.code)!;
      region.endpoints = Object.fromEntries(regions.regionalSubgraphs.map((name) => [name, `${server.url}/${name}/graphql`]));
    }

    const gateway = await startGateway({
      supergraphSdl,
      regions,
      urlOverrides: Object.fromEntries(hubModules.map((m) => [m.name, `${directory.url}/${m.name}/graphql`])),
      port: options.port,
      host: options.host,
      auth: identity.gatewayAuth(),
      trustedDocuments: {
        documents: new TrustedDocuments([trustedDocumentsFolder(options.dataDir), ...(options.trustedDocuments?.folders ?? [])]),
        mode: options.trustedDocuments?.mode ?? 'accept',
      },
      // Demo providers sign in anyone who asks: only a hub without real providers offers it.
      handlers: options.identityFile
        ? undefined
        : demoSignInRoutes({
            identity,
            regions: hosted.map((region) => ({ code: region.code, officersPerAgency: officersPerAgency(region.code) })),
            defaultLogin: `demo-${(hosted.find((region) => region.code === '330400') ?? hosted[0])?.code}`,
          }),
      folders: { '/console': staticFolder(repoPath('dist', 'web', 'console'), '/console') },
    });
    cleanup.push(() => gateway.stop());
    for (const link of hubLinks) link.setUrl(gateway.graphqlUrl);
    await workers?.setGatewayUrl(gateway.graphqlUrl);
    const countStatements = (scope: 'all' | 'regions' = 'all') =>
      pools.filter((entry) => scope === 'all' || !entry.hub).reduce((sum, entry) => sum + statementCount(entry.pool), workers?.statementCount() ?? 0);
    const checkpointAudit = async (region?: string) => {
      await (region ? checkpointer.checkpoint(region) : checkpointer.checkpointAll());
    };
    const hostedEndpoints = new Map(hosted.map((region) => [region.code, { ...region.endpoints }]));
    let running = regions;
    let runningSupergraph = supergraphSdl;
    let reloading = Promise.resolve<ReloadOutcome>({ applied: true, changes: [] });
    // Both files are checked before either is applied: a bad one leaves both as they were.
    const reloadNow = async (): Promise<ReloadOutcome> => {
      const name = path.basename(options.regionsFile);
      let planned;
      try {
        planned = planRegionReload(running, loadRegionConfig(options.regionsFile), hostedEndpoints);
      } catch (error) {
        const reason = (error as Error).message;
        options.log(`${name} not reloaded, the running configuration stays: ${reason}`);
        return { applied: false, reason };
      }
      let nextSupergraph: string;
      try {
        nextSupergraph = readFileSync(options.supergraphFile, 'utf8');
        if (nextSupergraph !== runningSupergraph) await gateway.replaceSupergraph(nextSupergraph, planned.config);
        else gateway.reconfigureRegions(planned.config);
      } catch (error) {
        const reason = `${options.supergraphFile}: ${(error as Error).message}`;
        options.log(`${path.basename(options.supergraphFile)} not reloaded, the running configuration stays: ${reason}`);
        return { applied: false, reason };
      }
      const changes = [...planned.changes, ...(nextSupergraph !== runningSupergraph ? ['supergraph replaced'] : [])];
      const files = nextSupergraph !== runningSupergraph ? `${name} and ${path.basename(options.supergraphFile)}` : name;
      running = planned.config;
      runningSupergraph = nextSupergraph;
      options.log(changes.length ? `${files} reloaded: ${changes.join('; ')}` : `${files} reloaded: nothing changed`);
      return { applied: true, changes };
    };
    // One reload at a time, in the order asked: a burst of SIGHUPs applies the last file once each.
    const reload = () => (reloading = reloading.then(reloadNow, reloadNow));
    if (options.watchConfig) {
      const watcher = watchFiles([options.regionsFile, options.supergraphFile], () => void reload());
      cleanup.push(async () => watcher.close());
    }
    return {
      gateway,
      get regions() {
        return running;
      },
      reload,
      postgres,
      databaseUrls,
      subgraphDatabaseUrls,
      checkpointAudit,
      regionServers,
      regionThreads: workers?.threads,
      directoryServer: directory,
      statementCount: countStatements,
      identity,
      dataDir: options.dataDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
