import { residentIdFacts } from '../auth/resident-id';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../auth/masking';
import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, queryDatabase, rosterOfficer, startTestHub, tokenFor, writeRegionsFile } from './support/hub';
import { personPolicy as policy, seesPetitionDetails, seesPetitionOutline, seesWarning, Shown } from './support/readme-policy';

/**
 * The policy matrix: callers of every kind (city and county petition officers, enforcement
 * officers, auditors of each region; county officers of the demonstration zone; an officer of
 * the same province without agreements; every one on a roster, as callers must be) × persons of every region × every protected field ×
 * with and without a stated purpose. Each value must equal what the README's rules over the demo
 * agreements (test/support/readme-policy.ts, written from the README, not from the code) say: full,
 * masked, or null with FORBIDDEN.
 */

let hub: RunningHub;
const REGIONS = ['310000', '320500', '330400', '340100'];

const PERSONAL_FIELDS: Record<string, (row: PersonRow) => string> = {
  name: (row) => row.name,
  idNumber: (row) => row.id_number,
  birthDate: (row) => residentIdFacts(row.id_number).birthDate,
  phone: (row) => row.phone,
  address: (row) => row.address,
};
const MASKED: Record<string, (value: string) => string> = {
  name: maskName,
  idNumber: maskIdNumber,
  birthDate: (value) => `${value.slice(0, 4)}-**-**`,
  phone: maskPhone,
  address: maskAddress,
};

interface PersonRow {
  region: string;
  id: string;
  name: string;
  id_number: string;
  phone: string;
  address: string;
  home_jurisdiction: string;
}

const persons: PersonRow[] = [];
let callers: Array<{ label: string; jurisdiction: string; authorization: string }> = [];

