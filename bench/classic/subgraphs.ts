import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { ClassicData, Product, Review, shippingEstimate, User } from './data';

/**
 * The four classic federation subgraphs with plain resolvers over in-memory data, each its own
 * Apollo Server (buildSubgraphSchema) on its own loopback port, as independent services would be.
 */

// Plain resolver objects, as buildSubgraphSchema takes them.
type Resolvers = Record<string, Record<string, any>>;

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

export const SUBGRAPH_NAMES = ['accounts', 'products', 'reviews', 'inventory'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export function subgraphDefinitions(data: ClassicData): Record<SubgraphName, { typeDefs: string; resolvers: Resolvers }> {
  const userById = new Map(data.users.map((u) => [u.id, u]));
  const productByUpc = new Map(data.products.map((p) => [p.upc, p]));
  const reviewById = new Map(data.reviews.map((r) => [r.id, r]));
  const stockByUpc = new Map(data.stock.map((s) => [s.upc, s]));
  const reviewsByAuthor = new Map<string, Review[]>();
  const reviewsByProduct = new Map<string, Review[]>();
  for (const r of data.reviews) {
    reviewsByAuthor.set(r.authorId, [...(reviewsByAuthor.get(r.authorId) ?? []), r]);
    reviewsByProduct.set(r.productUpc, [...(reviewsByProduct.get(r.productUpc) ?? []), r]);
  }
  return {
    accounts: {
      typeDefs: `${LINK}
        type Query { me: User users: [User!]! user(id: ID!): User }
        type User @key(fields: "id") { id: ID! name: String username: String @shareable }`,
      resolvers: {
        Query: {
          me: () => data.users[0],
          users: () => data.users,
          user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
        },
        User: { __resolveReference: (ref: { id: string }) => userById.get(ref.id) ?? null },
      },
    },
    products: {
      typeDefs: `${LINK}
        type Query { topProducts(first: Int = ${data.topProducts}): [Product!]! }
        type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
      resolvers: {
        Query: { topProducts: (_: unknown, { first }: { first: number }) => data.products.slice(0, first) },
        Product: { __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc) ?? null },
      },
    },
    reviews: {
      typeDefs: `${LINK}
        type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
        type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
        type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
      resolvers: {
        Review: {
          __resolveReference: (ref: { id: string }) => reviewById.get(ref.id) ?? null,
          author: (r: Review) => ({ __typename: 'User', id: r.authorId, username: userById.get(r.authorId)!.username }),
          product: (r: Review) => ({ __typename: 'Product', upc: r.productUpc }),
        },
        User: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          reviews: (u: User) => reviewsByAuthor.get(u.id) ?? [],
        },
        Product: {
          __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
          reviews: (p: Product) => reviewsByProduct.get(p.upc) ?? [],
        },
      },
    },
    inventory: {
      typeDefs: `${LINK}
        type Product @key(fields: "upc") { upc: String! weight: Int @external price: Int @external inStock: Boolean shippingEstimate: Int @requires(fields: "price weight") }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref, inStock: stockByUpc.get(ref.upc)?.inStock ?? false }),
          shippingEstimate: (p: { price?: number; weight?: number }) =>
            p.price === undefined || p.weight === undefined ? null : shippingEstimate({ price: p.price, weight: p.weight }),
        },
      },
    },
  };
}

export interface RecordedFetch {
  subgraph: SubgraphName;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string | null;
  responseBytes: number;
}

export interface RunningSubgraphs {
  urls: Record<SubgraphName, string>;
  /** Starts or stops recording the operations the subgraphs receive; stop returns them. */
  record(on: boolean): RecordedFetch[];
  stop(): Promise<void>;
}

/**
 * Serves each subgraph on its own port with a minimal HTTP layer over Apollo Server's
 * `executeOperation`. With `cache` (the default), a subgraph answers a request body it has
 * answered before from memory: it executes each distinct operation once, then serves the same
 * bytes. Gateways send the same few operations again and again, so this keeps the subgraphs'
 * CPU out of the way on a 2-core machine and the benchmark measures the gateways; without it
 * (BENCH_SUBGRAPH_CACHE=0), the subgraphs' execution dominates every figure.
 */
export async function startClassicSubgraphs(data: ClassicData, options: { cache?: boolean } = {}): Promise<RunningSubgraphs> {
  const definitions = subgraphDefinitions(data);
  const cache = options.cache ?? true;
  let recording: RecordedFetch[] | undefined;
  const servers: Array<{ apollo: ApolloServer; http: http.Server }> = [];
  const urls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    const { typeDefs, resolvers } = definitions[name];
    const apollo = new ApolloServer({
      schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await apollo.start();
    const answers = new Map<string, string>();
    const answer = async (body: string): Promise<string> => {
      const cached = cache ? answers.get(body) : undefined;
      if (cached !== undefined) return cached;
      const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
      const result = await apollo.executeOperation({ query, variables, operationName });
      const text = JSON.stringify(
        result.body.kind === 'single' ? result.body.singleResult : { errors: [{ message: 'incremental delivery is not served here' }] },
      );
      if (cache && answers.size < 10_000) answers.set(body, text);
      return text;
    };
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        answer(body).then(
          (text) => {
            if (recording) {
              const { query, variables, operationName } = JSON.parse(body);
              recording.push({ subgraph: name, query, variables, operationName, responseBytes: Buffer.byteLength(text) });
            }
            response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
            response.end(text);
          },
          (error: Error) => {
            const text = JSON.stringify({ errors: [{ message: error.message }] });
            response.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
            response.end(text);
          },
        );
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ apollo, http: server });
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return {
    urls,
    record(on) {
      const recorded = recording ?? [];
      recording = on ? [] : undefined;
      return recorded;
    },
    stop: async () => {
      for (const s of servers) {
        s.http.closeAllConnections();
        await new Promise((resolve) => s.http.close(resolve));
        await s.apollo.stop();
      }
    },
  };
}
