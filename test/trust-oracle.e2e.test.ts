import type { RunningHub } from '../launcher/hub';
import { maskIdNumber, maskName, maskPhone } from '../auth/masking';
import { SeededRandom } from '../subgraphs/shared/random';
import { graphql, queryDatabase, startTestHub, tokenFor } from './support/hub';
import { insider, personPolicy, seesPetitionDetails, seesPetitionOutline, seesWarning, Shown } from './support/readme-policy';

/**
 * Randomised: for callers of every kind, generated queries over the demo data — fields, filters,
 * links, lookups — through the gateway, each answer held against an oracle of the README's rules
 * (test/support/readme-policy.ts): no value returned that the rules hide, no record matched by a
 * value the caller may not read, and what the rules allow is all there. The seed is printed; set
 * TRUST_ORACLE_SEED to replay one.
 */

const REGIONS = ['310000', '320500', '330400', '340100'];
const ROUNDS = 160;
const seed = Number(process.env.TRUST_ORACLE_SEED ?? Date.now() % 100_000);

interface PersonRow {
  id: string;
  region: string;
  name: string;
  id_number: string;
  phone: string | null;
  home_jurisdiction: string;
  tags: string[];
}
interface PetitionRow {
  id: string;
  registered_in: string;
  summary: string;
  petitioners: string[];
}
interface WarningRow {
  id: string;
  raised_in: string;
  subject_id: string;
}

let hub: RunningHub;
const persons: PersonRow[] = [];
const petitions: PetitionRow[] = [];
const warnings: WarningRow[] = [];
let callers: Array<{ login: string; id: string; jurisdiction: string }> = [];

