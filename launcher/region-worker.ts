import { parentPort, workerData } from 'node:worker_threads';
import type { Pool } from 'pg';
import { ContextVerifier } from '../auth/context-token';
import type { RunningHttpServer } from '../platform/apollo-http';
import { createPool } from '../subgraphs/shared/db';
import { SubgraphHost } from '../subgraphs/shared/host';
import { HubLink } from '../subgraphs/shared/hub-link';
import { BUILTIN_SUBGRAPHS } from './builtin-subgraphs';
import { serviceCredentials } from './hub-identity';
import type { AuditedEvent, RegionWorkerData, WorkerReply, WorkerRequest } from './region-workers';
import { CheckpointVerifier } from '../auth/audit-checkpoint';
import { observePool } from '../subgraphs/shared/pool-metrics';
import { startTracing, stopTracing } from '../platform/tracing';
import { threadSeries } from '../platform/thread-metrics';

/**
 * A worker thread serving some of the hub's regions: each region's subgraphs on an HTTP server
 * of its own, over the region's own database, exactly as `startHub` serves them in its own
 * thread. The gateway reaches them over HTTP like any other region; what the thread adds is a
 * core (and a heap) of its own, so 41 regions do not queue on the gateway's event loop.
 * Started and stopped by RegionWorkers (region-workers.ts); it never migrates or seeds.
 */
async function main(): Promise<void> {
  const data = workerData as RegionWorkerData;
  // A thread has a tracer provider of its own (workers inherit the environment that turns it on).
  startTracing('yrd-hub');
  const port = parentPort!;
  const counters = new BigInt64Array(data.statements);
  const modules = BUILTIN_SUBGRAPHS.filter((module) => data.subgraphs.includes(module.name));
  const host = await SubgraphHost.create(modules);
  const verifier = new ContextVerifier(data.contextKeys);
  const checkpoints = new CheckpointVerifier(data.checkpointKey);
  const pools: Pool[] = [];
  const links: HubLink[] = [];
  const servers = new Map<string, RunningHttpServer>();
  const stop = async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
    servers.clear();
    await host.stop();
    await Promise.all(pools.map((pool) => pool.end()));
    await stopTracing();
  };
  try {
    for (const region of data.regions) {
      const pool = createPool(region.databaseUrl, 10, () => Atomics.add(counters, region.counter, 1n));
      pools.push(pool);
      observePool(pool, region.code);
      const link = new HubLink(serviceCredentials(data.serviceKey, region.code), data.gatewayUrl);
      links.push(link);
      const server = await host.serve({
        subgraphs: data.subgraphs,
        db: pool,
        regions: data.summaries,
        region: { code: region.code, name: region.name },
        hub: link,
        verifier,
        auditChain: {
          key: Buffer.from(region.auditChainKey, 'hex'),
          checkpoints,
          appended: (seq) => port.postMessage({ type: 'audited', region: region.code, seq } satisfies AuditedEvent),
        },
        port: region.port,
        backgroundIntervalMs: data.backgroundIntervalMs,
      });
      servers.set(region.code, server);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  port.on('message', async (request: WorkerRequest) => {
    const reply = (message: Omit<WorkerReply, 'id'>) => port.postMessage({ id: request.id, ...message });
    try {
      if (request.type === 'metrics') {
        // This thread's series, for the gateway's /metrics to merge (platform/thread-metrics.ts).
        reply({ ok: true, metrics: await threadSeries() });
        return;
      }
      switch (request.type) {
        case 'gateway':
          for (const link of links) link.setUrl(request.url);
          break;
        case 'close':
          await servers.get(request.region)?.close();
          servers.delete(request.region);
          break;
        case 'stop':
          await stop();
          break;
      }
      reply({ ok: true });
      if (request.type === 'stop') port.close();
    } catch (error) {
      reply({ ok: false, error: (error as Error).stack ?? String(error) });
    }
  });
  port.postMessage({ type: 'ready', servers: Object.fromEntries([...servers].map(([code, server]) => [code, { url: server.url, port: server.port }])) });
}

main().catch((error) => {
  parentPort!.postMessage({ type: 'failed', error: (error as Error).stack ?? String(error) });
  process.exit(1); // in a worker: ends this thread only
});
