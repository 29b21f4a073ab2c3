import 'reflect-metadata';
import { Client, Pool } from 'pg';
import type { RunningHub } from '../launcher/hub';
import { sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub, TEST_SCALE, writeRegionsFile } from './support/hub';
import { demoOfficerId } from '../subgraphs/shared/demo-officers';
import { HubLink } from '../subgraphs/shared/hub-link';
import { petitionMutations } from './support/petition-mutations';

/**
 * The petition and warning rules at their edges, through the gateway on real PostgreSQL: which
 * refusal a caller hears (a step the lifecycle forbids, or a record changed meanwhile), and
 * the warning rules where their limits lie.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1' };
const SUZHOU = { 'X-Officer': '320500:1' };
/** 浙江省's petition bureau: a region of its own here (its roster), listed in HUB_PROVINCE_REVIEW_BODIES below. */
const ZHEJIANG = { 'X-Officer': '330000:1' };

const { register, registered, step } = petitionMutations(() => hub.gateway.graphqlUrl, {
  officer: JIAXING,
  purpose: 'petition-handling',
  registeredFields: 'id status version daysLeft dueAt deadline { kind dueAt daysLeft overdue } warnings { id kind level summary }',
});

const code = (result: { errors?: Array<{ extensions?: { code?: string } }> }) => result.errors?.[0]?.extensions?.code ?? 'OK';
const db = (region: string) => hub.databaseUrls.get(region)!;
const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;
/** 00:00 Beijing time of the day `days` from today (negative: past), as an instant. */
const beijingMidnight = (days: number) => new Date((Math.floor((Date.now() + BEIJING) / DAY) + days) * DAY - BEIJING);
/** The Beijing calendar date of the day `days` from today: "2026-12-16". */
const beijingDate = (days: number) => new Date(beijingMidnight(days).getTime() + BEIJING).toISOString().slice(0, 10);
const local = (id: string) => id.split(':')[1];

beforeAll(async () => {
  // The province of Zhejiang is served (its petition bureau decides what lies above its cities);
  // Jiangsu's is not. The province's officers are on the roster of a region of its own.
  process.env.HUB_PROVINCE_REVIEW_BODIES = '330000';
  hub = await startTestHub('t_petition_rules', {
    regionsFile: writeRegionsFile([...DEMO_REGIONS, { code: '330000', name: '浙江省' }]),
    regionScale: { '330000': { persons: 0, petitions: 0, warnings: 0, inspections: 0 } },
  });
}, 120_000);

afterAll(async () => {
  delete process.env.HUB_PROVINCE_REVIEW_BODIES;
  await hub?.stop();
});

describe('codes that tell the truth: INVALID_TRANSITION for a forbidden step, CONFLICT only for a change meanwhile', () => {
  test('a second assign, a second accept and a decline of a NOT_ACCEPTED petition are INVALID_TRANSITION with the lifecycle’s words', async () => {
    const assigned = (await registered({ petitionerIds: ['330400:40'] })).id;
    expect(code(await step('assignPetition', assigned, ', agency: HUMAN_RESOURCES, jurisdiction: "330421"'))).toBe('OK');
    const again = await step('assignPetition', assigned, ', agency: HUMAN_RESOURCES, jurisdiction: "330421"');
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'ASSIGNED' });
    expect(again.errors?.[0].message).toMatch(/cannot assign a petition that is ASSIGNED; it must be REGISTERED \(last step: assign by 330400:1 at /);

    expect(code(await step('acceptPetition', assigned))).toBe('OK');
    const acceptAgain = await step('acceptPetition', assigned);
    expect(acceptAgain.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'ACCEPTED' });
    expect(acceptAgain.errors?.[0].message).toMatch(/cannot accept a petition that is ACCEPTED; it must be REGISTERED or ASSIGNED/);

    const declined = (await registered({ petitionerIds: ['330400:41'] })).id;
    expect(code(await step('declinePetition', declined, ', reason: "不属于信访事项"'))).toBe('OK');
    const declineAgain = await step('declinePetition', declined, ', reason: "再次不予受理"');
    expect(declineAgain.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'NOT_ACCEPTED' });
    expect(declineAgain.errors?.[0].message).toMatch(/cannot decline a petition that is NOT_ACCEPTED; it must be REGISTERED or ASSIGNED/);
    const [row] = await queryDatabase(db('330400'), 'SELECT status, version, outcome FROM petitions.petitions WHERE id = $1', [local(declined)]);
    expect(row).toEqual({ status: 'NOT_ACCEPTED', version: 2, outcome: '不属于信访事项' });
  });

  test('a second extension and a second review decision are INVALID_TRANSITION, and change nothing', async () => {
    const id = (await registered({ petitionerIds: ['330400:42'] })).id;
    for (const [mutation, args] of [
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
      ['extendPetitionDeadline', ', days: 10, reason: "需现场核查", approverId: "330400:1"'],
    ]) {
      expect(code(await step(mutation, id, args))).toBe('OK');
    }
    const extendAgain = await step('extendPetitionDeadline', id, ', days: 5, reason: "再延", approverId: "330400:1"');
    expect(extendAgain.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'HANDLING' });
    expect(extendAgain.errors?.[0].message).toMatch(/already extended by 10 days; the regulation allows one extension/);
    for (const [mutation, args] of [
      ['replyToPetition', ', reply: "已答复"'],
      ['requestPetitionReview', ''],
      ['decidePetitionReview', ', opinion: "维持"'],
    ]) {
      expect(code(await step(mutation, id, args))).toBe('OK');
    }
    const decideAgain = await step('decidePetitionReview', id, ', opinion: "改变"');
    expect(decideAgain.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'REVIEW' });
    expect(decideAgain.errors?.[0].message).toMatch(/the review was already decided; the petitioner may request a re-review/);
    const [row] = await queryDatabase(db('330400'), 'SELECT extension_days, outcome, version FROM petitions.petitions WHERE id = $1', [local(id)]);
    expect(row).toEqual({ extension_days: 10, outcome: '维持', version: 7 });
  });

  test('two officers accepting at the version both read: one wins, the other gets CONFLICT naming the current version', async () => {
    const id = (await registered({ petitionerIds: ['330400:43'], registeredIn: '330402' })).id;
    const results = await Promise.all([
      step('acceptPetition', id, ', expectedVersion: 1'),
      step('acceptPetition', id, ', expectedVersion: 1', { 'X-Officer': '330400:2' }),
    ]);
    expect(results.map(code).sort()).toEqual(['CONFLICT', 'OK']);
    expect(results.find((r) => r.errors)!.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2, status: 'ACCEPTED' });
  });
});

