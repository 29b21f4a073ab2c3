import type { RunningHub } from '../launcher/hub';
import { maskIdNumber } from '../auth/masking';
import { graphql, queryDatabase, startTestHub } from './support/hub';

/**
 * Issue 12: the paths *around* a field obey the field's rule — filters that test a value,
 * lookups by a value, links that expose one relation from its other end, and the words of
 * refusals. Through the gateway, with the demo officers, on the demo agreements. Expected
 * outcomes come from the README ("What you see of a person", "Warnings and petitions"):
 *   - key-person categories are owner-only: for officers of the home jurisdiction;
 *   - a home jurisdiction is basic data: own jurisdiction, own city, PERSON_BASIC partners;
 *   - an ID number in full: own jurisdiction or PERSON_PERSONAL, with a stated purpose;
 *   - who brought a petition is a petition detail: its jurisdiction, its city, PETITION_DETAILS;
 *   - demo agreements: warnings, basic person data and inspections among all four cities;
 *     petition details and personal data between Jiaxing (3304) and Suzhou (3205) only.
 */

let hub: RunningHub;
const JIAXING = '330400';
const HEFEI_OFFICER = '340100:1';
const SUZHOU_OFFICER = '320500:1';
const JIAXING_OFFICER = '330400:1';

const as = (officer: string, purpose?: string) => ({ 'X-Officer': officer, ...(purpose ? { 'X-Purpose': purpose } : {}) });

beforeAll(async () => {
  process.env.HUB_ID_LOOKUPS_PER_MINUTE = '8';
  hub = await startTestHub('t_trust');
});

afterAll(async () => {
  delete process.env.HUB_ID_LOOKUPS_PER_MINUTE;
  await hub?.stop();
});

const jiaxingDb = () => hub.databaseUrls.get(JIAXING)!;

async function taggedCategory(): Promise<{ category: string; ids: string[] }> {
  const rows = await queryDatabase<{ category: string; ids: string[] }>(
    jiaxingDb(),
    `SELECT category, array_agg('330400:' || person_id ORDER BY person_id) AS ids FROM personnel.person_tags GROUP BY category ORDER BY count(*) DESC LIMIT 1`,
  );
  expect(rows.length).toBe(1);
  return rows[0];
}

const PERSONS_BY = `query ($filter: PersonFilter) { persons(first: 100, regions: ["330400"], filter: $filter) { edges { node { id } } } }`;

describe('filters obey the rule of the value they test', () => {
  test('a key-person category matches only the caller’s own residents: none for a partner city', async () => {
    const { category, ids } = await taggedCategory();
    const hefei = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { category } }, as(HEFEI_OFFICER));
    expect(hefei.errors).toBeUndefined();
    expect(hefei.data.persons.edges).toEqual([]);
    const suzhou = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { category } }, as(SUZHOU_OFFICER));
    expect(suzhou.data.persons.edges).toEqual([]); // PERSON_PERSONAL does not open owner-only values
    const jiaxing = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { category } }, as(JIAXING_OFFICER));
    expect(jiaxing.data.persons.edges.map((edge: any) => edge.node.id).sort()).toEqual([...ids].sort());
  });

  test('a county officer matches only his county’s residents by category', async () => {
    const [officer] = await queryDatabase<{ id: string; jurisdiction: string }>(
      jiaxingDb(),
      "SELECT id, jurisdiction FROM personnel.officers WHERE login LIKE 'demo-330400-petition-%' AND active ORDER BY id LIMIT 1",
    );
    const { category } = await taggedCategory();
    const expected = await queryDatabase<{ id: string }>(
      jiaxingDb(),
      `SELECT '330400:' || p.id AS id FROM personnel.person_tags t JOIN personnel.persons p ON p.id = t.person_id
        WHERE t.category = $1 AND p.home_jurisdiction LIKE $2 || '%'`,
      [category, officer.jurisdiction],
    );
    const county = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { category } }, as(`330400:${officer.id}`));
    expect(county.data.persons.edges.map((edge: any) => edge.node.id).sort()).toEqual(expected.map((row) => row.id).sort());
  });
});

