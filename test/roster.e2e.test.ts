import { createServer } from 'node:net';
import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, queryDatabase, rosterOfficer, startTestHub, tokenFor, tokenWithClaims, writeRegionsFile } from './support/hub';

/**
 * Callers are officers on the roster (README, "Callers and tokens"): a token from a trusted
 * provider is accepted only when its `sub` is an active officer in the personnel records of the
 * region the id names, with the jurisdiction the roster gives, the agency too when the token
 * states one, and only roles the roster gives. Anything else is HTTP 401 UNAUTHENTICATED, for
 * reads and writes alike; a roster that cannot be read refuses the caller (HTTP 503,
 * ROSTER_UNAVAILABLE). Service identities are not officers and pass as before.
 */

let hub: RunningHub;
const NANJING = '320100';

/** A port nothing listens on: Nanjing's region "is served" there, and never answers. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const dead = `http://127.0.0.1:${await closedPort()}`;
  hub = await startTestHub('t_roster', { regionsFile: writeRegionsFile([...DEMO_REGIONS, { code: NANJING, name: '南京市', url: dead, timeout_ms: 1000 }]) });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

const url = () => hub.gateway.graphqlUrl;
const READ = '{ persons(first: 3, regions: ["330400"]) { edges { node { id name idNumber } } } }';
const REGISTER = `mutation($input: RegisterPetitionInput!) { registerPetition(input: $input) { id registeredBy { id } } }`;
const petitionInput = (summary: string, region = '330400', registeredIn = '330421') => ({
  input: { region, channel: 'VISIT', category: '劳资纠纷欠薪', summary, content: '某公司拖欠工资三个月', registeredIn, petitionerIds: [`${region}:5`] },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'X-Purpose': 'petition-handling' });
const petitionsWithSummary = async (region: string, summary: string) =>
  (await queryDatabase(hub.databaseUrls.get(region)!, 'SELECT 1 FROM petitions.petitions WHERE summary = $1', [summary])).length;

function expectUnauthenticated(result: Awaited<ReturnType<typeof graphql>>, reason: RegExp) {
  expect(result.status).toBe(401);
  expect(result.data).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(result.errors![0].message).toMatch(reason);
}

describe('a token is accepted only for an active officer on the roster', () => {
  test('a roster officer with the claims the roster gives is let in (the token may leave out the agency)', async () => {
    const result = await graphql(url(), READ, {}, { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' });
    expect(result.errors).toBeUndefined();
    expect(result.data.persons.edges).toHaveLength(3);
    const noAgency = await tokenWithClaims(hub, { id: '330400:1', jurisdiction: '330400', roles: ['PETITION_OFFICER'] });
    const narrowed = await graphql(url(), READ, {}, bearer(noAgency));
    expect(narrowed.errors).toBeUndefined();
  });

  test('an id on no roster (330400:9999) neither registers a petition nor reads', async () => {
    const token = await tokenWithClaims(hub, { id: '330400:9999', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
    const write = await graphql(url(), REGISTER, petitionInput('无此人登记'), bearer(token));
    expectUnauthenticated(write, /330400:9999 is not an active officer on the roster of region 330400/);
    expect(await petitionsWithSummary('330400', '无此人登记')).toBe(0);
    expectUnauthenticated(await graphql(url(), READ, {}, bearer(token)), /not an active officer on the roster/);
  });

  test('an officer who has left (demo-330400-inactive) is refused for reads and writes, in the words used for an unknown id', async () => {
    const inactive = hub.identity.demoOfficer('demo-330400-inactive');
    const token = await tokenFor(url(), inactive.id);
    const read = await graphql(url(), READ, {}, bearer(token));
    expectUnauthenticated(read, new RegExp(`${inactive.id} is not an active officer on the roster of region 330400`));
    expect(read.errors![0].message).not.toMatch(/inactive|left/);
    const input = petitionInput('离职人员登记', '330400', inactive.jurisdiction);
    expectUnauthenticated(await graphql(url(), REGISTER, input, bearer(token)), /not an active officer on the roster/);
    expect(await petitionsWithSummary('330400', '离职人员登记')).toBe(0);
  });

  test('a Hefei officer’s id with a Jiaxing jurisdiction does not record a Jiaxing petition as his', async () => {
    const token = await tokenWithClaims(hub, { id: '340100:1', jurisdiction: '330400', roles: ['PETITION_OFFICER'] });
    const write = await graphql(url(), REGISTER, petitionInput('冒名登记'), bearer(token));
    expectUnauthenticated(write, /the token's jurisdiction 330400 is not the one the roster gives 340100:1/);
    expect(await petitionsWithSummary('330400', '冒名登记')).toBe(0);
  });

  test('a jurisdiction other than the roster’s, inside the same region, is refused too', async () => {
    // 330400:1 works at city level; a token placing him in 嘉善 is not his.
    const token = await tokenWithClaims(hub, { id: '330400:1', jurisdiction: '330421', roles: ['PETITION_OFFICER'] });
    expectUnauthenticated(await graphql(url(), READ, {}, bearer(token)), /jurisdiction 330421 is not the one the roster gives 330400:1/);
  });

  test('a role the roster does not give is refused (a market officer claiming petition work)', async () => {
    const market = hub.identity.demoOfficer('demo-330400-market-1');
    const token = await tokenWithClaims(hub, { id: market.id, jurisdiction: market.jurisdiction, roles: ['ENFORCEMENT_OFFICER', 'PETITION_OFFICER'] });
    const write = await graphql(url(), REGISTER, petitionInput('越权登记'), bearer(token));
    expectUnauthenticated(write, new RegExp(`the roster does not give ${market.id} the role PETITION_OFFICER the token claims`));
    expect(await petitionsWithSummary('330400', '越权登记')).toBe(0);
  });

  test('an agency the token states must be the roster’s', async () => {
    const market = hub.identity.demoOfficer('demo-330400-market-1');
    const token = await tokenWithClaims(hub, { id: market.id, jurisdiction: market.jurisdiction, agency: 'PETITION_BUREAU', roles: ['ENFORCEMENT_OFFICER'] });
    expectUnauthenticated(await graphql(url(), READ, {}, bearer(token)), /the token's agency PETITION_BUREAU is not the one the roster gives/);
  });

  test('an officer of a city this hub does not serve has no roster here', async () => {
    const token = await tokenWithClaims(hub, { id: '330100:1', jurisdiction: '330100', roles: ['PETITION_OFFICER'] });
    expectUnauthenticated(await graphql(url(), READ, {}, bearer(token)), /330100:1 is not an active officer on the roster of region 330100/);
  });

  test('a roster entry placing its officer outside its own region vouches for nobody', async () => {
    // Written past registerOfficer (which refuses it), as someone with database access could.
    const [{ id }] = await queryDatabase(
      hub.databaseUrls.get('340100')!,
      `INSERT INTO personnel.officers (login, name, agency, jurisdiction, roles) VALUES ('test-outside', '外地', 'PETITION_BUREAU', '330421', '{PETITION_OFFICER}') RETURNING id::text`,
    );
    const token = await tokenWithClaims(hub, { id: `340100:${id}`, jurisdiction: '330421', roles: ['PETITION_OFFICER'] });
    expectUnauthenticated(await graphql(url(), READ, {}, bearer(token)), /is not an active officer on the roster of region 340100/);
  });

  test('service identities are not officers and are let in as before', async () => {
    const token = await hub.identity.serviceCredentials('330400')();
    const result = await graphql(url(), '{ jurisdiction(code: "330400") { name } }', {}, { authorization: `Bearer ${token}` });
    expect(result.errors).toBeUndefined();
    expect(result.data.jurisdiction.name).toBe('嘉兴市');
  });
});

describe('the lookup is cached for seconds and fails closed', () => {
  test('an officer marked as having left is refused within seconds, and let in again once back', async () => {
    const officer = await rosterOfficer(hub, { region: '330400', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
    expect((await graphql(url(), READ, {}, bearer(officer.token))).status).toBe(200);
    const SET = 'mutation($id: ID!, $active: Boolean!) { setOfficerActive(id: $id, active: $active) { active } }';
    const left = await graphql(url(), SET, { id: officer.id, active: false }, { 'X-Officer': '330400:1' });
    expect(left.errors).toBeUndefined();
    // The cache holds an answer for about two seconds; poll rather than time it.
    const statusWithin = async (wanted: number) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const { status } = await graphql(url(), READ, {}, bearer(officer.token));
        if (status === wanted) return status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    };
    expect(await statusWithin(401)).toBe(401);
    expect((await graphql(url(), SET, { id: officer.id, active: true }, { 'X-Officer': '330400:1' })).errors).toBeUndefined();
    expect(await statusWithin(200)).toBe(200);
  });

  test('when a region’s personnel records cannot be read, its officers are refused (HTTP 503 ROSTER_UNAVAILABLE), others are not', async () => {
    const token = await tokenWithClaims(hub, { id: `${NANJING}:1`, jurisdiction: NANJING, roles: ['PETITION_OFFICER'] });
    const before = hub.statementCount();
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await graphql(url(), READ, {}, bearer(token));
      expect(result.status).toBe(503);
      expect(result.data).toBeUndefined();
      expect(result.errors![0].extensions).toMatchObject({ code: 'ROSTER_UNAVAILABLE', region: NANJING });
      expect(result.errors![0].message).toMatch(/roster of region 320100 could not be checked/);
      expect(result.errors![0].message).not.toMatch(/127\.0\.0\.1|http:/);
    }
    expect(hub.statementCount()).toBe(before);
    const jiaxing = await graphql(url(), READ, {}, { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' });
    expect(jiaxing.errors).toBeUndefined();
  });
});
