import { DELTA_CITIES } from '../auth/delta-jurisdictions';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, startTestHub, writeRegionsFile } from './support/hub';

/**
 * Adding a city is configuration: a generated regions.yaml of N regions (here the four demo
 * cities and three more of the Delta) runs with no code change.
 */
const N = 7;
const regions = [
  ...['310000', '320500', '330400', '340100'].map((code) => DELTA_CITIES.find((c) => c.code === code)!),
  ...DELTA_CITIES.filter((c) => !['310000', '320500', '330400', '340100'].includes(c.code)).slice(0, N - 4),
];

let hub: RunningHub;
beforeAll(async () => {
  hub = await startTestHub('t_regions', {
    regionsFile: writeRegionsFile(regions),
    scale: { persons: 20, petitions: 20, warnings: 12, inspections: 3, officersPerAgency: 1 },
    regionScale: { '330400': { petitions: 300 } },
  });
});
afterAll(async () => {
  await hub?.stop();
});

test(`a hub of ${N} regions serves every region from its own database`, async () => {
  expect(hub.databaseUrls.size).toBe(N + 1); // N regions and the hub's own
  const directory = await graphql(hub.gateway.graphqlUrl, '{ regions { code name jurisdiction { code name } } }');
  expect(directory.data.regions.map((r: { code: string }) => r.code)).toEqual(regions.map((r) => r.code));
  expect(directory.data.regions.every((r: any) => r.jurisdiction.name === r.name)).toBe(true);

  const result = await graphql(hub.gateway.graphqlUrl, '{ petitionWarnings(first: 100) { edges { node { id region subject { region name } } } pageInfo { hasNextPage } } }');
  expect(result.errors).toBeUndefined();
  const edges = result.data.petitionWarnings.edges;
  expect(edges).toHaveLength(N * 12);
  expect(new Set(edges.map((e: any) => e.node.region))).toEqual(new Set(regions.map((r) => r.code)));
  expect(result.data.petitionWarnings.pageInfo.hasNextPage).toBe(false);
  // Cross-region subjects reach the new cities too.
  expect(edges.every((e: any) => e.node.subject && typeof e.node.subject.name === 'string')).toBe(true);
});

test('one region can be seeded larger than the others (the benchmark’s million petitions)', async () => {
  const counts = await Promise.all(
    ['330400', '320500'].map(async (code) => (await queryDatabase(hub.databaseUrls.get(code)!, 'SELECT count(*)::int AS n FROM petitions.petitions'))[0].n),
  );
  expect(counts).toEqual([300, 20]);
});
