import type { RunningHub } from '../launcher/hub';
import { runCli, startCli } from './support/cli';
import { stopDirectory } from './support/directory-outage';
import { DEMO_REGIONS, dropDatabases, graphql, startTestHub, testDatabaseUrl, testFolder, writeRegionsFile } from './support/hub';
import { sample, scrape } from './support/metrics';

/**
 * What an operator sees of a running hub: GET /metrics per region and subgraph, GET /ready as
 * the directory goes away and comes back, and a region that stops answering in its error and
 * circuit series. One hub, regions served in the test's thread (so one registry holds the
 * gateway's and the subgraphs' series, as it does for a hub without worker threads). And a
 * `yrd-hub start` with metrics off (HUB_METRICS=off): it serves as before, /metrics answers 404.
 */

const HEFEI = '340100';
const SHANGHAI = '310000';
const WARNINGS = /* GraphQL */ `
  query CrossRegionWarnings($first: Int) {
    petitionWarnings(first: $first) {
      edges {
        node {
          id
          region
        }
      }
    }
  }
`;
const ONE_WARNING = /* GraphQL */ `
  query OneWarning($id: ID!) {
    petitionWarning(id: $id) {
      id
      region
    }
  }
`;

let hub: RunningHub;
let base: string;
/** Stopped after the hub: the directory revived by the readiness test serves the tests after it. */
const revivedParts: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  // A circuit that opens after two failures, and stays open for the rest of the file.
  const regionsFile = writeRegionsFile(DEMO_REGIONS, { defaults: { timeout_ms: 3000, circuit_breaker: { failure_threshold: 2, reset_after_ms: 600_000 } } });
  hub = await startTestHub('t_ops', { regionsFile });
  base = hub.gateway.url;
});
afterAll(async () => {
  await hub?.stop();
  for (const stop of revivedParts) await stop();
});

const fetches = (text: string, region: string, outcome: string) => sample(text, 'yrd_region_fetches_total', { region, subgraph: 'petitions', outcome });

describe('GET /metrics', () => {
  test('a routed query counts one fetch to its region and none elsewhere; a fan-out counts every region', async () => {
    await graphql(hub.gateway.graphqlUrl, ONE_WARNING, { id: `${SHANGHAI}:1` }); // plans warmed
    const before = await scrape(base);
    const routed = await graphql(hub.gateway.graphqlUrl, ONE_WARNING, { id: `${SHANGHAI}:1` });
    expect(routed.errors).toBeUndefined();
    const afterRouted = await scrape(base);
    for (const { code } of DEMO_REGIONS) {
      expect(fetches(afterRouted, code, 'ok') - fetches(before, code, 'ok')).toBe(code === SHANGHAI ? 1 : 0);
    }
    expect(
      sample(afterRouted, 'yrd_region_fetch_duration_seconds_count', { region: SHANGHAI, subgraph: 'petitions' }) -
        sample(before, 'yrd_region_fetch_duration_seconds_count', { region: SHANGHAI, subgraph: 'petitions' }),
    ).toBe(1);
    expect(
      sample(afterRouted, 'yrd_requests_total', { service: 'gateway', operation: 'OneWarning', outcome: 'ok' }) -
        sample(before, 'yrd_requests_total', { service: 'gateway', operation: 'OneWarning', outcome: 'ok' }),
    ).toBe(1);

    const fanOut = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 10 });
    expect(fanOut.errors).toBeUndefined();
    const afterFanOut = await scrape(base);
    for (const { code } of DEMO_REGIONS) expect(fetches(afterFanOut, code, 'ok') - fetches(afterRouted, code, 'ok')).toBeGreaterThanOrEqual(1);
    expect(
      sample(afterFanOut, 'yrd_requests_total', { operation: 'CrossRegionWarnings', outcome: 'ok' }) -
        sample(afterRouted, 'yrd_requests_total', { operation: 'CrossRegionWarnings', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sample(afterFanOut, 'yrd_request_duration_seconds_count', { operation: 'CrossRegionWarnings' }) -
        sample(afterRouted, 'yrd_request_duration_seconds_count', { operation: 'CrossRegionWarnings' }),
    ).toBe(1);
    // The regions' databases: statements timed, pools reported; process figures too.
    expect(sample(afterFanOut, 'yrd_pg_query_duration_seconds_count', { region: HEFEI })).toBeGreaterThan(0);
    expect(afterFanOut).toMatch(/^yrd_pg_pool_connections\{region="340100",state="total"\} \d+$/m);
    expect(afterFanOut).toMatch(/^yrd_nodejs_eventloop_lag_seconds \S+$/m);
  });

  test('refusals at the door count by reason, and limits by their code', async () => {
    const before = await scrape(base);
    expect((await graphql(hub.gateway.graphqlUrl, '{ regions { code } }', {}, { authorization: '' })).status).toBe(401);
    expect((await graphql(hub.gateway.graphqlUrl, '{ regions { code } }', {}, { authorization: 'Basic abc' })).status).toBe(401);
    expect((await graphql(hub.gateway.graphqlUrl, '{ regions { code } }', {}, { authorization: 'Bearer not.a.token' })).status).toBe(401);
    const wide = `{ ${Array.from({ length: 40 }, (_, i) => `r${i}: regions { code }`).join(' ')} }`;
    const limited = await graphql(hub.gateway.graphqlUrl, wide);
    expect(limited.errors?.[0].extensions?.code).toMatch(/_LIMIT_EXCEEDED$/);
    const after = await scrape(base);
    for (const reason of ['no_credentials', 'not_bearer', 'token_rejected']) {
      expect(sample(after, 'yrd_auth_refusals_total', { reason }) - sample(before, 'yrd_auth_refusals_total', { reason })).toBe(1);
    }
    const code = limited.errors![0].extensions!.code;
    expect(sample(after, 'yrd_operation_limit_refusals_total', { code }) - sample(before, 'yrd_operation_limit_refusals_total', { code })).toBe(1);
    // No token, id or free text among the labels.
    expect(after).not.toMatch(/not\.a\.token|Basic abc/);
  });

  test('is refused to a caller elsewhere unless it brings HUB_METRICS_TOKEN', async () => {
    const previous = process.env.HUB_METRICS_TOKEN;
    process.env.HUB_METRICS_TOKEN = 'scraper-secret';
    try {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect(await scrape(base, { authorization: 'Bearer scraper-secret' })).toMatch(/yrd_requests_total/);
    } finally {
      if (previous === undefined) delete process.env.HUB_METRICS_TOKEN;
      else process.env.HUB_METRICS_TOKEN = previous;
    }
  });

  test('every subgraph host serves its own /metrics, with the requests it answered', async () => {
    const before = await scrape(hub.regionServers.get(HEFEI)!.url);
    const answered = await graphql(hub.gateway.graphqlUrl, ONE_WARNING, { id: `${HEFEI}:1` });
    expect(answered.errors).toBeUndefined();
    const text = await scrape(hub.regionServers.get(HEFEI)!.url);
    expect(text).toMatch(/yrd_pg_query_duration_seconds_count\{region="340100"\}/);
    const served = (t: string) => sample(t, 'yrd_subgraph_requests_total', { region: HEFEI, subgraph: 'petitions', outcome: 'ok' });
    expect(served(text) - served(before)).toBe(1);
    const timed = (t: string) => sample(t, 'yrd_subgraph_request_duration_seconds_count', { region: HEFEI, subgraph: 'petitions' });
    expect(timed(text) - timed(before)).toBe(1);
  });
});

