import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { RunningHub } from '../launcher/hub';
import { runCli, Running, startCli } from './support/cli';
import { DEMO_REGIONS, dropDatabases, graphql, startTestHub, testDatabaseUrl, testFolder, tokenFor, writeRegionsFile } from './support/hub';
import { eventually, Received, repeatUntil, subscribeSse, subscribeWs } from './support/live-clients';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Live warning subscriptions across reloads of regions.yaml, through a real `yrd-hub start`
 * (SIGHUP): a city added while running is served to a subscription that names it, to one begun
 * afterwards that names none, and joins one already running that names none; when its endpoint
 * moves, its events keep coming from the new address; when it is removed, a subscription that
 * followed only it ends with UNKNOWN_REGION and the others go on. The added city is Wuxi on a
 * host of its own: a second hub in this process sharing the keys folder (so that each trusts the
 * other's tokens, as in config-reload.e2e.test.ts), reached through relays that stand for its
 * old and new addresses.
 */

const SUZHOU = DEMO_REGIONS.find((region) => region.code === '320500')!;
const WUXI = { code: '320200', name: '无锡市' };
const PREFIX = 't_live_reload';
const SUBSCRIPTION = /* GraphQL */ `
  subscription Warnings($regions: [String!]) {
    petitionWarningEvents(regions: $regions) {
      cursor
      kind
      region
      warning {
        id
        kind
      }
    }
  }
`;

let far: RunningHub;
let cli: Running;
let url: string;
let regionsFile: string;
/** Wuxi's first address, then the one it moves to. */
let first: TcpProxy;
let second: TcpProxy;
const tokens: Record<'suzhou' | 'suzhouAdmin' | 'wuxi' | 'wuxiAdmin', string> = { suzhou: '', suzhouAdmin: '', wuxi: '', wuxiAdmin: '' };
const open: Received[] = [];
const track = <T extends Received>(subscription: T): T => (open.push(subscription), subscription);
const received = (subscription: Received, warningId: string) => subscription.events.some((event) => event.warning?.id === warningId);

/** Subscriptions of the tests, kept across them: each test goes on from the one before. */
let everyRegionBefore: Received;
let everyRegionAfter: Received;
let wuxiOnly: Received;

beforeAll(async () => {
  const dataDir = testFolder('yrd-hub-live-reload-');
  far = await startTestHub('t_live_far', { regionsFile: writeRegionsFile([WUXI]), dataDir });
  const wuxiHost = new URL(far.regionServers.get(WUXI.code)!.url);
  first = await TcpProxy.start({ host: wuxiHost.hostname, port: Number(wuxiHost.port) });
  second = await TcpProxy.start({ host: wuxiHost.hostname, port: Number(wuxiHost.port) });

  await dropDatabases(PREFIX);
  regionsFile = writeRegionsFile([SUZHOU]);
  const env = {
    DATABASE_URL: testDatabaseUrl(),
    HUB_DB_PREFIX: PREFIX,
    HUB_DATA_DIR: dataDir,
    HUB_SCALE: `${SUZHOU.code}:persons=30,petitions=30,warnings=10,inspections=2`,
  };
  cli = startCli(['start', '--regions', regionsFile], { ...env, PORT: '0', HUB_BACKGROUND_INTERVAL_MS: '0', HUB_REGION_THREADS: '1', HUB_WATCH_CONFIG: '0' });
  [, url] = await cli.waitFor(/GraphQL: (http:\S+)/, 180_000);
  const token = async (login: string) => (await runCli(['token', login, '--regions', regionsFile], env)).stdout.trim();
  tokens.suzhou = await token('demo-320500');
  tokens.suzhouAdmin = await token('demo-320500-agreements');
  // Wuxi's officers are on its own host's roster, made by the other hub's seed.
  tokens.wuxi = await tokenFor(far.gateway.graphqlUrl, `${WUXI.code}:1`);
  tokens.wuxiAdmin = await far.identity.demoTokenForLogin(`demo-${WUXI.code}-agreements`);
}, 300_000);

afterAll(async () => {
  await Promise.all(open.map((subscription) => subscription.stop()));
  if (cli) expect(await cli.interrupt()).toBe(0);
  await first?.stop();
  await second?.stop();
  await far?.stop();
});

const ask = (token: string, query: string, variables: Record<string, unknown> = {}) => graphql(url, query, variables, { authorization: `Bearer ${token}` });

async function reload(regions: object[], logged: RegExp): Promise<void> {
  writeFileSync(regionsFile, stringify({ regional_subgraphs: ['petitions', 'dossier', 'enforcement', 'personnel'], regions }));
  cli.child.kill('SIGHUP');
  await cli.waitFor(logged);
}

/** A group visit (集体访: 6 people) registered in `region` by its petition officer; the GROUP_VISIT warning it raised. */
let visits = 0;
async function registerGroupVisit(region: string, token: string): Promise<string> {
  const result = await ask(
    token,
    /* GraphQL */ `
      mutation ($input: RegisterPetitionInput!) {
        registerPetition(input: $input) {
          warnings {
            id
            kind
          }
        }
      }
    `,
    {
      input: {
        region,
        registeredIn: region,
        channel: 'VISIT',
        category: `征地补偿${(visits += 1)}`,
        summary: '集体访',
        content: '六人来访反映征地补偿',
        petitionerIds: [`${region}:7`],
        headcount: 6,
      },
    },
  );
  if (result.errors) throw new Error(`registerPetition in ${region}: ${JSON.stringify(result.errors)}`);
  return result.data.registerPetition.warnings.find((warning: { kind: string }) => warning.kind === 'GROUP_VISIT').id;
}

/** Wuxi opens its warnings to Suzhou, as the demo does between the cities a hub starts with: proposed by one party, signed by the other. */
async function shareWuxiWarningsWithSuzhou(): Promise<void> {
  const proposed = await ask(
    tokens.wuxiAdmin,
    `mutation { createSharingAgreement(input: { title: "无锡—苏州信访预警共享", provider: "${WUXI.code}", recipient: "${SUZHOU.code}", categories: [PETITION_WARNINGS], validUntil: "2030-01-01T00:00:00Z" }) { id } }`,
  );
  expect(proposed.errors).toBeUndefined();
  const signed = await ask(tokens.suzhouAdmin, 'mutation ($id: ID!) { signSharingAgreement(id: $id) { status } }', {
    id: proposed.data.createSharingAgreement.id,
  });
  expect(signed.data?.signSharingAgreement.status).toBe('ACTIVE');
}

test('a city added while running is followed by a subscription that names it, one begun after that names none, and one already running', async () => {
  everyRegionBefore = track(subscribeWs(url, tokens.suzhou, SUBSCRIPTION));
  // Subscribed once an event made afterwards arrives.
  let suzhouWarning = '';
  expect(
    await repeatUntil(
      async () => void (suzhouWarning = await registerGroupVisit(SUZHOU.code, tokens.suzhou)),
      () => received(everyRegionBefore, suzhouWarning),
    ),
  ).toBe(true);
  const early = track(subscribeWs(url, tokens.suzhou, SUBSCRIPTION, { regions: [WUXI.code] }));
  expect(await eventually(() => early.errors.length > 0)).toBe(true);
  expect(early.errors.map((error) => error.extensions?.code)).toEqual(['UNKNOWN_REGION']);

  await reload([SUZHOU, { ...WUXI, url: first.url }], /regions\.yaml reloaded: region 320200 \(无锡市\) added/);
  await shareWuxiWarningsWithSuzhou();
  wuxiOnly = track(subscribeWs(url, tokens.wuxi, SUBSCRIPTION, { regions: [WUXI.code] }));
  everyRegionAfter = track(subscribeSse(url, tokens.suzhou, SUBSCRIPTION));
  const all = [wuxiOnly, everyRegionAfter, everyRegionBefore];
  let wuxiWarning = '';
  expect(
    await repeatUntil(
      async () => void (wuxiWarning = await registerGroupVisit(WUXI.code, tokens.wuxi)),
      () => all.every((subscription) => received(subscription, wuxiWarning)),
    ),
  ).toBe(true);
  for (const subscription of all) {
    expect(subscription.events.find((event) => event.warning.id === wuxiWarning)).toMatchObject({
      kind: 'RAISED',
      region: WUXI.code,
      warning: { kind: 'GROUP_VISIT' },
    });
    expect(subscription.errors).toEqual([]);
    expect(subscription.ended).toBeUndefined();
  }
}, 120_000);

test('a city whose endpoint moves is followed at its new address, by the subscriptions already running', async () => {
  await reload([SUZHOU, { ...WUXI, url: second.url }], new RegExp(`regions\\.yaml reloaded: region 320200 moved to ${second.url.replace(/[.]/g, '\\.')}`));
  // The old address answers no more: whatever still followed it would hear nothing.
  await first.stop();
  let wuxiWarning = '';
  const all = [wuxiOnly, everyRegionBefore];
  expect(
    await repeatUntil(
      async () => void (wuxiWarning = await registerGroupVisit(WUXI.code, tokens.wuxi)),
      () => all.every((subscription) => received(subscription, wuxiWarning)),
    ),
  ).toBe(true);
  expect(second.requests).toBeGreaterThan(0);
  for (const subscription of all) expect(subscription.ended).toBeUndefined();
}, 120_000);

test('a city removed: a subscription that followed only it ends with UNKNOWN_REGION; the others go on without it', async () => {
  await reload([SUZHOU], /regions\.yaml reloaded: region 320200 \(无锡市\) removed/);
  expect(await eventually(() => wuxiOnly.ended !== undefined)).toBe(true);
  expect(wuxiOnly.errors.map((error) => error.extensions?.code)).toEqual(['UNKNOWN_REGION']);
  expect(wuxiOnly.errors[0].message).toContain('region 320200 is no longer served by this hub');

  let suzhouWarning = '';
  const others = [everyRegionBefore, everyRegionAfter];
  expect(
    await repeatUntil(
      async () => void (suzhouWarning = await registerGroupVisit(SUZHOU.code, tokens.suzhou)),
      () => others.every((subscription) => received(subscription, suzhouWarning)),
    ),
  ).toBe(true);
  for (const subscription of others) {
    expect(subscription.errors).toEqual([]);
    expect(subscription.ended).toBeUndefined();
  }
  const late = track(subscribeWs(url, tokens.suzhou, SUBSCRIPTION, { regions: [WUXI.code] }));
  expect(await eventually(() => late.errors.length > 0)).toBe(true);
  expect(late.errors.map((error) => error.extensions?.code)).toEqual(['UNKNOWN_REGION']);
}, 120_000);