beforeAll(async () => {
  // Hangzhou is served too, with every agreement it would have removed: an officer on a
  // roster here (callers must be) whom no agreement covers.
  hub = await startTestHub('t_matrix', { regionsFile: writeRegionsFile([...DEMO_REGIONS, { code: '330100', name: '杭州市' }]) });
  await queryDatabase(hub.databaseUrls.get('hub')!, "DELETE FROM directory.sharing_agreements WHERE provider LIKE '3301%' OR recipient LIKE '3301%'");
  for (const region of REGIONS) {
    // Two persons per region in different counties, the demonstration zone's county among them where the region has one.
    const rows = await queryDatabase<PersonRow>(
      hub.databaseUrls.get(region)!,
      `SELECT DISTINCT ON (home_jurisdiction) id::text, name, id_number, phone, address, home_jurisdiction FROM personnel.persons
        WHERE phone IS NOT NULL AND address IS NOT NULL ORDER BY home_jurisdiction, id`,
    );
    const zone = rows.filter((row) => ['310118', '320509', '330421'].includes(row.home_jurisdiction));
    const chosen = [...zone, ...rows.filter((row) => !zone.includes(row))].slice(0, 2);
    persons.push(...chosen.map((row) => ({ ...row, region, id: `${region}:${row.id}` })));
  }
  const demo = async (login: string) => {
    const officer = hub.identity.demoOfficer(login);
    return { label: login, jurisdiction: officer.jurisdiction, authorization: `Bearer ${await tokenFor(hub.gateway.graphqlUrl, officer.id)}` };
  };
  const custom = async (label: string, jurisdiction: string) => {
    // An officer the seed does not have, added to the roster of the region holding `jurisdiction`.
    const region = jurisdiction.startsWith('31') ? '310000' : `${jurisdiction.slice(0, 4)}00`;
    const officer = await rosterOfficer(hub, { region, jurisdiction, agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
    return { label, jurisdiction, authorization: `Bearer ${officer.token}` };
  };
  callers = [
    ...(await Promise.all(
      REGIONS.flatMap((region) => [`demo-${region}`, `demo-${region}-petition-2`, `demo-${region}-market-1`, `demo-${region}-auditor`].map(demo)),
    )),
    await custom('Qingpu county officer', '310118'),
    await custom('Wujiang county officer', '320509'),
    await custom('Jiashan county officer', '330421'),
    { ...(await demo('demo-330100')), label: 'Hangzhou officer (same province, no agreement)' },
  ];
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

test('every caller kind × every region’s persons × every protected field × purpose matches the policy table', async () => {
  const selection = `id name idNumber birthDate phone address gender homeJurisdiction tags { category }`;
  const query = `{ ${persons.map((person, i) => `p${i}: person(id: "${person.id}") { ${selection} }`).join(' ')} }`;
  let checked = 0;
  const mismatches: string[] = [];
  for (const caller of callers) {
    for (const purpose of [true, false]) {
      const result = await graphql(
        hub.gateway.graphqlUrl,
        query,
        {},
        { authorization: caller.authorization, ...(purpose ? { 'X-Purpose': 'petition-handling' } : {}) },
      );
      const forbiddenAt = new Set((result.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.')));
      persons.forEach((person, i) => {
        const got = result.data[`p${i}`];
        const rule = policy(caller.jurisdiction, person.home_jurisdiction, purpose);
        const check = (field: string, shown: Shown, full: unknown, masked?: unknown) => {
          checked += 1;
          const value = got?.[field];
          const ok =
            shown === 'FULL'
              ? JSON.stringify(value) === JSON.stringify(full)
              : shown === 'MASKED'
                ? value === masked
                : value === null && forbiddenAt.has(`p${i}.${field}`);
          if (!ok)
            mismatches.push(
              `${caller.label} (${caller.jurisdiction}) ${purpose ? 'with' : 'without'} purpose, ${person.id} (${person.home_jurisdiction}).${field}: expected ${shown}, got ${JSON.stringify(value)}`,
            );
        };
        for (const [field, raw] of Object.entries(PERSONAL_FIELDS)) check(field, rule.personal, raw(person), MASKED[field](raw(person)));
        check('gender', rule.basic, residentIdFacts(person.id_number).gender);
        check('homeJurisdiction', rule.basic, person.home_jurisdiction);
        if (rule.owner === 'FULL') {
          checked += 1;
          if (!Array.isArray(got?.tags)) mismatches.push(`${caller.label}: ${person.id}.tags: expected a list, got ${JSON.stringify(got?.tags)}`);
        } else check('tags', 'FORBIDDEN', null);
      });
    }
  }
  console.log(
    `policy matrix: ${checked} combinations checked (${callers.length} callers × ${persons.length} persons of ${REGIONS.length} regions × 8 fields × with/without purpose)`,
  );
  expect(mismatches).toEqual([]);
  expect(checked).toBe(callers.length * persons.length * 8 * 2);
});

test('every caller kind × a petition and a warning of every region: outline, details and warnings match the policy table', async () => {
  const records: Array<{
    region: string;
    petition: { id: string; registered_in: string; summary: string; content: string };
    warning: { id: string; raised_in: string; summary: string };
  }> = [];
  for (const region of REGIONS) {
    const [petition] = await queryDatabase(
      hub.databaseUrls.get(region)!,
      'SELECT id::text, registered_in, summary, content FROM petitions.petitions ORDER BY id LIMIT 1',
    );
    const [warning] = await queryDatabase(hub.databaseUrls.get(region)!, 'SELECT id::text, raised_in, summary FROM petitions.warnings ORDER BY id LIMIT 1');
    records.push({ region, petition: { ...petition, id: `${region}:${petition.id}` }, warning: { ...warning, id: `${region}:${warning.id}` } });
  }
  const query = `{ ${records
    .map((r, i) => `pe${i}: petition(id: "${r.petition.id}") { id status summary content } w${i}: petitionWarning(id: "${r.warning.id}") { id summary }`)
    .join(' ')} }`;
  let checked = 0;
  const mismatches: string[] = [];
  for (const caller of callers) {
    const result = await graphql(hub.gateway.graphqlUrl, query, {}, { authorization: caller.authorization });
    const forbiddenAt = new Set((result.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.')));
    records.forEach((record, i) => {
      const petition = result.data[`pe${i}`];
      const warning = result.data[`w${i}`];
      const expectOutline = seesPetitionOutline(caller.jurisdiction, record.petition.registered_in);
      const expectDetails = seesPetitionDetails(caller.jurisdiction, record.petition.registered_in);
      const expectWarning = seesWarning(caller.jurisdiction, record.warning.raised_in);
      const outcomes: Array<[string, boolean]> = [
        ['petition', expectOutline ? petition?.id === record.petition.id : petition === null && forbiddenAt.has(`pe${i}`)],
        [
          'petition.summary',
          !expectOutline || (expectDetails ? petition?.summary === record.petition.summary : petition?.summary === null && forbiddenAt.has(`pe${i}.summary`)),
        ],
        [
          'petition.content',
          !expectOutline || (expectDetails ? petition?.content === record.petition.content : petition?.content === null && forbiddenAt.has(`pe${i}.content`)),
        ],
        ['warning', expectWarning ? warning?.summary === record.warning.summary : warning === null && forbiddenAt.has(`w${i}`)],
      ];
      for (const [what, ok] of outcomes) {
        checked += 1;
        if (!ok)
          mismatches.push(
            `${caller.label} (${caller.jurisdiction}) ${record.region} ${what}: expected ${what.startsWith('warning') ? expectWarning : what === 'petition' ? expectOutline : expectDetails}`,
          );
      }
    });
  }
  console.log(`policy matrix (petitions and warnings): ${checked} combinations checked`);
  expect(mismatches).toEqual([]);
});