describe('warning changes: compare-and-set, and truthful codes', () => {
  const RAISE = `mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id level version } }`;
  const raise = async (level = 'BLUE') => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      RAISE,
      { input: { region: '330400', raisedIn: '330421', level, kind: 'GROUP_VISIT', subjectId: '330400:5', summary: '人员异常聚集' } },
      JIAXING,
    );
    expect(result.errors).toBeUndefined();
    return result.data.raisePetitionWarning as { id: string; level: string; version: number };
  };
  const warningStep = (mutation: string, id: string, args = '', headers: Record<string, string> = JIAXING) =>
    graphql(hub.gateway.graphqlUrl, `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { status level version } }`, { id }, headers);

  test('50 concurrent "one level up" escalations at the version read give exactly one change', async () => {
    const warning = await raise('BLUE');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => warningStep('escalatePetitionWarning', warning.id, `, expectedVersion: ${warning.version}`)),
    );
    const codes = results.map(code);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    const [row] = await queryDatabase(db('330400'), 'SELECT level, status, version FROM petitions.warnings WHERE id = $1', [local(warning.id)]);
    expect(row).toEqual({ level: 'YELLOW', status: 'ESCALATED', version: 2 });
    const events = await queryDatabase(db('330400'), "SELECT count(*)::int AS n FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ESCALATED'", [
      local(warning.id),
    ]);
    expect(events[0].n).toBe(1);
  }, 60_000);

  test('50 concurrent escalations to a named level give one change; the others hear it is no longer above (INVALID_TRANSITION)', async () => {
    const warning = await raise('BLUE');
    const results = await Promise.all(Array.from({ length: 50 }, () => warningStep('escalatePetitionWarning', warning.id, ', level: ORANGE')));
    const codes = results.map(code);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'INVALID_TRANSITION')).toHaveLength(49);
    expect(results.find((r) => r.errors)!.errors![0].message).toMatch(/ORANGE is not above its level ORANGE/);
    const [row] = await queryDatabase(db('330400'), 'SELECT level, version FROM petitions.warnings WHERE id = $1', [local(warning.id)]);
    expect(row).toEqual({ level: 'ORANGE', version: 2 });
  }, 60_000);

  test('"one level up" without the version read is refused naming expectedVersion, and changes nothing', async () => {
    const warning = await raise('BLUE');
    const result = await warningStep('escalatePetitionWarning', warning.id);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectedVersion' });
    expect(result.errors?.[0].message).toMatch(/is at version 1/);
    const [row] = await queryDatabase(db('330400'), 'SELECT level, version FROM petitions.warnings WHERE id = $1', [local(warning.id)]);
    expect(row).toEqual({ level: 'BLUE', version: 1 });
  });

  test('escalating downwards, beyond RED, or resolving twice is INVALID_TRANSITION; a stale version is CONFLICT', async () => {
    const warning = await raise('ORANGE');
    const down = await warningStep('escalatePetitionWarning', warning.id, ', level: YELLOW');
    expect(down.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', level: 'ORANGE' });
    expect(down.errors?.[0].message).toMatch(/cannot escalate warning 330400:\d+: YELLOW is not above its level ORANGE/);
    expect(code(await warningStep('escalatePetitionWarning', warning.id, ', expectedVersion: 1'))).toBe('OK');
    const beyond = await warningStep('escalatePetitionWarning', warning.id, ', expectedVersion: 2');
    expect(beyond.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', level: 'RED' });
    expect(beyond.errors?.[0].message).toMatch(/it is already RED, the highest level/);
    const stale = await warningStep('resolvePetitionWarning', warning.id, ', expectedVersion: 1');
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(code(await warningStep('resolvePetitionWarning', warning.id, ', expectedVersion: 2'))).toBe('OK');
    const twice = await warningStep('resolvePetitionWarning', warning.id);
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'RESOLVED' });
    expect(twice.errors?.[0].message).toMatch(/cannot resolve warning 330400:\d+: it is already RESOLVED/);
  });

  test('the owner region cannot acknowledge its own warning; a partner can, once', async () => {
    const warning = await raise('BLUE');
    const own = await warningStep('acknowledgePetitionWarning', warning.id);
    expect(code(own)).toBe('FORBIDDEN');
    const [before] = await queryDatabase(db('330400'), 'SELECT status, version FROM petitions.warnings WHERE id = $1', [local(warning.id)]);
    expect(before).toEqual({ status: 'OPEN', version: 1 });
    expect((await warningStep('acknowledgePetitionWarning', warning.id, '', SUZHOU)).data.r).toEqual({ status: 'ACKNOWLEDGED', level: 'BLUE', version: 2 });
    expect(code(await warningStep('acknowledgePetitionWarning', warning.id, '', SUZHOU))).toBe('CONFLICT');
  });
});

