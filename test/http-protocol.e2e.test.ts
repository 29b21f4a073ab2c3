import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { RunningHub } from '../launcher/hub';
import { repoPath } from '../subgraphs/shared/repo-path';
import { authHeaders, contextTokenFor, startTestHub } from './support/hub';

/**
 * GraphQL over HTTP at the gateway and at a subgraph: a document that names no operation to run
 * is the client's mistake (400, never 500); a body over the 1 MB cap gets 413 PAYLOAD_TOO_LARGE as
 * JSON, also to a client still sending it; `application/graphql-response+json` is served with the
 * status codes the GraphQL-over-HTTP spec gives it.
 */

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub('t_http');
});

afterAll(async () => {
  await hub?.stop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authHeaders(url, headers)) },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
}

const TWO_OPERATIONS = 'query A { regions { code } } query B { provinces { code } }';

describe('a document that names no operation to run', () => {
  test.each([
    ['several operations, no operationName', { query: TWO_OPERATIONS }, /several operations/],
    ['several operations, an empty operationName', { query: TWO_OPERATIONS, operationName: '' }, /several operations/],
    ['several operations, an unknown operationName', { query: TWO_OPERATIONS, operationName: 'C' }, /Unknown operation named "C"/],
    ['one operation, another name', { query: 'query A { regions { code } }', operationName: 'B' }, /Unknown operation named "B"/],
  ])('%s: 400 at the gateway', async (_case, body, message) => {
    const answer = await post(hub.gateway.graphqlUrl, body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(answer.body.errors[0].message).toMatch(message);
    expect(JSON.stringify(answer.body)).not.toMatch(/Cannot read properties|at .*\.js/);
  });

  test('the named one of several runs', async () => {
    const answer = await post(hub.gateway.graphqlUrl, { query: TWO_OPERATIONS, operationName: 'B' });
    expect(answer.status).toBe(200);
    expect(answer.body.data.provinces.length).toBeGreaterThan(0);
  });

  test('400 at a subgraph too', async () => {
    const url = `${hub.regionServers.get('330400')!.url}/petitions/graphql`;
    const authorization = `Bearer ${await contextTokenFor(hub, 'petitions', '330400:1')}`;
    const answer = await post(
      url,
      { query: 'query A { petitions(first: 1) { edges { cursor } } } query B { petitions(first: 2) { edges { cursor } } }' },
      { authorization },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });
});

describe('a body over the cap', () => {
  const big = JSON.stringify({ query: '{ regions { code } }', variables: { padding: 'x'.repeat(1_200_000) } });

  test('with its length declared: 413 PAYLOAD_TOO_LARGE as JSON', async () => {
    const response = await fetch(hub.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeaders(hub.gateway.graphqlUrl, {})) },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('sent in chunks without a declared length: 413 as well', async () => {
    const url = new URL(hub.gateway.graphqlUrl);
    const headers = await authHeaders(hub.gateway.graphqlUrl, {});
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        },
      );
      request.on('error', reject);
      for (let offset = 0; offset < big.length; offset += 64 * 1024) request.write(big.slice(offset, offset + 64 * 1024));
      request.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('application/graphql-response+json', () => {
  const accept = { accept: 'application/graphql-response+json' };

  test('a good request: 200, in that media type', async () => {
    const answer = await post(hub.gateway.graphqlUrl, { query: '{ regions { code } }' }, accept);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/graphql-response\+json/);
  });

  test('a document that does not validate: 400, in that media type', async () => {
    const answer = await post(hub.gateway.graphqlUrl, { query: '{ regions { nope } }' }, accept);
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/graphql-response\+json/);
    expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a document that does not parse: 400, in that media type', async () => {
    const answer = await post(hub.gateway.graphqlUrl, { query: '{ regions {' }, accept);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

test('GET /schema.graphql publishes the client-facing schema the gateway serves: the committed schema/api.graphql', async () => {
  const response = await fetch(hub.gateway.graphqlUrl.replace(/\/graphql$/, '/schema.graphql'));
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toBe(readFileSync(repoPath('schema', 'api.graphql'), 'utf8'));
  expect(text).toMatch(/Access \(PERSON_PERSONAL\):/);
  expect(text).not.toMatch(/join__|link__/);
});
