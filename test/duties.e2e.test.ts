import type { RunningHub } from '../launcher/hub';
import { makeCreditCode } from '../subgraphs/enforcement/credit-code';
import { graphql, GraphQLResult, queryDatabase, rosterOfficer, startTestHub, tokenFor } from './support/hub';

/**
 * Duties follow the roster (README, "Who may change what"): petition work is the petition
 * bureau's (PETITION_OFFICER or SUPERVISOR), in the officer's own region, on matters within the
 * officer's jurisdiction (a county's officer works his county, a city's the whole city);
 * acknowledging a shared warning is a partner region's petition bureau's; joining an inspection
 * as an agency of a jurisdiction is for that agency's officers of that jurisdiction or its city.
 * Each refusal is FORBIDDEN and changes nothing.
 */

let hub: RunningHub;
let nextTarget = 1;

beforeAll(async () => {
  hub = await startTestHub('t_duties');
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

interface Officer {
  label: string;
  authorization: string;
  agency: string;
  jurisdiction: string;
  roles: string[];
}

async function demo(login: string, label = login): Promise<Officer> {
  const officer = hub.identity.demoOfficer(login);
  return {
    label,
    authorization: `Bearer ${await tokenFor(hub.gateway.graphqlUrl, officer.id)}`,
    agency: officer.agency,
    jurisdiction: officer.jurisdiction,
    roles: officer.roles,
  };
}

async function added(label: string, region: string, jurisdiction: string, agency: string, roles: string[]): Promise<Officer> {
  const { token } = await rosterOfficer(hub, { region, jurisdiction, agency, roles });
  return { label, authorization: `Bearer ${token}`, agency, jurisdiction, roles };
}

const as = (officer: Officer) => ({ authorization: officer.authorization, 'X-Purpose': 'petition-handling' });
const call = (officer: Officer, query: string, variables: Record<string, unknown> = {}) => graphql(hub.gateway.graphqlUrl, query, variables, as(officer));
const db = (region: string, sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(region)!, sql, params);

const REGISTER = 'mutation($input: RegisterPetitionInput!) { registerPetition(input: $input) { id warnings { id } } }';
const RAISE = 'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }';
const step = (mutation: string, args = '') => `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { id status } }`;
const JOIN = 'mutation($input: JoinInspectionInput!) { joinInspection(input: $input) { id participants { jurisdiction agency } } }';
const CREATE = 'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }';

// Each registration its own matter (category): a cross-region warning is raised once per matter.
let matters = 0;
const petitionInput = (region: string, registeredIn: string, petitioner: string, summary = '欠薪') => ({
  input: {
    region,
    channel: 'VISIT',
    category: `劳资纠纷欠薪${(matters += 1)}`,
    summary,
    content: '某公司拖欠工资三个月',
    registeredIn,
    petitionerIds: [petitioner],
  },
});
const warningInput = (raisedIn: string, summary = '人员异常聚集') => ({
  input: { region: '330400', raisedIn, level: 'YELLOW', kind: 'GROUP_VISIT', subjectId: '330400:5', summary },
});

function expectAllowed(result: GraphQLResult, what: string) {
  expect({ what, errors: result.errors }).toEqual({ what, errors: undefined });
}
function expectForbidden(result: GraphQLResult, reason: RegExp) {
  expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(result.errors?.[0].message).toMatch(reason);
}

/** A petition registered (by the city's petition officer) in `registeredIn`, and its id. */
async function petitionIn(city: Officer, region: string, registeredIn: string, petitioner = `${region}:5`): Promise<string> {
  const result = await call(city, REGISTER, petitionInput(region, registeredIn, petitioner));
  expectAllowed(result, 'registering');
  return result.data.registerPetition.id;
}

describe('petition work is the petition bureau’s', () => {
  test('a market-regulation SUPERVISOR neither accepts, replies to nor decides the review of a Suzhou petition; the petition officer then does', async () => {
    const city = await demo('demo-320500');
    const market = await demo('demo-320500-market-1');
    expect(market.roles).toContain('SUPERVISOR');
    const id = await petitionIn(city, '320500', '320505');
    expectForbidden(
      await call(market, step('acceptPetition'), { id }),
      /petition work is for officers of the petition bureau \(PETITION_BUREAU\); 320500:\d+ is of MARKET_REGULATION/,
    );
    expectAllowed(await call(city, step('acceptPetition'), { id }), 'accept');
    expectAllowed(await call(city, step('startHandlingPetition'), { id }), 'start handling');
    expectForbidden(await call(market, step('replyToPetition', ', reply: "已处理"'), { id }), /petition bureau/);
    expectAllowed(await call(city, step('replyToPetition', ', reply: "已督促企业支付欠薪"'), { id }), 'reply');
    expectAllowed(await call(city, step('requestPetitionReview'), { id }), 'review requested');
    expectForbidden(await call(market, step('decidePetitionReview', ', opinion: "维持"'), { id }), /petition bureau/);
    const [row] = await db('320500', 'SELECT status, review_decided_at FROM petitions.petitions WHERE id = $1', [id.split(':')[1]]);
    expect(row).toEqual({ status: 'REVIEW', review_decided_at: null });
    const byMarket = await db('320500', 'SELECT count(*)::int AS n FROM petitions.petition_events WHERE petition_id = $1 AND officer_id <> $2', [
      id.split(':')[1],
      '320500:1',
    ]);
    expect(byMarket[0].n).toBe(0);
  });

  test('a market SUPERVISOR does not acknowledge a Jiaxing warning for Suzhou, so Suzhou’s petition officer can (no CONFLICT)', async () => {
    const jiaxing = await demo('demo-330400');
    const registered = await call(jiaxing, REGISTER, petitionInput('330400', '330421', '320500:7'));
    const warning = registered.data.registerPetition.warnings[0].id;
    const ACK = 'mutation($id: ID!) { acknowledgePetitionWarning(id: $id) { id status } }';
    expectForbidden(await call(await demo('demo-320500-market-1'), ACK, { id: warning }), /petition bureau/);
    const ack = await call(await demo('demo-320500'), ACK, { id: warning });
    expectAllowed(ack, 'Suzhou acknowledges');
    expect(ack.data.acknowledgePetitionWarning.status).toBe('ACKNOWLEDGED');
  });

  test('the warning’s own region does not acknowledge it: partners do', async () => {
    const jiaxing = await demo('demo-330400');
    const registered = await call(jiaxing, REGISTER, petitionInput('330400', '330421', '340100:9'));
    const warning = registered.data.registerPetition.warnings[0].id;
    const own = await call(jiaxing, 'mutation($id: ID!) { acknowledgePetitionWarning(id: $id) { id } }', { id: warning });
    expectForbidden(own, /acknowledged by the partner regions it is shared with; region 330400's own officers escalate or resolve it/);
    const events = await db('330400', "SELECT count(*)::int AS n FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ACKNOWLEDGED'", [
      warning.split(':')[1],
    ]);
    expect(events[0].n).toBe(0);
  });
});

describe('a county officer works his county’s matters only', () => {
  test('a 南湖区 petition officer neither registers, accepts, raises nor escalates 嘉善 matters; his own county’s he does', async () => {
    const city = await demo('demo-330400');
    const nanhu = await demo('demo-330400-petition-2');
    expect(nanhu.jurisdiction).toBe('330402');
    const refused = await call(nanhu, REGISTER, petitionInput('330400', '330421', '330400:5', '南湖代嘉善登记'));
    expectForbidden(refused, /a petition registered in 330421 lies outside 330402, where 330400:2 works/);
    expect(await db('330400', "SELECT 1 FROM petitions.petitions WHERE summary = '南湖代嘉善登记'")).toHaveLength(0);

    const jiashanPetition = await petitionIn(city, '330400', '330421');
    expectForbidden(await call(nanhu, step('acceptPetition'), { id: jiashanPetition }), /petition 330400:\d+ lies outside 330402/);
    const [row] = await db('330400', 'SELECT status, version FROM petitions.petitions WHERE id = $1', [jiashanPetition.split(':')[1]]);
    expect(row).toEqual({ status: 'REGISTERED', version: 1 });

    expectForbidden(await call(nanhu, RAISE, warningInput('330421', '南湖代嘉善预警')), /lies outside 330402/);
    expect(await db('330400', "SELECT 1 FROM petitions.warnings WHERE summary = '南湖代嘉善预警'")).toHaveLength(0);
    const raised = await call(city, RAISE, warningInput('330421'));
    expectAllowed(raised, 'the city raises');
    const warning = raised.data.raisePetitionWarning.id;
    expectForbidden(await call(nanhu, step('escalatePetitionWarning'), { id: warning }), /warning 330400:\d+ lies outside 330402/);
    expectForbidden(await call(nanhu, step('resolvePetitionWarning'), { id: warning }), /lies outside 330402/);
    const [w] = await db('330400', 'SELECT status, level FROM petitions.warnings WHERE id = $1', [warning.split(':')[1]]);
    expect(w).toEqual({ status: 'OPEN', level: 'YELLOW' });

    const own = await petitionIn(nanhu, '330400', '330402');
    expectAllowed(await call(nanhu, step('acceptPetition'), { id: own }), 'his own county’s petition');
  });

  test('a 南湖区 ecology officer does not join an inspection as 嘉善’s ecology bureau; 嘉善’s own officer does', async () => {
    const inspection = await newInspection();
    const nanhu = await demo('demo-330400-ecology-2');
    expect(nanhu.jurisdiction).toBe('330402');
    const join = (officer: Officer) =>
      call(officer, JOIN, { input: { inspectionId: inspection, participant: { region: '330400', jurisdiction: '330421', agency: 'ECOLOGY_ENVIRONMENT' } } });
    expectForbidden(await join(nanhu), /joining an inspection is for officers of ECOLOGY_ENVIRONMENT in 330421 or its city; 330400:\d+ works in 330402/);
    expect(
      await db('330400', "SELECT 1 FROM enforcement.participants WHERE inspection_id = $1 AND jurisdiction = '330421' AND agency = 'ECOLOGY_ENVIRONMENT'", [
        inspection.split(':')[1],
      ]),
    ).toHaveLength(0);
    const jiashan = await added('嘉善 ecology officer', '330400', '330421', 'ECOLOGY_ENVIRONMENT', ['ENFORCEMENT_OFFICER']);
    const joined = await join(jiashan);
    expectAllowed(joined, '嘉善 joins');
    expect(joined.data.joinInspection.participants).toContainEqual({ jurisdiction: '330421', agency: 'ECOLOGY_ENVIRONMENT' });
  });
});

describe('an officer who has left changes nothing anywhere', () => {
  test('petitions, warnings and inspections alike: the gateway no longer lets him in (HTTP 401)', async () => {
    const left = await demo('demo-330400-inactive');
    const inspection = await newInspection();
    const attempts = [
      await call(left, REGISTER, petitionInput('330400', left.jurisdiction, '330400:5', '离职后登记')),
      await call(left, RAISE, warningInput(left.jurisdiction, '离职后预警')),
      await call(left, JOIN, { input: { inspectionId: inspection, participant: { region: '330400', jurisdiction: '330421', agency: 'ECOLOGY_ENVIRONMENT' } } }),
    ];
    expect(attempts.map((result) => [result.status, result.errors?.[0].extensions?.code])).toEqual(attempts.map(() => [401, 'UNAUTHENTICATED']));
    expect(
      await db(
        '330400',
        "SELECT 1 FROM petitions.petitions WHERE summary = '离职后登记' UNION ALL SELECT 1 FROM petitions.warnings WHERE summary = '离职后预警'",
      ),
    ).toHaveLength(0);
  });
});

/** An inspection led by Jiaxing's city market-regulation bureau, of a target in 嘉善, with no participant yet. */
async function newInspection(): Promise<string> {
  const n = 700_000 + nextTarget++;
  const result = await call(await demo('demo-330400-market-1'), CREATE, {
    input: {
      region: '330400',
      scenarioCode: 'FOOD_PRODUCTION', // led by market regulation, with ecology taking part
      target: {
        kind: 'ENTERPRISE',
        name: `嘉善职责测试${n}有限公司`,
        creditCode: makeCreditCode('330421', n),
        address: '嘉善县罗星街道测试路2号',
        jurisdiction: '330421',
      },
      leadJurisdiction: '330400',
      leadAgency: 'MARKET_REGULATION',
      plannedAt: '2027-05-01T01:00:00.000Z',
      plannedUntil: '2027-05-02T01:00:00.000Z',
      participants: [],
    },
  });
  expectAllowed(result, 'opening an inspection');
  return result.data.createInspection.id;
}

describe('the duties matrix: kind of officer × action on a 嘉善 (330421) matter of Jiaxing', () => {
  type Action = 'register' | 'accept' | 'raise' | 'escalate' | 'acknowledge' | 'join as 嘉善 ecology';

  /** What "Who may change what" in the README says, and nothing else. */
  function allowed(officer: Officer, action: Action): boolean {
    const within = (outer: string, inner: string) => inner.startsWith(outer.endsWith('00') ? outer.replace(/0{2,4}$/, '') : outer);
    const inJiaxing = officer.jurisdiction.startsWith('3304');
    const petitionBureau = officer.agency === 'PETITION_BUREAU' && officer.roles.some((role) => role === 'PETITION_OFFICER' || role === 'SUPERVISOR');
    switch (action) {
      case 'acknowledge':
        return petitionBureau && !inJiaxing;
      case 'join as 嘉善 ecology':
        return (
          officer.agency === 'ECOLOGY_ENVIRONMENT' &&
          officer.roles.some((role) => role === 'ENFORCEMENT_OFFICER' || role === 'SUPERVISOR') &&
          inJiaxing &&
          within(officer.jurisdiction, '330421')
        );
      default:
        return petitionBureau && inJiaxing && within(officer.jurisdiction, '330421');
    }
  }

  test('each combination is allowed or FORBIDDEN as the README says, and a refusal changes nothing', async () => {
    const city = await demo('demo-330400');
    const officers = [
      city,
      await added('嘉善 petition officer', '330400', '330421', 'PETITION_BUREAU', ['PETITION_OFFICER']),
      await demo('demo-330400-petition-2', '南湖区 petition officer'),
      await demo('demo-330400-market-1', 'Jiaxing market SUPERVISOR'),
      await demo('demo-330400-auditor', 'Jiaxing auditor (petition bureau)'),
      await demo('demo-330400-ecology-1', 'Jiaxing ecology SUPERVISOR (city)'),
      await added('嘉善 ecology officer', '330400', '330421', 'ECOLOGY_ENVIRONMENT', ['ENFORCEMENT_OFFICER']),
      await demo('demo-330400-ecology-2', '南湖区 ecology officer'),
      await demo('demo-320500', 'Suzhou city petition officer (partner)'),
      await demo('demo-320500-petition-2', 'Suzhou county petition officer (partner)'),
      await demo('demo-320500-market-1', 'Suzhou market SUPERVISOR (partner)'),
    ];
    const actions: Record<Action, (officer: Officer) => Promise<GraphQLResult>> = {
      register: (officer) => call(officer, REGISTER, petitionInput('330400', '330421', '330400:5')),
      accept: async (officer) => call(officer, step('acceptPetition'), { id: await petitionIn(city, '330400', '330421') }),
      raise: (officer) => call(officer, RAISE, warningInput('330421')),
      escalate: async (officer) =>
        call(officer, step('escalatePetitionWarning', ', expectedVersion: 1'), {
          id: (await call(city, RAISE, warningInput('330421'))).data.raisePetitionWarning.id,
        }),
      acknowledge: async (officer) =>
        call(officer, step('acknowledgePetitionWarning'), {
          id: (await call(city, REGISTER, petitionInput('330400', '330421', '310000:5'))).data.registerPetition.warnings[0].id,
        }),
      'join as 嘉善 ecology': async (officer) =>
        call(officer, JOIN, {
          input: { inspectionId: await newInspection(), participant: { region: '330400', jurisdiction: '330421', agency: 'ECOLOGY_ENVIRONMENT' } },
        }),
    };
    const mismatches: string[] = [];
    let checked = 0;
    for (const officer of officers) {
      for (const [action, act] of Object.entries(actions) as Array<[Action, (officer: Officer) => Promise<GraphQLResult>]>) {
        const before = await petitionRows();
        const result = await act(officer);
        const expected = allowed(officer, action) ? 'allowed' : 'FORBIDDEN';
        const got = result.errors ? String(result.errors[0].extensions?.code) : 'allowed';
        checked += 1;
        if (got !== expected)
          mismatches.push(`${officer.label} × ${action}: expected ${expected}, got ${got}${result.errors ? ` (${result.errors[0].message})` : ''}`);
        // The setup of accept/escalate/acknowledge/join writes rows of its own; register and raise do not.
        if (expected === 'FORBIDDEN' && (action === 'register' || action === 'raise') && (await petitionRows()) !== before)
          mismatches.push(`${officer.label} × ${action}: a refusal wrote rows`);
      }
    }
    console.log(`duties matrix: ${checked} combinations (${officers.length} kinds of officer × ${Object.keys(actions).length} actions)`);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(officers.length * Object.keys(actions).length);
  });
});

async function petitionRows(): Promise<number> {
  const [row] = await db('330400', 'SELECT (SELECT count(*) FROM petitions.petitions) + (SELECT count(*) FROM petitions.warnings) AS n');
  return Number(row.n);
}