describe('warning rules exact at their edges', () => {
  const kindsOf = (petition: { warnings: Array<{ kind: string }> }) => petition.warnings.map((w) => w.kind);

  test('REPEAT is raised once per 30 days, also after its warning was resolved', async () => {
    const person = { petitionerIds: ['330400:44'] };
    const third = [await registered(person), await registered(person), await registered(person)][2];
    const repeat = third.warnings.find((w: { kind: string }) => w.kind === 'REPEAT');
    expect(repeat).toMatchObject({ level: 'YELLOW', summary: '重复访：30 日内第 3 次信访（劳资纠纷欠薪）' });
    const resolved = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($id: ID!) {
          resolvePetitionWarning(id: $id, note: "已化解", expectedVersion: 1) {
            status
          }
        }
      `,
      { id: repeat.id },
      JIAXING,
    );
    expect(resolved.data.resolvePetitionWarning.status).toBe('RESOLVED');
    expect(kindsOf(await registered(person))).toEqual([]);
    expect(kindsOf(await registered(person))).toEqual([]);
    const rows = await queryDatabase(db('330400'), "SELECT count(*)::int AS n FROM petitions.warnings WHERE subject_id = '330400:44' AND kind = 'REPEAT'");
    expect(rows[0].n).toBe(1);
  });

  test('a letter entered late counts by its registeredAt: two visits today and a letter received two days ago make three in 30 days', async () => {
    const person = { petitionerIds: ['330400:45'] };
    expect(kindsOf(await registered(person))).toEqual([]);
    expect(kindsOf(await registered(person))).toEqual([]);
    const letter = await registered({ ...person, channel: 'LETTER', registeredAt: new Date(Date.now() - 2 * DAY).toISOString() });
    expect(kindsOf(letter)).toEqual(['REPEAT']);
    // Petitions more than 30 days apart are not one window.
    const far = { petitionerIds: ['330400:46'] };
    await registered({ ...far, channel: 'LETTER', registeredAt: new Date(Date.now() - 40 * DAY).toISOString() });
    await registered(far);
    expect(kindsOf(await registered({ ...far, channel: 'LETTER', registeredAt: new Date(Date.now() - 35 * DAY).toISOString() }))).toEqual([]);
  });

  test('GROUP_VISIT follows the headcount of a visit (5 or more); a letter is never a group visit', async () => {
    const visit = await registered({ petitionerIds: ['330400:47'], headcount: 30 });
    expect(visit.warnings.map((w: { kind: string; level: string; summary: string }) => [w.kind, w.level, w.summary])).toEqual([
      ['GROUP_VISIT', 'ORANGE', '集体访 30 人：劳资纠纷欠薪'],
    ]);
    expect(kindsOf(await registered({ petitionerIds: ['330400:48'], headcount: 4 }))).toEqual([]);
    expect(kindsOf(await registered({ petitionerIds: ['330400:48'], headcount: 5 }))).toEqual(['GROUP_VISIT']);

    const signed = await registered({ petitionerIds: ['330400:49'], channel: 'LETTER', headcount: 30 });
    expect(kindsOf(signed)).toEqual([]);
    const flaggedLetter = await register({ petitionerIds: ['330400:49'], channel: 'LETTER', headcount: 30, groupVisit: true, summary: '联名信标为集体访' });
    expect(flaggedLetter.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.groupVisit' });
    expect(flaggedLetter.errors?.[0].message).toMatch(/a group visit \(集体访\) comes in person: a LETTER petition is not one/);
    const denied = await register({ petitionerIds: ['330400:49'], headcount: 30, groupVisit: false, summary: '三十人来访不算集体访' });
    expect(denied.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.groupVisit' });
    expect(await queryDatabase(db('330400'), "SELECT 1 FROM petitions.petitions WHERE summary IN ('联名信标为集体访', '三十人来访不算集体访')")).toHaveLength(
      0,
    );
    const [row] = await queryDatabase(db('330400'), 'SELECT group_visit FROM petitions.petitions WHERE id = $1', [local(visit.id)]);
    expect(row.group_visit).toBe(true);
  });

  test('a deadline ends at 24:00 Beijing time of its last day; daysLeft is 0 on it and -1 from the first moment after', async () => {
    // Registered 16 days ago at 23:59 Beijing time: 15 days end with yesterday.
    const late = await registered({
      petitionerIds: ['330400:50'],
      channel: 'LETTER',
      registeredAt: new Date(beijingMidnight(-16).getTime() + 23 * 3_600_000 + 59 * 60_000).toISOString(),
    });
    expect(late.dueAt).toBe(beijingMidnight(0).toISOString());
    expect(late.deadline).toMatchObject({ kind: 'ACCEPTANCE', dueAt: beijingMidnight(0).toISOString(), daysLeft: -1, overdue: true });
    expect(late.daysLeft).toBe(-1);

    // Registered 15 days ago just after midnight: today is the last day, whatever the hour.
    const lastDay = await registered({
      petitionerIds: ['330400:50'],
      channel: 'LETTER',
      registeredAt: new Date(beijingMidnight(-15).getTime() + 60_000).toISOString(),
    });
    expect(lastDay.deadline).toMatchObject({ dueAt: beijingMidnight(1).toISOString(), daysLeft: 0, overdue: false });

    const today = await registered({ petitionerIds: ['330400:51'] });
    expect(today.deadline).toMatchObject({ kind: 'ACCEPTANCE', dueAt: beijingMidnight(16).toISOString(), daysLeft: 15 });
  });

  test('a DEADLINE warning’s summary is Chinese throughout and names the last day', async () => {
    const overdue = await registered({
      petitionerIds: ['330400:52'],
      channel: 'LETTER',
      category: '征地拆迁补偿',
      registeredAt: new Date(beijingMidnight(-20).getTime() + 10 * 3_600_000).toISOString(),
    });
    const pool = new Pool({ connectionString: db('330400'), max: 1 });
    try {
      await sweepDeadlines(pool);
    } finally {
      await pool.end();
    }
    const rows = await queryDatabase(db('330400'), "SELECT level, summary FROM petitions.warnings WHERE petition_id = $1 AND kind = 'DEADLINE'", [
      local(overdue.id),
    ]);
    expect(rows).toEqual([{ level: 'ORANGE', summary: `受理期限已过（截止 ${beijingDate(-5)}）：征地拆迁补偿` }]);
    expect(rows[0].summary).not.toMatch(/[A-Za-z]/);
  });
});

describe('a deadline has passed from 24:00 of its last day itself', () => {
  test('the sweep warns ORANGE of a deadline ending at this very instant, BLUE of one ending a microsecond later', async () => {
    const ending = await registered({ petitionerIds: ['330400:58'], category: '物业服务纠纷' });
    const running = await registered({ petitionerIds: ['330400:59'], category: '物业服务纠纷' });
    // now() stands still inside a transaction: the sweep there sees the due instants exactly.
    const client = new Client({ connectionString: db('330400') });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "UPDATE petitions.petitions SET due_at = now() + CASE id WHEN $1 THEN interval '0' ELSE interval '1 microsecond' END WHERE id IN ($1, $2)",
        [local(ending.id), local(running.id)],
      );
      await sweepDeadlines(client);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const warnings = async (id: string) =>
      (await graphql(hub.gateway.graphqlUrl, 'query($id: ID!) { petition(id: $id) { warnings { kind level raisedAt } } }', { id }, JIAXING)).data.petition;
    const atEnd = await warnings(ending.id);
    expect(atEnd.warnings.filter((w: { kind: string }) => w.kind === 'DEADLINE')).toEqual([
      { kind: 'DEADLINE', level: 'ORANGE', raisedAt: expect.any(String) },
    ]);
    expect((await warnings(running.id)).warnings.filter((w: { kind: string }) => w.kind === 'DEADLINE').map((w: { level: string }) => w.level)).toEqual([
      'BLUE',
    ]);
  });
});

describe('matters (信访事项)', () => {
  const MATTER = `query($id: ID!) { petition(id: $id) { matter { id category petitionerIds handlingAgency handlingJurisdiction closedAt } } }`;
  const matterOf = async (id: string) => (await graphql(hub.gateway.graphqlUrl, MATTER, { id }, JIAXING)).data.petition.matter;
  const kindsOf = (petition: { warnings: Array<{ kind: string }> }) => petition.warnings.map((w) => w.kind);

  test('a matter closed by re-review refuses a new acceptance with MATTER_CLOSED; declining it is still possible', async () => {
    const first = await registered({ petitionerIds: ['330400:53'], category: '宅基地纠纷' });
    const steps: Array<[string, string, Record<string, string>?]> = [
      ['assignPetition', ', agency: HOUSING_CONSTRUCTION, jurisdiction: "330421"'],
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
      ['replyToPetition', ', reply: "维持村委会划定"'],
      ['requestPetitionReview', ''],
      ['decidePetitionReview', ', opinion: "复查维持"'],
      ['requestPetitionReReview', ''],
      // A 嘉善 matter: reviewed by the city, re-reviewed by the province.
      ['decidePetitionReReview', ', opinion: "复核维持，事项终结"', ZHEJIANG],
    ];
    for (const [mutation, args, headers] of steps) expect(code(await step(mutation, first.id, args, headers))).toBe('OK');
    const matter = await matterOf(first.id);
    expect(matter).toMatchObject({
      category: '宅基地纠纷',
      petitionerIds: ['330400:53'],
      handlingAgency: 'HOUSING_CONSTRUCTION',
      handlingJurisdiction: '330421',
      closedAt: expect.any(String),
    });

    const again = await registered({ petitionerIds: ['330400:53'], category: '宅基地纠纷', summary: '再次反映宅基地' });
    expect((await matterOf(again.id)).id).toBe(matter.id);
    const accept = await step('acceptPetition', again.id);
    expect(accept.errors?.[0].extensions).toMatchObject({ code: 'MATTER_CLOSED', matterId: matter.id });
    expect(accept.errors?.[0].message).toMatch(/closed by re-review on \d{4}-\d{2}-\d{2}: the same matter is not accepted again; decline it/);
    const [row] = await queryDatabase(db('330400'), 'SELECT status, version FROM petitions.petitions WHERE id = $1', [local(again.id)]);
    expect(row).toEqual({ status: 'REGISTERED', version: 1 });
    expect(code(await step('declinePetition', again.id, ', reason: "同一事项已复核终结"'))).toBe('OK');
  }, 60_000);

  test('REPEAT counts petitions of one matter: three subjects are not three repeats, three of one subject are', async () => {
    const person = ['330400:54'];
    for (const category of ['噪音扰民', '物业纠纷', '停车收费']) expect(kindsOf(await registered({ petitionerIds: person, category }))).toEqual([]);
    expect(kindsOf(await registered({ petitionerIds: person, category: '噪音扰民' }))).toEqual([]);
    expect(kindsOf(await registered({ petitionerIds: person, category: '噪音扰民' }))).toEqual(['REPEAT']);
  });

  test('CROSS_REGION is raised once per matter: a Suzhou resident’s second petition on the same matter raises none, a new matter one', async () => {
    const person = ['320500:21'];
    expect(kindsOf(await registered({ petitionerIds: person, category: '工伤认定' }))).toEqual(['CROSS_REGION']);
    expect(kindsOf(await registered({ petitionerIds: person, category: '工伤认定' }))).toEqual([]);
    expect(kindsOf(await registered({ petitionerIds: person, category: '社保转移' }))).toEqual(['CROSS_REGION']);
    const rows = await queryDatabase(
      db('330400'),
      "SELECT count(*)::int AS n FROM petitions.warnings WHERE subject_id = '320500:21' AND kind = 'CROSS_REGION'",
    );
    expect(rows[0].n).toBe(2);
  });

  test('LEVEL_SKIPPING (越级访): a petition of a county’s matter brought to the city', async () => {
    const person = ['330400:55'];
    const county = await registered({ petitionerIds: person, category: '征地补偿', registeredIn: '330421' });
    expect(kindsOf(county)).toEqual([]);
    expect((await matterOf(county.id)).handlingJurisdiction).toBe('330421');
    const city = await registered({ petitionerIds: person, category: '征地补偿', registeredIn: '330400' });
    expect(city.warnings.map((w: { kind: string; level: string; summary: string }) => [w.kind, w.level, w.summary])).toEqual([
      ['LEVEL_SKIPPING', 'YELLOW', '越级访：事项由 330421 办理，信访人到 330400 反映（征地补偿）'],
    ]);
    // The same county again is no skipping.
    expect(kindsOf(await registered({ petitionerIds: ['330400:56'], category: '征地补偿', registeredIn: '330421' }))).toEqual([]);
  });

  test('the rule links by handling place too: a 嘉善 matter and a 平湖 petition on the same subject are two matters; one brought to the city joins 嘉善’s', async () => {
    const person = { petitionerIds: ['330400:38'], category: '土地承包' };
    const county = await registered({ ...person, registeredIn: '330421' });
    const city = await registered({ ...person, registeredIn: '330400' });
    expect(kindsOf(city)).toEqual(['LEVEL_SKIPPING']);
    expect((await matterOf(city.id)).id).toBe((await matterOf(county.id)).id);
    const pinghu = await registered({ ...person, registeredIn: '330482' });
    expect(await matterOf(pinghu.id)).toMatchObject({ handlingJurisdiction: '330482', petitionerIds: ['330400:38'] });
    expect((await matterOf(pinghu.id)).id).not.toBe((await matterOf(county.id)).id);
    // 平湖's petition is not the 嘉善 matter's third: the third is the next one in 嘉善.
    expect(kindsOf(pinghu)).toEqual([]);
    const again = await registered({ ...person, registeredIn: '330421' });
    expect((await matterOf(again.id)).id).toBe((await matterOf(county.id)).id);
    expect(kindsOf(again)).toEqual(['REPEAT']);
  });

  test('registrations of one new matter at once share one matter', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => registered({ petitionerIds: ['330400:39'], category: '同时登记' })));
    const matters = new Set(await Promise.all(results.map(async (petition: { id: string }) => (await matterOf(petition.id)).id)));
    expect(matters.size).toBe(1);
    const rows = await queryDatabase(db('330400'), "SELECT count(*)::int AS n FROM petitions.matters WHERE category = '同时登记'");
    expect(rows[0].n).toBe(1);
  });

  test('an officer may link a petition to a matter of his choice; an unknown matter is refused naming input.matterId', async () => {
    const first = await registered({ petitionerIds: ['330400:57'], category: '拆迁安置' });
    const matterId = (await matterOf(first.id)).id;
    const linked = await registered({ petitionerIds: ['330400:57'], category: '安置房质量', matterId });
    expect((await matterOf(linked.id)).id).toBe(matterId);
    const unknown = await register({ petitionerIds: ['330400:57'], category: '安置房质量', matterId: '330400:999999', summary: '未知事项' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.matterId' });
    const elsewhere = await register({ petitionerIds: ['330400:57'], category: '安置房质量', matterId: '320500:1', summary: '他市事项' });
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ field: 'input.matterId' });
  });

  test('a county’s officer names only a matter he may see: 嘉善’s matter is as unknown to 南湖区 as one nobody keeps', async () => {
    const NANHU = { 'X-Officer': '330400:2' }; // 南湖区 (330402) petition officer
    const jiashan = await registered({ petitionerIds: ['330400:58'], category: '征地补偿' });
    const matterId = (await matterOf(jiashan.id)).id;
    const input = { petitionerIds: ['330400:58'], category: '征地补偿', registeredIn: '330402', summary: '南湖区来信' };
    const named = await register({ ...input, matterId }, NANHU);
    const unknown = await register({ ...input, matterId: '330400:999999' }, NANHU);
    expect(named.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.matterId' });
    expect(named.errors?.[0].message.replace(matterId, 'M')).toBe(unknown.errors?.[0].message.replace('330400:999999', 'M'));
    // Nothing registered: no petition of that person in 南湖区.
    expect(
      await queryDatabase(db('330400'), "SELECT id FROM petitions.petitions WHERE registered_in = '330402' AND '330400:58' = ANY(petitioner_ids)"),
    ).toEqual([]);
    // A matter of 南湖区's own it names.
    const own = await registered({ ...input, summary: '南湖区首次来信' }, NANHU);
    const ownMatter = (await matterOf(own.id)).id;
    expect(ownMatter).not.toBe(matterId);
    expect((await matterOf((await registered({ ...input, matterId: ownMatter, summary: '南湖区再次来信' }, NANHU)).id)).id).toBe(ownMatter);
  });
});

describe('review upward (复查/复核 by the 上一级机关)', () => {
  const NANHU = { 'X-Officer': '330400:2' }; // 南湖区 (330402) petition officer
  const bodiesOf = async (id: string) =>
    (
      await graphql(
        hub.gateway.graphqlUrl,
        `
          query ($id: ID!) {
            petition(id: $id) {
              reviewingBody
              reReviewingBody
            }
          }
        `,
        { id },
        JIAXING,
      )
    ).data?.petition;
  const handleAndReply = async (id: string, headers: Record<string, string>) => {
    for (const [mutation, args] of [
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
      ['replyToPetition', ', reply: "已答复"'],
      ['requestPetitionReview', ''],
    ]) {
      expect(code(await step(mutation, id, args, headers))).toBe('OK');
    }
  };

  test('a 南湖区 petition is reviewed by Jiaxing’s city officers and re-reviewed by the province, each recorded; nobody else decides', async () => {
    const id = (await registered({ petitionerIds: ['330400:58'], category: '医疗纠纷', registeredIn: '330402' })).id;
    await handleAndReply(id, NANHU);
    expect(await bodiesOf(id)).toEqual({ reviewingBody: '330400', reReviewingBody: null });
    const own = await step('decidePetitionReview', id, ', opinion: "自行复查维持"', NANHU);
    expect(own.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reviewingBody: '330400' });
    expect(own.errors?.[0].message).toMatch(/reviewed by the agency above its handling agency \(上一级机关\), of 330400; 330400:2 works in 330402/);
    // The province is above the reviewing body, not the reviewing body: it does not decide the review.
    const province = await step('decidePetitionReview', id, ', opinion: "省信访局复查"', ZHEJIANG);
    expect(province.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const [unchanged] = await queryDatabase(db('330400'), 'SELECT review_decided_at, version FROM petitions.petitions WHERE id = $1', [local(id)]);
    expect(unchanged).toEqual({ review_decided_at: null, version: 5 });
    expect(code(await step('decidePetitionReview', id, ', opinion: "市信访局复查维持"'))).toBe('OK');

    expect(code(await step('requestPetitionReReview', id, '', NANHU))).toBe('OK');
    expect(await bodiesOf(id)).toEqual({ reviewingBody: '330400', reReviewingBody: '330000' });
    expect(code(await step('decidePetitionReReview', id, ', opinion: "自行复核"', NANHU))).toBe('FORBIDDEN');
    const city = await step('decidePetitionReReview', id, ', opinion: "市信访局复核"');
    expect(city.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reReviewingBody: '330000' });
    expect(city.errors?.[0].message).toMatch(/re-reviewed by the agency above its reviewing body 330400 \(上一级机关\), of 330000; 330400:1 works in 330400/);
    const [stillOpen] = await queryDatabase(db('330400'), 'SELECT status, version FROM petitions.petitions WHERE id = $1', [local(id)]);
    expect(stillOpen).toEqual({ status: 'RE_REVIEW', version: 7 });
    expect((await step('decidePetitionReReview', id, ', opinion: "省信访局复核维持"', ZHEJIANG)).data?.r).toEqual({ status: 'CLOSED', version: 8 });
  }, 60_000);

  test('an officer of the province takes no other step in a city’s region', async () => {
    const id = (await registered({ petitionerIds: ['330400:37'], category: '省级越权', registeredIn: '330421' })).id;
    const accept = await step('acceptPetition', id, '', ZHEJIANG);
    expect(accept.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(accept.errors?.[0].message).toMatch(/petitions of region 330400 are kept by its own officers; 330000:1 belongs to 330000/);
  });

  test('a city’s own petition is reviewed by its province where listed, and its re-review lies outside the hub (no national level): refused saying so', async () => {
    const id = (await registered({ petitionerIds: ['330400:59'], category: '市级事项', registeredIn: '330400' })).id;
    await handleAndReply(id, JIAXING);
    expect(await bodiesOf(id)).toEqual({ reviewingBody: '330000', reReviewingBody: null });
    expect(code(await step('decidePetitionReview', id, ', opinion: "市信访局自行复查"'))).toBe('FORBIDDEN');
    expect(code(await step('decidePetitionReview', id, ', opinion: "省信访局复查维持"', ZHEJIANG))).toBe('OK');
    expect(code(await step('requestPetitionReReview', id))).toBe('OK');
    expect(await bodiesOf(id)).toEqual({ reviewingBody: '330000', reReviewingBody: null });
    const refused = await step('decidePetitionReReview', id, ', opinion: "复核"');
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toMatch(/has no re-reviewing body in the hub .*HUB_PROVINCE_REVIEW_BODIES.*: its re-review is decided outside the hub/);
    // Nor does the province, which decided the review: from above the region, only its own decisions.
    expect(code(await step('decidePetitionReReview', id, ', opinion: "省信访局复核"', ZHEJIANG))).toBe('FORBIDDEN');
  }, 60_000);

  test('a city’s own petition where the province is not listed has no reviewing body in the hub: deciding it is refused saying so', async () => {
    const id = (await registered({ region: '320500', petitionerIds: ['320500:5'], category: '市级事项', registeredIn: '320500' }, SUZHOU)).id;
    await handleAndReply(id, SUZHOU);
    const refused = await step('decidePetitionReview', id, ', opinion: "维持"', SUZHOU);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toMatch(/has no reviewing body in the hub .*HUB_PROVINCE_REVIEW_BODIES/);
  }, 60_000);
});

describe('an extension records its approver, a SUPERVISOR of the handling agency', () => {
  test('the handling agency’s SUPERVISOR approves; a petition officer without the agency, or an officer without SUPERVISOR, is refused naming approverId', async () => {
    const id = (await registered({ petitionerIds: ['330400:60'], category: '欠薪' })).id;
    for (const [mutation, args] of [
      ['assignPetition', ', agency: HUMAN_RESOURCES, jurisdiction: "330421"'],
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
    ]) {
      expect(code(await step(mutation, id, args))).toBe('OK');
    }
    const extend = (approver: string) => step('extendPetitionDeadline', id, `, days: 15, reason: "需鉴定", approverId: "${approver}"`);
    const petitionSupervisor = await extend('330400:1');
    expect(petitionSupervisor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approverId' });
    expect(petitionSupervisor.errors?.[0].message).toMatch(
      /approved by a SUPERVISOR of the handling agency \(HUMAN_RESOURCES of 330421\); 330400:1 is of PETITION_BUREAU/,
    );
    const countyOfficer = demoOfficerId('330400', 'HUMAN_RESOURCES', 1, TEST_SCALE.officersPerAgency);
    expect((await extend(countyOfficer)).errors?.[0].message).toMatch(/does not hold SUPERVISOR/);
    expect((await extend('330400:99999')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approverId' });
    const [before] = await queryDatabase(db('330400'), 'SELECT extension_days, version FROM petitions.petitions WHERE id = $1', [local(id)]);
    expect(before).toEqual({ extension_days: null, version: 4 });

    const supervisor = demoOfficerId('330400', 'HUMAN_RESOURCES', 0, TEST_SCALE.officersPerAgency);
    expect(code(await extend(supervisor))).toBe('OK');
    const read = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          petition(id: $id) {
            extension {
              days
              reason
              approvedBy {
                id
                agency
                roles
              }
            }
          }
        }
      `,
      { id },
      JIAXING,
    );
    expect(read.data.petition.extension).toEqual({
      days: 15,
      reason: '需鉴定',
      approvedBy: { id: supervisor, agency: 'HUMAN_RESOURCES', roles: expect.arrayContaining(['SUPERVISOR']) },
    });
  }, 60_000);

  test('the approver is asked before the petition is locked: another step goes on meanwhile, and the extension is then decided on the petition as it is', async () => {
    const id = (await registered({ petitionerIds: ['330400:36'], category: '欠薪延期' })).id;
    for (const [mutation, args] of [
      ['assignPetition', ', agency: HUMAN_RESOURCES, jurisdiction: "330421"'],
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
    ]) {
      expect(code(await step(mutation, id, args))).toBe('OK');
    }
    // The roster's answer is held back until the test lets it go: a slow personnel region, without a clock.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    let asking!: () => void;
    const asked = new Promise<void>((resolve) => (asking = resolve));
    const execute = HubLink.prototype.execute;
    const slowRoster = jest.spyOn(HubLink.prototype, 'execute').mockImplementation(async function (this: HubLink, ...args: Parameters<HubLink['execute']>) {
      if (args[0].includes('ExtensionApprover')) {
        asking();
        await held;
      }
      return execute.apply(this, args) as never;
    });
    const supervisor = demoOfficerId('330400', 'HUMAN_RESOURCES', 0, TEST_SCALE.officersPerAgency);
    let extension: ReturnType<typeof step> | undefined;
    try {
      extension = step('extendPetitionDeadline', id, `, days: 10, reason: "需鉴定", approverId: "${supervisor}"`);
      await asked;
      // While the roster is asked, nobody holds the petition's row...
      const probe = new Client({ connectionString: db('330400') });
      await probe.connect();
      try {
        await probe.query('BEGIN');
        await probe.query('SELECT id FROM petitions.petitions WHERE id = $1 FOR UPDATE NOWAIT', [local(id)]);
      } finally {
        await probe.query('ROLLBACK');
        await probe.end();
      }
      // ...so another step on it goes through, and the extension, decided afterwards
      // on the petition as it then is, is refused by the lifecycle.
      expect(code(await step('replyToPetition', id, ', reply: "已答复"'))).toBe('OK');
      answer();
      const late = await extension;
      expect(late.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'REPLIED' });
    } finally {
      answer();
      await extension?.catch(() => undefined);
      slowRoster.mockRestore();
    }
    const [row] = await queryDatabase(db('330400'), 'SELECT status, extension_days, version FROM petitions.petitions WHERE id = $1', [local(id)]);
    expect(row).toEqual({ status: 'REPLIED', extension_days: null, version: 5 });
  }, 60_000);
});
