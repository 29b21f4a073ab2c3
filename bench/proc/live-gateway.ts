import { readFileSync } from 'node:fs';
import { startGateway } from '../../gateway/server';
import type { RegionConfig } from '../../gateway/region-config';
import { HubIdentity } from '../../launcher/hub-identity';
import { repoPath } from '../../subgraphs/shared/repo-path';
import { childArgs, reportFailure, reportReady, serveIpc } from '../lib/ipc';

export interface LiveGatewayChildArgs {
  /** The hub's data folder: its keys are this gateway's too (one hub, two gateway instances). */
  dataDir: string;
  /** The hub's regions, endpoints filled in (bench/proc/hub.ts `gatewaySetup`). */
  regions: RegionConfig;
  directoryUrl: string;
}

/**
 * Child process: one more gateway instance of a running hub (bench/proc/hub.ts), in a process
 * of its own as a second instance behind a load balancer is; with NATS_URL set (inherited) it
 * hears the regions through JetStream.
 */
async function main(): Promise<void> {
  const args = childArgs<LiveGatewayChildArgs>();
  const codes = args.regions.regions.map((region) => region.code);
  const identity = await HubIdentity.prepare({ dataDir: args.dataDir, regionCodes: codes, hostedRegionCodes: codes, officersPerAgency: () => 0 });
  const gateway = await startGateway({
    supergraphSdl: readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'),
    regions: args.regions,
    urlOverrides: { directory: args.directoryUrl },
    port: 0,
    auth: identity.gatewayAuth(),
  });
  serveIpc({
    // With --expose-gc: what is still held, not what awaits collection.
    memory: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    },
    stop: async () => {
      await Promise.race([gateway.stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]).catch(() => undefined);
      setImmediate(() => process.exit(0));
    },
  });
  reportReady({ url: gateway.graphqlUrl });
}

main().catch(reportFailure);
