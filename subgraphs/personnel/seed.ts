import type { Pool, PoolClient } from 'pg';
import { AGENCY_KIND_NAMES, AgencyKindName } from '../../auth/agencies';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { makeResidentId } from '../../auth/resident-id';
import type { RegionSummary } from '../shared/context';
import { chunk, DEMO_EPOCH, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { SeedOptions } from '../shared/subgraph-module';
import { makeCertificateNumber } from './certificate-number';
import { demoRoster } from './demo-roster';
import { jurisdictionName } from '../shared/jurisdictions';
import { OfficerRole } from './officer-role';
import { KeyPersonCategory } from './key-person-category';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '沈', '顾', '钱', '欧阳', '诸葛'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强', '海燕'];
const ROADS = ['人民路', '解放路', '中山路', '建设路', '文昌路', '新华路', '环城路', '南湖路', '长水路', '学院路'];
/** Area codes of the demo cities, for landlines; elsewhere the demo gives mobiles only. */
const AREA_CODES: Record<string, string> = { '310000': '021', '320500': '0512', '330400': '0573', '340100': '0551' };

/** How often each category occurs among tagged persons, and which agency gives it. */
const CATEGORIES: Array<{ category: KeyPersonCategory; weight: number; agency: AgencyKindName; adultsOver?: number }> = [
  { category: KeyPersonCategory.PETITION_KEY_PERSON, weight: 5, agency: 'PETITION_BUREAU' },
  { category: KeyPersonCategory.COMMUNITY_CORRECTION, weight: 2, agency: 'PUBLIC_SECURITY' },
  { category: KeyPersonCategory.RELEASED_PRISONER, weight: 2, agency: 'PUBLIC_SECURITY' },
  { category: KeyPersonCategory.SEVERE_MENTAL_DISORDER, weight: 1, agency: 'HEALTH' },
  { category: KeyPersonCategory.DRUG_REHABILITATION, weight: 1, agency: 'PUBLIC_SECURITY' },
  { category: KeyPersonCategory.ELDERLY_LIVING_ALONE, weight: 3, agency: 'HEALTH', adultsOver: 65 },
  { category: KeyPersonCategory.LOW_INCOME, weight: 2, agency: 'HUMAN_RESOURCES' },
];

const DAY = 86_400_000;

/**
 * Demo data of one region: the officers of demo-roster.ts, then residents with ids
 * 1..scale.persons (explicit, so other regions' seeds can point at them), synthetic
 * check-valid id numbers (sequence numbers from 900 upward keep them apart from real ones
 * issued in the same area on the same day), and about one in seven holding a key-person
 * category. Officers are seeded apart, so that a database seeded before officers existed
 * gains them on its next start.
 */
export async function seedPersonnel(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'personnel.officers', options.seed, (client) => seedOfficers(client, region.code, options));
  await seedOnce(db, 'personnel', options.seed, (client) => seedPersons(client, region.code, options));
}

async function seedOfficers(client: PoolClient, region: string, options: SeedOptions): Promise<void> {
  const random = new SeededRandom(options.seed, 'personnel', 'officers', region);
  const roster = demoRoster(region, options.scale.officersPerAgency);
  const rows = roster.map((officer) => ({
    ...officer,
    name: random.pick(SURNAMES) + random.pick(GIVEN),
    // Certificates are issued by the city government, numbered by local id: unique in the Delta.
    certificate: officer.roles.includes(OfficerRole.ENFORCEMENT_OFFICER) ? makeCertificateNumber(region, officer.agency, officer.localId) : null,
    phone: `1${random.pick(['35', '36', '37', '50', '88'])}${String(random.int(1e8)).padStart(8, '0')}`,
    // A minute apart, in id order, a year before the demo epoch: the directory lists them by id.
    createdAt: new Date(DEMO_EPOCH - 365 * DAY + officer.localId * 60_000),
  }));
  await client.query(
    `INSERT INTO personnel.officers (id, login, name, certificate_number, agency, jurisdiction, roles, phone, active, created_at)
     SELECT id, login, name, certificate, agency, jurisdiction, string_to_array(roles, ','), phone, active, created_at
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::timestamptz[])
         AS o(id, login, name, certificate, agency, jurisdiction, roles, phone, active, created_at)`,
    [
      rows.map((r) => r.localId),
      rows.map((r) => r.login),
      rows.map((r) => r.name),
      rows.map((r) => r.certificate),
      rows.map((r) => r.agency),
      rows.map((r) => r.jurisdiction),
      rows.map((r) => r.roles.join(',')),
      rows.map((r) => r.phone),
      rows.map((r) => r.active),
      rows.map((r) => r.createdAt),
    ],
  );
  await moveIdentityPast(client, 'personnel.officers');
}