beforeAll(async () => {
  hub = await startTestHub('t_oracle');
  for (const region of REGIONS) {
    const db = hub.databaseUrls.get(region)!;
    const rows = await queryDatabase<PersonRow>(
      db,
      `SELECT $1 || ':' || p.id AS id, $1 AS region, p.name, p.id_number, p.phone, p.home_jurisdiction,
              coalesce(array_agg(t.category) FILTER (WHERE t.category IS NOT NULL), '{}') AS tags
         FROM personnel.persons p LEFT JOIN personnel.person_tags t ON t.person_id = p.id GROUP BY p.id`,
      [region],
    );
    persons.push(...rows);
    petitions.push(
      ...(await queryDatabase<PetitionRow>(
        db,
        `SELECT $1 || ':' || p.id AS id, p.registered_in, p.summary, coalesce(array_agg(l.person_id) FILTER (WHERE l.person_id IS NOT NULL), '{}') AS petitioners
           FROM petitions.petitions p LEFT JOIN petitions.petitioners l ON l.petition_id = p.id GROUP BY p.id`,
        [region],
      )),
    );
    warnings.push(...(await queryDatabase<WarningRow>(db, `SELECT $1 || ':' || id AS id, raised_in, subject_id FROM petitions.warnings`, [region])));
  }
  const logins = REGIONS.flatMap((region) => [`demo-${region}`, `demo-${region}-petition-2`, `demo-${region}-ecology-2`]);
  callers = logins.map((login) => {
    const officer = hub.identity.demoOfficer(login);
    return { login, id: officer.id, jurisdiction: officer.jurisdiction };
  });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

type Answer = { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };

async function ask(caller: { id: string }, query: string, variables: Record<string, unknown>, purpose: boolean): Promise<Answer> {
  const authorization = `Bearer ${await tokenFor(hub.gateway.graphqlUrl, caller.id)}`;
  return graphql(hub.gateway.graphqlUrl, query, variables, { authorization, ...(purpose ? { 'X-Purpose': 'petition-handling' } : {}) });
}

const ids = (connection: any): string[] => (connection?.edges ?? []).map((edge: any) => edge.node.id).sort();
const sorted = (values: string[]) => [...values].sort();
const codeAt = (answer: Answer, path: string) => answer.errors?.find((error) => error.path?.join('.') === path)?.extensions?.code;

function shownAs(shown: Shown, value: unknown, full: unknown, masked: unknown, forbiddenHere: boolean): boolean {
  if (shown === 'FULL') return value === full;
  if (shown === 'MASKED') return value === masked;
  return value === null && forbiddenHere;
}

test(`randomised queries over the demo data obey the README's rules (seed ${seed})`, async () => {
  const random = new SeededRandom(seed, 'trust-oracle');
  const mismatches: string[] = [];
  const counts: Record<string, number> = {};
  const expectThat = (ok: boolean, what: string) => {
    if (!ok) mismatches.push(what);
  };
  const categories = [...new Set(persons.flatMap((person) => person.tags))];
  const homes = [...new Set(persons.map((person) => person.home_jurisdiction))];

  for (let round = 0; round < ROUNDS; round += 1) {
    const caller = random.pick(callers);
    const who = `${caller.login} (${caller.jurisdiction})`;
    const region = random.pick(REGIONS);
    const kind = random.pick(['category', 'home', 'fields', 'dossier', 'lookup', 'petition', 'warnings'] as const);
    counts[kind] = (counts[kind] ?? 0) + 1;

    if (kind === 'category') {
      const category = random.pick(categories);
      const answer = await ask(
        caller,
        `query ($f: PersonFilter, $r: [String!]) { persons(first: 100, regions: $r, filter: $f) { edges { node { id } } } }`,
        { f: { category }, r: [region] },
        false,
      );
      const expected = persons
        .filter((p) => p.region === region && p.tags.includes(category) && insider(caller.jurisdiction, p.home_jurisdiction))
        .map((p) => p.id);
      expectThat(
        JSON.stringify(ids(answer.data?.persons)) === JSON.stringify(sorted(expected)),
        `${who} persons(category ${category}) in ${region}: got ${ids(answer.data?.persons)}, expected ${sorted(expected)}`,
      );
    }

    if (kind === 'home') {
      const home = random.pick(homes);
      const answer = await ask(
        caller,
        `query ($f: PersonFilter, $r: [String!]) { persons(first: 100, regions: $r, filter: $f) { edges { node { id } } } }`,
        { f: { homeJurisdiction: home }, r: [region] },
        false,
      );
      const visible = personPolicy(caller.jurisdiction, home, false).basic === 'FULL';
      if (!visible)
        expectThat(
          answer.errors?.[0]?.extensions?.code === 'FORBIDDEN' && !answer.data?.persons,
          `${who} persons(home ${home}): expected FORBIDDEN, got ${JSON.stringify(answer).slice(0, 200)}`,
        );
      else {
        const expected = persons.filter((p) => p.region === region && p.home_jurisdiction.startsWith(home)).map((p) => p.id);
        expectThat(
          JSON.stringify(ids(answer.data?.persons)) === JSON.stringify(sorted(expected.slice(0, 100))) || expected.length > 100,
          `${who} persons(home ${home}) in ${region}: got ${ids(answer.data?.persons)}, expected ${sorted(expected)}`,
        );
      }
    }

    if (kind === 'fields') {
      const person = random.pick(persons.filter((p) => p.region === region));
      const purpose = random.chance(0.5);
      const answer = await ask(
        caller,
        `query ($id: ID!) { person(id: $id) { id name idNumber phone gender homeJurisdiction tags { category } } }`,
        { id: person.id },
        purpose,
      );
      const rule = personPolicy(caller.jurisdiction, person.home_jurisdiction, purpose);
      const got = answer.data?.person;
      const forbidden = (field: string) => codeAt(answer, `person.${field}`) === 'FORBIDDEN';
      const at = `${who} ${purpose ? 'with' : 'without'} purpose, ${person.id} (${person.home_jurisdiction})`;
      expectThat(got?.id === person.id, `${at}: id`);
      expectThat(
        shownAs(rule.personal, got?.name, person.name, maskName(person.name), forbidden('name')),
        `${at}.name: expected ${rule.personal}, got ${got?.name}`,
      );
      expectThat(
        shownAs(rule.personal, got?.idNumber, person.id_number, maskIdNumber(person.id_number), forbidden('idNumber')),
        `${at}.idNumber: expected ${rule.personal}, got ${got?.idNumber}`,
      );
      if (person.phone)
        expectThat(
          shownAs(rule.personal, got?.phone, person.phone, maskPhone(person.phone), forbidden('phone')),
          `${at}.phone: expected ${rule.personal}, got ${got?.phone}`,
        );
      expectThat(
        shownAs(rule.basic, got?.homeJurisdiction, person.home_jurisdiction, undefined, forbidden('homeJurisdiction')),
        `${at}.homeJurisdiction: expected ${rule.basic}`,
      );
      expectThat(rule.owner === 'FULL' ? Array.isArray(got?.tags) : got?.tags === null && forbidden('tags'), `${at}.tags: expected ${rule.owner}`);
      // Refusals name nothing the caller may not read.
      if (rule.basic === 'FORBIDDEN')
        expectThat(!JSON.stringify(answer.errors ?? []).includes(person.home_jurisdiction), `${at}: an error names the home ${person.home_jurisdiction}`);
    }

    if (kind === 'dossier') {
      const subject = random.pick(persons);
      const answer = await ask(
        caller,
        `query ($id: ID!) { person(id: $id) { petitions(first: 100) { edges { node { id } } } petitionWarnings(first: 100) { edges { node { id } } } } }`,
        { id: subject.id },
        false,
      );
      const expectedPetitions = petitions
        .filter((p) => p.petitioners.includes(subject.id) && seesPetitionDetails(caller.jurisdiction, p.registered_in))
        .map((p) => p.id);
      const expectedWarnings = warnings.filter((w) => w.subject_id === subject.id && seesWarning(caller.jurisdiction, w.raised_in)).map((w) => w.id);
      expectThat(
        JSON.stringify(ids(answer.data?.person?.petitions)) === JSON.stringify(sorted(expectedPetitions)),
        `${who} ${subject.id}.petitions: got ${ids(answer.data?.person?.petitions)}, expected ${sorted(expectedPetitions)}`,
      );
      expectThat(
        JSON.stringify(ids(answer.data?.person?.petitionWarnings)) === JSON.stringify(sorted(expectedWarnings)),
        `${who} ${subject.id}.petitionWarnings: got ${ids(answer.data?.person?.petitionWarnings)}, expected ${sorted(expectedWarnings)}`,
      );
    }

    if (kind === 'lookup') {
      const person = random.pick(persons.filter((p) => p.region === region));
      const answer = await ask(
        caller,
        `query ($r: String!, $n: String!) { personByIdNumber(region: $r, idNumber: $n) { id } }`,
        { r: region, n: person.id_number },
        true,
      );
      const full = personPolicy(caller.jurisdiction, person.home_jurisdiction, true).personal === 'FULL';
      const code = answer.errors?.[0]?.extensions?.code;
      if (full)
        expectThat(
          answer.data?.personByIdNumber?.id === person.id,
          `${who} personByIdNumber(${person.id}): expected the person, got ${JSON.stringify(answer).slice(0, 200)}`,
        );
      else
        expectThat(
          answer.data?.personByIdNumber === null && (code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'RATE_LIMITED'),
          `${who} personByIdNumber(${person.id}, home ${person.home_jurisdiction}): expected no answer, got ${JSON.stringify(answer).slice(0, 200)}`,
        );
    }

    if (kind === 'petition') {
      const petition = random.pick(petitions.filter((p) => p.id.startsWith(region)));
      const answer = await ask(
        caller,
        `query ($id: ID!) { petition(id: $id) { id status summary petitioners { id } warnings { id } } }`,
        { id: petition.id },
        false,
      );
      const outline = seesPetitionOutline(caller.jurisdiction, petition.registered_in);
      const details = seesPetitionDetails(caller.jurisdiction, petition.registered_in);
      const got = answer.data?.petition;
      const at = `${who} petition ${petition.id} (${petition.registered_in})`;
      if (!outline) expectThat(got === null && codeAt(answer, 'petition') === 'FORBIDDEN', `${at}: expected FORBIDDEN`);
      else {
        expectThat(got?.id === petition.id, `${at}: expected the outline`);
        expectThat(
          details ? got?.summary === petition.summary : got?.summary === null && codeAt(answer, 'petition.summary') === 'FORBIDDEN',
          `${at}.summary: expected ${details ? 'shown' : 'FORBIDDEN'}`,
        );
        expectThat(
          details
            ? JSON.stringify(sorted((got?.petitioners ?? []).map((p: any) => p.id))) === JSON.stringify(sorted(petition.petitioners))
            : got?.petitioners === null,
          `${at}.petitioners`,
        );
        const listed: string[] = (got?.warnings ?? []).map((w: any) => w.id);
        const hidden = listed.filter((id) => !seesWarning(caller.jurisdiction, warnings.find((w) => w.id === id)!.raised_in));
        expectThat(hidden.length === 0, `${at}.warnings lists warnings the caller may not see: ${hidden}`);
      }
      if (!outline) expectThat(!JSON.stringify(answer.errors ?? []).includes(petition.registered_in), `${at}: an error names ${petition.registered_in}`);
    }

    if (kind === 'warnings') {
      const raisedIn = random.pick([region.slice(0, 4), ...warnings.filter((w) => w.id.startsWith(region)).map((w) => w.raised_in)]);
      const answer = await ask(
        caller,
        `query ($f: PetitionWarningFilter, $r: [String!]) { petitionWarnings(first: 100, regions: $r, filter: $f) { edges { node { id } } } }`,
        { f: { raisedIn }, r: [region] },
        false,
      );
      const expected = warnings
        .filter((w) => w.id.startsWith(`${region}:`) && w.raised_in.startsWith(raisedIn) && seesWarning(caller.jurisdiction, w.raised_in))
        .map((w) => w.id);
      expectThat(
        JSON.stringify(ids(answer.data?.petitionWarnings)) === JSON.stringify(sorted(expected)) || expected.length > 100,
        `${who} petitionWarnings(raisedIn ${raisedIn}) in ${region}: got ${ids(answer.data?.petitionWarnings).length}, expected ${expected.length}`,
      );
    }
  }
  console.log(`trust oracle: seed ${seed}, ${ROUNDS} queries by ${callers.length} callers: ${JSON.stringify(counts)}`);
  expect(mismatches).toEqual([]);
}, 120_000);
