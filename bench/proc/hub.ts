import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startHub } from '../../launcher/hub';
import { repoPath } from '../../subgraphs/shared/repo-path';
import type { SeedScale } from '../../subgraphs/shared/subgraph-module';
import { childArgs, reportFailure, reportReady, serveIpc } from '../lib/ipc';

export interface HubChildArgs {
  regions: ReadonlyArray<{ code: string; name: string }>;
  databaseUrl: string;
  databasePrefix: string;
  /** Keys and the regions file live here (kept, so a reused database meets the same keys). */
  dataDir: string;
  scale: SeedScale;
  regionScale?: Record<string, Partial<SeedScale>>;
  /** The demo officer whose caller token the benchmark sends ("330400:1"). */
  officer: string;
  /** Worker threads for the regions (startHub's default when absent: one per core). */
  regionThreads?: number;
}

/**
 * Child process: a whole hub (startHub: migrations, seed once, every region's subgraphs and
 * the regional gateway) on the benchmark's PostgreSQL, with background work off.
 */
async function main(): Promise<void> {
  const args = childArgs<HubChildArgs>();
  mkdirSync(args.dataDir, { recursive: true });
  const regionsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-regions-')), 'regions.yaml');
  writeFileSync(regionsFile, stringify({ regional_subgraphs: ['petitions', 'dossier', 'enforcement', 'personnel'], regions: args.regions }));
  const started = Date.now();
  const hub = await startHub({
    regionsFile,
    supergraphFile: repoPath('schema', 'supergraph.graphql'),
    dataDir: args.dataDir,
    databaseUrl: args.databaseUrl,
    databasePrefix: args.databasePrefix,
    port: 0,
    host: '127.0.0.1',
    backgroundIntervalMs: 0,
    regionThreads: args.regionThreads,
    seed: { seed: 2026, scale: args.scale, regionScale: args.regionScale },
    log: () => undefined,
  });
  const officer = hub.identity.demoOfficerById(args.officer);
  // Long enough for a 5-minute soak and the volume workload.
  const token = await hub.identity.demoToken({ ...officer, id: args.officer }, 4 * 3600);
  let profiler: Session | undefined;
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => profiler!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  serveIpc({
    statements: () => hub.statementCount(),
    // CPU profile of a measurement window only (not start-up): `profileStart`, load, `profileStop`.
    profileStart: async () => {
      profiler = new Session();
      profiler.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    profileStop: async (file: string) => {
      const { profile } = await post('Profiler.stop');
      profiler!.disconnect();
      profiler = undefined;
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    memory: () => {
      // With --expose-gc (the live workload): what is still held, not what awaits collection.
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    },
    // The live workload: tokens of many officers, and what a second gateway instance on the same
    // regions needs of this hub (bench/proc/live-gateway.ts: in a process of its own, as a second
    // instance behind a load balancer is; with NATS_URL set both hear the regions through JetStream).
    token: (officerId: string) => hub.identity.demoToken({ ...hub.identity.demoOfficerById(officerId), id: officerId }, 4 * 3600),
    gatewaySetup: () => ({ regions: hub.regions, directoryUrl: `${hub.directoryServer.url}/directory/graphql` }),
    stop: async () => {
      await Promise.race([hub.stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]).catch(() => undefined);
      rmSync(path.dirname(regionsFile), { recursive: true, force: true });
      setImmediate(() => process.exit(0));
    },
  });
  reportReady({ url: hub.gateway.graphqlUrl, token, startMs: Date.now() - started });
}

main().catch(reportFailure);