describe('GET /ready', () => {
  test('is 200 with every region reachable, 503 while the directory is stopped, 200 again once it is back', async () => {
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    const report = await ready.json();
    expect(report).toMatchObject({ ready: true, supergraph: { loaded: true }, directory: { directory: { reachable: true } } });
    for (const { code } of DEMO_REGIONS) expect(report.regions[code]).toMatchObject({ reachable: true, circuits: { petitions: 'closed' } });

    const revive = await stopDirectory(hub, revivedParts);
    let down: Response | undefined;
    for (let i = 0; i < 100 && down?.status !== 503; i++) {
      if (down) await new Promise((resolve) => setTimeout(resolve, 100));
      down = await fetch(`${base}/ready`);
    }
    expect(down!.status).toBe(503);
    expect(await down!.json()).toMatchObject({ ready: false, directory: { directory: { reachable: false } } });

    // The directory comes back on its old address, served as the hub serves it.
    await revive();
    let up: Response | undefined;
    for (let i = 0; i < 100 && up?.status !== 200; i++) {
      if (up) await new Promise((resolve) => setTimeout(resolve, 100));
      up = await fetch(`${base}/ready`);
    }
    expect(up!.status).toBe(200);
  });
});

describe('a region that stops answering', () => {
  test('shows in its error series, its partial answers and, once it has failed enough, its open circuit', async () => {
    const before = await scrape(base);
    await hub.regionServers.get(HEFEI)!.close();
    let text = before;
    for (let i = 0; i < 20 && sample(text, 'yrd_circuit_state', { region: HEFEI, subgraph: 'petitions' }) !== 2; i++) {
      const partial = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 10 });
      expect(partial.errors?.map((error) => [error.extensions?.code, error.extensions?.region])).toContainEqual(['REGION_UNAVAILABLE', HEFEI]);
      expect(partial.data.petitionWarnings.edges.length).toBeGreaterThan(0);
      text = await scrape(base);
    }
    expect(sample(text, 'yrd_circuit_state', { region: HEFEI, subgraph: 'petitions' })).toBe(2);
    expect(sample(text, 'yrd_circuit_transitions_total', { region: HEFEI, subgraph: 'petitions', state: 'open' })).toBe(1);
    expect(sample(text, 'yrd_circuit_state', { region: SHANGHAI, subgraph: 'petitions' })).toBe(0);
    expect(fetches(text, HEFEI, 'unavailable') - fetches(before, HEFEI, 'unavailable')).toBeGreaterThanOrEqual(1);
    const errors = (t: string, region: string) => sample(t, 'yrd_region_errors_total', { region, subgraph: 'petitions', code: 'REGION_UNAVAILABLE' });
    expect(errors(text, HEFEI) - errors(before, HEFEI)).toBeGreaterThanOrEqual(2);
    expect(errors(text, SHANGHAI) - errors(before, SHANGHAI)).toBe(0);
    expect(
      sample(text, 'yrd_partial_answers_total', { operation: 'CrossRegionWarnings' }) -
        sample(before, 'yrd_partial_answers_total', { operation: 'CrossRegionWarnings' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'yrd_requests_total', { operation: 'CrossRegionWarnings', outcome: 'partial' })).toBeGreaterThanOrEqual(2);

    // Once the circuit is open, the next fetch is not even sent.
    await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 10 });
    const open = await scrape(base);
    expect(fetches(open, HEFEI, 'circuit_open') - fetches(text, HEFEI, 'circuit_open')).toBe(1);
    // /ready probes at most every two seconds: the report may still be the one from before.
    let report: any;
    for (let i = 0; i < 100 && report?.regions[HEFEI].reachable !== false; i++) {
      if (report) await new Promise((resolve) => setTimeout(resolve, 100));
      report = await (await fetch(`${base}/ready`)).json();
    }
    expect(report.ready).toBe(true); // a region down costs its part of each answer, not the instance
    expect(report.regions[HEFEI]).toMatchObject({ reachable: false, circuits: { petitions: 'open' } });
  });
});

