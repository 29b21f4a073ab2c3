import { maskName } from '../auth/masking';
import type { RunningHub } from '../launcher/hub';
import { makeResidentId } from '../auth/resident-id';
import { DEMO_REGIONS, queryDatabase, startTestHub, TEST_SCALE, authHeaders, tokenWithClaims, writeRegionsFile } from './support/hub';
import { runCli } from './support/cli';
import { createPool } from '../subgraphs/shared/db';
import { HubLink } from '../subgraphs/shared/hub-link';
import { indexEarlierPersons } from '../subgraphs/personnel/resident-index-link';

/**
 * Persons end to end: through the gateway, against the regions' own databases.
 * Jiaxing (330400) is the home region of the persons registered here; its demo petition
 * officer is 330400:1 (login demo-330400).
 */

let hub: RunningHub;
let regionsFile: string;
const JIAXING_OFFICER = '330400:1';

beforeAll(async () => {
  regionsFile = writeRegionsFile(DEMO_REGIONS);
  hub = await startTestHub('t_persons', { regionsFile });
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
async function send(query: string, variables: Record<string, unknown> = {}, officer?: string | null): Promise<Result> {
  const credentials =
    officer === null ? { authorization: '' } : await authHeaders(hub.gateway.graphqlUrl, { 'X-Officer': officer ?? '330400:1', 'X-Purpose': 'record-keeping' });
  const response = await fetch(hub.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Result;
}

const db = (region: string, sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(region)!, sql, params);

const PERSON_FIELDS = 'id region name idNumber gender birthDate phone address homeJurisdiction homeJurisdictionName registeredAt';
const REGISTER = `mutation($input: RegisterPersonInput!) {
  registerPerson(input: $input) { ${PERSON_FIELDS} tags { category taggedBy { login } } registeredBy { id login } }
}`;

const validInput = (overrides: Record<string, unknown> = {}) => ({
  region: '330400',
  name: '欧阳明',
  idNumber: makeResidentId('330421', '1988-02-29', 913),
  phone: '138 1234 5678',
  address: '嘉兴市嘉善县人民路1号',
  homeJurisdiction: '330421',
  categories: ['PETITION_KEY_PERSON'],
  note: '多次越级访',
  ...overrides,
});

describe('persons', () => {
  test('gender and birth date are derived from the id number, as the database holds it', async () => {
    const result = await send(`{ persons(first: 100, regions: ["330400"]) { edges { node { id idNumber gender birthDate } } } }`);
    expect(result.errors).toBeUndefined();
    const nodes = result.data.persons.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(TEST_SCALE.persons);
    const rows = await db(
      '330400',
      `SELECT id::text, id_number,
              substr(id_number, 7, 4) || '-' || substr(id_number, 11, 2) || '-' || substr(id_number, 13, 2) AS birth,
              CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN 'MALE' ELSE 'FEMALE' END AS gender
         FROM personnel.persons`,
    );
    const byId = new Map(rows.map((row) => [`330400:${row.id}`, row]));
    for (const node of nodes) {
      const row = byId.get(node.id)!;
      expect([node.idNumber, node.birthDate, node.gender]).toEqual([row.id_number, row.birth, row.gender]);
    }
    expect(new Set(nodes.map((n: any) => n.gender))).toEqual(new Set(['MALE', 'FEMALE']));
  });

  test('the fan-out list: newest first across regions, each person once, filters by category and home', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let previous = Infinity;
    for (let page = 0; page < 100; page++) {
      const result: Result = await send(
        `query($after: String) { persons(first: 37, after: $after) { edges { node { id registeredAt } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      for (const { node } of result.data.persons.edges) {
        expect(Date.parse(node.registeredAt)).toBeLessThanOrEqual(previous);
        previous = Date.parse(node.registeredAt);
        seen.push(node.id);
      }
      if (!result.data.persons.pageInfo.hasNextPage) break;
      after = result.data.persons.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(TEST_SCALE.persons * DEMO_REGIONS.length);

    // Key-person tags are owner-only: each region's own officer lists its tagged persons.
    let total = 0;
    for (const region of DEMO_REGIONS) {
      const tagged = await send(
        `{ persons(first: 100, regions: ["${region.code}"], filter: { category: PETITION_KEY_PERSON }) { edges { node { id tags { category taggedBy { agency } } } } } }`,
        {},
        `${region.code}:1`,
      );
      expect(tagged.errors).toBeUndefined();
      const [{ n }] = await db(region.code, "SELECT count(*)::int AS n FROM personnel.person_tags WHERE category = 'PETITION_KEY_PERSON'");
      expect(tagged.data.persons.edges.length).toBe(n);
      for (const { node } of tagged.data.persons.edges) expect(node.tags.map((t: any) => t.category)).toContain('PETITION_KEY_PERSON');
      total += n;
    }
    expect(total).toBeGreaterThan(0);

    const jiashan = await send(
      `{ persons(first: 100, filter: { homeJurisdiction: "330421" }) { edges { node { region homeJurisdiction homeJurisdictionName } } } }`,
    );
    const [{ n }] = await db('330400', "SELECT count(*)::int AS n FROM personnel.persons WHERE home_jurisdiction = '330421'");
    expect(jiashan.data.persons.edges).toHaveLength(n);
    expect(jiashan.data.persons.edges.every((e: any) => e.node.homeJurisdictionName === '嘉善县' && e.node.region === '330400')).toBe(true);

    const badFilter = await send(`{ persons(filter: { homeJurisdiction: "33-04" }) { edges { node { id } } } }`);
    expect(badFilter.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.homeJurisdiction' });
  });

  test('registerPerson stores a normalised record with its categories, and who did it', async () => {
    const result = await send(REGISTER, { input: validInput() }, JIAXING_OFFICER);
    expect(result.errors).toBeUndefined();
    const person = result.data.registerPerson;
    expect(person).toMatchObject({
      region: '330400',
      name: '欧阳明',
      gender: 'MALE',
      birthDate: '1988-02-29',
      phone: '13812345678',
      homeJurisdiction: '330421',
      homeJurisdictionName: '嘉善县',
      tags: [{ category: 'PETITION_KEY_PERSON', taggedBy: { login: 'demo-330400' } }],
      registeredBy: { id: JIAXING_OFFICER, login: 'demo-330400' },
    });
    const [row] = await db('330400', 'SELECT name, phone, registered_by::text FROM personnel.persons WHERE id = $1', [person.id.split(':')[1]]);
    expect(row).toEqual({ name: '欧阳明', phone: '13812345678', registered_by: '1' });

    const found = await send(`{ personByIdNumber(region: "330400", idNumber: "${person.idNumber}") { id } }`);
    expect(found.data.personByIdNumber.id).toBe(person.id);
  });

  test('one person, one record: an id number registered in Jiaxing is refused in Suzhou, naming the Jiaxing person', async () => {
    const idNumber = makeResidentId('330421', '1991-07-08', 935);
    const first = await send(REGISTER, { input: validInput({ idNumber, categories: [] }) }, JIAXING_OFFICER);
    expect(first.errors).toBeUndefined();
    const jiaxingId = first.data.registerPerson.id;

    const before = await countRows('320500');
    const suzhou = validInput({ region: '320500', idNumber, name: '欧阳明', address: '苏州市吴江区中山南路1号', homeJurisdiction: '320509', categories: [] });
    const second = await send(REGISTER, { input: suzhou }, '320500:1');
    expect(second.data).toBeNull();
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idNumber', existingId: jiaxingId, existingRegion: '330400' });
    expect(second.errors?.[0].message).toBe(
      `input.idNumber: this id number is already registered in region 330400 as person ${jiaxingId}: one person, one record — a change of household registration moves that record here (movePersonHome) instead of registering a second one`,
    );
    expect(await countRows('320500')).toEqual(before);
    expect(await db('320500', 'SELECT count(*)::int AS n FROM personnel.persons WHERE id_number = $1', [idNumber])).toEqual([{ n: 0 }]);

    // The hub keeps which region holds the number, under a keyed hash: never the number itself.
    const index = await queryDatabase(
      hub.databaseUrls.get('hub')!,
      "SELECT region, length(id_hash) AS bytes, position(convert_to($2, 'UTF8') IN id_hash) AS plain FROM directory.resident_index WHERE person_id = $1",
      [jiaxingId, idNumber],
    );
    expect(index).toEqual([{ region: '330400', bytes: 32, plain: 0 }]);
  });

  test('records older than the index (the demo data) are entered by the background pass, and then refused elsewhere', async () => {
    const [seeded] = await db('330400', 'SELECT id::text, id_number, indexed_at FROM personnel.persons WHERE id = 11');
    expect(seeded.indexed_at).toBeNull();
    const pool = createPool(hub.databaseUrls.get('330400')!, 2);
    try {
      const link = { db: pool, hub: new HubLink(hub.identity.serviceCredentials('330400'), hub.gateway.graphqlUrl), region: '330400' };
      while ((await indexEarlierPersons(link)) > 0);
    } finally {
      await pool.end();
    }
    expect(await db('330400', 'SELECT count(*)::int AS n FROM personnel.persons WHERE indexed_at IS NULL')).toEqual([{ n: 0 }]);
    const suzhou = validInput({ region: '320500', idNumber: seeded.id_number, homeJurisdiction: '320509', address: '苏州市吴江区1号', categories: [] });
    const refused = await send(REGISTER, { input: suzhou }, '320500:1');
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: '330400:11', existingRegion: '330400' });
  });

  test('a change of household registration moves the record to the new home region, keeping the old one with its history', async () => {
    const idNumber = makeResidentId('330402', '1979-03-15', 947);
    const registered = await send(REGISTER, { input: validInput({ idNumber, homeJurisdiction: '330402', address: '嘉兴市南湖区建设路2号' }) }, JIAXING_OFFICER);
    expect(registered.errors).toBeUndefined();
    const oldId = registered.data.registerPerson.id;
    await send('mutation($id: ID!) { tagPerson(id: $id, category: ELDERLY_LIVING_ALONE, note: "家属反映") { id } }', { id: oldId }, JIAXING_OFFICER);

    const MOVE = `mutation($id: ID!, $input: MovePersonHomeInput!) { movePersonHome(id: $id, input: $input) { id movedTo } }`;
    const sameRegion = await send(MOVE, { id: oldId, input: { homeJurisdiction: '330421' } }, JIAXING_OFFICER);
    expect(sameRegion.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.homeJurisdiction' });
    const byPartner = await send(MOVE, { id: oldId, input: { homeJurisdiction: '320509' } }, '320500:1');
    expect(byPartner.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const moved = await send(
      MOVE,
      { id: oldId, input: { homeJurisdiction: '320509', address: '苏州市吴江区松陵街道1号', note: '投靠子女迁入' } },
      JIAXING_OFFICER,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.movePersonHome).toEqual({ id: oldId, movedTo: expect.stringMatching(/^320500:\d+$/) });
    const fetched = await send(
      'query($id: ID!) { person(id: $id) { id region idNumber homeJurisdiction address movedFrom tags { category note } } }',
      { id: moved.data.movePersonHome.movedTo },
      '320500:1',
    );
    expect(fetched.errors).toBeUndefined();
    const record = fetched.data.person;
    expect(record).toMatchObject({ region: '320500', idNumber, homeJurisdiction: '320509', address: '苏州市吴江区松陵街道1号', movedFrom: oldId });
    expect(record.tags.map((t: any) => t.category).sort()).toEqual(['ELDERLY_LIVING_ALONE', 'PETITION_KEY_PERSON']);
    expect(record.tags[0].note).toBe(`随户籍迁入（原记录${oldId}）`);

    // The old record stays in Jiaxing, closed, with its history, naming the new one.
    const old = await send('query($id: ID!) { person(id: $id) { id movedTo movedAt tagHistory { category action } } }', { id: oldId });
    expect(old.data.person).toMatchObject({ id: oldId, movedTo: record.id, movedAt: expect.any(String) });
    expect(old.data.person.tagHistory.map((e: any) => e.category)).toEqual(['PETITION_KEY_PERSON', 'ELDERLY_LIVING_ALONE']);
    const closed = await send('mutation($id: ID!) { untagPerson(id: $id, category: ELDERLY_LIVING_ALONE, note: "x") { id } }', { id: oldId }, JIAXING_OFFICER);
    expect(closed.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', movedTo: record.id });
    expect((await send(MOVE, { id: oldId, input: { homeJurisdiction: '320509' } }, JIAXING_OFFICER)).errors?.[0].extensions?.code).toBe('CONFLICT');

    // The hub's index follows the record: a registration in Hefei is refused naming the Suzhou one.
    const hefei = await send(
      REGISTER,
      { input: validInput({ region: '340100', idNumber, homeJurisdiction: '340102', address: '合肥市瑶海区1号', categories: [] }) },
      '340100:1',
    );
    expect(hefei.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: record.id, existingRegion: '320500' });

    // Suzhou's audit rows of the move name Suzhou's record, the one they changed: the pending
    // record's receipt and its settling are both in its trail, not under Jiaxing's id.
    const suzhouRows = await db('320500', "SELECT action, record FROM audit.entries WHERE action LIKE 'CHANGE:%MovedPerson' ORDER BY seq");
    expect(suzhouRows).toEqual([
      { action: 'CHANGE:receiveMovedPerson', record: `Person:${record.id}` },
      { action: 'CHANGE:settleMovedPerson', record: `Person:${record.id}` },
    ]);

    // Both regions' audit chains verify after the move (nothing was deleted or rewritten).
    for (const region of ['330400', '320500']) {
      const verified = await runCli(['audit', 'verify', '--region', region, '--url', hub.gateway.graphqlUrl, '--regions', regionsFile], {
        HUB_DATA_DIR: hub.dataDir,
        HUB_SCALE: `${region}:officersPerAgency=${TEST_SCALE.officersPerAgency}`,
      });
      expect({ region, code: verified.code, stdout: verified.stdout }).toEqual({
        region,
        code: 0,
        stdout: expect.stringMatching(new RegExp(`${region}: intact \\(\\d+ rows, `)),
      });
    }
  });

  test('a move the new home region refuses answers its refusal, naming it; one it cannot answer is REGION_UNAVAILABLE; either way nothing moves', async () => {
    const idNumber = makeResidentId('330402', '1981-07-09', 951);
    const registered = await send(REGISTER, { input: validInput({ idNumber, homeJurisdiction: '330402', address: '嘉兴市南湖区建设路3号' }) }, JIAXING_OFFICER);
    expect(registered.errors).toBeUndefined();
    const oldId = registered.data.registerPerson.id;
    const MOVE = `mutation($id: ID!, $input: MovePersonHomeInput!) { movePersonHome(id: $id, input: $input) { id movedTo } }`;
    const nothingMoved = async () => {
      const old = await send('query($id: ID!) { person(id: $id) { movedTo movedAt moves { to } } }', { id: oldId });
      expect(old.data.person).toEqual({ movedTo: null, movedAt: null, moves: [] });
      expect(await db('320500', 'SELECT id FROM personnel.persons WHERE id_number = $1', [idNumber])).toEqual([]);
    };

    // Suzhou keeps no household registration at the city itself: its own rule, its own refusal.
    const refused = await send(MOVE, { id: oldId, input: { homeJurisdiction: '320500' } }, JIAXING_OFFICER);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.homeJurisdiction', receivingRegion: '320500' });
    expect(refused.errors![0].message).toMatch(/^input\.homeJurisdiction: region 320500 refused the record: must name a county or street of 苏州市/);
    await nothingMoved();

    // Suzhou's database refusing connections: no answer from the region, so it is REGION_UNAVAILABLE.
    const suzhou = hub.databaseUrls.get('320500')!;
    const database = new URL(suzhou).pathname.slice(1);
    await queryDatabase(suzhou, `ALTER DATABASE ${database} CONNECTION LIMIT 0`);
    try {
      await queryDatabase(suzhou, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      const unanswered = await send(MOVE, { id: oldId, input: { homeJurisdiction: '320509' } }, JIAXING_OFFICER);
      expect(unanswered.errors?.[0].extensions).toMatchObject({ code: 'REGION_UNAVAILABLE', receivingRegion: '320500' });
      expect(unanswered.errors?.[0].message).toContain('region 320500 did not answer');
    } finally {
      await queryDatabase(suzhou, `ALTER DATABASE ${database} CONNECTION LIMIT -1`);
    }
    await nothingMoved();
  });

  test('a duplicate id number is a CONFLICT naming the person who holds it', async () => {
    const [seeded] = await db('330400', 'SELECT id::text, id_number FROM personnel.persons WHERE id = 7');
    const before = await countRows('330400');
    const result = await send(REGISTER, { input: validInput({ idNumber: seeded.id_number }) }, JIAXING_OFFICER);
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idNumber', existingId: '330400:7' });
    expect(result.errors?.[0].message).toContain('330400:7');
    expect(await countRows('330400')).toEqual(before);
  });

  const good = makeResidentId('330421', '1990-05-17', 924);
  test.each([
    ['input.idNumber', { idNumber: good.slice(0, 17) }, 'LENGTH'],
    ['input.idNumber', { idNumber: `${good.slice(0, 16)}A${good[17]}` }, 'CHARACTERS'],
    ['input.idNumber', { idNumber: makeResidentId('990421', '1990-05-17', 924) }, 'AREA_CODE'],
    ['input.idNumber', { idNumber: makeResidentId('330421', '1990-02-30', 924) }, 'BIRTH_DATE'],
    ['input.idNumber', { idNumber: makeResidentId('330421', '2999-01-01', 924) }, 'BIRTH_DATE'],
    ['input.idNumber', { idNumber: good.slice(0, 17) + (good[17] === '0' ? '1' : '0') }, 'CHECK_CHARACTER'],
    ['input.phone', { phone: '1381234567' }, undefined],
    ['input.homeJurisdiction', { homeJurisdiction: '320509' }, undefined],
    ['input.homeJurisdiction', { homeJurisdiction: '330400' }, undefined],
    ['input.homeJurisdiction', { homeJurisdiction: '330499' }, undefined],
    ['input.name', { name: '  ' }, undefined],
    ['input.name', { name: '张3' }, undefined],
    ['input.note', { note: '长'.repeat(501) }, undefined],
  ])('%s refused (%j), nothing written', async (field, overrides, defect) => {
    const before = await countRows('330400');
    const result = await send(REGISTER, { input: validInput({ idNumber: good, ...overrides }) }, JIAXING_OFFICER);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, ...(defect ? { defect } : {}) });
    expect(result.errors![0].message.startsWith(`${field}: `)).toBe(true);
    expect(await countRows('330400')).toEqual(before);
  });

  test('changes are made by an active officer of the region, as the caller token says', async () => {
    const input = validInput({ idNumber: makeResidentId('330402', '1975-11-03', 931), categories: [] });
    const none = await send(REGISTER, { input }, null);
    expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const partner = await send(REGISTER, { input }, '320500:1');
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [inactive] = await db('330400', "SELECT id::text FROM personnel.officers WHERE login = 'demo-330400-inactive'");
    // An officer who has left is no longer on the roster: the gateway lets them in no more.
    const left = await send(REGISTER, { input }, `330400:${inactive.id}`);
    expect(left.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // A valid token from Zhejiang's provider for someone this region has no record of.
    const stranger = await tokenWithClaims(hub, { id: '330400:9999', jurisdiction: '330400', roles: ['PETITION_OFFICER'] });
    const unknown = (await (
      await fetch(hub.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stranger}` },
        body: JSON.stringify({ query: REGISTER, variables: { input } }),
      })
    ).json()) as Result;
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await db('330400', 'SELECT 1 FROM personnel.persons WHERE id_number = $1', [input.idNumber])).length).toBe(0);
  });

  test('tagging: recorded with who and when, kept in the history, one winner when two officers race', async () => {
    const [{ id }] = await db(
      '330400',
      'SELECT p.id::text FROM personnel.persons p WHERE NOT EXISTS (SELECT 1 FROM personnel.person_tags t WHERE t.person_id = p.id) ORDER BY id LIMIT 1',
    );
    const personId = `330400:${id}`;
    const TAG = `mutation($id: ID!, $note: String) { tagPerson(id: $id, category: LOW_INCOME, note: $note) { tags { category note taggedBy { login } } } }`;
    const UNTAG = `mutation($id: ID!) { untagPerson(id: $id, category: LOW_INCOME, note: "脱贫") { tags { category } tagHistory { category action note officer { login } } } }`;

    // Two city-level officers (a county officer could not read another county's tags back).
    const race = await Promise.all([
      send(TAG, { id: personId, note: '低保审批' }, '330400:1'),
      send(TAG, { id: personId, note: '低保审批' }, hub.identity.demoOfficer('demo-330400-police-1').id),
    ]);
    const winners = race.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(race.find((r) => r.errors)!.errors![0].extensions?.code).toBe('CONFLICT');
    expect(winners[0].data.tagPerson.tags).toEqual([{ category: 'LOW_INCOME', note: '低保审批', taggedBy: { login: expect.stringMatching(/^demo-330400/) } }]);

    const untagged = await send(UNTAG, { id: personId }, JIAXING_OFFICER);
    expect(untagged.errors).toBeUndefined();
    expect(untagged.data.untagPerson.tags).toEqual([]);
    expect(untagged.data.untagPerson.tagHistory.map((e: any) => [e.action, e.note, e.officer.login])).toEqual([
      ['TAGGED', '低保审批', expect.stringMatching(/^demo-330400/)],
      ['UNTAGGED', '脱贫', 'demo-330400'],
    ]);
    const again = await send(UNTAG, { id: personId }, JIAXING_OFFICER);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const [{ n }] = await db('330400', 'SELECT count(*)::int AS n FROM personnel.person_tag_events WHERE person_id = $1', [id]);
    expect(n).toBe(2);
  });

  test('unknown ids and numbers: null with NOT_FOUND', async () => {
    const result = await send(`{
      person(id: "330400:99999") { id }
      officer(id: "320500:99999") { id }
      personByIdNumber(region: "330400", idNumber: "${makeResidentId('330402', '1966-06-06', 998)}") { id }
      officerByLogin(region: "310000", login: "nobody") { id }
    }`);
    expect(result.data).toEqual({ person: null, officer: null, personByIdNumber: null, officerByLogin: null });
    expect(result.errors!.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    const tag = await send(`mutation { tagPerson(id: "330400:99999", category: LOW_INCOME) { id } }`, {}, JIAXING_OFFICER);
    expect(tag.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('a person referenced from another region resolves in their home region', async () => {
    const result = await send(`{ petitionWarnings(first: 100) { edges { node { region subject { id region name gender birthDate } } } } }`);
    expect(result.errors).toBeUndefined();
    const crossing = result.data.petitionWarnings.edges.map((e: any) => e.node).filter((n: any) => n.subject && n.subject.region !== n.region);
    expect(crossing.length).toBeGreaterThan(0);
    // Asked by a Jiaxing officer: names in full for Jiaxing and Suzhou (the Jiaxing–Suzhou
    // agreement opens personal data), masked for Shanghai and Hefei (basic data only).
    for (const { subject } of crossing.slice(0, 20)) {
      const [row] = await db(subject.region, 'SELECT name FROM personnel.persons WHERE id = $1', [subject.id.split(':')[1]]);
      expect(subject.name).toBe(['330400', '320500'].includes(subject.region) ? row.name : maskName(row.name));
      expect(['MALE', 'FEMALE']).toContain(subject.gender);
    }
  });
});

/** Rows a registration could leave behind. */
async function countRows(region: string): Promise<number[]> {
  const [row] = await db(
    region,
    `SELECT (SELECT count(*)::int FROM personnel.persons) AS persons,
            (SELECT count(*)::int FROM personnel.person_tags) AS tags,
            (SELECT count(*)::int FROM personnel.person_tag_events) AS events`,
  );
  return [row.persons, row.tags, row.events];
}
