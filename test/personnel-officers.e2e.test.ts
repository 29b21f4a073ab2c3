import { Pool } from 'pg';
import type { RunningHub } from '../launcher/hub';
import { makeCertificateNumber } from '../subgraphs/personnel/certificate-number';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { repoPath } from '../subgraphs/shared/repo-path';
import { DEMO_REGIONS, queryDatabase, rosterOfficer, startTestHub, testDatabaseUrl, TEST_SCALE, authHeaders, contextTokenFor } from './support/hub';

/**
 * Officers end to end through the gateway, and what the personnel data layer promises: no
 * statement more for fifty rows or references than for one, and migrations that apply once.
 */

let hub: RunningHub;
const JIAXING_OFFICER = '330400:1';

beforeAll(async () => {
  hub = await startTestHub('t_officers');
});
afterAll(async () => {
  await hub?.stop();
});

interface Result {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

/**
 * A GraphQL request through the gateway, signed in as `officer` (a demo officer id; Jiaxing's
 * demo petition officer when undefined, whose jurisdiction holds the records these tests read)
 * with a stated purpose, or with no credentials at all when null.
 */
async function send(query: string, variables: Record<string, unknown> = {}, officer?: string | null | { token: string }): Promise<Result> {
  const credentials =
    officer === null
      ? { authorization: '' }
      : typeof officer === 'object'
        ? { authorization: `Bearer ${officer.token}`, 'X-Purpose': 'record-keeping' }
        : await authHeaders(hub.gateway.graphqlUrl, { 'X-Officer': officer ?? '330400:1', 'X-Purpose': 'record-keeping' });
  const response = await fetch(hub.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Result;
}

const db = (region: string, sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(region)!, sql, params);

describe('officers', () => {
  test('by id and by login, with agency and jurisdiction names', async () => {
    const result = await send(`{
      officer(id: "330400:1") { id login agency agencyName jurisdiction jurisdictionName roles active certificateNumber }
      officerByLogin(region: "320500", login: "demo-320500-market-2") { id login agency agencyName jurisdiction roles certificateNumber }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.officer).toEqual({
      id: '330400:1',
      login: 'demo-330400',
      agency: 'PETITION_BUREAU',
      agencyName: '嘉兴市信访局',
      jurisdiction: '330400',
      jurisdictionName: '嘉兴市',
      roles: ['PETITION_OFFICER', 'SUPERVISOR'],
      active: true,
      certificateNumber: null,
    });
    const market = result.data.officerByLogin;
    expect(market).toMatchObject({ agency: 'MARKET_REGULATION', agencyName: '虎丘区市场监督管理局', jurisdiction: '320505', roles: ['ENFORCEMENT_OFFICER'] });
    expect(market.certificateNumber).toMatch(/^ZF32050003\d{5}[\dX]$/);
  });

  test('the fan-out list filters by agency, jurisdiction, role and active, in directory order', async () => {
    const list = async (filter: string) => {
      const result = await send(
        `{ officers(first: 100, filter: ${filter}) { edges { node { id region login agency jurisdiction roles active createdAt } } } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data.officers.edges.map((e: any) => e.node);
    };
    const market = await list('{ agency: MARKET_REGULATION, role: ENFORCEMENT_OFFICER }');
    expect(market).toHaveLength(DEMO_REGIONS.length * TEST_SCALE.officersPerAgency);
    const times = market.map((o: any) => Date.parse(o.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    expect((await list('{ jurisdiction: "3304", role: AUDITOR }')).map((o: any) => o.login)).toEqual(['demo-330400-auditor']);
    expect((await list('{ role: AGREEMENT_ADMIN }')).map((o: any) => o.login).sort()).toEqual(DEMO_REGIONS.map((r) => `demo-${r.code}-agreements`));
    const inactive = await list('{ active: false }');
    expect(inactive.map((o: any) => o.login).sort()).toEqual(DEMO_REGIONS.map((r) => `demo-${r.code}-inactive`));
    const nanhu = await list('{ jurisdiction: "330402" }');
    expect(nanhu.length).toBeGreaterThan(0);
    expect(nanhu.every((o: any) => o.jurisdiction === '330402')).toBe(true);
  });

  test('registerOfficer checks the certificate against agency and jurisdiction; a taken login is a CONFLICT', async () => {
    const REGISTER_OFFICER = `mutation($input: RegisterOfficerInput!) { registerOfficer(input: $input) { id login agencyName certificateNumber } }`;
    const input = {
      region: '330400',
      login: 'Jiashan-Market-09',
      name: '沈志强',
      agency: 'MARKET_REGULATION',
      jurisdiction: '330421',
      roles: ['ENFORCEMENT_OFFICER'],
      phone: '0573-84123456',
    };
    const valid = makeCertificateNumber('330400', 'MARKET_REGULATION', 901);
    const mistyped = valid.slice(0, 15) + (valid[15] === '0' ? '1' : '0');
    const wrongCheck = await send(REGISTER_OFFICER, { input: { ...input, certificateNumber: mistyped.toLowerCase() } }, JIAXING_OFFICER);
    expect(wrongCheck.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.certificateNumber' });
    expect(wrongCheck.errors?.[0].message).toMatch(/fails its check/);
    const wrongAgency = await send(
      REGISTER_OFFICER,
      { input: { ...input, certificateNumber: makeCertificateNumber('330400', 'HEALTH', 901) } },
      JIAXING_OFFICER,
    );
    expect(wrongAgency.errors?.[0].message).toMatch(/agency code/);
    const created = await send(REGISTER_OFFICER, { input: { ...input, certificateNumber: valid } }, JIAXING_OFFICER);
    expect(created.errors).toBeUndefined();
    expect(created.data.registerOfficer).toMatchObject({ login: 'jiashan-market-09', agencyName: '嘉善县市场监督管理局' });
    const taken = await send(
      REGISTER_OFFICER,
      { input: { ...input, login: 'demo-330400', certificateNumber: makeCertificateNumber('330400', 'MARKET_REGULATION', 902) } },
      JIAXING_OFFICER,
    );
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.login', existingId: '330400:1' });
  });
});

describe('the data layer', () => {
  test('persons with every link, and _entities for 1 or 50 references, cost the same number of statements', async () => {
    const statementsFor = async (request: () => Promise<Result>) => {
      const before = hub.statementCount('regions');
      const result = await request();
      expect(result.errors).toBeUndefined();
      return { statements: hub.statementCount('regions') - before, data: result.data };
    };
    // Fifty-five Suzhou residents in a category the seed never gives, so that every row of
    // either page has a category, a tagging officer and a history: the same links to follow.
    await db(
      '320500',
      `WITH tagged AS (
         INSERT INTO personnel.person_tags (person_id, category, person_registered_at, tagged_by)
         SELECT id, 'LEFT_BEHIND_CHILD', registered_at, 1 + id % 3 FROM personnel.persons WHERE id <= 55
         RETURNING person_id, category, tagged_by)
       INSERT INTO personnel.person_tag_events (person_id, category, action, officer_id) SELECT person_id, category, 'TAGGED', tagged_by FROM tagged`,
    );
    // Each page is asked by an officer new to the gateway, so that both pay the one roster
    // lookup of an officer's first request (later ones within seconds pay none).
    const page = async (first: number) => {
      const asker = await rosterOfficer(hub, { region: '320500', jurisdiction: '320500', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
      return statementsFor(() =>
        send(
          `{ persons(first: ${first}, regions: ["320500"], filter: { category: LEFT_BEHIND_CHILD }) {
          edges { node { name registeredBy { login } tags { category taggedBy { login agencyName } } tagHistory { officer { login } } } }
        } }`,
          {},
          asker,
        ),
      );
    };
    const [one, fifty] = [await page(1), await page(50)];
    expect(fifty.data.persons.edges).toHaveLength(50);
    expect(fifty.data.persons.edges.every((e: any) => e.node.tags.some((t: any) => t.taggedBy?.login))).toBe(true);
    expect(fifty.statements).toBe(one.statements);

    // Straight to Jiaxing's personnel subgraph, as the gateway sends a batch of references.
    const url = `${hub.regionServers.get('330400')!.url}/personnel/graphql`;
    // The first person holds a category, so that both batches follow the same links.
    const [{ id: tagged }] = await db('330400', 'SELECT min(person_id)::int AS id FROM personnel.person_tags');
    const others = (await db('330400', 'SELECT id::int FROM personnel.persons WHERE id <> $1 ORDER BY id LIMIT 49', [tagged])).map((r) => r.id);
    // Persons and officers in batches of their own: a tagging officer already loaded as a
    // reference of the same batch would save a statement, and the counts would differ by luck.
    const entities = (typename: string, ids: number[]) =>
      statementsFor(async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await contextTokenFor(hub, 'personnel', '330400:1')}` },
          body: JSON.stringify({
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name gender tags { taggedBy { login } } } ... on Officer { login agencyName } } }`,
            variables: { r: ids.map((id) => ({ __typename: typename, id: `330400:${id}` })) },
          }),
        });
        return (await response.json()) as Result;
      });
    const persons = [tagged, ...others];
    const [onePerson, fiftyPersons] = [await entities('Person', persons.slice(0, 1)), await entities('Person', persons)];
    expect(fiftyPersons.data._entities.filter((e: any) => e?.name)).toHaveLength(50);
    expect(fiftyPersons.statements).toBe(onePerson.statements);
    const officerIds = Array.from({ length: 25 }, (_, i) => i + 1);
    const [oneOfficer, manyOfficers] = [await entities('Officer', [1]), await entities('Officer', officerIds)];
    expect(manyOfficers.data._entities.filter((e: any) => e?.login)).toHaveLength(25);
    expect(manyOfficers.statements).toBe(oneOfficer.statements);
  });

  test('migrations on an empty database apply in order, and running them again changes nothing', async () => {
    const name = 't_officers_empty';
    await queryDatabase(testDatabaseUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await queryDatabase(testDatabaseUrl(), `CREATE DATABASE ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    const pool = new Pool({ connectionString: url.toString() });
    try {
      const migrations = readMigrations(repoPath('subgraphs', 'personnel', 'migrations'));
      const versions = migrations.map((m) => m.version);
      // Numbered 1, 2, 3… without a gap: a test that listed them went stale with each new migration.
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      expect(await migrate(pool, 'personnel', migrations)).toEqual(versions);
      expect(await migrate(pool, 'personnel', migrations)).toEqual([]);
      const { rows } = await pool.query("SELECT version FROM public.schema_migrations WHERE subgraph = 'personnel' ORDER BY version");
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await pool.end();
    }
  });
});
