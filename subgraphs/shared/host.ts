import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { IncomingMessage } from 'node:http';
import type { Pool } from 'pg';
import { operationSelectionPlugin } from '../../platform/operation-selection';
import { listen, RunningHttpServer } from '../../platform/apollo-http';
import { hideInternalError, internalErrorsPlugin, logInternalErrors, revealsInternalErrors, withRequestId } from '../../platform/internal-errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from './db';
import { DATABASE_UNAVAILABLE_MESSAGE } from './errors';
import { ContextTokenError, ContextVerifier } from '../../auth/context-token';
import { actorOf } from './actor';
import { AuditChain, RequestAudit } from './audit-log';
import { auditPlugin, settleAudit } from './audit-plugin';
import { DirectExecution } from './direct-execution';
import type { HubContext, RegionSummary } from './context';
import type { HubLink } from './hub-link';
import type { SubgraphModule } from './subgraph-module';
import { requestBegun, requestSettled } from './request-metrics';
import { annotateSpan } from '../../platform/tracing';

interface Served {
  module: SubgraphModule;
  server: ApolloServer<object>;
  direct?: DirectExecution<HubContext>;
}

const requestIdOf = (context: HubContext): string | undefined => context.actor?.requestId || undefined;

/**
 * formatError: a lost or unreachable database is DATABASE_UNAVAILABLE (nothing of what
 * PostgreSQL or the socket said, outside NODE_ENV=development); any other failure no code meant
 * is hidden as internal.
 */
function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (isDatabaseUnavailable(error)) {
    const message = revealsInternalErrors() ? `${DATABASE_UNAVAILABLE_MESSAGE} (${formatted.message})` : DATABASE_UNAVAILABLE_MESSAGE;
    return {
      message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    };
  }
  return hideInternalError(formatted);
}

const refused = (reason: string) => new GraphQLError(`Unauthenticated: ${reason}`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * Serves subgraphs over HTTP. Each subgraph's schema and Apollo Server are built once and
 * shared by every region this process serves; what differs per region is only the context
 * (which database, which region code), chosen by the HTTP server the request came in on.
 * A region's subgraphs answer at http://host:port/<subgraph>/graphql.
 */
export class SubgraphHost {
  /** Requests answered without Apollo Server's pipeline (direct-execution.ts). */
  directAnswers = 0;

  private constructor(private readonly servers: Map<string, Served>) {}

  /** `direct: false` leaves every request to Apollo Server (the comparison in test/direct-execution.e2e.test.ts). */
  static async create(modules: readonly SubgraphModule[], options: { direct?: boolean } = {}): Promise<SubgraphHost> {
    const servers = new Map<string, Served>();
    const includeStacktraceInErrorResponses = process.env.NODE_ENV === 'development';
    for (const module of modules) {
      const schema = await module.buildSchema();
      const server = new ApolloServer<object>({
        schema,
        includeStacktraceInErrorResponses,
        // The launcher stops every part in order; Apollo's own signal handlers would race it.
        stopOnTerminationSignals: false,
        // Traces are for Apollo's usage reporting and cache hints for Apollo's response cache, neither
        // of which the hub uses; both cost time on every request (cache control wraps every field
        // resolver of the schema).
        // Failures the code did not mean (a database error, say) reach the gateway as INTERNAL_SERVER_ERROR with the request id, nothing of what they said (platform/internal-errors.ts).
        formatError: formatSubgraphError,
        plugins: [
          operationSelectionPlugin(),
          ApolloServerPluginInlineTraceDisabled(),
          ApolloServerPluginCacheControlDisabled(),
          auditPlugin((context, result) => requestSettled(module.name, context, result)) as never,
          internalErrorsPlugin<HubContext>(`subgraph ${module.name}`, requestIdOf) as never,
        ],
      });
      await server.start();
      const direct =
        options.direct === false
          ? undefined
          : new DirectExecution<HubContext>(schema, {
              includeStacktraceInErrorResponses,
              formatError: formatSubgraphError,
              didEncounterErrors: (context, errors) => logInternalErrors(`subgraph ${module.name}`, errors, requestIdOf(context)),
              settle: async (context, result) => {
                const settled = await settleAudit(context, result);
                requestSettled(module.name, context, settled);
                withRequestId(settled.errors as GraphQLFormattedError[] | undefined, requestIdOf(context));
                return settled;
              },
            });
      servers.set(module.name, { module, server, direct });
    }
    return new SubgraphHost(servers);
  }

  /** Serves `subgraphs` (names) over `db`; `region` is omitted for hub-owned subgraphs. */
  async serve(options: {
    subgraphs: readonly string[];
    db: Pool;
    regions: readonly RegionSummary[];
    region?: RegionSummary;
    hub: HubLink;
    port: number;
    host?: string;
    /** How often background work runs; 0 or absent: none (tests that count rows want quiet). */
    backgroundIntervalMs?: number;
    /** Checks the gateway's context token on every request. */
    verifier: ContextVerifier;
    /** The key of this database's audit chain (from the hub's keys folder, never from the database). */
    auditChain: AuditChain;
  }): Promise<RunningHttpServer> {
    const base: Omit<HubContext, 'actor' | 'audit'> = { db: options.db, regions: options.regions, hub: options.hub, auditChain: options.auditChain };
    const shared = options.region ? { ...base, region: options.region.code, regionName: options.region.name } : base;
    const routes = Object.fromEntries(
      options.subgraphs.map((name) => {
        const entry = this.servers.get(name);
        if (!entry) throw new Error(`this host was not built with the subgraph ${name}`);
        const context = async (request: IncomingMessage) => {
          // Refused before anything executes — root fields, _entities and _service alike.
          const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
          if (!token) throw refused('no context token: subgraphs answer the hub gateway only');
          try {
            const actor = actorOf(await options.verifier.verify(token, name));
            annotateSpan({ 'hub.request_id': actor.requestId, 'hub.subgraph': name, 'hub.region': options.region?.code ?? 'hub' });
            return requestBegun(entry.module.createContext({ ...shared, actor, audit: new RequestAudit() }));
          } catch (error) {
            if (error instanceof ContextTokenError) throw refused(error.message);
            throw error;
          }
        };
        const direct = entry.direct;
        return [
          `/${name}/graphql`,
          {
            server: entry.server,
            context,
            direct:
              direct &&
              (async (body: unknown, request: IncomingMessage) => {
                const answer = await direct.answer(body, request.headers, () => context(request) as Promise<HubContext>);
                if (answer) this.directAnswers += 1;
                return answer;
              }),
          },
        ];
      }),
    );
    const extraRoutes = options.subgraphs.flatMap((name) => {
      const module = this.servers.get(name)!.module;
      return module.httpRoutes ? [module.httpRoutes({ ...shared, actor: null, audit: new RequestAudit() }, options.verifier)] : [];
    });
    const handlers = Object.assign({}, ...extraRoutes.map((extra) => extra.handlers));
    const server = await listen({ port: options.port, host: options.host, routes, handlers });
    const intervalMs = options.backgroundIntervalMs ?? 0;
    const background =
      intervalMs > 0
        ? options.subgraphs.flatMap((name) => {
            const module = this.servers.get(name)!.module;
            return module.startBackground ? [module.startBackground({ ...shared, actor: null, audit: new RequestAudit() }, { intervalMs })] : [];
          })
        : [];
    return {
      ...server,
      close: async () => {
        await Promise.all(background.map((job) => job.stop()));
        await Promise.all(extraRoutes.map((extra) => extra.stop()));
        await server.close();
      },
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.servers.values()].map(({ server }) => server.stop()));
  }
}
