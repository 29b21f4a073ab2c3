import type { JWK, JSONWebKeySet } from 'jose';
import { CheckpointVerifier } from '../../auth/audit-checkpoint';
import { ContextVerifier } from '../../auth/context-token';
import { BUILTIN_SUBGRAPHS } from '../../launcher/builtin-subgraphs';
import { createPool } from '../../subgraphs/shared/db';
import { SubgraphHost } from '../../subgraphs/shared/host';
import { HubLink } from '../../subgraphs/shared/hub-link';

/**
 * One region's subgraphs as a process of their own, as a city would run them on its own
 * machine: started by test/region-hosts.e2e.test.ts inside a network namespace (`ip netns exec
 * NS node dist/test/support/region-host.js CONFIG`), listening on the namespace's veth address,
 * over the region's database reached through the host's address. Built from the parts the
 * launcher's region worker serves a region with (SubgraphHost, the built-in modules, a pool).
 * Prints one JSON line `{"url": …}` once it listens; stops on SIGTERM.
 */

export interface RegionHostConfig {
  code: string;
  name: string;
  summaries: Array<{ code: string; name: string }>;
  databaseUrl: string;
  host: string;
  port: number;
  contextKeys: JSONWebKeySet;
  checkpointKey: JWK;
  auditChainKey: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as RegionHostConfig;
  const modules = BUILTIN_SUBGRAPHS.filter((module) => module.regional);
  const host = await SubgraphHost.create(modules);
  const pool = createPool(config.databaseUrl);
  const server = await host.serve({
    subgraphs: modules.map((module) => module.name),
    db: pool,
    regions: config.summaries,
    region: { code: config.code, name: config.name },
    // Reads only: nothing here calls other regions through the gateway.
    hub: new HubLink(),
    verifier: new ContextVerifier(config.contextKeys),
    auditChain: { key: Buffer.from(config.auditChainKey, 'hex'), checkpoints: new CheckpointVerifier(config.checkpointKey) },
    host: config.host,
    port: config.port,
  });
  const stop = async () => {
    await server.close().catch(() => undefined);
    await host.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