async function seedPersons(client: PoolClient, region: string, options: SeedOptions): Promise<void> {
  const random = new SeededRandom(options.seed, 'personnel', region);
  const counties = countiesOf(region);
  const perAgency = options.scale.officersPerAgency;
  const issued = new Set<string>();
  const persons = [];
  const tags: Array<{ personId: number; category: KeyPersonCategory; registeredAt: Date; officerId: number; at: Date }> = [];
  for (let index = 0; index < options.scale.persons; index++) {
    const home = random.pick(counties);
    let birthDay = Date.UTC(1950 + random.int(55), random.int(12), 1 + random.int(28));
    let idNumber: string;
    // A clash with an earlier demo number moves the birth date on a day: still deterministic.
    while (issued.has((idNumber = makeResidentId(home, new Date(birthDay).toISOString().slice(0, 10), 900 + (index % 100))))) birthDay += DAY;
    issued.add(idNumber);
    const registeredAt = new Date(DEMO_EPOCH - random.int(10 * 365 * 86_400) * 1000);
    const person = {
      id: index + 1,
      name: random.pick(SURNAMES) + random.pick(GIVEN),
      idNumber,
      phone: demoPhone(random, region),
      address: demoAddress(random, region, home),
      home,
      registeredAt,
    };
    persons.push(person);
    const age = (DEMO_EPOCH - birthDay) / (365.25 * DAY);
    const count = random.chance(0.12) ? 1 : random.chance(0.02) ? 2 : 0;
    for (const category of pickCategories(random, count, age)) {
      const agency = CATEGORIES.find((c) => c.category === category)!.agency;
      const at = new Date(Math.min(DEMO_EPOCH, registeredAt.getTime() + random.int(400) * DAY));
      tags.push({ personId: person.id, category, registeredAt, officerId: AGENCY_KIND_NAMES.indexOf(agency) * perAgency + 1, at });
    }
  }
  for (const batch of chunk(persons, 1000)) {
    await client.query(
      `INSERT INTO personnel.persons (id, name, id_number, phone, address, home_jurisdiction, registered_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
      [
        batch.map((p) => p.id),
        batch.map((p) => p.name),
        batch.map((p) => p.idNumber),
        batch.map((p) => p.phone),
        batch.map((p) => p.address),
        batch.map((p) => p.home),
        batch.map((p) => p.registeredAt),
      ],
    );
  }
  for (const batch of chunk(tags, 1000)) {
    const columns = [
      batch.map((t) => t.personId),
      batch.map((t) => t.category),
      batch.map((t) => t.registeredAt),
      batch.map((t) => t.officerId),
      batch.map((t) => t.at),
    ];
    await client.query(
      `INSERT INTO personnel.person_tags (person_id, category, person_registered_at, tagged_by, tagged_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[], $5::timestamptz[])`,
      columns,
    );
    await client.query(
      `INSERT INTO personnel.person_tag_events (person_id, category, action, officer_id, at)
       SELECT person_id, category, 'TAGGED', officer_id, at FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[], $5::timestamptz[])
         AS t(person_id, category, registered_at, officer_id, at)`,
      columns,
    );
  }
  await moveIdentityPast(client, 'personnel.persons');
}

function pickCategories(random: SeededRandom, count: number, age: number): KeyPersonCategory[] {
  const eligible = CATEGORIES.filter((c) => !c.adultsOver || age >= c.adultsOver);
  const picked = new Set<KeyPersonCategory>();
  while (picked.size < count) {
    let ticket = random.int(eligible.reduce((sum, c) => sum + c.weight, 0));
    picked.add(eligible.find((c) => (ticket -= c.weight) < 0)!.category);
  }
  return [...picked];
}

/** Mostly mobiles, some landlines where the area code is known, a few persons without one. */
function demoPhone(random: SeededRandom, region: string): string | null {
  const roll = random.next();
  if (roll < 0.05) return null;
  if (roll < 0.15 && AREA_CODES[region]) return `${AREA_CODES[region]}-${2 + random.int(8)}${String(random.int(1e7)).padStart(7, '0')}`;
  return `1${random.pick(['38', '39', '58', '86', '77'])}${String(random.int(1e8)).padStart(8, '0')}`;
}

function demoAddress(random: SeededRandom, region: string, home: string): string {
  const county = home === region ? '' : (jurisdictionName(home) ?? '');
  return `${jurisdictionName(region) ?? ''}${county}${random.pick(ROADS)}${1 + random.int(400)}号${1 + random.int(30)}幢${1 + random.int(18)}0${1 + random.int(4)}室`;
}

/** Explicit ids leave the identity sequence behind; move it past them for later inserts. */
async function moveIdentityPast(client: PoolClient, table: string): Promise<void> {
  await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`, [table]);
}
