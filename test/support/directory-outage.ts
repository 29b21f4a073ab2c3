import type { RunningHub } from '../../launcher/hub';
import { BUILTIN_SUBGRAPHS } from '../../launcher/builtin-subgraphs';
import { createPool } from '../../subgraphs/shared/db';
import { SubgraphHost } from '../../subgraphs/shared/host';
import { HubLink } from '../../subgraphs/shared/hub-link';
import { DEMO_REGIONS } from './hub';

/**
 * The hub's directory (and with it the resident index) stops answering: its server is closed.
 * Returns how to bring it back on its old port, served as the hub serves it; what that starts is
 * added to `cleanup`, to be stopped after the hub.
 */
export async function stopDirectory(hub: RunningHub, cleanup: Array<() => Promise<unknown>>): Promise<() => Promise<void>> {
  const port = hub.directoryServer.port;
  await hub.directoryServer.close();
  return async () => {
    const hubModules = BUILTIN_SUBGRAPHS.filter((module) => !module.regional);
    const host = await SubgraphHost.create(hubModules);
    const pool = createPool(hub.subgraphDatabaseUrls.get('hub')!, 2);
    const revived = await host.serve({
      subgraphs: hubModules.map((module) => module.name),
      db: pool,
      regions: DEMO_REGIONS,
      hub: new HubLink(),
      verifier: hub.identity.contextVerifier(),
      auditChain: { key: hub.identity.auditChainKey('hub') },
      port,
    });
    cleanup.push(
      () => revived.close(),
      () => host.stop(),
      () => pool.end(),
    );
  };
}
