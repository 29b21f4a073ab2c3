import { ApolloGateway, GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { operationSelectionPlugin } from '../platform/operation-selection';
import { publishedSchema } from './published-schema';
import { GraphQLRoute, HttpHandler, listen, PlainRoute, readOnlyRoute, RunningHttpServer } from '../platform/apollo-http';
import { explorer, EXPLORER_PREFIX } from './explorer';
import {
  subscriptionAdmission,
  trustedDocumentsCache,
  trustedDocumentsPlugin,
  TrustedDocumentsSettings,
  withDocumentIdAsPersistedQuery,
} from './trusted-documents-plugin';
import { TrustedDocuments } from './trusted-documents';
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
import { LiveTransports, liveTransports } from './live/transports';
import { subscriptionsOverHttpPlugin } from './live/subscriptions-over-http';
import { LIVE_SUBGRAPH } from './live/live-subgraph';
import { Readiness } from './readiness';
import { logRefusedRequest, requestBegun, requestTelemetryPlugin } from './request-telemetry';
import { announceGoingAway, onGoingAway } from '../platform/drain';
import { annotateSpan } from '../platform/tracing';

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
  /** Apps' registered operations, and whether only they are answered (gateway/trusted-documents-plugin.ts). Default: none, free-form accepted. */
  trustedDocuments?: TrustedDocumentsSettings;
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
  /**
   * Routes to `regions` from now on (a reloaded regions.yaml, checked by the caller): regions
   * added, endpoints moved, timeouts and breaker settings changed; the live subscriptions follow
   * (gateway/live/live-warnings.ts) without being closed. Its regional subgraphs must be the ones
   * the gateway started with; throws, changing nothing, otherwise.
   */
  reconfigureRegions(regions: RegionConfig): void;
  /**
   * Serves `supergraphSdl` from the next request on (a reloaded supergraph file): built and
   * checked as at start, it throws, changing nothing, when it would not start. Requests under
   * way finish on the previous supergraph; its live subscriptions are closed ("going away"), and
   * clients subscribe again to the new one. With `regions`, routes to those as well (as
   * reconfigureRegions, checked by the caller), all or nothing.
   */
  replaceSupergraph(supergraphSdl: string, regions?: RegionConfig): Promise<void>;
  stop(): Promise<void>;
}

/** Where callers' grants come from: the subgraph named by `auth.grantsFrom`, at its (overridden) routing URL. */
function grantsSource(options: GatewayOptions, auth: GatewayAuthSettings): GrantsSource | undefined {
  if (!auth.grantsFrom) return undefined;
  const url =
    options.urlOverrides?.[auth.grantsFrom] ?? new RegExp(`@join__graph\\(name: "${auth.grantsFrom}", url: "([^"]+)"\\)`).exec(options.supergraphSdl)?.[1];
  if (!url) throw new Error(`auth.grantsFrom names ${auth.grantsFrom}, which is no subgraph of the supergraph`);
  return new GrantsSource(directoryGrants(url, auth.contextKey));
}

/**
 * Where callers are checked against the roster: the regional subgraph named by
 * `auth.rosterFrom`, at each region's endpoint (read per lookup: the launcher fills in the
 * endpoints of the regions it hosts).
 */
function rosterCheck(options: GatewayOptions, auth: GatewayAuthSettings, currentRegions: () => RegionConfig): RosterCheck | undefined {
  const subgraph = auth.rosterFrom;
  if (!subgraph) return undefined;
  if (!options.regions?.regionalSubgraphs.includes(subgraph)) {
    throw new Error(`auth.rosterFrom names ${subgraph}, which is no regional subgraph of the region configuration`);
  }
  // Read per lookup: a reload may add a region or move its endpoints (reconfigureRegions).
  return new RosterCheck(
    personnelRoster((code) => currentRegions().regions.find((region) => region.code === code)?.endpoints[subgraph], auth.contextKey, subgraph),
  );
}

type HeadersFor = (subgraph: string, process: GraphQLDataSourceProcessOptions) => Promise<Record<string, string>>;

/**
 * What serves one supergraph: Apollo Gateway and Server over it, its data sources, the hub's
 * plan executor and the live subscriptions. A reloaded supergraph gets a core of its own,
 * built (and so checked) completely before it takes the next request; the listener, the
 * authenticator and the readiness probe stay.
 */
interface GatewayCore {
  server: ApolloServer<GatewayContext>;
  dataSources: Map<string, GraphQLDataSource & { shutdown(): void }>;
  /** GraphQL URLs of the hub's own subgraphs (the directory), by name. */
  hubSubgraphUrls: Map<string, string>;
  transports?: LiveTransports;
  /** The live subscriptions, which follow a reload of the regions (LiveWarnings.reconfigure). */
  live?: LiveWarnings;
  publishedSchema: ReturnType<typeof publishedSchema>;
  counts(): { executed: number; delegated: number };
  /** GraphQL requests this core has begun and not yet answered (a retired core is stopped once none are left). */
  inFlight: number;
  /** Ends the live subscriptions (their sockets would keep the listener from closing). */
  closeLive(): Promise<void>;
  stop(): Promise<void>;
}