describe('a lookup by ID number is a full read of it', () => {
  const LOOKUP = `query ($region: String!, $idNumber: String!) { personByIdNumber(region: $region, idNumber: $idNumber) { id name } }`;
  let resident: { id: string; id_number: string; home_jurisdiction: string };

  beforeAll(async () => {
    [resident] = await queryDatabase(jiaxingDb(), "SELECT '330400:' || id AS id, id_number, home_jurisdiction FROM personnel.persons ORDER BY id LIMIT 1");
  });

  /** A well-formed number (valid check character) that no Jiaxing resident holds. */
  async function unusedNumber(): Promise<string> {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (let serial = 100; serial < 999; serial += 1) {
      const body = `33040219770101${serial}`.slice(0, 17);
      const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
      const number = body + '10X98765432'[sum % 11];
      const taken = await queryDatabase(jiaxingDb(), 'SELECT 1 FROM personnel.persons WHERE id_number = $1', [number]);
      if (taken.length === 0) return number;
    }
    throw new Error('no unused number found');
  }

  test('a partner holding PERSON_PERSONAL, with a purpose, finds the person', async () => {
    const found = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: resident.id_number }, as(SUZHOU_OFFICER, 'petition-handling'));
    expect(found.errors).toBeUndefined();
    expect(found.data.personByIdNumber.id).toBe(resident.id);
  });

  test('without a stated purpose the lookup is refused before anything is looked up', async () => {
    const refused = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: resident.id_number }, as(JIAXING_OFFICER));
    expect(refused.data.personByIdNumber).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].extensions?.field).toBe('idNumber');
  });

  test('a partner holding only PERSON_BASIC is refused alike for a real and an unused number', async () => {
    const real = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: resident.id_number }, as(HEFEI_OFFICER, 'petition-handling'));
    const unused = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: await unusedNumber() }, as(HEFEI_OFFICER, 'petition-handling'));
    expect(real.data.personByIdNumber).toBeNull();
    expect(real.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(real.errors?.[0].extensions?.field).toBe('idNumber');
    expect(unused.errors?.[0].message).toBe(real.errors?.[0].message);
  });

  test('a number the caller may not see in full answers exactly as a number nobody holds', async () => {
    // An officer of one Jiaxing county sees the residents of the city's other counties masked, never in full.
    const [county] = await queryDatabase<{ id: string; jurisdiction: string }>(
      jiaxingDb(),
      "SELECT id, jurisdiction FROM personnel.officers WHERE login LIKE 'demo-330400-petition-%' AND active AND jurisdiction <> '330400' ORDER BY id LIMIT 1",
    );
    const [outsider] = await queryDatabase<{ id_number: string }>(
      jiaxingDb(),
      "SELECT id_number FROM personnel.persons WHERE home_jurisdiction NOT LIKE $1 || '%' ORDER BY id LIMIT 1",
      [county.jurisdiction],
    );
    const officer = `330400:${county.id}`;
    const hidden = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: outsider.id_number }, as(officer, 'petition-handling'));
    const absent = await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: await unusedNumber() }, as(officer, 'petition-handling'));
    expect(hidden.data.personByIdNumber).toBeNull();
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect({ message: hidden.errors?.[0].message, code: hidden.errors?.[0].extensions?.code }).toEqual({
      message: absent.errors?.[0].message,
      code: absent.errors?.[0].extensions?.code,
    });
  });

  test('every lookup is in the owner region’s audit log, found or not', async () => {
    const number = await unusedNumber();
    await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: number }, as(SUZHOU_OFFICER, 'petition-handling'));
    await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: resident.id_number }, as(SUZHOU_OFFICER, 'petition-handling'));
    const rows = await queryDatabase<{ record: string }>(
      jiaxingDb(),
      "SELECT record FROM audit.entries WHERE officer = $1 AND action = 'LOOKUP_BY_ID_NUMBER'",
      [SUZHOU_OFFICER],
    );
    const records = rows.map((row) => row.record);
    expect(records).toContain(`idNumber:${maskIdNumber(number)}`);
    expect(records).toContain(`Person:${resident.id}`);
  });

  test('lookups are limited per officer: past the limit, RATE_LIMITED with the wait', async () => {
    const officer = '320500:2';
    const answers = [];
    for (let i = 0; i < 9; i += 1) {
      answers.push(await graphql(hub.gateway.graphqlUrl, LOOKUP, { region: JIAXING, idNumber: resident.id_number }, as(officer, 'petition-handling')));
    }
    const codes = answers.map((answer) => answer.errors?.[0].extensions?.code ?? 'OK');
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(1); // the limit is 8 a minute here
    expect(codes[8]).toBe('RATE_LIMITED');
    expect(answers[8].errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('a link reveals no more than its field', () => {
  test('a person’s petitions list only petitions whose petitioners the caller may see', async () => {
    const [link] = await queryDatabase<{ person_id: string; petition_id: string }>(
      jiaxingDb(),
      "SELECT person_id, petition_id FROM petitions.petitioners WHERE person_id LIKE '330400:%' ORDER BY registered_at DESC LIMIT 1",
    );
    const petitionId = `330400:${link.petition_id}`;
    const DOSSIER = `query ($id: ID!) { person(id: $id) { petitions(first: 100, regions: ["330400"]) { edges { node { id } } } } }`;
    const PETITIONERS = `query ($id: ID!) { petition(id: $id) { petitioners { id } } }`;

    // Hefei holds PETITION_WARNINGS for Jiaxing, not PETITION_DETAILS: petitioners are FORBIDDEN, so is the link from the person.
    const hefeiPetition = await graphql(hub.gateway.graphqlUrl, PETITIONERS, { id: petitionId }, as(HEFEI_OFFICER));
    expect(hefeiPetition.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const hefei = await graphql(hub.gateway.graphqlUrl, DOSSIER, { id: link.person_id }, as(HEFEI_OFFICER));
    expect(hefei.data.person.petitions.edges.map((edge: any) => edge.node.id)).not.toContain(petitionId);
    expect(hefei.data.person.petitions.edges).toEqual([]);

    // Suzhou holds PETITION_DETAILS for Jiaxing: both ends show the relation.
    const suzhouPetition = await graphql(hub.gateway.graphqlUrl, PETITIONERS, { id: petitionId }, as(SUZHOU_OFFICER));
    expect(suzhouPetition.data.petition.petitioners.map((p: any) => p.id)).toContain(link.person_id);
    const suzhou = await graphql(hub.gateway.graphqlUrl, DOSSIER, { id: link.person_id }, as(SUZHOU_OFFICER));
    expect(suzhou.data.person.petitions.edges.map((edge: any) => edge.node.id)).toContain(petitionId);
  });
});

describe('after Jiaxing and Hefei end their agreement', () => {
  let person: { id: string; home_jurisdiction: string };
  let warningId: string;
  let petitionId: string;

  beforeAll(async () => {
    [person] = await queryDatabase(
      jiaxingDb(),
      "SELECT '330400:' || id AS id, home_jurisdiction FROM personnel.persons WHERE home_jurisdiction <> '330400' ORDER BY id LIMIT 1",
    );
    const [warning] = await queryDatabase<{ id: string }>(
      jiaxingDb(),
      "SELECT id FROM petitions.warnings WHERE status = 'OPEN' AND raised_in <> '330400' ORDER BY id LIMIT 1",
    );
    warningId = `330400:${warning.id}`;
    const [petition] = await queryDatabase<{ id: string }>(
      jiaxingDb(),
      "SELECT id FROM petitions.petitions WHERE registered_in <> '330400' ORDER BY id LIMIT 1",
    );
    petitionId = `330400:${petition.id}`;
    // Jiaxing's administrator revokes every agreement between Jiaxing and Hefei, as the README shows.
    const [admin] = await queryDatabase<{ id: string }>(jiaxingDb(), "SELECT id FROM personnel.officers WHERE login = 'demo-330400-agreements'");
    const administrator = `330400:${admin.id}`;
    const listed = await graphql(
      hub.gateway.graphqlUrl,
      '{ sharingAgreements(first: 100, jurisdiction: "330400") { edges { node { id active provider { code } recipient { code } } } } }',
      {},
      as(administrator),
    );
    const between = listed.data.sharingAgreements.edges
      .map((edge: any) => edge.node)
      .filter((a: any) => a.active && [a.provider.code, a.recipient.code].sort().join() === '330400,340100');
    expect(between.length).toBeGreaterThan(0);
    for (const agreement of between) {
      const revoked = await graphql(
        hub.gateway.graphqlUrl,
        'mutation ($id: ID!) { revokeSharingAgreement(id: $id, reason: "试点结束") { active } }',
        { id: agreement.id },
        as(administrator),
      );
      expect(revoked.errors).toBeUndefined();
    }
    // Grants are kept 2 seconds at the gateway: wait until Hefei holds none of Jiaxing's.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const caller = await graphql(hub.gateway.graphqlUrl, '{ caller { grants { owner } } }', {}, as(HEFEI_OFFICER));
      if (!caller.data.caller.grants.some((grant: any) => grant.owner.startsWith('3304'))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the revocation did not reach the gateway');
  });

  test('a home-jurisdiction filter the caller may read nowhere is refused, naming the argument', async () => {
    const refused = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { homeJurisdiction: person.home_jurisdiction } }, as(HEFEI_OFFICER));
    expect(refused.data?.persons ?? null).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].extensions?.field).toBe('filter.homeJurisdiction');
  });

  test('a key-person category still matches nothing of Jiaxing', async () => {
    const { category } = await taggedCategory();
    const hefei = await graphql(hub.gateway.graphqlUrl, PERSONS_BY, { filter: { category } }, as(HEFEI_OFFICER));
    expect(hefei.data.persons.edges).toEqual([]);
  });

  test('refusals name nothing of the record: not its county', async () => {
    const answers = [
      await graphql(hub.gateway.graphqlUrl, `{ person(id: "${person.id}") { name gender homeJurisdiction dataAccess { reason } } }`, {}, as(HEFEI_OFFICER)),
      await graphql(hub.gateway.graphqlUrl, `{ petitionWarning(id: "${warningId}") { level } }`, {}, as(HEFEI_OFFICER)),
      await graphql(hub.gateway.graphqlUrl, `{ petition(id: "${petitionId}") { status } }`, {}, as(HEFEI_OFFICER)),
      await graphql(hub.gateway.graphqlUrl, `{ auditTrail(personId: "${person.id}") { action } }`, {}, as(HEFEI_OFFICER)),
    ];
    const [petitionRow] = await queryDatabase<{ registered_in: string }>(jiaxingDb(), 'SELECT registered_in FROM petitions.petitions WHERE id = $1', [
      petitionId.split(':')[1],
    ]);
    const [warningRow] = await queryDatabase<{ raised_in: string }>(jiaxingDb(), 'SELECT raised_in FROM petitions.warnings WHERE id = $1', [
      warningId.split(':')[1],
    ]);
    const secrets = [person.home_jurisdiction, petitionRow.registered_in, warningRow.raised_in];
    for (const answer of answers) {
      expect(answer.errors?.length).toBeGreaterThan(0);
      expect(answer.errors!.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
      const text = JSON.stringify(answer);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  test('a warning the caller may not see cannot be acknowledged, and its state is not told', async () => {
    const answer = await graphql(
      hub.gateway.graphqlUrl,
      `mutation { acknowledgePetitionWarning(id: "${warningId}", note: "已签收") { status } }`,
      {},
      as(HEFEI_OFFICER),
    );
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(answer.errors?.[0].extensions?.status).toBeUndefined();
    const events = await queryDatabase(jiaxingDb(), "SELECT 1 FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ACKNOWLEDGED'", [
      warningId.split(':')[1],
    ]);
    expect(events).toHaveLength(0);
  });
});
