import type { RunningHub } from '../launcher/hub';
import { makeResidentId } from '../auth/resident-id';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubLink } from '../subgraphs/shared/hub-link';
import { graphql, queryDatabase, startTestHub, TEST_SCALE } from './support/hub';

/**
 * One person, one record across regions, where the hub's resident index and the regions'
 * records could drift apart: a person moving back to a region they left, and a registration
 * that failed after it had claimed the number.
 */

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub('t_resident_index', { scale: { ...TEST_SCALE, persons: 5, petitions: 5, warnings: 2, inspections: 1 } });
});
afterAll(async () => {
  await hub?.stop();
});

const as = (officer: string) => ({ 'X-Officer': officer, 'X-Purpose': 'record-keeping' });
const send = (query: string, variables: Record<string, unknown>, officer: string) => graphql(hub.gateway.graphqlUrl, query, variables, as(officer));
const db = (region: string, sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(region)!, sql, params);
const hubDb = (sql: string, params: unknown[] = []) => db('hub', sql, params);

const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id region } }`;
const MOVE = `mutation($id: ID!, $input: MovePersonHomeInput!) { movePersonHome(id: $id, input: $input) { id movedTo } }`;
const RECORD = `query($id: ID!) { person(id: $id) {
  id region idNumber homeJurisdiction movedFrom movedTo tags { category }
  moves { from to fromJurisdiction toJurisdiction at note }
} }`;

const suzhouPerson = (idNumber: string) => ({
  region: '320500',
  name: '沈家和',
  idNumber,
  address: '苏州市吴江区松陵街道9号',
  homeJurisdiction: '320509',
  categories: [],
});
const jiaxingPerson = (idNumber: string, overrides: Record<string, unknown> = {}) => ({
  region: '330400',
  name: '沈家和',
  idNumber,
  address: '嘉兴市南湖区建设路3号',
  homeJurisdiction: '330402',
  categories: ['LOW_INCOME'],
  ...overrides,
});

describe('a household registration moved away and back (户籍迁出再迁回)', () => {
  test('Jiaxing → Suzhou → Jiaxing: the record comes home with both moves, the index names it, every id still resolves', async () => {
    const idNumber = makeResidentId('330402', '1968-09-12', 451);
    const registered = await send(REGISTER, { input: jiaxingPerson(idNumber) }, '330400:1');
    expect(registered.errors).toBeUndefined();
    const first = registered.data.registerPerson.id;

    const out = await send(MOVE, { id: first, input: { homeJurisdiction: '320509', address: '苏州市吴江区松陵街道8号', note: '投靠子女迁入' } }, '330400:1');
    expect(out.errors).toBeUndefined();
    const inSuzhou = out.data.movePersonHome.movedTo;

    const back = await send(MOVE, { id: inSuzhou, input: { homeJurisdiction: '330402', address: '嘉兴市南湖区建设路3号', note: '回原籍' } }, '320500:1');
    expect(back.errors).toBeUndefined();
    expect(back.data.movePersonHome).toEqual({ id: inSuzhou, movedTo: expect.stringMatching(/^330400:\d+$/) });
    const home = back.data.movePersonHome.movedTo;

    const fetched = await send(RECORD, { id: home }, '330400:1');
    expect(fetched.errors).toBeUndefined();
    expect(fetched.data.person).toMatchObject({ region: '330400', idNumber, homeJurisdiction: '330402', movedFrom: inSuzhou, movedTo: null });
    expect(fetched.data.person.tags).toEqual([{ category: 'LOW_INCOME' }]);
    expect(fetched.data.person.moves).toEqual([
      { from: first, to: inSuzhou, fromJurisdiction: '330402', toJurisdiction: '320509', at: expect.any(String), note: '投靠子女迁入' },
      { from: inSuzhou, to: home, fromJurisdiction: '320509', toJurisdiction: '330402', at: expect.any(String), note: '回原籍' },
    ]);

    // Both earlier records stay, closed, each naming where the person went.
    const [original, suzhou] = await Promise.all([send(RECORD, { id: first }, '330400:1'), send(RECORD, { id: inSuzhou }, '320500:1')]);
    expect(original.data.person).toMatchObject({ id: first, movedTo: inSuzhou });
    expect(original.data.person.moves.map((m: any) => [m.from, m.to])).toEqual([[first, inSuzhou]]);
    expect(suzhou.data.person).toMatchObject({ id: inSuzhou, movedFrom: first, movedTo: home });
    expect(suzhou.data.person.moves.map((m: any) => [m.from, m.to])).toEqual([
      [first, inSuzhou],
      [inSuzhou, home],
    ]);

    // The number leads to the record at home: by number in Jiaxing, and in the hub's index.
    const byNumber = await send(`query($n: String!) { personByIdNumber(region: "330400", idNumber: $n) { id } }`, { n: idNumber }, '330400:1');
    expect(byNumber.data.personByIdNumber).toEqual({ id: home });
    expect(await hubDb('SELECT region, person_id FROM directory.resident_index WHERE person_id = ANY($1)', [[first, inSuzhou, home]])).toEqual([
      { region: '330400', person_id: home },
    ]);
    const elsewhere = await send(
      REGISTER,
      { input: jiaxingPerson(idNumber, { region: '340100', address: '合肥市瑶海区1号', homeJurisdiction: '340102', categories: [] }) },
      '340100:1',
    );
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: home, existingRegion: '330400' });
    const again = await send(REGISTER, { input: jiaxingPerson(idNumber, { categories: [] }) }, '330400:1');
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: home });

    // And the person can leave again.
    const twice = await send(MOVE, { id: home, input: { homeJurisdiction: '320509' } }, '330400:1');
    expect(twice.errors).toBeUndefined();
  });
});

/**
 * Jiaxing's database, at the commit of a registration of `name`, refuses it (`RAISE`) or takes
 * a second over it (`pg_sleep`): the registration has claimed the number in the hub's index by
 * then, as its last step before the commit.
 */
async function atJiaxingCommit(name: string, action: 'RAISE' | 'SLEEP', work: () => Promise<void>): Promise<void> {
  const body = action === 'RAISE' ? "RAISE EXCEPTION 'refused at commit (test)'" : 'PERFORM pg_sleep(1)';
  await db(
    '330400',
    `CREATE FUNCTION personnel.test_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$;
     CREATE CONSTRAINT TRIGGER test_at_commit AFTER INSERT ON personnel.persons DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW WHEN (NEW.name = '${name}') EXECUTE FUNCTION personnel.test_at_commit()`,
  );
  try {
    await work();
  } finally {
    await db('330400', 'DROP TRIGGER test_at_commit ON personnel.persons; DROP FUNCTION personnel.test_at_commit()');
  }
}

const jiaxingClaims = async () => (await hubDb("SELECT count(*)::int AS n FROM directory.resident_index WHERE region = '330400'"))[0].n as number;

describe('a claim on the index whose registration never committed (认领未落库)', () => {
  test('a registration that failed at its commit leaves the number free: Suzhou registers it, then Hefei and Jiaxing are refused naming that record', async () => {
    const idNumber = makeResidentId('330421', '1983-04-21', 463);
    const claimsBefore = await jiaxingClaims();
    await atJiaxingCommit('未落库', 'RAISE', async () => {
      const failed = await send(REGISTER, { input: jiaxingPerson(idNumber, { name: '未落库' }) }, '330400:1');
      expect(failed.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    });
    // Nothing was kept in Jiaxing, but its claim on the number was: the case this is about.
    expect(await db('330400', 'SELECT count(*)::int AS n FROM personnel.persons WHERE id_number = $1', [idNumber])).toEqual([{ n: 0 }]);
    expect(await jiaxingClaims()).toBe(claimsBefore + 1);

    const suzhou = await send(REGISTER, { input: suzhouPerson(idNumber) }, '320500:1');
    expect(suzhou.errors).toBeUndefined();
    const suzhouId = suzhou.data.registerPerson.id;
    expect(await jiaxingClaims()).toBe(claimsBefore);

    const hefei = await send(
      REGISTER,
      { input: jiaxingPerson(idNumber, { region: '340100', address: '合肥市瑶海区2号', homeJurisdiction: '340102', categories: [] }) },
      '340100:1',
    );
    expect(hefei.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: suzhouId, existingRegion: '320500' });
    const jiaxing = await send(REGISTER, { input: jiaxingPerson(idNumber) }, '330400:1');
    expect(jiaxing.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: suzhouId, existingRegion: '320500' });
  });

  test('a claim left by a region that stopped before its commit is released when another region asks; one whose registration is still committing is kept', async () => {
    // Jiaxing claimed a number for a record it never wrote (it stopped in between).
    const lost = makeResidentId('330483', '1990-10-02', 475);
    const jiaxingService = new HubLink(hub.identity.serviceCredentials('330400'), hub.gateway.graphqlUrl);
    const claimed = await jiaxingService.execute('mutation($input: ClaimResidentInput!) { claimResidentRecord(input: $input) { region personId } }', {
      input: { idNumber: lost, personId: '330400:987654' },
    });
    expect(claimed.errors).toBeUndefined();
    const suzhou = await send(REGISTER, { input: suzhouPerson(lost) }, '320500:1');
    expect(suzhou.errors).toBeUndefined();

    // A Jiaxing registration that has claimed its number and is still committing holds it: Suzhou waits, and is refused.
    const pending = makeResidentId('330483', '1991-11-03', 487);
    const claimsBefore = await jiaxingClaims();
    await atJiaxingCommit('慢落库', 'SLEEP', async () => {
      const registering = send(REGISTER, { input: jiaxingPerson(pending, { name: '慢落库' }) }, '330400:1');
      while ((await jiaxingClaims()) === claimsBefore) await sleep(20);
      const second = await send(REGISTER, { input: suzhouPerson(pending) }, '320500:1');
      const first = await registering;
      expect(first.errors).toBeUndefined();
      expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', existingId: first.data.registerPerson.id, existingRegion: '330400' });
    });
  });
});

test('an officer cannot settle a claim: the hub-internal step would tell who holds an ID number', async () => {
  const idNumber = makeResidentId('330402', '19800101', 517);
  const answer = await send(
    `mutation($input: SettleResidentClaimInput!) { settleResidentClaim(input: $input) { region personId } }`,
    { input: { region: '330400', idNumber, personId: '330400:1' } },
    '330400:1',
  );
  expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(answer.data?.settleResidentClaim ?? null).toBeNull();
});
