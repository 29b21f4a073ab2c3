// Serves the two subgraphs of supergraph.yaml (books on :4301, authors on :4302) from data in
// memory, with Apollo's subgraph library: `node examples/plain-supergraph/subgraphs.mjs`.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';

const books = [
  { isbn: '978-7-01', title: '长江三角洲', authorId: 'a1' },
  { isbn: '978-7-02', title: '嘉兴南湖', authorId: 'a2' },
];
const authors = { a1: '沈从文', a2: '茅盾' };

const subgraphs = [
  {
    name: 'books',
    port: 4301,
    resolvers: {
      Query: { books: () => books },
      Book: { author: (book) => ({ id: book.authorId }) },
    },
  },
  {
    name: 'authors',
    port: 4302,
    resolvers: {
      Query: { author: (_, { id }) => (authors[id] ? { id, name: authors[id] } : null) },
      Author: { __resolveReference: ({ id }) => (authors[id] ? { id, name: authors[id] } : null) },
    },
  },
];

for (const { name, port, resolvers } of subgraphs) {
  const typeDefs = parse(readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8'));
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  console.log(`subgraph ${name} at ${url}`);
}
