import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tracingConfigured } from '../platform/tracing';
import { Running, startCli } from './support/cli';
import { DEMO_REGIONS, dropDatabases, queryDatabase, testDatabaseUrl, writeRegionsFile } from './support/hub';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver';

/**
 * One trace per request, as `yrd-hub start` exports it to an OTLP/HTTP receiver in this
 * process: the gateway's request, each region fetch, the subgraph serving it in its region (in
 * a worker thread, reached over HTTP with `traceparent`), and the SQL statements under that,
 * all one trace id, carrying the request id that the audit rows also carry. (A hub of its own
 * process: the exporter loads node's http module by dynamic import, which jest's module
 * sandbox cannot run.)
 */

const PREFIX = 't_tracing';
const CROSS_REGION = /* GraphQL */ `
  query TracedWarnings($first: Int) {
    petitionWarnings(first: $first) {
      edges {
        node {
          id
          region
          subject {
            id
            region
            name
          }
        }
      }
    }
  }
`;

let receiver: OtlpReceiver;
let hub: Running;
let url: string;
let token: string;
let dataDir: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  await dropDatabases(PREFIX);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-tracing-'));
  const small = DEMO_REGIONS.map(({ code }) => `${code}:persons=40,petitions=40,warnings=20,inspections=4`).join(';');
  hub = startCli(['start', '--regions', writeRegionsFile(DEMO_REGIONS)], {
    DATABASE_URL: testDatabaseUrl(),
    HUB_DB_PREFIX: PREFIX,
    HUB_DATA_DIR: dataDir,
    PORT: '0',
    HUB_SCALE: small,
    HUB_BACKGROUND_INTERVAL_MS: '0',
    HUB_REGION_THREADS: '2',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  [, url] = await hub.waitFor(/GraphQL: (http:\S+)/, 180_000);
  [, token] = await hub.waitFor(/Authorization: Bearer (\S+)/);
}, 240_000);
afterAll(async () => {
  expect(await hub?.interrupt()).toBe(0);
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ask(query: string, variables: Record<string, unknown>, requestId: string) {
  const response = await fetch(url, {
    method: 'POST',
    // With a purpose, names are read in full, and each such read is an audit row.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId, 'x-purpose': 'petition-handling' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

/** The spans of the trace whose root names `requestId`, once `complete` says all of them arrived (they are exported in batches). */
async function traceOf(requestId: string, complete: (spans: ReceivedSpan[]) => boolean): Promise<{ root: ReceivedSpan; spans: ReceivedSpan[] }> {
  for (let attempt = 0; ; attempt++) {
    const root = receiver.spans.find((span) => span.attributes['hub.request_id'] === requestId && span.parentSpanId === undefined);
    const spans = root ? receiver.spans.filter((span) => span.traceId === root.traceId) : [];
    if (root && complete(spans)) return { root, spans };
    if (attempt > 600) throw new Error(`the trace of ${requestId} did not arrive complete; ${spans.length} spans so far`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

const children = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId);

describe('traces over OTLP', () => {
  test('an OTLP endpoint turns tracing on; without one, or with the SDK disabled, it stays off', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });

  test('a cross-region query is one trace: its request, one span per region fetch, the SQL statements under each', async () => {
    const requestId = 'trace-test-1';
    const result = await ask(CROSS_REGION, { first: 8 }, requestId);
    expect(result.errors).toBeUndefined();
    // Complete: the root ended (it ends last) and every region's subgraph span has its statements.
    const { root, spans: trace } = await traceOf(requestId, (spans) => {
      const served = spans.filter((span) => span.name === 'POST /petitions/graphql');
      return (
        spans.some((span) => span.parentSpanId === undefined) &&
        served.length >= DEMO_REGIONS.length &&
        served.every((span) => spans.some((child) => child.parentSpanId === span.spanId))
      );
    });
    expect(root).toMatchObject({ name: 'POST /graphql', kind: 2 /* SERVER */, service: 'yrd-hub' });
    expect(root.attributes).toMatchObject({ 'graphql.operation.name': 'TracedWarnings', 'hub.outcome': 'ok', 'http.response.status_code': 200 });
    // Nothing of the request went into another trace: every span naming its id is in this one.
    expect(receiver.spans.filter((span) => span.attributes['hub.request_id'] === requestId).every((span) => span.traceId === root.traceId)).toBe(true);

    const regionFetches = trace.filter((span) => span.name === 'region fetch petitions');
    expect([...new Set(regionFetches.map((span) => span.attributes['hub.region']))].sort()).toEqual(DEMO_REGIONS.map((region) => region.code).sort());
    // The subjects are read from personnel in their home regions: fetches of that subgraph too.
    expect(trace.some((span) => span.name === 'region fetch personnel')).toBe(true);
    for (const fetch of regionFetches) {
      expect(fetch.kind).toBe(3 /* CLIENT */);
      expect(fetch.attributes['hub.subgraph']).toBe('petitions');
      // The region's subgraph continued the trace from the fetch's traceparent…
      const served = children(trace, fetch);
      expect(served).toHaveLength(1);
      expect(served[0]).toMatchObject({ name: 'POST /petitions/graphql', kind: 2 });
      expect(served[0].attributes).toMatchObject({ 'hub.request_id': requestId, 'hub.region': fetch.attributes['hub.region'], 'hub.subgraph': 'petitions' });
      // …and ran its statements under it, in its region's database.
      const statements = children(trace, served[0]).filter((span) => span.attributes['db.system.name'] === 'postgresql');
      expect(statements.length).toBeGreaterThanOrEqual(1);
      for (const statement of statements) {
        expect(statement.attributes['db.namespace']).toBe(`t_tracing_${fetch.attributes['hub.region']}`);
        expect(statement.attributes['db.query.text']).toMatch(/^\s*(select|with)\b/i);
        // Placeholders only: no parameter value is exported.
        expect(statement.attributes).not.toHaveProperty('db.query.parameter.0');
      }
    }
    expect(receiver.paths.every((path) => path === '/v1/traces')).toBe(true);

    // The audit rows the request caused (its unmasked reads of names) carry the same request id.
    const audited = await Promise.all(
      DEMO_REGIONS.map(({ code }) =>
        queryDatabase<{ n: number }>(databaseUrl(`${PREFIX}_${code}`), 'SELECT count(*)::int AS n FROM audit.entries WHERE request_id = $1', [requestId]),
      ),
    );
    expect(audited.reduce((sum, [row]) => sum + row.n, 0)).toBeGreaterThan(0);
  });

  test('each request is a trace of its own', async () => {
    await ask(CROSS_REGION, { first: 2 }, 'trace-test-2');
    await ask(CROSS_REGION, { first: 2 }, 'trace-test-3');
    const [second, third] = await Promise.all(['trace-test-2', 'trace-test-3'].map((id) => traceOf(id, () => true)));
    expect(second.root.traceId).not.toBe(third.root.traceId);
    expect(second.spans.every((span) => span.attributes['hub.request_id'] !== 'trace-test-3')).toBe(true);
  });
});
