import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, startTestHub } from './support/hub';
import { sample, scrape } from './support/metrics';

/**
 * Regions served from worker threads keep their series in their thread's registry; the
 * gateway's GET /metrics merges them with its own, so that one scrape shows every region's
 * subgraph requests, pool and query latency beside the gateway's fetches, with the counts each
 * request added, and the process-wide figures once.
 */

const WARNINGS = /* GraphQL */ `
  query ThreadedWarnings {
    petitionWarnings(first: 10) {
      edges {
        node {
          id
          region
        }
      }
    }
  }
`;

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub('t_thread_metrics', { regionThreads: 2 });
}, 180_000);
afterAll(async () => {
  await hub?.stop();
});

const served = (text: string, region: string) => sample(text, 'yrd_subgraph_requests_total', { region, subgraph: 'petitions', outcome: 'ok' });
const fetched = (text: string, region: string) => sample(text, 'yrd_region_fetches_total', { region, subgraph: 'petitions', outcome: 'ok' });

test('the gateway shows each thread’s regions: their subgraph requests, pools and statements, counted once per request', async () => {
  expect(hub.regionThreads).toHaveLength(2);
  await graphql(hub.gateway.graphqlUrl, WARNINGS); // plans and connections warm
  const before = await scrape(hub.gateway.url);
  const answer = await graphql(hub.gateway.graphqlUrl, WARNINGS);
  expect(answer.errors).toBeUndefined();
  const after = await scrape(hub.gateway.url);

  for (const { code } of DEMO_REGIONS) {
    // Every fetch the gateway sent to a region was one request its thread's host answered.
    const fetches = fetched(after, code) - fetched(before, code);
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(served(after, code) - served(before, code)).toBe(fetches);
    expect(sample(after, 'yrd_pg_query_duration_seconds_count', { region: code })).toBeGreaterThan(
      sample(before, 'yrd_pg_query_duration_seconds_count', { region: code }),
    );
    expect(sample(after, 'yrd_pg_pool_connections', { region: code, state: 'total' })).toBeGreaterThanOrEqual(1);
  }
  // The gateway's own series are there as before, and the hub's own database's pool.
  expect(
    sample(after, 'yrd_requests_total', { service: 'gateway', operation: 'ThreadedWarnings', outcome: 'ok' }) -
      sample(before, 'yrd_requests_total', { service: 'gateway', operation: 'ThreadedWarnings', outcome: 'ok' }),
  ).toBe(1);
  expect(sample(after, 'yrd_pg_pool_connections', { region: 'hub', state: 'total' })).toBeGreaterThanOrEqual(1);
  // Process-wide figures once: one series, not one per thread added up.
  expect(after.split('\n').filter((line) => line.startsWith('yrd_process_start_time_seconds ')).length).toBe(1);
  expect(sample(after, 'yrd_process_start_time_seconds')).toBe(sample(before, 'yrd_process_start_time_seconds'));
  // A thread's own host still shows only its own regions.
  const [thread] = hub.regionThreads!;
  const own = await scrape(hub.regionServers.get(thread.regions[0])!.url);
  for (const { code } of DEMO_REGIONS) expect(served(own, code) > 0).toBe(thread.regions.includes(code));
});
