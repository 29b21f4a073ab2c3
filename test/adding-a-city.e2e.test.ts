import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countiesOf } from '../auth/delta-jurisdictions';
import { RunningHub, startHub } from '../launcher/hub';
import { repoPath } from '../subgraphs/shared/repo-path';
import { DEMO_REGIONS, dropDatabases, graphql, queryDatabase, TEST_SCALE, testDatabaseUrl, writeRegionsFile } from './support/hub';

/**
 * README "Adding a region": a fifth city added to regions.yaml and restarted is complete — its
 * jurisdiction tree, its own database and demo data, and the demo agreements with every other
 * configured city, signed by both parties, so that it sees and is seen like the others. Removed
 * again and restarted, its officers' tokens are refused (HTTP 401), while the other cities go on.
 * One data folder and one set of databases across the three starts, as `npm start` keeps them.
 */

const PREFIX = 't_addcity';
const HANGZHOU = { code: '330100', name: '杭州市' };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-addcity-'));
let hub: RunningHub | undefined;

/** Starts the hub over the same data folder and databases, serving `regions`. */
async function startWith(regions: ReadonlyArray<{ code: string; name: string }>): Promise<RunningHub> {
  await hub?.stop(); // stopping twice is harmless
  hub = await startHub({
    regionsFile: writeRegionsFile(regions),
    supergraphFile: repoPath('schema', 'supergraph.graphql'),
    dataDir,
    databaseUrl: testDatabaseUrl(),
    databasePrefix: PREFIX,
    port: 0,
    backgroundIntervalMs: 0,
    regionThreads: 0,
    seed: { seed: 7, scale: TEST_SCALE },
    log: () => undefined,
  });
  return hub;
}

const as = (token: string) => ({ authorization: `Bearer ${token}`, 'X-Purpose': 'petition-handling' });

