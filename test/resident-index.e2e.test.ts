import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { makeResidentId } from '../auth/resident-id';
import { setTimeout as sleep } from 'node:timers/promises';
import { settleStalePendingMoves } from '../subgraphs/personnel/move-settlement';
import { HubLink } from '../subgraphs/shared/hub-link';
import { createPool } from '../subgraphs/shared/db';
import { stopDirectory } from './support/directory-outage';
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
/** What reviving the directory started, stopped after the hub. */
const revivedParts: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await hub?.stop();
  for (const stop of revivedParts) await stop();
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

describe('a household move whose hand-over in the index fails (迁移交接失败)', () => {
  test('the record the new region received is no person there until the move commits: a retry completes it, the background pass withdraws one never retried', async () => {
    const retried = makeResidentId('330402', '1972-05-14', 531);
    const abandoned = makeResidentId('330402', '1975-08-19', 543);
    const register = async (idNumber: string) => {
      const answer = await send(REGISTER, { input: jiaxingPerson(idNumber, { categories: [] }) }, '330400:1');
      expect(answer.errors).toBeUndefined();
      return answer.data.registerPerson.id as string;
    };
    const [retriedId, abandonedId] = [await register(retried), await register(abandoned)];
    // A Suzhou resident whose move to Jiaxing is made again, as asked differently by then.
    const changed = makeResidentId('320509', '1968-02-11', 557);
    const registeredChanged = await send(REGISTER, { input: { ...suzhouPerson(changed), categories: ['LOW_INCOME'] } }, '320500:1');
    expect(registeredChanged.errors).toBeUndefined();
    const changedId = registeredChanged.data.registerPerson.id as string;
    const moveChanged = (homeJurisdiction: string, address: string, note: string) =>
      send(MOVE, { id: changedId, input: { homeJurisdiction, address, note } }, '320500:1');
    const moveToWujiang = (id: string) => send(MOVE, { id, input: { homeJurisdiction: '320509', address: '苏州市吴江区松陵街道8号' } }, '330400:1');
    const receivedIn = async (idNumber: string) =>
      (await db('320500', 'SELECT id::text, move_pending_since IS NOT NULL AS pending FROM personnel.persons WHERE id_number = $1', [idNumber])) as Array<{
        id: string;
        pending: boolean;
      }>;
    const inSuzhouByNumber = async (idNumber: string) =>
      (await send(`query($n: String!) { personByIdNumber(region: "320500", idNumber: $n) { id } }`, { n: idNumber }, '320500:1')).data.personByIdNumber;

    const revive = await stopDirectory(hub, revivedParts);
    let pendingRetried: string;
    let pendingAbandoned: string;
    try {
      for (const id of [retriedId, abandonedId]) {
        const failed = await moveToWujiang(id);
        expect(failed.errors?.[0].extensions?.code).toBe('RESIDENT_INDEX_UNAVAILABLE');
      }
      const failedChanged = await moveChanged('330421', '嘉善县罗星街道1号', '投靠子女迁入');
      expect(failedChanged.errors?.[0].extensions?.code).toBe('RESIDENT_INDEX_UNAVAILABLE');
      // Suzhou received both records, and keeps them pending: no person of Suzhou, by number, id or list.
      const [[first], [second]] = [await receivedIn(retried), await receivedIn(abandoned)];
      expect([first.pending, second.pending]).toEqual([true, true]);
      [pendingRetried, pendingAbandoned] = [`320500:${first.id}`, `320500:${second.id}`];
      expect(await inSuzhouByNumber(retried)).toBeNull();
      expect((await send(RECORD, { id: pendingRetried }, '320500:1')).data?.person ?? null).toBeNull();
      const listed = await send(
        '{ persons(regions: ["320500"], first: 100, filter: { homeJurisdiction: "320509" }) { edges { node { id } } } }',
        {},
        '320500:1',
      );
      expect(listed.data.persons.edges.map((edge: any) => edge.node.id)).not.toContain(pendingRetried);
      // Nor may it be changed there, and Jiaxing's records are still open.
      const tagged = await send('mutation($id: ID!) { tagPerson(id: $id, category: LOW_INCOME) { id } }', { id: pendingRetried }, '320500:1');
      expect(tagged.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await send(RECORD, { id: retriedId }, '330400:1')).data.person.movedTo).toBeNull();
    } finally {
      await revive();
    }

    // The move made again (once the gateway reaches the index again) reuses the pending record and completes it.
    let again = await moveToWujiang(retriedId);
    for (let attempt = 0; attempt < 100 && again.errors; attempt++) {
      await sleep(100);
      again = await moveToWujiang(retriedId);
    }
    expect(again.errors).toBeUndefined();
    expect(again.data.movePersonHome).toEqual({ id: retriedId, movedTo: pendingRetried! });
    expect(await receivedIn(retried)).toEqual([{ id: pendingRetried!.split(':')[1], pending: false }]);
    expect(await inSuzhouByNumber(retried)).toEqual({ id: pendingRetried! });
    expect((await send(RECORD, { id: pendingRetried! }, '320500:1')).data.person).toMatchObject({ movedFrom: retriedId, movedTo: null });

    // Made again to another county, with another address and categories: the retry's input wins,
    // on the pending record reused, its history that of the move that happened.
    const [pendingChanged] = (await db('330400', 'SELECT id::text FROM personnel.persons WHERE id_number = $1 AND move_pending_since IS NOT NULL', [
      changed,
    ])) as Array<{ id: string }>;
    for (const change of ['untagPerson(id: $id, category: LOW_INCOME, note: "脱贫")', 'tagPerson(id: $id, category: ELDERLY_LIVING_ALONE)']) {
      expect((await send(`mutation($id: ID!) { ${change} { id } }`, { id: changedId }, '320500:1')).errors).toBeUndefined();
    }
    const movedChanged = await moveChanged('330482', '平湖市当湖街道2号', '随子女迁往平湖');
    expect(movedChanged.errors).toBeUndefined();
    expect(movedChanged.data.movePersonHome.movedTo).toBe(`330400:${pendingChanged.id}`);
    const arrived = (await send(RECORD, { id: `330400:${pendingChanged.id}` }, '330400:1')).data.person;
    const [closedChanged] = (await send(RECORD, { id: changedId }, '320500:1')).data.person.moves;
    expect(arrived).toMatchObject({ homeJurisdiction: '330482', movedFrom: changedId, tags: [{ category: 'ELDERLY_LIVING_ALONE' }] });
    expect(arrived.moves).toEqual([closedChanged]);
    expect(closedChanged).toMatchObject({ fromJurisdiction: '320509', toJurisdiction: '330482', note: '随子女迁往平湖' });
    expect(
      await db(
        '330400',
        'SELECT p.address, e.category, e.action FROM personnel.persons p LEFT JOIN personnel.person_tag_events e ON e.person_id = p.id WHERE p.id = $1',
        [pendingChanged.id],
      ),
    ).toEqual([{ address: '平湖市当湖街道2号', category: 'ELDERLY_LIVING_ALONE', action: 'TAGGED' }]);

    // The one never moved again: Suzhou's background pass asks Jiaxing, hears it did not move, and withdraws it.
    const suzhouPool = createPool(hub.databaseUrls.get('320500')!, 2);
    try {
      const settled = await settleStalePendingMoves(
        { db: suzhouPool, hub: new HubLink(hub.identity.serviceCredentials('320500'), hub.gateway.graphqlUrl), region: '320500' },
        0,
      );
      expect(settled).toBe(1);
    } finally {
      await suzhouPool.end();
    }
    expect(await receivedIn(abandoned)).toEqual([]);
    expect(await hubDb('SELECT region, person_id FROM directory.resident_index WHERE person_id = ANY($1)', [[abandonedId, pendingAbandoned!]])).toEqual([
      { region: '330400', person_id: abandonedId },
    ]);
    expect((await send(RECORD, { id: abandonedId }, '330400:1')).data.person.movedTo).toBeNull();
    // And the person can still move, to a record of its own.
    const later = await moveToWujiang(abandonedId);
    expect(later.errors).toBeUndefined();
    expect(later.data.movePersonHome.movedTo).toMatch(/^320500:\d+$/);
    expect(later.data.movePersonHome.movedTo).not.toBe(pendingAbandoned!);
  });
});

