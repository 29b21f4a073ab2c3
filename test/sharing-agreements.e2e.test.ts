import type { RunningHub } from '../launcher/hub';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { maskIdNumber } from '../auth/masking';
import { repoPath } from '../subgraphs/shared/repo-path';
import { YRD_HUB } from './support/cli';
import { DEMO_REGIONS, graphql, queryDatabase, rosterOfficer, startTestHub, TEST_SCALE } from './support/hub';

/**
 * Sharing agreements decide what a caller's jurisdiction is granted; the gateway puts the
 * grants into the signed context of every request, and a change (signing, revoking) reaches
 * new requests within seconds, with no restart. An agreement takes effect only when every
 * party whose data it opens has signed (README, "Sharing agreements").
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
/** Grants as the directory holds them right now (no gateway cache in between). */
const directoryGrantsOf = async (jurisdiction: string) => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    `
      query ($j: String!) {
        sharingGrants(jurisdiction: $j) {
          category
          owner
        }
      }
    `,
    { j: jurisdiction },
    as('demo-310000-agreements'),
  );
  expect(result.errors).toBeUndefined();
  return (result.data.sharingGrants as Array<{ category: string; owner: string }>).map((g) => `${g.category}:${g.owner}`);
};
const AGREEMENT =
  'id status active providerCode recipientCode mutual categories createdBy { id } signatures { party signedBy { id } signedAt } awaitingSignatureOf revokedAt';
const CREATE = `mutation($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { ${AGREEMENT} } }`;
const SIGN = `mutation($id: ID!) { signSharingAgreement(id: $id) { ${AGREEMENT} } }`;
const REVOKE = `mutation($id: ID!) { revokeSharingAgreement(id: $id, reason: "试点结束") { ${AGREEMENT} revocationReason } }`;
const propose = async (login: string, input: Record<string, unknown>) => {
  const result = await graphql(hub.gateway.graphqlUrl, CREATE, { input: { title: '试点协议', validUntil: '2030-01-01T00:00:00Z', ...input } }, as(login));
  expect(result.errors).toBeUndefined();
  return result.data.createSharingAgreement;
};
const sign = (id: string, headers: Record<string, string>) => graphql(hub.gateway.graphqlUrl, SIGN, { id }, headers);
const revoke = (id: string, headers: Record<string, string>) => graphql(hub.gateway.graphqlUrl, REVOKE, { id }, headers);
/** Longer than the gateway keeps a jurisdiction's grants (gateway/grants.ts), so that an answer reflects the directory now. */
const outlastGrantsCache = () => new Promise((resolve) => setTimeout(resolve, 2_500));

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

test('the demo agreements are signed by both parties and in force', async () => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    `
      {
        sharingAgreements(first: 50) {
          edges {
            node {
              status
              active
              signatures {
                party
                signedAt
              }
              awaitingSignatureOf
              providerCode
              recipientCode
            }
          }
        }
      }
    `,
    {},
    as('demo-330400'),
  );
  expect(result.errors).toBeUndefined();
  const nodes = result.data.sharingAgreements.edges.map((e: any) => e.node);
  expect(nodes.length).toBeGreaterThanOrEqual(4);
  for (const node of nodes) {
    expect(node).toMatchObject({ status: 'ACTIVE', active: true, awaitingSignatureOf: [] });
    expect(node.signatures.map((s: any) => s.party)).toEqual([node.providerCode, node.recipientCode]);
  }
});

