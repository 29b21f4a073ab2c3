import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { repoPath } from '../subgraphs/shared/repo-path';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import type { RunningHub } from '../launcher/hub';
import { planRegionReload } from '../launcher/region-reload';
import { watchFiles } from '../launcher/config-watch';
import { loadRegionConfig } from '../gateway/region-config';
import { startCli } from './support/cli';
import { DEMO_REGIONS, dropDatabases, graphql, startTestHub, testDatabaseUrl, testFolder, writeRegionsFile } from './support/hub';

/**
 * regions.yaml changed under a running hub: a region added answers without a restart; an edit
 * with problems is refused with the errors a start would give, logged, and the hub answers as
 * before. Two hubs share one keys folder, so that the first one's gateway is trusted by the
 * second one's Hefei, which stands for a city on a host of its own (reached at its URL).
 */

const HEFEI = DEMO_REGIONS.find((region) => region.code === '340100')!;
const NEAR = DEMO_REGIONS.filter((region) => region !== HEFEI);
/** Routed by its argument to one region; the catalogue is no one's personal data, so any officer reads it. */
const SCENARIOS = /* GraphQL */ `
  query Scenarios($region: String!) {
    inspectionScenarios(region: $region) {
      code
    }
  }
`;
const WARNINGS_IN = /* GraphQL */ `
  query WarningsIn($regions: [String!]) {
    petitionWarnings(first: 5, regions: $regions) {
      edges {
        node {
          id
          region
        }
      }
    }
  }
`;
const REGIONAL_SUBGRAPHS = ['petitions', 'dossier', 'enforcement', 'personnel'];

let far: RunningHub;
let hub: RunningHub;
let regionsFile: string;
let supergraphFile: string;
let hefeiUrl: string;
const log: string[] = [];

const ask = (query: string, variables: Record<string, unknown> = {}) => graphql(hub.gateway.graphqlUrl, query, variables);
const writeRegions = (regions: object[], extra: object = {}) =>
  writeFileSync(regionsFile, stringify({ regional_subgraphs: REGIONAL_SUBGRAPHS, ...extra, regions }));
/** The error code of each region's answer to a routed query and to a fan-out naming it only ('ok' when it answered). */
async function answers(code: string): Promise<{ routed: string; fanOut: string }> {
  const routed = await ask(SCENARIOS, { region: code });
  const fanOut = await ask(WARNINGS_IN, { regions: [code] });
  const outcome = (result: typeof routed) => result.errors?.[0]?.extensions?.code ?? (result.data ? 'ok' : 'no data');
  if (!routed.errors) expect(routed.data.inspectionScenarios.length).toBeGreaterThan(0);
  if (!fanOut.errors) expect(fanOut.data.petitionWarnings.edges.every((edge: { node: { region: string } }) => edge.node.region === code)).toBe(true);
  return { routed: outcome(routed), fanOut: outcome(fanOut) };
}
const ANSWERS = { routed: 'ok', fanOut: 'ok' };

beforeAll(async () => {
  const dataDir = testFolder('yrd-hub-reload-');
  // The far hub hosts Hefei and knows the other cities (at addresses it never calls here), as a city's own deployment would.
  const elsewhere = NEAR.map((region) => ({ ...region, url: 'http://127.0.0.1:9' }));
  far = await startTestHub('t_farhub', { regionsFile: writeRegionsFile([...elsewhere, HEFEI]), dataDir });
  hefeiUrl = far.regionServers.get(HEFEI.code)!.url;
  regionsFile = writeRegionsFile(NEAR);
  supergraphFile = path.join(testFolder('yrd-hub-supergraph-'), 'supergraph.graphql');
  copyFileSync(repoPath('schema', 'supergraph.graphql'), supergraphFile);
  hub = await startTestHub('t_reload', { regionsFile, supergraphFile, dataDir, log: (line) => log.push(line) });
}, 240_000);
afterAll(async () => {
  await hub?.stop();
  await far?.stop();
});

