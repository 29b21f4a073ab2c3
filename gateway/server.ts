import { ApolloGateway, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { listen, RunningHttpServer } from '../platform/apollo-http';
import { PlainDataSource } from './plain-data-source';
import type { RegionConfig } from './region-config';
import { RegionalDataSource } from './regional-data-source';
import { GatewayContext, RequestRegionBudget } from './request-budget';
import { readRoutingRules } from './routing-rules';

export interface GatewayOptions {
  /** The composed supergraph SDL, loaded once: the gateway never introspects subgraphs. */
  supergraphSdl: string;
  /** Regions and their endpoints. Without it every subgraph is served at its routing URL, as stock Apollo Gateway does. */
  regions?: RegionConfig;
  /** Routing URLs to use instead of the supergraph's, by subgraph name (the launcher's own directory, for one). */
  urlOverrides?: Record<string, string>;
  port: number;
  host?: string;
  /** Timeout for non-regional subgraphs. */
  timeoutMs?: number;
}

export interface RunningGateway extends RunningHttpServer {
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * Caller headers that subgraphs read: who acts (until signed context replaces it), why, and the
 * request id that ties a subgraph's records to the caller's request.
 */
const FORWARDED_HEADERS = ['x-officer', 'x-purpose', 'x-request-id'];

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value.length <= 200) forwarded[name] = value;
  }
  return forwarded;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const regionalSubgraphs = options.regions?.regionalSubgraphs ?? [];
  const rules = readRoutingRules(parse(options.supergraphSdl), regionalSubgraphs);
  const breaker = options.regions?.breaker ?? { failureThreshold: 5, resetAfterMs: 10_000 };
  const dataSources: Array<{ shutdown(): void }> = [];
  const headersFor = (process: GraphQLDataSourceProcessOptions) => (process.context as GatewayContext | undefined)?.forwardHeaders ?? {};

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const source =
        options.regions && regionalSubgraphs.includes(name)
          ? new RegionalDataSource(name, options.regions.regions, rules, breaker, headersFor)
          : new PlainDataSource(name, options.urlOverrides?.[name] ?? url!, { timeoutMs: options.timeoutMs ?? 10_000, breaker }, headersFor);
      dataSources.push(source);
      return source;
    },
  });
  const server = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
  });
  await server.start();
  let http: RunningHttpServer;
  try {
    http = await listen({
      port: options.port,
      host: options.host,
      routes: { '/graphql': { server, context: async (request): Promise<GatewayContext> => ({ regionBudget: new RequestRegionBudget(), forwardHeaders: forwardedHeaders(request.headers) }) } },
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    ...http,
    graphqlUrl: `${http.url}/graphql`,
    stop: async () => {
      await http.close();
      await server.stop();
      dataSources.forEach((source) => source.shutdown());
    },
  };
}
