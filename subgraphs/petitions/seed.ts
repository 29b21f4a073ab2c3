import type { Pool, PoolClient } from 'pg';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { toGlobalId } from '../../auth/global-id';
import { INSPECTING_AGENCIES } from '../../auth/agencies';
import { demoOfficerId } from '../shared/demo-officers';
import { chunk, DEMO_EPOCH, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { RegionSummary } from '../shared/context';
import type { SeedOptions } from '../shared/subgraph-module';
import { currentDeadline, DAY_MS, LifecycleFacts, newPetitionFacts, PetitionStatus } from './lifecycle';
import { insertSeededMatters, matterPetitioners, SeededMatter } from './matter-repository';
import { reReviewingBodyOf, reviewingBodyOf } from './reviewing-body';
import { PetitionChannel, WarningKind, WarningLevel, WarningStatus } from './types';

const CATEGORIES = ['征地拆迁补偿', '劳资纠纷欠薪', '环境污染投诉', '物业管理纠纷', '医疗纠纷', '社保待遇', '房屋质量问题', '教育入学', '交通出行', '涉法涉诉'];
const CHANNELS = [PetitionChannel.VISIT, PetitionChannel.LETTER, PetitionChannel.ONLINE, PetitionChannel.ONLINE, PetitionChannel.PHONE];
const LEVELS = [WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.ORANGE, WarningLevel.YELLOW, WarningLevel.YELLOW, WarningLevel.BLUE];
const LOCAL_KINDS = [WarningKind.REPEAT, WarningKind.GROUP_VISIT, WarningKind.LEVEL_SKIPPING, WarningKind.DEADLINE];

interface SeedEvent {
  action: string;
  from: PetitionStatus | null;
  to: PetitionStatus;
  at: Date;
}

/**
 * Walks one petition through its lifecycle from `registeredAt`, one plausible step at a time,
 * stopping at the first step that would fall after the demo epoch: old petitions are mostly
 * closed, recent ones still open, and a few run late (so the deadline rule has work).
 */
function simulateLifecycle(random: SeededRandom, registeredAt: Date) {
  const facts: LifecycleFacts = newPetitionFacts(PetitionStatus.REGISTERED, registeredAt);
  const events: SeedEvent[] = [{ action: 'register', from: null, to: PetitionStatus.REGISTERED, at: registeredAt }];
  let closedAt: Date | null = null;
  let at = registeredAt.getTime();
  const step = (action: string, to: PetitionStatus, afterDays: number): boolean => {
    const next = at + afterDays * DAY_MS + random.int(DAY_MS);
    if (next > DEMO_EPOCH) return false;
    at = next;
    events.push({ action, from: facts.status, to, at: new Date(at) });
    facts.status = to;
    return true;
  };
  const run = () => {
    if (random.chance(0.3) && !step('assign', PetitionStatus.ASSIGNED, random.int(3))) return;
    if (random.chance(0.06)) {
      if (step('decline', PetitionStatus.NOT_ACCEPTED, 1 + random.int(10))) closedAt = new Date(at);
      return;
    }
    if (!step('accept', PetitionStatus.ACCEPTED, 1 + random.int(random.chance(0.05) ? 25 : 12))) return;
    facts.acceptedAt = new Date(at);
    if (!step('startHandling', PetitionStatus.HANDLING, random.int(3))) return;
    if (random.chance(0.1)) facts.extensionDays = 10 + random.int(21);
    if (!step('reply', PetitionStatus.REPLIED, 10 + random.int(45 + (facts.extensionDays ?? 0)))) return;
    facts.repliedAt = new Date(at);
    if (!random.chance(0.2)) {
      if (step('close', PetitionStatus.CLOSED, 30 + random.int(5))) closedAt = new Date(at);
      return;
    }
    if (!step('requestReview', PetitionStatus.REVIEW, 1 + random.int(25))) return;
    facts.reviewRequestedAt = new Date(at);
    if (!step('decideReview', PetitionStatus.REVIEW, 5 + random.int(22))) return;
    facts.reviewDecidedAt = new Date(at);
    if (!random.chance(0.3)) {
      if (step('close', PetitionStatus.CLOSED, 30 + random.int(5))) closedAt = new Date(at);
      return;
    }
    if (!step('requestReReview', PetitionStatus.RE_REVIEW, 1 + random.int(25))) return;
    facts.reReviewRequestedAt = new Date(at);
    if (step('decideReReview', PetitionStatus.CLOSED, 5 + random.int(22))) closedAt = new Date(at);
  };
  run();
  return { facts, events, closedAt: closedAt as Date | null };
}

interface DrawnPetition {
  id: number;
  petitioners: string[];
  category: string;
  registeredIn: string;
  agency: string;
  events: SeedEvent[];
}

/**
 * The seeded petitions' matters, as registerPetition's rule (matterByRule) and the later steps
 * would have made them: seeded petitions are registered in counties and handled there, so a matter
 * is one of the same petitioners, category and county; created with its first petition, handled by
 * the agency of its first assignment (recordMatterHandler), and closed by a re-review
 * decided on any of its petitions (closeMatter). Returns each petition's matter id.
 */
async function seedMatters(client: PoolClient, petitions: readonly DrawnPetition[]): Promise<Map<number, number>> {
  const byKey = new Map<string, SeededMatter>();
  const handledAt = new Map<SeededMatter, number>();
  const matterOf = new Map<number, number>();
  for (const p of petitions) {
    const key = `${matterPetitioners(p.petitioners).join(',')}|${p.category}|${p.registeredIn}`;
    const registeredAt = p.events[0].at;
    let matter = byKey.get(key);
    if (!matter) {
      matter = {
        id: byKey.size + 1,
        petitionerIds: p.petitioners,
        category: p.category,
        handlingAgency: null,
        handlingJurisdiction: p.registeredIn,
        createdAt: registeredAt,
        closedAt: null,
        closedByPetition: null,
      };
      byKey.set(key, matter);
    }
    if (registeredAt < matter.createdAt) matter.createdAt = registeredAt;
    matterOf.set(p.id, matter.id);
    const assigned = p.events.find((e) => e.action === 'assign');
    if (assigned && (!handledAt.has(matter) || assigned.at.getTime() < handledAt.get(matter)!)) {
      handledAt.set(matter, assigned.at.getTime());
      matter.handlingAgency = p.agency;
    }
    const last = p.events[p.events.length - 1];
    if (last.action === 'decideReReview' && (!matter.closedAt || last.at < matter.closedAt)) {
      matter.closedAt = last.at;
      matter.closedByPetition = p.id;
    }
  }
  for (const batch of chunk([...byKey.values()], 2000)) await insertSeededMatters(client, batch);
  return matterOf;
}

async function insertRows(client: PoolClient, sql: string, columns: unknown[][]): Promise<void> {
  await client.query(sql, columns);
}

/**
 * Demo petitions and warnings. About a third of petitioners and warning subjects are persons
 * registered in another region (ids 1..scale.persons exist in every region's personnel seed),
 * so the Delta's cross-region work shows; officers are the demo petition officers.
 */
export async function seedPetitions(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'petitions', options.seed, async (client) => {
    const random = new SeededRandom(options.seed, 'petitions', region.code);
    const others = options.regions.filter((r) => r.code !== region.code);
    const counties = countiesOf(region.code);
    const { persons, petitions: petitionCount, warnings: warningCount, officersPerAgency } = options.scale;
    const officer = () => demoOfficerId(region.code, 'PETITION_BUREAU', random.int(officersPerAgency), officersPerAgency);
    const person = (crossRegion: boolean) => {
      const home = crossRegion && others.length ? random.pick(others).code : region.code;
      return toGlobalId(home, 1 + random.int(home === region.code ? persons : options.scaleOf(home).persons));
    };

    const crossRegionPetitions: Array<{ id: number; personId: string; registeredIn: string; category: string; at: Date }> = [];
    const drawn = Array.from({ length: petitionCount }, (_, i) => i + 1).map((id) => {
      const registeredAt = new Date(DEMO_EPOCH - random.int(365 * DAY_MS));
      const group = random.chance(0.05);
      const petitioners = [...new Set(Array.from({ length: group ? 1 + random.int(5) : 1 }, () => person(random.chance(0.3))))];
      const { facts, events, closedAt } = simulateLifecycle(random, registeredAt);
      const deadline = currentDeadline(facts);
      const category = random.pick(CATEGORIES);
      const registeredIn = random.pick(counties);
      for (const personId of petitioners) {
        if (!personId.startsWith(`${region.code}:`)) crossRegionPetitions.push({ id, personId, registeredIn, category, at: registeredAt });
      }
      const headcount = group ? 5 + random.int(40) : petitioners.length;
      // A group visit (集体访) comes in person; the channel is drawn either way, so the rest of the demo stays as it was.
      const drawn = random.pick(CHANNELS);
      const channel = group ? PetitionChannel.VISIT : drawn;
      return {
        id,
        facts,
        events,
        closedAt,
        deadline,
        category,
        registeredIn,
        petitioners,
        group,
        headcount,
        channel,
        by: officer(),
        agency: random.pick(INSPECTING_AGENCIES),
      };
    });
    const matterOf = await seedMatters(client, drawn);
    const regionCodes = options.regions.map((r) => r.code);
    for (const batch of chunk(drawn, 2000)) {
      const petitions = batch.map((p) => {
        // Bodies as requestReview and requestReReview record them; seeded petitions are handled where registered.
        const reviewingBody = p.facts.reviewRequestedAt ? (reviewingBodyOf(p.registeredIn, regionCodes) ?? null) : null;
        const reReviewingBody = p.facts.reReviewRequestedAt ? (reReviewingBodyOf(reviewingBody, regionCodes) ?? null) : null;
        return { ...p, matterId: matterOf.get(p.id)!, reviewingBody, reReviewingBody };
      });
      await insertRows(
        client,
        `INSERT INTO petitions.petitions (id, channel, category, summary, content, petitioner_ids, group_visit, headcount, registered_in,
           registered_by, registered_at, status, handling_agency, handling_jurisdiction, accepted_at, replied_at, review_requested_at,
           review_decided_at, re_review_requested_at, closed_at, extension_days, extension_reason, deadline_kind, due_at, officers_owe,
           matter_id, reviewing_body, re_reviewing_body)
         SELECT id, channel, category, category || '问题反映', '信访人反映：' || category || '，请求依法处理。', string_to_array(petitioners, ','),
                group_visit, headcount, registered_in, registered_by, registered_at, status,
                CASE WHEN status IN ('REGISTERED', 'NOT_ACCEPTED') THEN NULL ELSE agency END,
                CASE WHEN status IN ('REGISTERED', 'NOT_ACCEPTED') THEN NULL ELSE registered_in END,
                accepted_at, replied_at, review_requested_at, review_decided_at, re_review_requested_at, closed_at,
                extension_days, CASE WHEN extension_days IS NULL THEN NULL ELSE '案情复杂，需进一步调查核实' END,
                deadline_kind, due_at, COALESCE(officers_owe, false), matter_id, reviewing_body, re_reviewing_body
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::int[], $7::text[], $8::text[], $9::timestamptz[],
                       $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[],
                       $17::timestamptz[], $18::int[], $19::text[], $20::timestamptz[], $21::boolean[], $22::bigint[], $23::text[], $24::text[])
             AS t(id, channel, category, petitioners, group_visit, headcount, registered_in, registered_by, registered_at, status, agency,
                  accepted_at, replied_at, review_requested_at, review_decided_at, re_review_requested_at, closed_at, extension_days,
                  deadline_kind, due_at, officers_owe, matter_id, reviewing_body, re_reviewing_body)`,
        [
          petitions.map((p) => p.id),
          petitions.map((p) => p.channel),
          petitions.map((p) => p.category),
          petitions.map((p) => p.petitioners.join(',')),
          petitions.map((p) => p.group),
          petitions.map((p) => p.headcount),
          petitions.map((p) => p.registeredIn),
          petitions.map((p) => p.by),
          petitions.map((p) => p.facts.registeredAt),
          petitions.map((p) => p.facts.status),
          petitions.map((p) => p.agency),
          petitions.map((p) => p.facts.acceptedAt),
          petitions.map((p) => p.facts.repliedAt),
          petitions.map((p) => p.facts.reviewRequestedAt),
          petitions.map((p) => p.facts.reviewDecidedAt),
          petitions.map((p) => p.facts.reReviewRequestedAt),
          petitions.map((p) => p.closedAt),
          petitions.map((p) => p.facts.extensionDays),
          petitions.map((p) => p.deadline?.kind ?? null),
          petitions.map((p) => p.deadline?.dueAt ?? null),
          petitions.map((p) => p.deadline?.officersOwe ?? false),
          petitions.map((p) => p.matterId),
          petitions.map((p) => p.reviewingBody),
          petitions.map((p) => p.reReviewingBody),
        ],
      );
      const links = petitions.flatMap((p) => p.petitioners.map((personId) => ({ personId, id: p.id, at: p.facts.registeredAt })));
      await insertRows(
        client,
        `INSERT INTO petitions.petitioners (person_id, petition_id, registered_at) SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[])`,
        [links.map((l) => l.personId), links.map((l) => l.id), links.map((l) => l.at)],
      );
      const events = petitions.flatMap((p) => p.events.map((e) => ({ ...e, id: p.id, by: p.by })));
      await insertRows(
        client,
        `INSERT INTO petitions.petition_events (petition_id, action, from_status, to_status, officer_id, at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
        [
          events.map((e) => e.id),
          events.map((e) => e.action),
          events.map((e) => e.from),
          events.map((e) => e.to),
          events.map((e) => e.by),
          events.map((e) => e.at),
        ],
      );
    }

    // Warnings: a third cross-region (raised by the rule about a petition's out-of-region
    // petitioner, and mostly acknowledged by the home region), the rest raised by hand.
    const linked = new Set<number>(); // a rule raises one warning per petitioner: never link a source twice
    const warnings = Array.from({ length: warningCount }, (_, index) => {
      const candidate = crossRegionPetitions.length && random.chance(0.35) ? random.int(crossRegionPetitions.length) : -1;
      const source = candidate >= 0 && !linked.has(candidate) ? crossRegionPetitions[candidate] : null;
      if (source) linked.add(candidate);
      const raisedAt = source ? new Date(source.at.getTime() + random.int(DAY_MS)) : new Date(DEMO_EPOCH - random.int(180 * DAY_MS));
      const ageDays = (DEMO_EPOCH - raisedAt.getTime()) / DAY_MS;
      const status =
        ageDays > 60
          ? random.chance(0.8)
            ? WarningStatus.RESOLVED
            : WarningStatus.ACKNOWLEDGED
          : random.pick([WarningStatus.OPEN, WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED, WarningStatus.ESCALATED]);
      const topic = source?.category ?? random.pick(CATEGORIES);
      return {
        id: index + 1,
        level: source ? WarningLevel.BLUE : random.pick(LEVELS),
        kind: source ? WarningKind.CROSS_REGION : random.pick(LOCAL_KINDS),
        subjectId: source?.personId ?? person(random.chance(0.35)),
        raisedIn: source?.registeredIn ?? random.pick(counties),
        summary: source ? `外地户籍人员来访（户籍地 ${source.personId.split(':')[0]}）：${topic}` : topic,
        raisedAt,
        petitionId: source ? source.id : null,
        raisedBy: source ? null : officer(),
        ruleKey: source ? `cross-region:${source.id}:${source.personId}` : null,
        status,
      };
    });
    for (const batch of chunk(warnings, 1000)) {
      await insertRows(
        client,
        `INSERT INTO petitions.warnings (id, level, kind, subject_id, raised_in, summary, raised_at, petition_id, raised_by, rule_key, status)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bigint[], $9::text[], $10::text[], $11::text[])`,
        [
          batch.map((w) => w.id),
          batch.map((w) => w.level),
          batch.map((w) => w.kind),
          batch.map((w) => w.subjectId),
          batch.map((w) => w.raisedIn),
          batch.map((w) => w.summary),
          batch.map((w) => w.raisedAt),
          batch.map((w) => w.petitionId),
          batch.map((w) => w.raisedBy),
          batch.map((w) => w.ruleKey),
          batch.map((w) => w.status),
        ],
      );
      const events = batch.flatMap((w) => {
        const home = w.subjectId.split(':')[0];
        const acknowledger = home !== region.code ? home : others.length ? random.pick(others).code : region.code;
        const timeline = [{ id: w.id, action: 'RAISED', officer: w.raisedBy, region: w.raisedBy ? region.code : null, at: w.raisedAt }];
        const later = (days: number) => new Date(Math.min(DEMO_EPOCH, w.raisedAt.getTime() + days * DAY_MS));
        if (w.status !== WarningStatus.OPEN) {
          timeline.push({
            id: w.id,
            action: 'ACKNOWLEDGED',
            officer: demoOfficerId(acknowledger, 'PETITION_BUREAU', 0, options.scaleOf(acknowledger).officersPerAgency),
            region: acknowledger,
            at: later(1),
          });
        }
        if (w.status === WarningStatus.ESCALATED) timeline.push({ id: w.id, action: 'ESCALATED', officer: officer(), region: region.code, at: later(3) });
        if (w.status === WarningStatus.RESOLVED) timeline.push({ id: w.id, action: 'RESOLVED', officer: officer(), region: region.code, at: later(20) });
        return timeline;
      });
      await insertRows(
        client,
        `INSERT INTO petitions.warning_events (warning_id, action, officer_id, officer_region, at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])`,
        [events.map((e) => e.id), events.map((e) => e.action), events.map((e) => e.officer), events.map((e) => e.region), events.map((e) => e.at)],
      );
    }
    // Explicit ids leave the identity sequences behind; move them past the seeded rows.
    for (const table of ['matters', 'petitions', 'warnings']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('petitions.${table}', 'id'), GREATEST((SELECT max(id) FROM petitions.${table}), 1))`);
    }
  });
}
