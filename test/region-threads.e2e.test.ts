import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub } from './support/hub';

/**
 * Regions served from worker threads (as `yrd-hub start` serves them): spread over the
 * threads, reached over HTTP like any region, counted, and back on their old addresses after a
 * thread dies. (joint-inspection, regional-routing and statement-count run on threads too.)
 */

let hub: RunningHub;
const ALL_WARNINGS = '{ petitionWarnings(first: 100) { edges { node { id region } } } }';
const regionsIn = (result: any): string[] => [...new Set<string>(result.data.petitionWarnings.edges.map((edge: any) => edge.node.region))].sort();

beforeAll(async () => {
  hub = await startTestHub('t_threads', { regionThreads: 3, auditCheckpoints: { everyRows: 3, everyMs: 3_600_000 } });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

test('the regions are dealt to the threads, each region to one', () => {
  const threads = hub.regionThreads!;
  expect(threads).toHaveLength(3);
  expect(threads.flatMap((thread) => thread.regions).sort()).toEqual(DEMO_REGIONS.map((region) => region.code).sort());
  expect(threads.every((thread) => thread.regions.length >= 1)).toBe(true);
});

test('a fan-out reaches every region, and its statements are counted in the threads', async () => {
  const before = hub.statementCount('regions');
  const result = await graphql(hub.gateway.graphqlUrl, ALL_WARNINGS, {}, { 'X-Officer': '330400:1' });
  expect(result.errors).toBeUndefined();
  expect(regionsIn(result)).toEqual(DEMO_REGIONS.map((region) => region.code).sort());
  expect(hub.statementCount('regions') - before).toBeGreaterThanOrEqual(DEMO_REGIONS.length);
});

test('audit rows written in a thread reach the launcher’s checkpointer, which checkpoints every N rows', async () => {
  for (let person = 1; person <= 3; person++) {
    const read = await graphql(
      hub.gateway.graphqlUrl,
      'query($id: ID!) { person(id: $id) { idNumber } }',
      { id: `320500:${person}` },
      { 'X-Officer': '320500:1', 'X-Purpose': 'petition-handling' },
    );
    expect(read.errors).toBeUndefined();
  }
  let checkpoints: Array<{ seq: number }> = [];
  for (let attempt = 0; attempt < 100 && !checkpoints.length; attempt++) {
    checkpoints = await queryDatabase(hub.databaseUrls.get('hub')!, "SELECT seq::int FROM audit_witness.checkpoints WHERE region = '320500' ORDER BY seq DESC");
    if (!checkpoints.length) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(checkpoints[0].seq).toBeGreaterThanOrEqual(3);
  const verified = await graphql(
    hub.gateway.graphqlUrl,
    '{ auditVerification(region: "320500") { intact lastCheckpointSeq } }',
    {},
    { 'X-Officer': hub.identity.demoOfficer('demo-320500-auditor').id },
  );
  expect(verified.data.auditVerification).toEqual({ intact: true, lastCheckpointSeq: checkpoints[0].seq });
});

test('a thread that dies costs its regions until it is back, on the same addresses', async () => {
  const victim = hub.regionThreads!.find((thread) => thread.regions.length === 1) ?? hub.regionThreads![0];
  const addresses = victim.regions.map((code) => hub.regionServers.get(code)!.url);
  await victim.crash();

  const during = await graphql(hub.gateway.graphqlUrl, ALL_WARNINGS, {}, { 'X-Officer': '330400:1' });
  const unavailable = (during.errors ?? [])
    .filter((error: any) => error.extensions?.code === 'REGION_UNAVAILABLE')
    .map((error: any) => error.extensions.region);
  expect(unavailable.sort()).toEqual([...victim.regions].sort());
  expect(regionsIn(during)).toEqual(
    DEMO_REGIONS.map((region) => region.code)
      .filter((code) => !victim.regions.includes(code))
      .sort(),
  );

  // Restarted after a second; the gateway's breaker for the region may hold a little longer.
  let after: any;
  for (let attempt = 0; attempt < 60; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await graphql(hub.gateway.graphqlUrl, ALL_WARNINGS, {}, { 'X-Officer': '330400:1' });
    if (!after.errors) break;
  }
  expect(after.errors).toBeUndefined();
  expect(regionsIn(after)).toEqual(DEMO_REGIONS.map((region) => region.code).sort());
  expect(victim.regions.map((code) => hub.regionServers.get(code)!.url)).toEqual(addresses);
}, 60_000);
