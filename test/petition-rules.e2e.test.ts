import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, startTestHub } from './support/hub';

/**
 * The petition and warning rules at their edges, through the gateway on real PostgreSQL: which
 * refusal a caller hears (a step the lifecycle forbids, or a record changed meanwhile), and
 * the warning rules where their limits lie.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1' };
const SUZHOU = { 'X-Officer': '320500:1' };

const register = async (input: Record<string, unknown>) => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    `mutation($input: RegisterPetitionInput!) { registerPetition(input: $input) { id status version daysLeft dueAt deadline { kind dueAt daysLeft overdue } warnings { id kind level summary } } }`,
    {
      input: { region: '330400', channel: 'VISIT', category: '劳资纠纷欠薪', summary: '欠薪', content: '某公司拖欠工资三个月', registeredIn: '330421', petitionerIds: ['330400:5'], ...input },
    },
    { ...JIAXING, 'X-Purpose': 'petition-handling' },
  );
  return result;
};

const registered = async (input: Record<string, unknown>) => {
  const result = await register(input);
  expect(result.errors).toBeUndefined();
  return result.data.registerPetition;
};

const step = (mutation: string, id: string, args = '', headers: Record<string, string> = JIAXING) =>
  graphql(hub.gateway.graphqlUrl, `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { status version } }`, { id }, headers);

const code = (result: { errors?: Array<{ extensions?: { code?: string } }> }) => result.errors?.[0]?.extensions?.code ?? 'OK';
const db = (region: string) => hub.databaseUrls.get(region)!;
const local = (id: string) => id.split(':')[1];

beforeAll(async () => {
  hub = await startTestHub('t_petition_rules');
}, 120_000);

afterAll(async () => {
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
    for (const [mutation, args] of [['acceptPetition', ''], ['startHandlingPetition', ''], ['extendPetitionDeadline', ', days: 10, reason: "需现场核查"']]) {
      expect(code(await step(mutation, id, args))).toBe('OK');
    }
    const extendAgain = await step('extendPetitionDeadline', id, ', days: 5, reason: "再延"');
    expect(extendAgain.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'HANDLING' });
    expect(extendAgain.errors?.[0].message).toMatch(/already extended by 10 days; the regulation allows one extension/);
    for (const [mutation, args] of [['replyToPetition', ', reply: "已答复"'], ['requestPetitionReview', ''], ['decidePetitionReview', ', opinion: "维持"']]) {
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
    const results = await Promise.all([step('acceptPetition', id, ', expectedVersion: 1'), step('acceptPetition', id, ', expectedVersion: 1', { 'X-Officer': '330400:2' })]);
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
    const results = await Promise.all(Array.from({ length: 50 }, () => warningStep('escalatePetitionWarning', warning.id, `, expectedVersion: ${warning.version}`)));
    const codes = results.map(code);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    const [row] = await queryDatabase(db('330400'), 'SELECT level, status, version FROM petitions.warnings WHERE id = $1', [local(warning.id)]);
    expect(row).toEqual({ level: 'YELLOW', status: 'ESCALATED', version: 2 });
    const events = await queryDatabase(db('330400'), "SELECT count(*)::int AS n FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ESCALATED'", [local(warning.id)]);
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
