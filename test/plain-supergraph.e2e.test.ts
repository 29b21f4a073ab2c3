import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeSupergraph } from '../schema/compose';
import { runCli, startCli, Running } from './support/cli';
import { graphql } from './support/hub';

/**
 * An app developer's own supergraph, with no regional subgraph at all: `yrd-hub gateway`
 * must serve it as stock Apollo Gateway would, entity joins included.
 */

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const BOOKS = `${LINK}
  type Query { books: [Book!]! }
  type Book @key(fields: "isbn") { isbn: ID! title: String! author: Author! }
  type Author @key(fields: "id", resolvable: false) { id: ID! }`;
const AUTHORS = `${LINK}
  type Query { author(id: ID!): Author }
  type Author @key(fields: "id") { id: ID! name: String! }`;

const books = [
  { isbn: '978-7-01', title: '长江三角洲', authorId: 'a1' },
  { isbn: '978-7-02', title: '嘉兴南湖', authorId: 'a2' },
];
const authors: Record<string, string> = { a1: '沈从文', a2: '茅盾' };

const servers: ApolloServer[] = [];
let gateway: Running;

async function serve(typeDefs: string, resolvers: object): Promise<string> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  servers.push(server);
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return url;
}

beforeAll(async () => {
  const booksUrl = await serve(BOOKS, {
    Query: { books: () => books },
    Book: { author: (book: { authorId: string }) => ({ id: book.authorId }) },
  });
  const authorsUrl = await serve(AUTHORS, {
    Query: { author: (_: unknown, { id }: { id: string }) => (authors[id] ? { id, name: authors[id] } : null) },
    Author: { __resolveReference: ({ id }: { id: string }) => ({ id, name: authors[id] }) },
  });
  const supergraph = composeSupergraph([
    { name: 'books', url: booksUrl, typeDefs: BOOKS },
    { name: 'authors', url: authorsUrl, typeDefs: AUTHORS },
  ]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-plain-')), 'supergraph.graphql');
  writeFileSync(file, supergraph);
  supergraphFile = file;
  gateway = startCli(['gateway', '--supergraph', file, '--port', '0', '--insecure-no-auth']);
});

let supergraphFile: string;

afterAll(async () => {
  await gateway?.interrupt();
  await Promise.all(servers.map((server) => server.stop()));
});

test('serves a supergraph with no regional subgraph, joining entities across subgraphs', async () => {
  const [, url] = await gateway.waitFor(/at (http:\S+\/graphql)/);
  expect(gateway.output()).toMatch(/INSECURE: --insecure-no-auth/);
  expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
  const result = await graphql(url, '{ books { isbn title author { id name } } }');
  expect(result.errors).toBeUndefined();
  expect(result.data.books).toEqual([
    { isbn: '978-7-01', title: '长江三角洲', author: { id: 'a1', name: '沈从文' } },
    { isbn: '978-7-02', title: '嘉兴南湖', author: { id: 'a2', name: '茅盾' } },
  ]);
  const author = await graphql(url, 'query($id: ID!) { author(id: $id) { name } }', { id: 'a2' });
  expect(author.data).toEqual({ author: { name: '茅盾' } });
});

test('the gateway will not start open by accident: it needs --identity or --insecure-no-auth', async () => {
  const result = await runCli(['gateway', '--supergraph', supergraphFile, '--port', '0']);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/needs either --identity FILE .* or --insecure-no-auth/);
});

test("the README's example supergraph (examples/plain-supergraph) is the composition of its subgraphs", async () => {
  const result = await runCli([
    'compose',
    '--config',
    'examples/plain-supergraph/supergraph.yaml',
    '--out',
    'examples/plain-supergraph/supergraph.graphql',
    '--check',
  ]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(result.stdout).toContain('supergraph is up to date');
});
