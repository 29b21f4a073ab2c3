import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../gateway/server';
import { metricsOn } from '../../platform/metrics';
import { startTracing } from '../../platform/tracing';
import { childArgs, reportFailure, reportReady, serveIpc } from '../lib/ipc';

export type GatewayKind = 'hub' | 'hub-traced' | 'hub-no-metrics' | 'apollo' | 'hive';

/**
 * Child process: one gateway over the classic supergraph.
 *  - hub: this project's gateway (gateway/server.ts) in plain mode: no regions, every subgraph
 *    at its routing URL; authentication off ('insecure-no-auth'), since the classic subgraphs
 *    know nothing of the hub's tokens. Tracing off, as by default.
 *  - hub-traced: the same with OpenTelemetry tracing on, exporting every span over OTLP/HTTP
 *    to `otlpEndpoint` (a sink in the bench's process).
 *  - hub-no-metrics: the same as hub with metrics off (HUB_METRICS=off, set by the parent:
 *    GATEWAY_ENV in run.ts); what the hub's metrics cost is the difference to hub, which
 *    records them as by default.
 *  - apollo: stock @apollo/gateway with default settings in a minimal @apollo/server
 *    (startStandaloneServer).
 *  - hive: @graphql-hive/gateway's runtime (createGatewayRuntime) in Node's http server.
 */
async function main(): Promise<void> {
  const { kind, supergraphFile, otlpEndpoint } = childArgs<{ kind: GatewayKind; supergraphFile: string; otlpEndpoint?: string }>();
  const supergraphSdl = readFileSync(supergraphFile, 'utf8');
  let url: string;
  let stop: () => Promise<void>;
  if (kind === 'hub-traced') {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otlpEndpoint;
    startTracing('yrd-hub');
  }
  if (kind === 'hub' || kind === 'hub-traced' || kind === 'hub-no-metrics') {
    // HUB_METRICS is read as platform/metrics.ts loads, so the parent sets it; checked, since each row must be what its label says.
    if (metricsOn !== (kind !== 'hub-no-metrics')) throw new Error(`the ${kind} gateway has metrics ${metricsOn ? 'on' : 'off'} (HUB_METRICS)`);
    const gateway = await startGateway({ supergraphSdl, port: 0, host: '127.0.0.1', auth: 'insecure-no-auth' });
    url = gateway.graphqlUrl;
    stop = () => gateway.stop();
  } else if (kind === 'apollo') {
    const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    const started = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    url = started.url.replace('localhost', '127.0.0.1');
    stop = () => server.stop();
  } else {
    // Loaded only here: its dependency tree is large and only this target needs it.
    const { createGatewayRuntime } = require('@graphql-hive/gateway') as typeof import('@graphql-hive/gateway');
    const runtime = createGatewayRuntime({ supergraph: supergraphSdl, logging: 'error' } as never);
    const server = http.createServer(runtime as never);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    stop = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await (runtime as unknown as { dispose?: () => Promise<void> }).dispose?.();
    };
  }
  serveIpc({
    memory: () => process.memoryUsage(),
    gc: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    },
    stop: async () => {
      await Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(() => undefined);
      // A normal exit, so that --cpu-prof writes its profile.
      setImmediate(() => process.exit(0));
    },
  });
  reportReady({ url, memory: process.memoryUsage() });
}

main().catch(reportFailure);