describe('reloading regions.yaml', () => {
  test('a region added while running answers without a restart, routed and in fan-outs', async () => {
    expect(await answers(HEFEI.code)).toEqual({ routed: 'UNKNOWN_REGION', fanOut: 'BAD_USER_INPUT' });
    expect(await answers(NEAR[0].code)).toEqual(ANSWERS);

    writeRegions([...NEAR, { ...HEFEI, url: hefeiUrl }]);
    expect(await hub.reload()).toEqual({ applied: true, changes: [`region ${HEFEI.code} (${HEFEI.name}) added`] });
    expect(log).toContain(`regions.yaml reloaded: region ${HEFEI.code} (${HEFEI.name}) added`);

    expect(await answers(HEFEI.code)).toEqual(ANSWERS);
    expect(await answers(NEAR[0].code)).toEqual(ANSWERS);
    expect(hub.regions.regions.map((region) => region.code)).toContain(HEFEI.code);
  });

  test('an edit with problems is refused with the start-up errors, logged, and the hub answers as before', async () => {
    writeRegions([...NEAR, { ...HEFEI, url: 'hefei.example' }]);
    const reason = `${regionsFile}: regions.3.url: must be an http(s) URL`;
    expect(await hub.reload()).toEqual({ applied: false, reason });
    expect(log[log.length - 1]).toBe(`regions.yaml not reloaded, the running configuration stays: ${reason}`);
    writeRegions([...NEAR, { ...HEFEI, url: hefeiUrl }, { ...NEAR[0] }]);
    expect(await hub.reload()).toEqual({ applied: false, reason: `${regionsFile}: regions.4.code: ${NEAR[0].code} is already regions.0.code` });

    expect(await answers(HEFEI.code)).toEqual(ANSWERS);
    expect(hub.regions.regions.map((region) => region.code)).toEqual([...NEAR, HEFEI].map((region) => region.code));
  });

  test('a region this hub did not start with cannot become hosted by a reload; nor can the regional subgraphs change', async () => {
    writeRegions([...NEAR, { ...HEFEI, url: hefeiUrl }, { code: '320200', name: '无锡市' }]);
    const hosted = await hub.reload();
    expect(hosted).toEqual({
      applied: false,
      reason: `${regionsFile}: regions.4 (320200): has no url, but this hub hosts only the regions it started with; give the region's url or endpoints, or restart the hub to host it`,
    });

    writeFileSync(regionsFile, stringify({ regional_subgraphs: ['petitions', 'personnel'], regions: [...NEAR, { ...HEFEI, url: hefeiUrl }] }));
    const subgraphs = await hub.reload();
    expect(subgraphs.applied).toBe(false);
    expect((subgraphs as { reason: string }).reason).toContain(
      'regional_subgraphs: petitions, personnel differ from the running petitions, dossier, enforcement, personnel; restart the hub to change them',
    );
    expect(await answers(HEFEI.code)).toEqual(ANSWERS);
    expect(await answers('320200')).toEqual({ routed: 'UNKNOWN_REGION', fanOut: 'BAD_USER_INPUT' });
  });

  test('an endpoint moved, a timeout changed and a region removed take effect together', async () => {
    // Hefei "moves" behind a relay on another port.
    const relayed = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      relayed.add(client);
      const upstream = net.connect(Number(new URL(hefeiUrl).port), '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    try {
      const [shanghai, suzhou, jiaxing] = NEAR;
      writeRegions([{ ...shanghai, timeout_ms: 4000 }, jiaxing, { ...HEFEI, url: relayUrl }]);
      expect(await hub.reload()).toEqual({
        applied: true,
        changes: [
          `region ${shanghai.code} timeout 3000 → 4000 ms`,
          `region ${HEFEI.code} moved to ${relayUrl}`,
          `region ${suzhou.code} (${suzhou.name}) removed`,
        ],
      });
      expect(await answers(HEFEI.code)).toEqual(ANSWERS);
      expect(relayed.size).toBeGreaterThan(0);
      expect(await answers(suzhou.code)).toEqual({ routed: 'UNKNOWN_REGION', fanOut: 'BAD_USER_INPUT' });
      expect(await answers(shanghai.code)).toEqual(ANSWERS);
    } finally {
      // Hefei back at its own address before the relay goes, for the tests after this one.
      writeRegions([...NEAR, { ...HEFEI, url: hefeiUrl }]);
      expect((await hub.reload()).applied).toBe(true);
      relayed.forEach((socket) => socket.destroy());
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

describe('reloading the supergraph', () => {
  const DESCRIPTION = 'Code of a scenario of the catalogue (`inspectionScenarios`).';
  const published = async () => (await fetch(`${hub.gateway.url}/schema.graphql`)).text();

  test('a changed supergraph is served from the next request; a broken one is refused and the running one stays', async () => {
    expect(await published()).toContain(DESCRIPTION);
    const original = readFileSync(supergraphFile, 'utf8');
    writeFileSync(supergraphFile, original.replace(DESCRIPTION, 'Code of a scenario (reloaded).'));
    expect(await hub.reload()).toEqual({ applied: true, changes: ['supergraph replaced'] });
    expect(log[log.length - 1]).toBe('regions.yaml and supergraph.graphql reloaded: supergraph replaced');
    expect(await published()).toContain('Code of a scenario (reloaded).');
    expect(await answers(HEFEI.code)).toEqual(ANSWERS);
    expect(await answers(NEAR[0].code)).toEqual(ANSWERS);

    writeFileSync(supergraphFile, original.slice(0, original.length / 2));
    const broken = await hub.reload();
    expect(broken.applied).toBe(false);
    expect((broken as { reason: string }).reason).toMatch(new RegExp(`^${supergraphFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: Syntax Error`));
    expect(log[log.length - 1]).toBe(`supergraph.graphql not reloaded, the running configuration stays: ${(broken as { reason: string }).reason}`);
    expect(await published()).toContain('Code of a scenario (reloaded).');
    expect(await answers(HEFEI.code)).toEqual(ANSWERS);
    writeFileSync(supergraphFile, original);
    expect(await hub.reload()).toEqual({ applied: true, changes: ['supergraph replaced'] });
    expect(await published()).toContain(DESCRIPTION);
  });
});

describe('planning a reload', () => {
  test('hosted regions keep the endpoints the launcher gave them, also when taken out and listed again', () => {
    const file = writeRegionsFile(NEAR);
    const running = loadRegionConfig(file);
    running.regions.forEach((region) => (region.endpoints = { petitions: `http://127.0.0.1:9/${region.code}/petitions/graphql` }));
    const hosted = new Map(running.regions.map((region) => [region.code, region.endpoints]));
    const planned = planRegionReload(running, loadRegionConfig(file), hosted);
    expect(planned.changes).toEqual([]);
    expect(planned.config.regions.map((region) => region.endpoints)).toEqual(running.regions.map((region) => region.endpoints));
    // Taken out and listed again: served by the same hosted endpoints.
    const without = planRegionReload(running, loadRegionConfig(writeRegionsFile(NEAR.slice(1))), hosted);
    expect(without.changes).toEqual([`region ${NEAR[0].code} (${NEAR[0].name}) removed`]);
    const back = planRegionReload(without.config, loadRegionConfig(file), hosted);
    expect(back.changes).toEqual([`region ${NEAR[0].code} (${NEAR[0].name}) added`]);
    expect(back.config.regions[0].endpoints).toEqual(running.regions[0].endpoints);
  });
});

describe('watching the file', () => {
  test('a save in place and a save by rename are each seen once, after the burst of events settles', async () => {
    const folder = testFolder('yrd-hub-watch-');
    const file = path.join(folder, 'regions.yaml');
    writeFileSync(file, 'a: 1\n');
    const seen: string[] = [];
    const watcher = watchFiles([file], (changed) => seen.push(changed), 200);
    const settled = async (count: number) => {
      for (let attempt = 0; seen.length < count && attempt < 200; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 400)); // and nothing more comes
    };
    try {
      writeFileSync(file, 'a: 2\n');
      writeFileSync(file, 'a: 3\n');
      await settled(1);
      expect(seen).toEqual([file]);
      // As editors save: a new file renamed over the old one.
      writeFileSync(path.join(folder, '.regions.yaml.swp'), 'a: 4\n');
      renameSync(path.join(folder, '.regions.yaml.swp'), file);
      await settled(2);
      expect(seen).toEqual([file, file]);
      // Another file of the folder is no change.
      writeFileSync(path.join(folder, 'other.yaml'), 'b: 1\n');
      await settled(2);
      expect(seen).toEqual([file, file]);
    } finally {
      watcher.close();
    }
  });
});

describe('yrd-hub start', () => {
  const PREFIX = 't_sighup';
  test('SIGHUP reloads regions.yaml; a broken file is refused in the log and the hub keeps answering', async () => {
    await dropDatabases(PREFIX);
    const file = path.join(testFolder('yrd-hub-reload-cli-'), 'regions.yaml');
    writeFileSync(file, stringify({ regional_subgraphs: REGIONAL_SUBGRAPHS, regions: DEMO_REGIONS }));
    const small = DEMO_REGIONS.map(({ code }) => `${code}:persons=30,petitions=30,warnings=10,inspections=2`).join(';');
    const cli = startCli(['start', '--regions', file], {
      DATABASE_URL: testDatabaseUrl(),
      HUB_DB_PREFIX: PREFIX,
      HUB_DATA_DIR: testFolder('yrd-hub-reload-cli-data-'),
      PORT: '0',
      HUB_SCALE: small,
      HUB_BACKGROUND_INTERVAL_MS: '0',
      HUB_REGION_THREADS: '1',
      HUB_WATCH_CONFIG: '0',
    });
    try {
      const [, url] = await cli.waitFor(/GraphQL: (http:\S+)/, 180_000);
      const [, token] = await cli.waitFor(/Authorization: Bearer (\S+)/);
      const ONE_WARNING = /* GraphQL */ `
        query OneWarning($id: ID!) {
          petitionWarning(id: $id) {
            id
            region
          }
        }
      `;
      const ask = async (id: string) =>
        (await (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: ONE_WARNING, variables: { id } }),
          })
        ).json()) as {
          data?: { petitionWarning: { id: string } | null };
          errors?: Array<{ extensions: { code: string } }>;
        };
      expect((await ask(`${HEFEI.code}:1`)).data?.petitionWarning).toEqual({ id: `${HEFEI.code}:1`, region: HEFEI.code });

      writeFileSync(file, stringify({ regional_subgraphs: REGIONAL_SUBGRAPHS, regions: NEAR }));
      cli.child.kill('SIGHUP');
      await cli.waitFor(/regions\.yaml reloaded: region 340100 \(合肥市\) removed/);
      expect((await ask(`${HEFEI.code}:1`)).errors?.[0].extensions.code).toBe('UNKNOWN_REGION');

      writeFileSync(file, 'regional_subgraphs: [petitions\nregions: {');
      cli.child.kill('SIGHUP');
      const [line] = await cli.waitFor(/regions\.yaml not reloaded, the running configuration stays: .*is not valid YAML.*/);
      expect(line).toContain(file);
      expect((await ask('330400:1')).data?.petitionWarning).toEqual({ id: '330400:1', region: '330400' });
      expect((await ask(`${HEFEI.code}:1`)).errors?.[0].extensions.code).toBe('UNKNOWN_REGION');
    } finally {
      expect(await cli.interrupt()).toBe(0);
    }
  }, 300_000);
});
