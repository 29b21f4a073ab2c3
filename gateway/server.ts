import { ApolloGateway, GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { operationSelectionPlugin } from '../platform/operation-selection';
import { publishedSchema } from './published-schema';
import { HttpHandler, listen, PlainRoute, readOnlyRoute, RunningHttpServer } from '../platform/apollo-http';
import { hideInternalError, internalErrorsPlugin } from '../platform/internal-errors';
import { GatewayAuthSettings, RequestAuthenticator } from './authentication';
import { directoryGrants, GrantsSource } from './grants';
import { earlyAccessPlugin, readRoleRules } from './early-access';
import { OperationLimits, operationLimitsPlugin } from './operation-limits';
import { PlainDataSource } from './plain-data-source';
import { PlanExecutor } from './plan-executor';
import type { RegionConfig } from './region-config';
import { RegionalDataSource } from './regional-data-source';
import { personnelRoster, RosterCheck } from './roster';
import { GatewayContext, RequestRegionBudget } from './request-budget';
import { readRoutingRules } from './routing-rules';
import { LiveLimits, liveLimitsFromEnvironment, LiveWarnings } from './live/live-warnings';
import { liveTransports } from './live/transports';
import { subscriptionsOverHttpPlugin } from './live/subscriptions-over-http';
import { LIVE_SUBGRAPH } from './live/live-subgraph';
import { Readiness } from './readiness';
import { logRefusedRequest, requestBegun, requestTelemetryPlugin } from './request-telemetry';
import { announceGoingAway, onGoingAway } from '../platform/drain';

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
  /**
   * Who may call: trusted identity providers and the hub's context key, or, only for local
   * work on plain supergraphs, 'insecure-no-auth' (anyone reaches every subgraph).
   */
  auth: GatewayAuthSettings | 'insecure-no-auth';
  /** Depth, aliases, root fields and estimated cost a query may have (defaults in operation-limits.ts). */
  limits?: Partial<OperationLimits>;
  /** Limits of live subscriptions (defaults from the environment, gateway/live/live-warnings.ts). */
  live?: Partial<LiveLimits>;
  /** More plain routes by exact path (the launcher's demo sign-in, launcher/demo-sign-in.ts). */
  handlers?: Record<string, PlainRoute>;
  /** Built web applications by path prefix (`/console`). */
  folders?: Record<string, HttpHandler>;
}