test("an administrator cannot open another jurisdiction's data alone: Hefei's proposal opens nothing until Jiaxing countersigns", async () => {
  const [row] = await queryDatabase(hub.databaseUrls.get('330400')!, 'SELECT id::text, id_number FROM personnel.persons ORDER BY id LIMIT 1');
  const readIdNumber = async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          person(id: $id) {
            idNumber
          }
        }
      `,
      { id: `330400:${row.id}` },
      { ...as('demo-340100'), 'X-Purpose': 'petition-handling' },
    );
    expect(result.errors).toBeUndefined();
    return result.data.person.idNumber as string;
  };
  expect(await readIdNumber()).toBe(maskIdNumber(row.id_number));

  // The attack as the issue tells it: Hefei's administrator signs an agreement opening Jiaxing's personal data to Hefei.
  const hefeiAdmin = as('demo-340100-agreements');
  const exploit = await graphql(
    hub.gateway.graphqlUrl,
    `
      mutation ($input: CreateSharingAgreementInput!) {
        createSharingAgreement(input: $input) {
          id
          active
        }
      }
    `,
    {
      input: {
        title: '嘉兴—合肥个人信息共享',
        provider: '330400',
        recipient: '340100',
        mutual: false,
        categories: ['PERSON_PERSONAL'],
        validUntil: '2030-01-01T00:00:00Z',
      },
    },
    hefeiAdmin,
  );
  expect(exploit.errors).toBeUndefined();
  const { id } = exploit.data.createSharingAgreement;
  expect(await directoryGrantsOf('340100')).not.toContain('PERSON_PERSONAL:330400');
  await outlastGrantsCache();
  expect(await grantsOf(as('demo-340100'))).not.toContain('PERSON_PERSONAL:330400');
  expect(await readIdNumber()).toBe(maskIdNumber(row.id_number));
  expect(exploit.data.createSharingAgreement.active).toBe(false);

  // It is a proposal, signed by Hefei, awaiting Jiaxing.
  const listed = await graphql(hub.gateway.graphqlUrl, `{ sharingAgreements(first: 5) { edges { node { ${AGREEMENT} } } } }`, {}, hefeiAdmin);
  const proposal = listed.data.sharingAgreements.edges.map((e: any) => e.node).find((node: any) => node.id === id);
  expect(proposal).toMatchObject({
    status: 'PROPOSED',
    active: false,
    awaitingSignatureOf: ['330400'],
    signatures: [{ party: '340100', signedBy: { id: hefeiAdmin['X-Officer'] }, signedAt: expect.any(String) }],
  });

  // Signing again does not make it two parties.
  const twice = await sign(proposal.id, hefeiAdmin);
  expect(twice.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(twice.errors?.[0].message).toMatch(/signed .*already/);

  const jiaxingAdmin = as('demo-330400-agreements');
  const countersigned = await sign(proposal.id, jiaxingAdmin);
  expect(countersigned.errors).toBeUndefined();
  expect(countersigned.data.signSharingAgreement).toMatchObject({
    status: 'ACTIVE',
    active: true,
    awaitingSignatureOf: [],
    signatures: [
      { party: '330400', signedBy: { id: jiaxingAdmin['X-Officer'] } },
      { party: '340100', signedBy: { id: hefeiAdmin['X-Officer'] } },
    ],
  });
  expect(await eventually(async () => (await readIdNumber()) === row.id_number)).toBe(true);
  // One way only: Jiaxing gains nothing of Hefei's.
  expect(await directoryGrantsOf('330400')).not.toContain('PERSON_PERSONAL:340100');

  // The provider revokes what it signed.
  const revoked = await revoke(proposal.id, jiaxingAdmin);
  expect(revoked.data.revokeSharingAgreement).toMatchObject({ status: 'REVOKED', active: false, revocationReason: '试点结束' });
  expect(await eventually(async () => (await readIdNumber()) === maskIdNumber(row.id_number))).toBe(true);
});

test('a mutual agreement needs both parties; the README example: Hefei proposes, Jiaxing countersigns, Hefei revokes', async () => {
  const proposal = await propose('demo-340100-agreements', {
    title: '合肥—嘉兴个人信息共享',
    provider: '340100',
    recipient: '330400',
    categories: ['PERSON_PERSONAL'],
  });
  expect(proposal).toMatchObject({ status: 'PROPOSED', mutual: true, awaitingSignatureOf: ['330400'] });
  // Signed by the provider alone: neither direction is open, not even the provider's own data.
  expect(await directoryGrantsOf('330400')).not.toContain('PERSON_PERSONAL:340100');
  expect(await directoryGrantsOf('340100')).not.toContain('PERSON_PERSONAL:330400');

  const signed = await sign(proposal.id, as('demo-330400-agreements'));
  expect(signed.data.signSharingAgreement).toMatchObject({ status: 'ACTIVE', active: true, awaitingSignatureOf: [] });
  expect(await eventually(async () => (await grantsOf(as('demo-330400'))).includes('PERSON_PERSONAL:340100'))).toBe(true);
  expect(await eventually(async () => (await grantsOf(as('demo-340100'))).includes('PERSON_PERSONAL:330400'))).toBe(true);

  // Revoked by the proposer this time: either party may.
  const revoked = await revoke(proposal.id, as('demo-340100-agreements'));
  expect(revoked.data.revokeSharingAgreement).toMatchObject({ status: 'REVOKED', active: false });
  expect(await eventually(async () => !(await grantsOf(as('demo-330400'))).includes('PERSON_PERSONAL:340100'))).toBe(true);
  const again = await revoke(proposal.id, as('demo-330400-agreements'));
  expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  const [row] = await queryDatabase(hub.databaseUrls.get('hub')!, 'SELECT revoked_by FROM directory.sharing_agreements WHERE id = $1', [proposal.id]);
  expect(row.revoked_by).toBe(as('demo-340100-agreements')['X-Officer']);
});

test('who may propose, sign and revoke: administrators of a party, each for their own party, never a revoked one', async () => {
  const input = {
    title: '合肥—嘉兴个人信息共享（试点）',
    provider: '340100',
    recipient: '330400',
    categories: ['PERSON_PERSONAL'],
    validUntil: '2030-01-01T00:00:00Z',
  };
  const byOfficer = await graphql(hub.gateway.graphqlUrl, CREATE, { input }, as('demo-340100'));
  expect(byOfficer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const byOutsider = await graphql(hub.gateway.graphqlUrl, CREATE, { input }, as('demo-310000-agreements'));
  expect(byOutsider.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const nested = await graphql(hub.gateway.graphqlUrl, CREATE, { input: { ...input, recipient: '340104' } }, as('demo-340100-agreements'));
  expect(nested.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipient' });
  const unknown = await graphql(hub.gateway.graphqlUrl, CREATE, { input: { ...input, recipient: '339999' } }, as('demo-340100-agreements'));
  expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipient' });

  const proposal = await propose('demo-340100-agreements', input);
  const byOtherCity = await sign(proposal.id, as('demo-310000-agreements'));
  expect(byOtherCity.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(byOtherCity.errors?.[0].message).toMatch(/310000/);
  const byPlainOfficer = await sign(proposal.id, as('demo-330400'));
  expect(byPlainOfficer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // Another administrator of the party that signed cannot stand in for the other party.
  const colleague = await rosterOfficer(hub, { region: '340100', jurisdiction: '340100', agency: 'PETITION_BUREAU', roles: ['AGREEMENT_ADMIN'] });
  const forTheOtherSide = await sign(proposal.id, { authorization: `Bearer ${colleague.token}` });
  expect(forTheOtherSide.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(forTheOtherSide.errors?.[0].message).toMatch(/awaits the signature of 330400/);
  const missing = await sign('999999', as('demo-330400-agreements'));
  expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  // The other party may revoke a proposal it does not want; a revoked one takes no signature.
  const declined = await revoke(proposal.id, as('demo-330400-agreements'));
  expect(declined.data.revokeSharingAgreement).toMatchObject({ status: 'REVOKED', awaitingSignatureOf: ['330400'] });
  const late = await sign(proposal.id, as('demo-330400-agreements'));
  expect(late.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'REVOKED' });
  expect(await directoryGrantsOf('330400')).not.toContain('PERSON_PERSONAL:340100');
});

/**
 * Runs `requests` while another transaction holds the agreement's row: each reads the row
 * unsigned, then its UPDATE waits on the lock; the lock goes only when all of them wait, so they
 * race exactly as two administrators signing at the same moment would.
 */
async function racing<T>(id: string, requests: Array<() => Promise<T>>): Promise<T[]> {
  const holder = new Client({ connectionString: hub.databaseUrls.get('hub')! });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM directory.sharing_agreements WHERE id = $1 FOR UPDATE', [id]);
    const answers = Promise.all(requests.map((request) => request()));
    const waiting = async () => {
      // Inside a transaction the activity view is a snapshot taken once: take a new one per look.
      await holder.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await holder.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE directory.sharing_agreements%'",
      );
      return rows[0].n === requests.length;
    };
    expect(await eventually(waiting, 20)).toBe(true);
    await holder.query('COMMIT');
    return await answers;
  } finally {
    await holder.end();
  }
}

test('two administrators of the party countersigning at once: one signature is recorded, the other gets CONFLICT', async () => {
  const proposal = await propose('demo-340100-agreements', { provider: '340100', recipient: '330400', categories: ['PETITION_DETAILS'] });
  const second = await rosterOfficer(hub, { region: '330400', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['AGREEMENT_ADMIN'] });
  const signers = [as('demo-330400-agreements'), { authorization: `Bearer ${second.token}` }];
  const answers = await racing(
    proposal.id,
    signers.map((headers) => () => sign(proposal.id, headers)),
  );
  const won = answers.filter((answer) => !answer.errors);
  const lost = answers.filter((answer) => answer.errors);
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0].errors![0].extensions?.code).toBe('CONFLICT');
  expect(lost[0].errors![0].message).toMatch(/another administrator signed .* for 330400/);
  const winner = won[0].data.signSharingAgreement.signatures.find((s: any) => s.party === '330400').signedBy.id;
  const [row] = await queryDatabase(
    hub.databaseUrls.get('hub')!,
    'SELECT provider_signed_by, recipient_signed_by FROM directory.sharing_agreements WHERE id = $1',
    [proposal.id],
  );
  expect(row).toEqual({ provider_signed_by: as('demo-340100-agreements')['X-Officer'], recipient_signed_by: winner });
  expect(won[0].data.signSharingAgreement.status).toBe('ACTIVE');
  await revoke(proposal.id, as('demo-330400-agreements'));
});

test('a countersignature and a revocation at once: whichever comes second sees the other, and nothing opens after the revocation', async () => {
  const proposal = await propose('demo-340100-agreements', { provider: '340100', recipient: '330400', categories: ['PETITION_DETAILS'] });
  const [signed, revoked] = await racing(proposal.id, [
    () => sign(proposal.id, as('demo-330400-agreements')),
    () => revoke(proposal.id, as('demo-340100-agreements')),
  ]);
  expect(revoked.errors).toBeUndefined();
  expect(revoked.data.revokeSharingAgreement.status).toBe('REVOKED');
  // Signed first (then revoked), or refused as revoked: either way the agreement ends revoked.
  if (signed.errors) expect(signed.errors[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'REVOKED' });
  else expect(signed.data.signSharingAgreement.status).toBe('ACTIVE');
  expect(await directoryGrantsOf('330400')).not.toContain('PETITION_DETAILS:340100');
});

test('one way, proposed by the provider, it still awaits the recipient; signed by both but beginning later it is SCHEDULED; an expired one takes no signature', async () => {
  const oneWay = await propose('demo-340100-agreements', { provider: '340100', recipient: '330400', categories: ['PERSON_PERSONAL'], mutual: false });
  expect(oneWay).toMatchObject({ status: 'PROPOSED', active: false, awaitingSignatureOf: ['330400'] });
  expect(await directoryGrantsOf('330400')).not.toContain('PERSON_PERSONAL:340100');
  await revoke(oneWay.id, as('demo-340100-agreements'));

  const later = await propose('demo-340100-agreements', {
    provider: '340100',
    recipient: '330400',
    categories: ['PETITION_DETAILS'],
    mutual: false,
    validFrom: '2029-01-01T00:00:00Z',
  });
  const signed = await sign(later.id, as('demo-330400-agreements'));
  expect(signed.data.signSharingAgreement).toMatchObject({ status: 'SCHEDULED', active: false, awaitingSignatureOf: [] });
  expect(await directoryGrantsOf('330400')).not.toContain('PETITION_DETAILS:340100');
  await revoke(later.id, as('demo-340100-agreements'));

  const past = await propose('demo-340100-agreements', {
    provider: '340100',
    recipient: '330400',
    categories: ['PERSON_PERSONAL'],
    validFrom: '2020-01-01T00:00:00Z',
    validUntil: '2021-01-01T00:00:00Z',
  });
  expect(past).toMatchObject({ status: 'EXPIRED', active: false });
  const late = await sign(past.id, as('demo-330400-agreements'));
  expect(late.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'EXPIRED' });
});

test('grants of another jurisdiction are for administrators and the hub only', async () => {
  const query = `query($j: String!) { sharingGrants(jurisdiction: $j) { category owner } }`;
  const own = await graphql(hub.gateway.graphqlUrl, query, { j: '330400' }, as('demo-330400'));
  expect(own.errors).toBeUndefined();
  const other = await graphql(hub.gateway.graphqlUrl, query, { j: '320500' }, as('demo-330400'));
  expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test("an officer lists their own jurisdiction's agreements without naming it; another's only as an administrator", async () => {
  const partiesOf = (result: any) => result.data.sharingAgreements.edges.map((e: any) => [e.node.providerCode, e.node.recipientCode]);
  const nests = (a: string, b: string) => a.startsWith(b.replace(/0+$/, '')) || b.startsWith(a.replace(/0+$/, ''));
  const query = (args: string) => `{ sharingAgreements(first: 50${args}) { edges { node { title providerCode recipientCode } } } }`;

  const own = await graphql(hub.gateway.graphqlUrl, query(''), {}, as('demo-340100'));
  expect(own.errors).toBeUndefined();
  expect(partiesOf(own).length).toBeGreaterThan(0);
  expect(partiesOf(own).every((pair: string[]) => pair.some((code) => nests(code, '340100')))).toBe(true);

  const county = await graphql(hub.gateway.graphqlUrl, query(', jurisdiction: "330421", activeOnly: true'), {}, as('demo-330400'));
  expect(county.errors).toBeUndefined();
  expect(partiesOf(county).length).toBeGreaterThan(0);
  expect(partiesOf(county).every((pair: string[]) => pair.some((code) => nests(code, '330421')))).toBe(true);

  const another = await graphql(hub.gateway.graphqlUrl, query(', jurisdiction: "320500"'), {}, as('demo-340100'));
  expect(another.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const byAdmin = await graphql(hub.gateway.graphqlUrl, query(', jurisdiction: "320500"'), {}, as('demo-340100-agreements'));
  expect(byAdmin.errors).toBeUndefined();
  expect(partiesOf(byAdmin).every((pair: string[]) => pair.some((code) => nests(code, '320500')))).toBe(true);
});

test('the README examples run as written: Hefei proposes, Jiaxing countersigns, Jiaxing revokes', async () => {
  const readme = readFileSync(repoPath('README.md'), 'utf8');
  const start = readme.indexOf('### Sharing agreements');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(blocks).toHaveLength(3);
  // Only where it runs differs: this hub's URL ($HUB, as the README has the reader set it), and the token command without npm's rebuild.
  const script = blocks
    .map((block) => block.replaceAll('npm run --silent token --', `"${process.execPath}" "${YRD_HUB}" token`))
    .join("\nprintf '\\n----\\n'\n");
  const { stdout } = await promisify(execFile)('bash', ['-e', '-c', script], {
    env: {
      ...process.env,
      HUB: hub.gateway.url,
      HUB_DATA_DIR: hub.dataDir,
      HUB_SCALE: DEMO_REGIONS.map((r) => `${r.code}:officersPerAgency=${TEST_SCALE.officersPerAgency}`).join(';'),
    },
    timeout: 60_000,
  });
  const [created, signed, revoked] = stdout.split('\n----\n').map((answer) => JSON.parse(answer.trim()));
  expect(created.data.createSharingAgreement).toMatchObject({ id: expect.any(String), status: 'PROPOSED', awaitingSignatureOf: ['330400'] });
  expect(signed.data.signSharingAgreement).toMatchObject({
    status: 'ACTIVE',
    active: true,
    signatures: [
      { party: '340100', signedBy: { id: hub.identity.demoOfficer('demo-340100-agreements').id } },
      { party: '330400', signedBy: { id: hub.identity.demoOfficer('demo-330400-agreements').id } },
    ],
  });
  expect(revoked.data.revokeSharingAgreement).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
}, 90_000);

/**
 * The agreement rules of the README as a matrix: every kind of demo caller of every city ×
 * proposing, countersigning, revoking, listing and reading grants, each outcome from the rules
 * below, not from the code.
 */
describe('the agreement matrix', () => {
  const CITIES = ['310000', '320500', '330400', '340100'];
  const LOGINS = CITIES.flatMap((city) => [`demo-${city}`, `demo-${city}-agreements`, `demo-${city}-auditor`]);
  const PROVIDER = '340100';
  const RECIPIENT = '330400';
  const cityOf = (login: string) => login.slice(5, 11);
  const isAdmin = (login: string) => login.endsWith('-agreements');
  /** README: administrators of a party propose, countersign (for the party that has not signed) and revoke. */
  const rules = (login: string) => ({
    propose: isAdmin(login) && [PROVIDER, RECIPIENT].includes(cityOf(login)),
    countersign: isAdmin(login) && cityOf(login) === RECIPIENT,
    revoke: isAdmin(login) && [PROVIDER, RECIPIENT].includes(cityOf(login)),
    listOwn: true,
    listSuzhou: isAdmin(login) || cityOf(login) === '320500',
    grantsOfSuzhou: isAdmin(login) || cityOf(login) === '320500',
  });
  const outcome = (answer: { errors?: Array<{ extensions?: Record<string, any> }> }) => (answer.errors ? answer.errors[0].extensions?.code : 'OK');

  test.each(LOGINS)('%s', async (login) => {
    const expected = rules(login);
    const caller = as(login);
    const input = { title: '矩阵', provider: PROVIDER, recipient: RECIPIENT, categories: ['PETITION_DETAILS'], validUntil: '2030-01-01T00:00:00Z' };
    const proposed = await graphql(hub.gateway.graphqlUrl, CREATE, { input }, caller);
    expect(outcome(proposed)).toBe(expected.propose ? 'OK' : 'FORBIDDEN');
    if (proposed.data?.createSharingAgreement) await revoke(proposed.data.createSharingAgreement.id, caller);

    const proposal = await propose(`demo-${PROVIDER}-agreements`, input);
    const signed = await sign(proposal.id, caller);
    expect(outcome(signed)).toBe(expected.countersign ? 'OK' : 'FORBIDDEN');
    if (expected.countersign) expect(signed.data.signSharingAgreement.status).toBe('ACTIVE');
    const revoked = await revoke(proposal.id, caller);
    expect(outcome(revoked)).toBe(expected.revoke ? 'OK' : 'FORBIDDEN');
    if (!expected.revoke) expect(outcome(await revoke(proposal.id, as(`demo-${PROVIDER}-agreements`)))).toBe('OK');
    // Whoever tried what, nothing of it is left open.
    expect(await directoryGrantsOf(RECIPIENT)).not.toContain(`PETITION_DETAILS:${PROVIDER}`);

    const own = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          sharingAgreements(first: 5) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      caller,
    );
    expect(outcome(own)).toBe(expected.listOwn ? 'OK' : 'FORBIDDEN');
    const suzhou = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          sharingAgreements(first: 5, jurisdiction: "320500") {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      caller,
    );
    expect(outcome(suzhou)).toBe(expected.listSuzhou ? 'OK' : 'FORBIDDEN');
    const grants = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          sharingGrants(jurisdiction: "320500") {
            category
          }
        }
      `,
      {},
      caller,
    );
    expect(outcome(grants)).toBe(expected.grantsOfSuzhou ? 'OK' : 'FORBIDDEN');
  });
});
