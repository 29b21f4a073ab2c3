import type { RunningHub } from '../launcher/hub';
import { makeResidentId } from '../auth/resident-id';
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
const hubDb = (sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get('hub')!, sql, params);

const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id region } }`;
const MOVE = `mutation($id: ID!, $input: MovePersonHomeInput!) { movePersonHome(id: $id, input: $input) { id movedTo } }`;
const RECORD = `query($id: ID!) { person(id: $id) {
  id region idNumber homeJurisdiction movedFrom movedTo tags { category }
  moves { from to fromJurisdiction toJurisdiction at note }
} }`;

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