async function buildCore(
  options: GatewayOptions,
  supergraphSdl: string,
  regions: RegionConfig | undefined,
  authenticator: RequestAuthenticator | undefined,
  headersFor: HeadersFor,
): Promise<GatewayCore> {
  const regionalSubgraphs = regions?.regionalSubgraphs ?? [];
  const supergraph = parse(supergraphSdl);
  const rules = readRoutingRules(supergraph, regionalSubgraphs);
  const roleRules = readRoleRules(supergraph);
  const breaker = regions?.breaker ?? { failureThreshold: 5, resetAfterMs: 10_000 };
  const dataSources = new Map<string, GraphQLDataSource & { shutdown(): void }>();
  const hubSubgraphUrls = new Map<string, string>();
  const gateway = new HubGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const plainUrl = options.urlOverrides?.[name] ?? url!;
      // The live events subgraph is the gateway's own (never fetched): not a service it calls or probes.
      if (name !== LIVE_SUBGRAPH && !(regions && regionalSubgraphs.includes(name))) hubSubgraphUrls.set(name, plainUrl);
      const source =
        regions && regionalSubgraphs.includes(name)
          ? new RegionalDataSource(name, regions.regions, rules, breaker, headersFor)
          : new PlainDataSource(name, plainUrl, { timeoutMs: options.timeoutMs ?? 10_000, breaker }, headersFor);
      dataSources.set(name, source);
      return source;
    },
  });
  let planExecutor: PlanExecutor | undefined;
  gateway.planExecutor = (fallback) => (planExecutor = new PlanExecutor(supergraphSdl, dataSources, fallback)).executor;
  const trusted = options.trustedDocuments ?? { documents: new TrustedDocuments([]), mode: 'accept' };
  const server = new ApolloServer<GatewayContext>({
    gateway,
    // APQ and trusted documents resolve through one cache: the registered documents first.
    persistedQueries: { cache: trustedDocumentsCache(trusted) },
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
      // Browsers get the hub's own explorer (gateway/explorer.ts), not Apollo's landing page, which loads Sandbox from the internet.
      ApolloServerPluginLandingPageDisabled(),
      requestTelemetryPlugin(),
      operationSelectionPlugin(),
      subscriptionsOverHttpPlugin(),
      trustedDocumentsPlugin(trusted),
      operationLimitsPlugin(options.limits),
      earlyAccessPlugin(roleRules),
      internalErrorsPlugin<GatewayContext>('gateway', (context) => context.auth?.context.requestId),
    ],
  });
  await server.start();
  let live: LiveWarnings | undefined;
  try {
    // Live warnings need the regions' petitions feeds and a caller to authorize each event for.
    live =
      authenticator && options.auth !== 'insecure-no-auth' && regions?.regionalSubgraphs.includes('petitions')
        ? new LiveWarnings(
            supergraphSdl,
            regions,
            options.auth.contextKey,
            server,
            authenticator,
            { ...liveLimitsFromEnvironment(), ...options.live },
            process.env.NATS_URL || undefined,
          )
        : undefined;
  } catch (error) {
    await server.stop();
    dataSources.forEach((source) => source.shutdown());
    throw error;
  }
  const transports = live && liveTransports(live, '/graphql', subscriptionAdmission(trusted));
  const forgetGoingAway = transports ? onGoingAway(() => transports.goAway()) : undefined;
  let liveClosed: Promise<void> | undefined;
  const closeLive = () =>
    (liveClosed ??= (async () => {
      forgetGoingAway?.();
      live?.stop();
      await transports?.close();
    })());
  return {
    server,
    dataSources,
    hubSubgraphUrls,
    transports,
    live,
    publishedSchema: publishedSchema(supergraphSdl),
    counts: () => ({ ...(planExecutor?.counts ?? { executed: 0, delegated: 0 }) }),
    inFlight: 0,
    closeLive,
    stop: async () => {
      await closeLive();
      await server.stop();
      dataSources.forEach((source) => source.shutdown());
    },
  };
}

