import type { Pool } from 'pg';
import type { RunningHub } from '../launcher/hub';
import { BUILTIN_SUBGRAPHS } from '../launcher/builtin-subgraphs';
import type { RunningHttpServer } from '../platform/apollo-http';
import { createPool } from '../subgraphs/shared/db';
import { SubgraphHost } from '../subgraphs/shared/host';
import { HubLink } from '../subgraphs/shared/hub-link';
import { contextTokenFor, DEMO_REGIONS, startTestHub } from './support/hub';

/**
 * Subgraphs answer plain queries without Apollo Server's pipeline (direct-execution.ts). The
 * contract: every answer — status, content type, body, byte for byte — is the one Apollo
 * Server gives. The same requests go to two hosts of Jiaxing's subgraphs over the same
 * database, one answering directly where it can, one leaving everything to Apollo Server.
 */

let hub: RunningHub;
const hosts: SubgraphHost[] = [];
const servers: RunningHttpServer[] = [];
const pools: Pool[] = [];
let direct: RunningHttpServer;
let apollo: RunningHttpServer;
const pool = () => pools[pools.push(createPool(hub.databaseUrls.get('330400')!, 4)) - 1];

beforeAll(async () => {
  hub = await startTestHub('t_direct');
  const regional = BUILTIN_SUBGRAPHS.filter((module) => module.regional);
  for (const directOn of [true, false]) {
    const host = await SubgraphHost.create(regional, { direct: directOn });
    hosts.push(host);
    const server = await host.serve({
      subgraphs: regional.map((module) => module.name),
      db: pool(),
      regions: DEMO_REGIONS,
      region: { code: '330400', name: '嘉兴市' },
      hub: new HubLink(),
      verifier: hub.identity.contextVerifier(),
      auditChain: { key: hub.identity.auditChainKey('330400') },
      port: 0,
    });
    servers.push(server);
    if (directOn) direct = server;
    else apollo = server;
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(hosts.map((host) => host.stop()));
  await Promise.all(pools.map((p) => p.end()));
  await hub?.stop();
});

async function post(server: RunningHttpServer, subgraph: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/${subgraph}/graphql`, { method: 'POST', headers, body });
  return { status: response.status, type: response.headers.get('content-type'), length: response.headers.get('content-length'), body: await response.text() };
}

interface Case {
  subgraph: string;
  body: object | string;
  officer?: string;
  purpose?: string;
  headers?: Record<string, string>;
  /** Whether the direct host should answer it itself (else it must have left it to Apollo Server). */
  answeredDirectly: boolean;
}

const WARNINGS =
  'query Warnings($first: Int) { petitionWarnings(first: $first) { edges { cursor node { id level raisedAt summary subject { id } } } pageInfo { hasNextPage endCursor } } }';
const CASES: Array<[string, Case]> = [
  ['a list with variables', { subgraph: 'petitions', body: { query: WARNINGS, variables: { first: 5 } }, answeredDirectly: true }],
  [
    'a list seen from another city (narrowed, no agreement)',
    { subgraph: 'petitions', body: { query: WARNINGS, variables: { first: 5 } }, officer: '320500:1', answeredDirectly: true },
  ],
  [
    'a record another city may not see: FORBIDDEN fields',
    { subgraph: 'petitions', body: { query: '{ petitionWarning(id: "330400:1") { id level summary } }' }, officer: '320500:1', answeredDirectly: true },
  ],
  [
    'a resolver error with its own code',
    { subgraph: 'petitions', body: { query: '{ petitionWarnings(first: 1000) { edges { node { id } } } }' }, answeredDirectly: true },
  ],
  [
    'entities, masked without a purpose',
    {
      subgraph: 'personnel',
      body: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name idNumber phone } } }',
        variables: {
          r: [
            { __typename: 'Person', id: '330400:1' },
            { __typename: 'Person', id: '330400:2' },
            { __typename: 'Person', id: '320500:1' },
          ],
        },
      },
      answeredDirectly: true,
    },
  ],
  [
    'entities in full with a purpose (audited)',
    {
      subgraph: 'personnel',
      body: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name phone } } }',
        variables: { r: [{ __typename: 'Person', id: '330400:3' }] },
      },
      purpose: 'petition-handling',
      answeredDirectly: true,
    },
  ],
  [
    'an error without a code (an unknown entity type)',
    {
      subgraph: 'personnel',
      body: { query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: [{ __typename: 'Nope', id: '330400:1' }] } },
      answeredDirectly: true,
    },
  ],
  [
    'one of two named operations',
    {
      subgraph: 'petitions',
      body: { query: 'query A { __typename } query B { petitionWarnings(first: 1) { edges { node { id } } } }', operationName: 'B' },
      answeredDirectly: true,
    },
  ],
  ['_service', { subgraph: 'personnel', body: { query: '{ _service { sdl } }' }, answeredDirectly: true }],
  ['variables that do not coerce', { subgraph: 'petitions', body: { query: WARNINGS, variables: { first: 'many' } }, answeredDirectly: false }],
  ['a syntax error', { subgraph: 'petitions', body: { query: '{ petitionWarnings(first: 1) { edges { node { id }' }, answeredDirectly: false }],
  ['an unknown field', { subgraph: 'petitions', body: { query: '{ petitionWarnings(first: 1) { nope } }' }, answeredDirectly: false }],
  ['an empty operation name', { subgraph: 'petitions', body: { query: '{ __typename }', operationName: '' }, answeredDirectly: false }],
  ['an unknown operation name', { subgraph: 'petitions', body: { query: 'query A { __typename }', operationName: 'B' }, answeredDirectly: false }],
  ['a mutation', { subgraph: 'petitions', body: { query: 'mutation { acknowledgePetitionWarning(id: "330400:999999") { id } }' }, answeredDirectly: false }],
  ['introspection', { subgraph: 'petitions', body: { query: '{ __schema { queryType { name } } }' }, answeredDirectly: false }],
  ['variables as a string', { subgraph: 'petitions', body: { query: WARNINGS, variables: '{"first":1}' }, answeredDirectly: false }],
  [
    'extensions',
    { subgraph: 'petitions', body: { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } }, answeredDirectly: false },
  ],
  ['a batch', { subgraph: 'petitions', body: [{ query: '{ __typename }' }], answeredDirectly: false }],
  [
    'text/plain (CSRF prevention)',
    { subgraph: 'petitions', body: { query: '{ __typename }' }, headers: { 'content-type': 'text/plain' }, answeredDirectly: false },
  ],
  [
    'accepting graphql-response+json',
    { subgraph: 'petitions', body: { query: '{ __typename }' }, headers: { accept: 'application/graphql-response+json' }, answeredDirectly: false },
  ],
  ['no context token', { subgraph: 'petitions', body: { query: '{ __typename }' }, headers: { authorization: '' }, answeredDirectly: false }],
];

test.each(CASES)('%s: the same answer as Apollo Server', async (_name, testCase) => {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${await contextTokenFor(hub, testCase.subgraph, testCase.officer ?? '330400:1', { purpose: testCase.purpose })}`,
    ...testCase.headers,
  };
  if (headers.authorization === '') delete headers.authorization;
  const body = typeof testCase.body === 'string' ? testCase.body : JSON.stringify(testCase.body);
  const before = hosts[0].directAnswers;
  const fromDirect = await post(direct, testCase.subgraph, body, headers);
  const answeredDirectly = hosts[0].directAnswers > before;
  const fromApollo = await post(apollo, testCase.subgraph, body, headers);
  expect(fromDirect).toEqual(fromApollo);
  expect(answeredDirectly).toBe(testCase.answeredDirectly);
  expect(hosts[1].directAnswers).toBe(0);
});

test('the audited read leaves one audit entry per host, as through Apollo Server', async () => {
  const { rows } = await pool().query("SELECT count(*)::int AS n FROM audit.entries WHERE record = 'Person:330400:3' AND purpose = 'petition-handling'");
  expect(rows[0].n).toBe(2);
});