describe('HUB_METRICS=off', () => {
  const PREFIX = 't_ops_metrics_off';
  const regions = DEMO_REGIONS.filter((region) => region.code === SHANGHAI || region.code === '330400');

  test('yrd-hub start answers as before, with 404 at /metrics on the gateway and on a region thread’s host, and /ready as before', async () => {
    await dropDatabases(PREFIX);
    const regionsFile = writeRegionsFile(regions);
    const cli = startCli(['start', '--regions', regionsFile], {
      DATABASE_URL: testDatabaseUrl(),
      HUB_DB_PREFIX: PREFIX,
      HUB_DATA_DIR: testFolder('yrd-hub-metrics-off-'),
      PORT: '0',
      HUB_SCALE: regions.map(({ code }) => `${code}:persons=30,petitions=30,warnings=10,inspections=2`).join(';'),
      HUB_BACKGROUND_INTERVAL_MS: '0',
      HUB_REGION_THREADS: '1',
      HUB_WATCH_CONFIG: '0',
      HUB_METRICS: 'off',
    });
    try {
      const [, graphqlUrl] = await cli.waitFor(/GraphQL: (http:\S+)/, 180_000);
      const [, token] = await cli.waitFor(/Authorization: Bearer (\S+)/);
      const [, regionHost] = await cli.waitFor(new RegExp(`region ${SHANGHAI} \\S+: (http:\\S+)`));
      const gatewayBase = graphqlUrl.replace(/\/graphql$/, '');
      const answer = await graphql(graphqlUrl, WARNINGS, { first: 10 }, { authorization: `Bearer ${token}` });
      expect(answer.errors).toBeUndefined();
      expect(new Set(answer.data.petitionWarnings.edges.map((edge: { node: { region: string } }) => edge.node.region))).toEqual(new Set([SHANGHAI, '330400']));
      for (const base of [gatewayBase, regionHost]) {
        const metrics = await fetch(`${base}/metrics`);
        expect(metrics.status).toBe(404);
        expect(await metrics.text()).toMatch(/^metrics are off on this hub \(HUB_METRICS=off\)/);
      }
      // What /ready reports does not come from the metrics: circuits are followed as before.
      const ready = await fetch(`${gatewayBase}/ready`);
      expect(ready.status).toBe(200);
      expect((await ready.json()).regions[SHANGHAI]).toMatchObject({ reachable: true, circuits: { petitions: 'closed' } });
    } finally {
      expect(await cli.interrupt()).toBe(0);
    }
  }, 300_000);

  test('a value other than on or off stops yrd-hub start before anything starts, naming the variable', async () => {
    const refused = await runCli(['start', '--regions', writeRegionsFile(regions)], { HUB_METRICS: 'no', PORT: '0' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HUB_METRICS must be "on" or "off", but got "no"');
  });
});