/** How long a retired core (a reloaded supergraph's predecessor) may take to answer the requests it began. */
const RETIRE_WAIT_MS = 60_000;

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  let regions = options.regions;
  let core: GatewayCore | undefined;
  const retiring = new Set<Promise<void>>();
  const readiness = new Readiness({
    supergraphLoaded: () => core !== undefined,
    directory: () => core?.hubSubgraphUrls ?? new Map(),
    // Read when probed: the launcher fills in the endpoints of the regions it hosts.
    regions: () =>
      new Map(
        (regions?.regions ?? []).flatMap((region) =>
          Object.values(region.endpoints)
            .slice(0, 1)
            .map((url) => [region.code, url] as [string, string]),
        ),
      ),
  });
  const authenticator =
    options.auth === 'insecure-no-auth'
      ? undefined
      : new RequestAuthenticator(
          options.auth,
          grantsSource(options, options.auth),
          rosterCheck(options, options.auth, () => regions!),
        );
  const headersFor: HeadersFor = async (subgraph, process): Promise<Record<string, string>> => {
    const auth = (process.context as GatewayContext | undefined)?.auth;
    return auth ? { authorization: `Bearer ${await auth.contextTokenFor(subgraph)}`, 'x-request-id': auth.context.requestId } : {};
  };
  /** The /graphql route of `served`: a request keeps the route (and so the core) it arrived on. */
  const routeOf = (served: GatewayCore): GraphQLRoute<GatewayContext> => ({
    server: served.server,
    eventStream: served.transports?.eventStream,
    page: explorerPage.page,
    rewrite: withDocumentIdAsPersistedQuery,
    context: async (request): Promise<GatewayContext> => {
      const startedAt = performance.now();
      try {
        // Throws UNAUTHENTICATED (HTTP 401) before anything is planned or sent.
        const auth = authenticator ? await authenticator.authenticate(request.headers) : undefined;
        // The request id is in every audit row the request causes: it ties the trace to them.
        if (auth) annotateSpan({ 'hub.request_id': auth.context.requestId, 'hub.caller': auth.caller.id });
        served.inFlight += 1;
        return requestBegun({ regionBudget: new RequestRegionBudget(), auth }, startedAt);
      } catch (error) {
        logRefusedRequest(startedAt, error);
        throw error;
      }
    },
    finished: (context: GatewayContext) => {
      served.inFlight -= 1;
      context.regionBudget?.finish();
    },
  });

  const explorerPage = explorer();
  core = await buildCore(options, options.supergraphSdl, regions, authenticator, headersFor);
  const routes: Record<string, GraphQLRoute<GatewayContext>> = { '/graphql': routeOf(core) };
  let http: RunningHttpServer;
  try {
    http = await listen({
      port: options.port,
      host: options.host,
      upgrade: (request, socket, head) => (core?.transports ? core.transports.upgrade(request, socket, head) : socket.destroy()),
      routes,
      handlers: {
        ...options.handlers,
        '/ready': readOnlyRoute(readiness.serve),
        '/schema.graphql': readOnlyRoute((request, response) => core!.publishedSchema(request, response)),
      },
      folders: { ...options.folders, [EXPLORER_PREFIX]: explorerPage.folder },
    });
  } catch (error) {
    await core.stop();
    throw error;
  }
  const retire = (old: GatewayCore) => {
    // Its subscribers resume on the new supergraph with their last cursor.
    old.transports?.goAway();
    const done = (async () => {
      for (const startedAt = Date.now(); old.inFlight > 0 && Date.now() - startedAt < RETIRE_WAIT_MS;) await new Promise((resolve) => setTimeout(resolve, 100));
      await old.stop();
    })().catch((error) => console.warn(`[gateway] while stopping the previous supergraph's gateway: ${(error as Error).message}`));
    retiring.add(done);
    void done.then(() => retiring.delete(done));
  };
  return {
    ...http,
    graphqlUrl: `${http.url}/graphql`,
    drain: async (timeoutMs) => {
      // The listener closes now, in this call: nothing new is accepted from here on.
      const answered = http.drain!(timeoutMs);
      await announceGoingAway();
      return answered;
    },
    executorCounts: () => core!.counts(),
    reconfigureRegions: (next) => {
      if (!regions) throw new Error('this gateway serves no regions (a plain supergraph): nothing to reconfigure');
      if (next.regionalSubgraphs.join() !== regions.regionalSubgraphs.join()) throw new Error("regional_subgraphs differ from the running configuration's");
      // Every subgraph is checked before any changes: a region without one of them changes nothing.
      for (const subgraph of next.regionalSubgraphs) {
        const missing = next.regions.find((region) => !region.endpoints[subgraph]);
        if (missing) throw new Error(`region ${missing.code} has no endpoint for the regional subgraph ${subgraph}`);
      }
      for (const source of core!.dataSources.values()) if (source instanceof RegionalDataSource) source.reconfigure(next.regions, next.breaker);
      core!.live?.reconfigure(next);
      regions = next;
    },
    replaceSupergraph: async (supergraphSdl, nextRegions = regions) => {
      const next = await buildCore(options, supergraphSdl, nextRegions, authenticator, headersFor);
      const old = core!;
      core = next;
      regions = nextRegions;
      routes['/graphql'] = routeOf(next);
      retire(old);
    },
    stop: async () => {
      const served = core;
      await served?.closeLive();
      await http.close();
      await Promise.all(retiring);
      await served?.stop();
      core = undefined;
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
