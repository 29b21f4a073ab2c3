import { DELTA_CITIES } from '../auth/delta-jurisdictions';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, startTestHub, writeRegionsFile } from './support/hub';

/**
 * Adding a city is configuration: a generated regions.yaml of N regions (here the four demo
 * cities and four more of the Delta) runs with no code change. With 8 regions or more the
 * gateway asks each region for a share of a page first (probeSize) and refills the regions
 * that may hold more; pages must come out exactly as full pages would give them.
 */
const N = 8;
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

  const result = await graphql(
    hub.gateway.graphqlUrl,
    '{ petitionWarnings(first: 100) { edges { node { id region subject { region name } } } pageInfo { hasNextPage } } }',
  );
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

test('pages over all regions come in the global order, each warning once (probed, then refilled)', async () => {
  // Jiaxing raises the 30 newest warnings: its probe runs short and it is asked again.
  await queryDatabase(
    hub.databaseUrls.get('330400')!,
    `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, raised_at)
     SELECT 'BLUE', 'REPEAT', '330400:1', '330421', '测试', now() + make_interval(secs => g) FROM generate_series(1, 30) AS g`,
  );
  const all: Array<{ id: string; region: string; raisedAt: number }> = [];
  for (const { code } of regions) {
    const rows = await queryDatabase(hub.databaseUrls.get(code)!, 'SELECT id::text, raised_at FROM petitions.warnings');
    all.push(...rows.map((row: any) => ({ id: `${code}:${row.id}`, region: code, raisedAt: new Date(row.raised_at).getTime() })));
  }
  // Newest first; equal times: the lower region code first, then the higher id (each region's own order).
  const expected = all
    .sort((a, b) => b.raisedAt - a.raisedAt || (a.region < b.region ? -1 : a.region > b.region ? 1 : Number(b.id.split(':')[1]) - Number(a.id.split(':')[1])))
    .map((w) => w.id);

  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const result: any = await graphql(
      hub.gateway.graphqlUrl,
      'query($after: String) { petitionWarnings(first: 20, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    expect(result.errors).toBeUndefined();
    seen.push(...result.data.petitionWarnings.edges.map((edge: any) => edge.node.id));
    if (!result.data.petitionWarnings.pageInfo.hasNextPage) break;
    after = result.data.petitionWarnings.pageInfo.endCursor;
  }
  expect(seen).toEqual(expected);
  expect(seen.slice(0, 30).every((id) => id.startsWith('330400:'))).toBe(true);
});
