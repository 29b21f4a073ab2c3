import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, rosterOfficer, startTestHub } from './support/hub';

/**
 * Sharing agreements decide what a caller's jurisdiction is granted; the gateway puts the
 * grants into the signed context of every request, and a change (signing, revoking) reaches
 * new requests within seconds, with no restart.
 */

let hub: RunningHub;
const CALLER = '{ caller { id jurisdiction roles grants { category owner } } }';

beforeAll(async () => {
  hub = await startTestHub('t_sharing');
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

const as = (login: string) => ({ 'X-Officer': hub.identity.demoOfficer(login).id });
const grantsOf = async (headers: Record<string, string>) => {
  const result = await graphql(hub.gateway.graphqlUrl, CALLER, {}, headers);
  expect(result.errors).toBeUndefined();
  return (result.data.caller.grants as Array<{ category: string; owner: string }>).map((g) => `${g.category}:${g.owner}`).sort();
};
const eventually = async (check: () => Promise<boolean>, seconds = 8) => {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
};

test('the demo agreements: warnings, basic data and inspections among all four cities; personal data only between some', async () => {
  const jiaxing = await grantsOf(as('demo-330400'));
  for (const city of ['310000', '320500', '340100']) {
    expect(jiaxing).toEqual(expect.arrayContaining([`PETITION_WARNINGS:${city}`, `PERSON_BASIC:${city}`, `INSPECTIONS:${city}`]));
  }
  expect(jiaxing).toContain('PERSON_PERSONAL:320500');
  expect(jiaxing).not.toContain('PERSON_PERSONAL:340100');
  expect(jiaxing.some((grant) => grant.endsWith(':330400'))).toBe(false);

  // A Jiashan (330421) officer holds Jiaxing's grants and the demonstration zone's own.
  const jiashan = await rosterOfficer(hub, { region: '330400', jurisdiction: '330421', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
  const zone = await grantsOf({ authorization: `Bearer ${jiashan.token}` });
  expect(zone).toEqual(expect.arrayContaining(['PERSON_PERSONAL:310118', 'PERSON_PERSONAL:320509', 'PERSON_PERSONAL:320500', 'PETITION_WARNINGS:340100']));
  const hefei = await grantsOf(as('demo-340100'));
  expect(hefei.filter((grant) => grant.startsWith('PERSON_PERSONAL'))).toEqual([]);
});

test('an administrator signs an agreement and revokes it; each reaches new requests within seconds', async () => {
  const create = `mutation($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id active providerCode recipientCode categories createdBy { id } } }`;
  const input = { title: '合肥—嘉兴个人信息共享（试点）', provider: '340100', recipient: '330400', categories: ['PERSON_PERSONAL'], validUntil: '2030-01-01T00:00:00Z' };
  const jiaxing = as('demo-330400');
  expect(await grantsOf(jiaxing)).not.toContain('PERSON_PERSONAL:340100');

  const byOfficer = await graphql(hub.gateway.graphqlUrl, create, { input }, as('demo-340100'));
  expect(byOfficer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const byOutsider = await graphql(hub.gateway.graphqlUrl, create, { input }, as('demo-310000-agreements'));
  expect(byOutsider.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const nested = await graphql(hub.gateway.graphqlUrl, create, { input: { ...input, recipient: '340104' } }, as('demo-340100-agreements'));
  expect(nested.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipient' });
  const unknown = await graphql(hub.gateway.graphqlUrl, create, { input: { ...input, recipient: '339999' } }, as('demo-340100-agreements'));
  expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipient' });

  const admin = as('demo-340100-agreements');
  const signed = await graphql(hub.gateway.graphqlUrl, create, { input }, admin);
  expect(signed.errors).toBeUndefined();
  const agreement = signed.data.createSharingAgreement;
  expect(agreement).toMatchObject({ active: true, providerCode: '340100', recipientCode: '330400', categories: ['PERSON_PERSONAL'], createdBy: { id: admin['X-Officer'] } });
  expect(await eventually(async () => (await grantsOf(jiaxing)).includes('PERSON_PERSONAL:340100'))).toBe(true);
  // Mutual by default: Hefei now reads Jiaxing's personal data too.
  expect(await eventually(async () => (await grantsOf(as('demo-340100'))).includes('PERSON_PERSONAL:330400'))).toBe(true);

  const revoke = `mutation($id: ID!) { revokeSharingAgreement(id: $id, reason: "试点结束") { active revokedAt revocationReason } }`;
  const revoked = await graphql(hub.gateway.graphqlUrl, revoke, { id: agreement.id }, admin);
  expect(revoked.data.revokeSharingAgreement).toMatchObject({ active: false, revocationReason: '试点结束' });
  const began = Date.now();
  expect(await eventually(async () => !(await grantsOf(jiaxing)).includes('PERSON_PERSONAL:340100'))).toBe(true);
  expect(Date.now() - began).toBeLessThan(5_000);
  const again = await graphql(hub.gateway.graphqlUrl, revoke, { id: agreement.id }, admin);
  expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  const [row] = await queryDatabase(hub.databaseUrls.get('hub')!, 'SELECT revoked_by FROM directory.sharing_agreements WHERE id = $1', [agreement.id]);
  expect(row.revoked_by).toBe(admin['X-Officer']);
});

test('grants of another jurisdiction are for administrators and the hub only', async () => {
  const query = `query($j: String!) { sharingGrants(jurisdiction: $j) { category owner } }`;
  const own = await graphql(hub.gateway.graphqlUrl, query, { j: '330400' }, as('demo-330400'));
  expect(own.errors).toBeUndefined();
  const other = await graphql(hub.gateway.graphqlUrl, query, { j: '320500' }, as('demo-330400'));
  expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const list = await graphql(hub.gateway.graphqlUrl, `{ sharingAgreements(first: 50, jurisdiction: "330421", activeOnly: true) { edges { node { title providerCode recipientCode } } } }`);
  const parties = list.data.sharingAgreements.edges.map((e: any) => [e.node.providerCode, e.node.recipientCode]);
  expect(parties.length).toBeGreaterThan(0);
  expect(parties.every((pair: string[]) => pair.some((code) => '330421'.startsWith(code.replace(/0+$/, '')) || code === '330421'))).toBe(true);
});