export interface RunningGateway extends RunningHttpServer {
  graphqlUrl: string;
  /** Operations the hub's executor ran and operations it handed to stock Apollo Gateway's. */
  executorCounts(): { executed: number; delegated: number };
  /**
   * Graceful drain (SIGTERM): no new connection is accepted from the moment of the call,
   * long-lived connections are told the gateway is going away, and the requests in flight are
   * awaited for at most `timeoutMs`. Resolves false if some had to be cut. stop() follows.
   */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** Where callers' grants come from: the subgraph named by `auth.grantsFrom`, at its (overridden) routing URL. */
function grantsSource(options: GatewayOptions, auth: GatewayAuthSettings): GrantsSource | undefined {
  if (!auth.grantsFrom) return undefined;
  const url =
    options.urlOverrides?.[auth.grantsFrom] ??
    new RegExp(`@join__graph\\(name: "${auth.grantsFrom}", url: "([^"]+)"\\)`).exec(options.supergraphSdl)?.[1];
  if (!url) throw new Error(`auth.grantsFrom names ${auth.grantsFrom}, which is no subgraph of the supergraph`);
  return new GrantsSource(directoryGrants(url, auth.contextKey));
}

/**
 * Where callers are checked against the roster: the regional subgraph named by
 * `auth.rosterFrom`, at each region's endpoint (read per lookup: the launcher fills in the
 * endpoints of the regions it hosts).
 */
function rosterCheck(options: GatewayOptions, auth: GatewayAuthSettings): RosterCheck | undefined {
  const subgraph = auth.rosterFrom;
  if (!subgraph) return undefined;
  if (!options.regions?.regionalSubgraphs.includes(subgraph)) {
    throw new Error(`auth.rosterFrom names ${subgraph}, which is no regional subgraph of the region configuration`);
  }
  const regions = options.regions.regions;
  return new RosterCheck(personnelRoster((code) => regions.find((region) => region.code === code)?.endpoints[subgraph], auth.contextKey, subgraph));
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const regionalSubgraphs = options.regions?.regionalSubgraphs ?? [];
  const supergraph = parse(options.supergraphSdl);
  const rules = readRoutingRules(supergraph, regionalSubgraphs);
  const breaker = options.regions?.breaker ?? { failureThreshold: 5, resetAfterMs: 10_000 };
  const dataSources = new Map<string, GraphQLDataSource & { shutdown(): void }>();
  const hubSubgraphUrls = new Map<string, string>();
  let supergraphLoaded = false;
  const readiness = new Readiness({
    supergraphLoaded: () => supergraphLoaded,
    directory: () => hubSubgraphUrls,
    // Read when probed: the launcher fills in the endpoints of the regions it hosts.
    regions: () => new Map((options.regions?.regions ?? []).flatMap((region) => Object.values(region.endpoints).slice(0, 1).map((url) => [region.code, url] as [string, string]))),
  });
  const authenticator = options.auth === 'insecure-no-auth' ? undefined : new RequestAuthenticator(options.auth, grantsSource(options, options.auth), rosterCheck(options, options.auth));
  const headersFor = async (subgraph: string, process: GraphQLDataSourceProcessOptions): Promise<Record<string, string>> => {
    const auth = (process.context as GatewayContext | undefined)?.auth;
    return auth ? { authorization: `Bearer ${await auth.contextTokenFor(subgraph)}`, 'x-request-id': auth.context.requestId } : {};
  };

  const gateway = new HubGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const plainUrl = options.urlOverrides?.[name] ?? url!;
      // The live events subgraph is the gateway's own (never fetched): not a service it calls or probes.
      if (name !== LIVE_SUBGRAPH && !(options.regions && regionalSubgraphs.includes(name))) hubSubgraphUrls.set(name, plainUrl);
      const source =
        options.regions && regionalSubgraphs.includes(name)
          ? new RegionalDataSource(name, options.regions.regions, rules, breaker, headersFor)
          : new PlainDataSource(name, plainUrl, { timeoutMs: options.timeoutMs ?? 10_000, breaker }, headersFor);
      dataSources.set(name, source);
      return source;
    },
  });
  let planExecutor: PlanExecutor | undefined;
  gateway.planExecutor = (fallback) => (planExecutor = new PlanExecutor(options.supergraphSdl, dataSources, fallback)).executor;
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
    // Shutdown belongs to whoever started the gateway (the CLI stops everything in order on Ctrl-C).
    stopOnTerminationSignals: false,
    // The request pipeline, in order: authentication runs in the context function below, before
    // any of these; then operation limits refuse what is too deep, wide or costly, and fields the
    // caller's roles can never read are refused, both before planning; subscriptions are not
    // HTTP requests (they are served over WebSocket and SSE, gateway/live/).
    // What no code meant to say (a subgraph's unhidden database error, an unreachable subgraph's
    // address) reaches the client as INTERNAL_SERVER_ERROR with the request id; the log keeps it.
    formatError: hideInternalError,
    plugins: [
      requestTelemetryPlugin(),
      operationSelectionPlugin(),
      subscriptionsOverHttpPlugin(),
      operationLimitsPlugin(options.limits),
      earlyAccessPlugin(readRoleRules(supergraph)),
      internalErrorsPlugin<GatewayContext>('gateway', (context) => context.auth?.context.requestId),
    ],
  });
  await server.start();
  // Live warnings need the regions' petitions feeds and a caller to authorize each event for.
  const live =
    authenticator && options.auth !== 'insecure-no-auth' && options.regions?.regionalSubgraphs.includes('petitions')
      ? new LiveWarnings(options.supergraphSdl, options.regions, options.auth.contextKey, server, authenticator, { ...liveLimitsFromEnvironment(), ...options.live }, process.env.NATS_URL || undefined)
      : undefined;
  const transports = live && liveTransports(live);
  const forgetGoingAway = transports ? onGoingAway(() => transports.goAway()) : undefined;
  supergraphLoaded = true;
  let http: RunningHttpServer;
  try {
    http = await listen({
      port: options.port,
      host: options.host,
      upgrade: transports?.upgrade,
      routes: {
        '/graphql': {
          server,
          eventStream: transports?.eventStream,
          context: async (request): Promise<GatewayContext> => {
            const startedAt = performance.now();
            try {
              return requestBegun(
                {
                  regionBudget: new RequestRegionBudget(),
                  // Throws UNAUTHENTICATED (HTTP 401) before anything is planned or sent.
                  auth: authenticator ? await authenticator.authenticate(request.headers) : undefined,
                },
                startedAt,
              );
            } catch (error) {
              logRefusedRequest(startedAt, error);
              throw error;
            }
          },
          finished: (context: GatewayContext) => context.regionBudget?.finish(),
        },
      },
      handlers: { ...options.handlers, '/ready': readOnlyRoute(readiness.serve), '/schema.graphql': readOnlyRoute(publishedSchema(options.supergraphSdl)) },
      folders: options.folders,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    ...http,
    graphqlUrl: `${http.url}/graphql`,
    drain: async (timeoutMs) => {
      // The listener closes now, in this call: nothing new is accepted from here on.
      const answered = http.drain!(timeoutMs);
      await announceGoingAway();
      return answered;
    },
    executorCounts: () => ({ ...(planExecutor?.counts ?? { executed: 0, delegated: 0 }) }),
    stop: async () => {
      forgetGoingAway?.();
      live?.stop();
      await transports?.close();
      await http.close();
      await server.stop();
      dataSources.forEach((source) => source.shutdown());
    },
  };
}

/**
 * Apollo Gateway for loading the supergraph and building data sources, with the hub's own
 * query-plan executor (plan-executor.ts) in place of Apollo's; Apollo's stays as the fallback
 * for what ours does not take on.
 */
class HubGateway extends ApolloGateway {
  planExecutor?: (fallback: GatewayExecutor) => GatewayExecutor;

  override async load(options?: Parameters<ApolloGateway['load']>[0]): ReturnType<ApolloGateway['load']> {
    const loaded = await super.load(options);
    return this.planExecutor ? { ...loaded, executor: this.planExecutor(loaded.executor) } : loaded;
  }
}