// Last in this file: Hefei's region server stays closed.
test('a registration meeting an unconfirmed claim of a region that does not answer is RESIDENT_INDEX_UNAVAILABLE naming that region', async () => {
  const idNumber = makeResidentId('340102', '1987-03-09', 559);
  const hefeiService = new HubLink(hub.identity.serviceCredentials('340100'), hub.gateway.graphqlUrl);
  const claimed = await hefeiService.execute('mutation($input: ClaimResidentInput!) { claimResidentRecord(input: $input) { region personId } }', {
    input: { idNumber, personId: '340100:987655' },
  });
  expect(claimed.errors).toBeUndefined();
  await hub.regionServers.get('340100')!.close();

  const suzhou = await send(REGISTER, { input: suzhouPerson(idNumber) }, '320500:1');
  expect(suzhou.errors).toHaveLength(1);
  expect(suzhou.errors![0].message).toBe(
    'region 340100 has claimed this id number for a registration it has not confirmed, and could not be asked whether it keeps the record; nothing was registered, retry shortly',
  );
  // The region that answered is Suzhou (extensions.region); the one that did not, Hefei.
  expect(suzhou.errors![0].extensions).toMatchObject({ code: 'RESIDENT_INDEX_UNAVAILABLE', holdingRegion: '340100', region: '320500' });
  expect(suzhou.data?.registerPerson ?? null).toBeNull();
  expect(await db('320500', 'SELECT count(*)::int AS n FROM personnel.persons WHERE id_number = $1', [idNumber])).toEqual([{ n: 0 }]);
  expect(await hubDb("SELECT region, person_id FROM directory.resident_index WHERE person_id = '340100:987655'")).toEqual([
    { region: '340100', person_id: '340100:987655' },
  ]);
});