beforeAll(async () => {
  await dropDatabases(PREFIX);
  await startWith(DEMO_REGIONS);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a city added to regions.yaml', () => {
  let hangzhouToken: string;

  beforeAll(async () => {
    // As a hub seeded before the catalogue listed every county would have it: no counties of Hangzhou.
    await hub!.stop();
    await queryDatabase(hub!.databaseUrls.get('hub')!, "DELETE FROM directory.jurisdictions WHERE parent_code = '330100'");
    await startWith([...DEMO_REGIONS, HANGZHOU]);
    hangzhouToken = await hub!.identity.demoTokenForLogin('demo-330100');
  }, 180_000);

  test('has its jurisdiction tree: the counties of the catalogue', async () => {
    const result = await graphql(
      hub!.gateway.graphqlUrl,
      '{ jurisdiction(code: "330100") { name level children { code name level parentCode } } }',
      {},
      as(hangzhouToken),
    );
    expect(result.errors).toBeUndefined();
    const { name, level, children } = result.data.jurisdiction;
    expect([name, level]).toEqual(['杭州市', 'CITY']);
    expect(children.map((c: { code: string }) => c.code)).toEqual(countiesOf('330100'));
    expect(children).toHaveLength(13);
    expect(children.slice(0, 2)).toEqual([
      { code: '330102', name: '上城区', level: 'COUNTY', parentCode: '330100' },
      { code: '330105', name: '拱墅区', level: 'COUNTY', parentCode: '330100' },
    ]);
  });

  test('is served from its own database, with its demo officers', async () => {
    expect([...hub!.databaseUrls.keys()].sort()).toEqual(['310000', '320500', '330100', '330400', '340100', 'hub']);
    const result = await graphql(hub!.gateway.graphqlUrl, '{ caller { id jurisdiction roles } }', {}, as(hangzhouToken));
    expect(result.data.caller).toEqual({ id: '330100:1', jurisdiction: '330100', roles: ['PETITION_OFFICER', 'SUPERVISOR'] });
  });

  test('holds the demo agreements with every other configured city, each signed by both parties’ administrators', async () => {
    const admin = await hub!.identity.demoTokenForLogin('demo-330100-agreements');
    const result = await graphql(
      hub!.gateway.graphqlUrl,
      '{ sharingAgreements(jurisdiction: "330100", first: 50) { edges { node { title status active categories provider { code } recipient { code } signatures { party signedBy { id } } awaitingSignatureOf } } } }',
      {},
      as(admin),
    );
    expect(result.errors).toBeUndefined();
    const agreements = result.data.sharingAgreements.edges.map((e: any) => e.node);
    const partners = agreements.map((a: any) => (a.provider.code === '330100' ? a.recipient.code : a.provider.code)).sort();
    expect(partners).toEqual(['310000', '320500', '330400', '340100']);
    for (const agreement of agreements) {
      expect(agreement).toMatchObject({ title: '长三角信访预警与人员基本信息共享协议', status: 'ACTIVE', active: true, awaitingSignatureOf: [] });
      expect(agreement.categories.sort()).toEqual(['INSPECTIONS', 'PERSON_BASIC', 'PETITION_WARNINGS']);
      // Each party signed through its own city's agreements administrator (demo-<city>-agreements).
      const signers = await Promise.all(
        agreement.signatures.map(async (s: { party: string; signedBy: { id: string } }) => [
          s.party,
          s.signedBy.id,
          hub!.identity.demoOfficer(`demo-${s.party}-agreements`).id,
        ]),
      );
      expect(signers.map(([party]) => party).sort()).toEqual([agreement.provider.code, agreement.recipient.code].sort());
      for (const [party, signedBy, administrator] of signers) expect([party, signedBy]).toEqual([party, administrator]);
    }
  });

  test('sees the other cities’ warnings, and they see its', async () => {
    const grants = async (token: string) =>
      (await graphql(hub!.gateway.graphqlUrl, '{ caller { grants { category owner } } }', {}, as(token))).data.caller.grants as Array<{
        category: string;
        owner: string;
      }>;
    const hangzhou = await grants(hangzhouToken);
    for (const owner of ['310000', '320500', '330400', '340100']) expect(hangzhou).toContainEqual({ category: 'PETITION_WARNINGS', owner });
    const jiaxingToken = await hub!.identity.demoTokenForLogin('demo-330400');
    expect(await grants(jiaxingToken)).toContainEqual({ category: 'PETITION_WARNINGS', owner: '330100' });

    const page = (token: string, region: string) =>
      graphql(hub!.gateway.graphqlUrl, `{ petitionWarnings(first: 5, regions: ["${region}"]) { edges { node { id region } } } }`, {}, as(token));
    const seenByJiaxing = await page(jiaxingToken, '330100');
    expect(seenByJiaxing.errors).toBeUndefined();
    expect(seenByJiaxing.data.petitionWarnings.edges.length).toBeGreaterThan(0);
    expect(seenByJiaxing.data.petitionWarnings.edges.every((e: any) => e.node.region === '330100')).toBe(true);
    const seenByHangzhou = await page(hangzhouToken, '320500');
    expect(seenByHangzhou.errors).toBeUndefined();
    expect(seenByHangzhou.data.petitionWarnings.edges.length).toBeGreaterThan(0);
  });

  test('restarting again adds no second set of agreements', async () => {
    await startWith([...DEMO_REGIONS, HANGZHOU]);
    const admin = await hub!.identity.demoTokenForLogin('demo-330100-agreements');
    const result = await graphql(hub!.gateway.graphqlUrl, '{ sharingAgreements(jurisdiction: "330100", first: 50) { edges { node { id } } } }', {}, as(admin));
    expect(result.data.sharingAgreements.edges).toHaveLength(4);
  }, 180_000);

  describe('then removed from regions.yaml and restarted', () => {
    beforeAll(async () => {
      await startWith(DEMO_REGIONS);
    }, 180_000);

    test('its officers’ tokens are refused with HTTP 401 UNAUTHENTICATED, for reads and writes', async () => {
      for (const query of [
        '{ petitionWarnings(first: 1) { edges { node { id } } } }',
        'mutation { acknowledgePetitionWarning(id: "330400:1", note: "已签收") { id } }',
      ]) {
        const result = await graphql(hub!.gateway.graphqlUrl, query, {}, as(hangzhouToken));
        expect(result.status).toBe(401);
        expect(result.data).toBeUndefined();
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(result.errors![0].message).toMatch(/330100:1 is not an active officer on the roster of region 330100/);
      }
    });

    test('the other cities go on as before, without it', async () => {
      const jiaxingToken = await hub!.identity.demoTokenForLogin('demo-330400');
      const result = await graphql(
        hub!.gateway.graphqlUrl,
        '{ regions { code } petitionWarnings(first: 50) { edges { node { region } } } }',
        {},
        as(jiaxingToken),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.regions.map((r: { code: string }) => r.code)).toEqual(DEMO_REGIONS.map((r) => r.code));
      expect(result.data.petitionWarnings.edges.some((e: any) => e.node.region === '330100')).toBe(false);
    });
  });
});
