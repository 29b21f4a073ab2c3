import { maskIdNumber, maskName, maskPhone } from '../auth/masking';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, startTestHub } from './support/hub';

/**
 * A person's record through the gateway as different callers see it: in full (home
 * jurisdiction, with a purpose), masked (without a purpose, or a partner with basic data only),
 * or FORBIDDEN field by field (no agreement; owner-only fields for outsiders), with the rest of
 * the response intact.
 */

let hub: RunningHub;
let person: { id: string; name: string; id_number: string; phone: string | null };
const QUERY = `query($id: ID!) { person(id: $id) { id region registeredAt name idNumber phone homeJurisdiction tags { category } dataAccess { personal owner reason } } }`;

beforeAll(async () => {
  hub = await startTestHub('t_person_rules');
  const [row] = await queryDatabase(
    hub.databaseUrls.get('330400')!,
    'SELECT id::text, name, id_number, phone FROM personnel.persons WHERE phone LIKE $1 ORDER BY id LIMIT 1',
    ['1%'],
  );
  person = { ...row, id: `330400:${row.id}` };
  // Callers are officers on a roster of this hub, and every two demo cities share: for a caller
  // no agreement covers, this hub's Shanghai and Jiaxing share nothing.
  await queryDatabase(
    hub.databaseUrls.get('hub')!,
    "DELETE FROM directory.sharing_agreements WHERE (provider LIKE '31%' AND recipient LIKE '33%') OR (provider LIKE '33%' AND recipient LIKE '31%')",
  );
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

const read = (headers: Record<string, string>) => graphql(hub.gateway.graphqlUrl, QUERY, { id: person.id }, headers);

test('the home city’s officer with a purpose sees everything', async () => {
  const result = await read({ 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' });
  expect(result.errors).toBeUndefined();
  expect(result.data.person).toMatchObject({
    name: person.name,
    idNumber: person.id_number,
    phone: person.phone,
    dataAccess: { personal: 'FULL', owner: true },
  });
  expect(Array.isArray(result.data.person.tags)).toBe(true);
});

test('without a purpose the same officer gets masked personal data, and the reason', async () => {
  const result = await read({ 'X-Officer': '330400:1' });
  expect(result.errors).toBeUndefined();
  expect(result.data.person).toMatchObject({
    name: maskName(person.name),
    idNumber: maskIdNumber(person.id_number),
    phone: maskPhone(person.phone!),
    dataAccess: { personal: 'MASKED' },
  });
  expect(result.data.person.dataAccess.reason).toMatch(/X-Purpose/);
});

test('a partner with basic data only (Hefei) sees masks, and owner-only fields are FORBIDDEN at their path', async () => {
  const result = await read({ 'X-Officer': '340100:1', 'X-Purpose': 'petition-handling' });
  expect(result.data.person).toMatchObject({
    id: person.id,
    name: maskName(person.name),
    idNumber: maskIdNumber(person.id_number),
    tags: null,
    dataAccess: { personal: 'MASKED', owner: false },
  });
  expect(result.errors).toEqual([expect.objectContaining({ path: ['person', 'tags'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
});

test('a caller no agreement covers gets the id and nothing personal: each field null with FORBIDDEN', async () => {
  const result = await read({ 'X-Officer': '310000:1', 'X-Purpose': 'petition-handling' });
  expect(result.data.person).toMatchObject({
    id: person.id,
    region: '330400',
    registeredAt: expect.any(String),
    name: null,
    idNumber: null,
    phone: null,
    homeJurisdiction: null,
    tags: null,
    dataAccess: { personal: 'NONE' },
  });
  const forbidden = (result.errors ?? [])
    .filter((e) => e.extensions?.code === 'FORBIDDEN')
    .map((e) => e.path?.join('.'))
    .sort();
  expect(forbidden).toEqual(['person.homeJurisdiction', 'person.idNumber', 'person.name', 'person.phone', 'person.tags']);
});
