import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, graphql, GraphQLFormattedError, GraphQLSchema, parse } from 'graphql';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunningGateway, startGateway } from '../../gateway/server';
import { composeSupergraph } from '../../schema/compose';
import type { ConformanceCase, ConformanceQuery, Json } from './case';

/**
 * Runs conformance cases: every subgraph of every case is served by one HTTP server (a route per
 * subgraph, each a real @apollo/subgraph schema executed by graphql-js), each case's supergraph
 * by its own hub and its own stock Apollo Gateway, and each query also by the case's truth.
 */

export interface Answer {
  data: unknown;
  errors?: Array<{ path?: ReadonlyArray<string | number>; code?: unknown; message: string }>;
}

export interface Outcome {
  caseName: string;
  label: string;
  truth: Answer;
  hub: Answer;
  apollo: Answer;
  hubMatches: boolean;
  apolloMatches: boolean;
  /** Which executor answered the hub's request: none when the request was refused before execution (validation). */
  executor: 'hub' | 'fallback' | 'none';
}

interface Running {
  definition: ConformanceCase;
  truth: GraphQLSchema;
  hub: RunningGateway;
  apolloUrl: string;
}

export class ConformanceHarness {
  private readonly subgraphSchemas = new Map<string, GraphQLSchema>();
  private subgraphHost?: Server;
  private readonly running: Running[] = [];
  private readonly apolloServers: ApolloServer[] = [];

  constructor(private readonly cases: readonly ConformanceCase[]) {
    const names = new Set<string>();
    for (const definition of cases) {
      if (names.has(definition.name)) throw new Error(`two conformance cases are named "${definition.name}"`);
      names.add(definition.name);
    }
  }

  async start(): Promise<void> {
    const host = createServer((request, response) => void this.serveSubgraph(request, response));
    this.subgraphHost = host;
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    // Started one after another: composing and planning are CPU work, parallel starts only interleave it.
    for (const [index, definition] of this.cases.entries()) {
      const sources = Object.entries(definition.subgraphs).map(([name, subgraph]) => {
        const route = `/${index}/${name}`;
        this.subgraphSchemas.set(route, buildSubgraphSchema({ typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers as never }));
        return { name, url: `${base}${route}`, typeDefs: subgraph.typeDefs };
      });
      let supergraphSdl: string;
      try {
        supergraphSdl = composeSupergraph(sources);
      } catch (error) {
        throw new Error(`conformance case "${definition.name}" does not compose: ${(error as Error).message}`);
      }
      const hub = await startGateway({ supergraphSdl, port: 0, host: '127.0.0.1', auth: 'insecure-no-auth' });
      const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }), includeStacktraceInErrorResponses: false });
      this.apolloServers.push(apollo);
      const apolloUrl = (await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } })).url;
      this.running.push({ definition, truth: buildSchema(definition.truth.typeDefs), hub, apolloUrl });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((running) => running.hub.stop()));
    await Promise.all(this.apolloServers.map((server) => server.stop()));
    await new Promise((resolve) => this.subgraphHost?.close(resolve));
  }

  /** Every query of every case; cases run side by side, a case's runs one after another (mutations). */
  async runAll(): Promise<Outcome[]> {
    const perCase = await Promise.all(this.running.map((running) => this.runCase(running)));
    return perCase.flat();
  }

  private async runCase(running: Running): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const query of running.definition.queries) outcomes.push(await this.runQuery(running, query));
    return outcomes;
  }

  private async runQuery(running: Running, query: ConformanceQuery): Promise<Outcome> {
    const { definition } = running;
    definition.reset?.();
    const truthResult = await graphql({ schema: running.truth, source: query.query, rootValue: definition.truth.root(), variableValues: query.variables });
    const truth = normalise(JSON.parse(JSON.stringify(truthResult)));
    definition.reset?.();
    const before = running.hub.executorCounts();
    const hub = normalise(await post(running.hub.graphqlUrl, query));
    const after = running.hub.executorCounts();
    definition.reset?.();
    const apollo = normalise(await post(running.apolloUrl, query));
    return {
      caseName: definition.name,
      label: query.label,
      truth,
      hub,
      apollo,
      hubMatches: same(truth, hub, query.errors ?? 'paths'),
      apolloMatches: same(truth, apollo, query.errors ?? 'paths'),
      executor: after.executed > before.executed ? 'hub' : after.delegated > before.delegated ? 'fallback' : 'none',
    };
  }

  private serveSubgraph(request: IncomingMessage, response: ServerResponse): void {
    const schema = this.subgraphSchemas.get(request.url ?? '');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      if (!schema) {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Json; operationName?: string };
      const result = await graphql({ schema, source: body.query, variableValues: body.variables, operationName: body.operationName });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  }
}

async function post(url: string, query: ConformanceQuery): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: query.query, variables: query.variables }),
  });
  return (await response.json()) as Json;
}

function normalise(body: Json): Answer {
  const errors = body.errors as GraphQLFormattedError[] | undefined;
  const answer: Answer = { data: body.data ?? null };
  if (errors?.length) answer.errors = errors.map((error) => ({ path: error.path, code: error.extensions?.code, message: error.message }));
  return answer;
}

/** Data as JSON text (key order is part of the answer); errors as the query's comparison asks. */
function same(truth: Answer, other: Answer, errors: 'paths' | 'presence'): boolean {
  if (JSON.stringify(truth.data) !== JSON.stringify(other.data)) return false;
  if (!truth.errors !== !other.errors) return false;
  if (!truth.errors || errors === 'presence') return true;
  const paths = (answer: Answer) => answer.errors!.map((error) => JSON.stringify(error.path ?? null)).sort();
  if (JSON.stringify(paths(truth)) !== JSON.stringify(paths(other))) return false;
  // The truth's own codes (set by resolvers) must arrive; codes only a gateway adds are not compared.
  const codes = (answer: Answer) => answer.errors!.map((error) => `${JSON.stringify(error.path ?? null)} ${String(error.code)}`).sort();
  const truthCoded = truth.errors.filter((error) => error.code !== undefined);
  return truthCoded.every((error) => codes(other).includes(`${JSON.stringify(error.path ?? null)} ${String(error.code)}`));
}
