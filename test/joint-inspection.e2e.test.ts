import { RequestAudit } from '../subgraphs/shared/audit-log';
import type { RunningHub } from '../launcher/hub';
import { BUILTIN_SUBGRAPHS } from '../launcher/builtin-subgraphs';
import { enforcementSubgraph } from '../subgraphs/enforcement';
import { Client } from 'pg';
import { requestDueFollowUps } from '../subgraphs/enforcement/rectification-sweep';
import { claimDueFindings } from '../subgraphs/enforcement/task-repository';
import { creditCodeCheckCharacter, makeCreditCode } from '../subgraphs/enforcement/credit-code';
import { createPool } from '../subgraphs/shared/db';
import { demoOfficerId } from '../subgraphs/shared/demo-officers';
import { SubgraphHost } from '../subgraphs/shared/host';
import { HubLink } from '../subgraphs/shared/hub-link';
import { DEMO_REGIONS, graphql, GraphQLResult, queryDatabase, rosterOfficer, startTestHub, tokenWithClaims } from './support/hub';

/**
 * 综合查一次 end to end through the gateway: a joint inspection led by Jiaxing (330400) with a
 * Shanghai (310000) participant, its five steps, the tasks kept in the participants' regions,
 * and each refusal the flow makes.
 */

const JIAXING = '330400';
const SHANGHAI = '310000';
const PER_AGENCY = 2;
const officer = (region: string, agency: string, n = 0) => demoOfficerId(region, agency as never, n, PER_AGENCY);
const JIAXING_LEAD = officer(JIAXING, 'ECOLOGY_ENVIRONMENT');
const SHANGHAI_OFFICER = officer(SHANGHAI, 'ECOLOGY_ENVIRONMENT');

let hub: RunningHub;
let nextTarget = 1;

beforeAll(async () => {
  hub = await startTestHub('t_inspect', {
    regionThreads: 2,
    scale: { persons: 30, petitions: 30, warnings: 10, inspections: 60, officersPerAgency: PER_AGENCY },
  });
});
afterAll(async () => {
  await hub?.stop();
});

const gql = (query: string, variables: Record<string, unknown> = {}, actor?: string): Promise<GraphQLResult> =>
  graphql(hub.gateway.graphqlUrl, query, variables, actor ? { 'X-Officer': actor } : {});
const db = (region: string, sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(region)!, sql, params);

const INSPECTION_FIELDS = `id region step version targetName targetCreditCode plannedAt leadJurisdiction leadAgency
  leadOfficer { id } scenario { code category }
  participants { id region jurisdiction agency taskStatus task { id region status } }
  timeline { step officer { id } }
  evaluation { score comment evaluatedBy { id } }`;

/** A new target each time, so that tests do not meet each other's inspections. */
function newTarget() {
  const n = 900_000 + nextTarget++;
  return {
    kind: 'ENTERPRISE',
    name: `嘉善测试${n}化工有限公司`,
    creditCode: makeCreditCode('330421', n),
    address: '嘉善县罗星街道测试路1号',
    jurisdiction: '330421',
  };
}

function creation(overrides: Record<string, unknown> = {}) {
  return {
    region: JIAXING,
    scenarioCode: 'WASTEWATER_DISCHARGE',
    target: newTarget(),
    leadJurisdiction: '330421',
    leadAgency: 'ECOLOGY_ENVIRONMENT',
    leadOfficerId: JIAXING_LEAD,
    plannedAt: '2027-03-01T01:00:00.000Z',
    plannedUntil: '2027-03-04T01:00:00.000Z',
    participants: [{ region: SHANGHAI, jurisdiction: '310118', agency: 'ECOLOGY_ENVIRONMENT', officerId: SHANGHAI_OFFICER }],
    note: '跨界水体监测异常预警',
    ...overrides,
  };
}

async function create(input: Record<string, unknown> = creation(), actor = JIAXING_LEAD) {
  const result = await gql(`mutation($input: CreateInspectionInput!) { createInspection(input: $input) { ${INSPECTION_FIELDS} } }`, { input }, actor);
  expect(result.errors).toBeUndefined();
  return result.data.createInspection;
}

const step = (mutation: string, id: string, extra = '', variables: Record<string, unknown> = {}, actor = JIAXING_LEAD) =>
  gql(
    `mutation($id: ID!${extra ? `, ${extra.split('|')[0]}` : ''}) { ${mutation}(id: $id${extra ? `, ${extra.split('|')[1]}` : ''}) { ${INSPECTION_FIELDS} } }`,
    { id, ...variables },
    actor,
  );
const plan = (id: string, input: object | null = null) => step('planInspection', id, '$input: PlanInspectionInput|input: $input', { input });
const dispatch = (id: string) => step('dispatchInspection', id);
const start = (id: string) => step('startInspection', id);
const evaluate = (id: string, score = 92) =>
  step('evaluateInspection', id, '$input: EvaluateInspectionInput!|input: $input', { input: { score, comment: '一次进门，查清多项' } });

const TASK_FIELDS = 'id region status version acceptedBy { id } completedBy { id } conclusion findings { severity description recordedBy { id } }';
const taskAction = (mutation: string, id: string, actor: string) => gql(`mutation($id: ID!) { ${mutation}(id: $id) { ${TASK_FIELDS} } }`, { id }, actor);

/** The lead agency's own task, accepted and completed by the lead officer. */
async function completeLeadTask(id: string, actor = JIAXING_LEAD) {
  const lead = await gql('query($id: ID!) { inspection(id: $id) { leadParticipant { task { id } } } }', { id });
  const taskId = lead.data.inspection.leadParticipant.task.id;
  expect((await taskAction('acceptInspectionTask', taskId, actor)).errors).toBeUndefined();
  expect((await taskAction('completeInspectionTask', taskId, actor)).errors).toBeUndefined();
}

/** Rows of every enforcement table in every region: a refused mutation must leave them as they were. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { code } of DEMO_REGIONS) {
    const [row] = await db(
      code,
      `SELECT (SELECT count(*) FROM enforcement.inspections)::int AS inspections, (SELECT count(*) FROM enforcement.participants)::int AS participants,
              (SELECT count(*) FROM enforcement.inspection_steps)::int AS steps, (SELECT count(*) FROM enforcement.tasks)::int AS tasks,
              (SELECT count(*) FROM enforcement.task_findings)::int AS findings, (SELECT count(*) FROM enforcement.outbox)::int AS outbox,
              (SELECT sum(version) FROM enforcement.inspections)::int AS versions`,
    );
    for (const [table, count] of Object.entries(row)) counts[`${code}.${table}`] = count as number;
  }
  return counts;
}

describe('the scenario catalogue', () => {
  test('every region has the 60 scenarios in 6 categories, ten in each, each naming its agencies', async () => {
    for (const { code } of DEMO_REGIONS) {
      const result = await gql('query($region: String!) { inspectionScenarios(region: $region) { code name category agencies } }', { region: code });
      expect(result.errors).toBeUndefined();
      const scenarios = result.data.inspectionScenarios;
      expect(scenarios.length).toBe(60);
      const perCategory: Record<string, number> = {};
      for (const scenario of scenarios) perCategory[scenario.category] = (perCategory[scenario.category] ?? 0) + 1;
      expect(Object.values(perCategory)).toEqual([10, 10, 10, 10, 10, 10]);
      // Road transport enterprises are a matter of transport safety, not of market order.
      expect(scenarios.find((s: any) => s.code === 'ROAD_TRANSPORT').category).toBe('SAFETY_PRODUCTION');
      expect(scenarios.every((s: any) => /[\u4e00-\u9fa5]/.test(s.name) && s.agencies.length > 0)).toBe(true);
    }
    const fire = await gql('{ inspectionScenarios(region: "320500", category: FIRE_SAFETY) { category } }');
    expect(new Set(fire.data.inspectionScenarios.map((s: any) => s.category))).toEqual(new Set(['FIRE_SAFETY']));
  });
});

describe('a joint inspection led by Jiaxing with a Shanghai participant', () => {
  test('runs through all five steps, with the Shanghai task stored in Shanghai’s database only', async () => {
    const created = await create();
    const { id } = created;
    expect(created).toMatchObject({
      region: JIAXING,
      step: 'WARNING',
      leadOfficer: { id: JIAXING_LEAD },
      scenario: { code: 'WASTEWATER_DISCHARGE', category: 'ECOLOGY_ENVIRONMENT' },
    });
    expect(created.participants).toEqual([
      expect.objectContaining({ region: SHANGHAI, jurisdiction: '310118', agency: 'ECOLOGY_ENVIRONMENT', taskStatus: 'NOT_DISPATCHED', task: null }),
    ]);

    // 计划生成: Jiashan's urban management joins the plan too, so one task stays in Jiaxing.
    const planned = await plan(id, { participants: [{ region: JIAXING, jurisdiction: '330421', agency: 'URBAN_MANAGEMENT' }] });
    expect(planned.errors).toBeUndefined();
    expect(planned.data.planInspection.step).toBe('PLAN');
    expect(planned.data.planInspection.participants).toHaveLength(2);

    // 任务派发: each task is delivered to its participant's region and read back from there.
    const dispatched = await dispatch(id);
    expect(dispatched.errors).toBeUndefined();
    const participants = dispatched.data.dispatchInspection.participants;
    expect(participants.map((p: any) => [p.region, p.taskStatus, p.task?.region, p.task?.status])).toEqual([
      [SHANGHAI, 'PENDING', SHANGHAI, 'PENDING'],
      [JIAXING, 'PENDING', JIAXING, 'PENDING'],
    ]);
    const shanghaiTask = participants[0].task.id;
    const jiaxingTask = participants[1].task.id;
    expect(await db(SHANGHAI, 'SELECT id::text, agency, jurisdiction, assignee_id FROM enforcement.tasks WHERE inspection_id = $1', [id])).toEqual([
      { id: shanghaiTask.split(':')[1], agency: 'ECOLOGY_ENVIRONMENT', jurisdiction: '310118', assignee_id: SHANGHAI_OFFICER },
    ]);
    // Jiaxing keeps the urban-management task and the lead agency's own.
    expect(await db(JIAXING, 'SELECT agency, jurisdiction FROM enforcement.tasks WHERE inspection_id = $1 ORDER BY agency', [id])).toEqual([
      { agency: 'ECOLOGY_ENVIRONMENT', jurisdiction: '330421' },
      { agency: 'URBAN_MANAGEMENT', jurisdiction: '330421' },
    ]);
    const leadPart = (
      await gql(
        'query($id: ID!) { inspection(id: $id) { leadParticipant { region jurisdiction agency agencyName officer { id } taskStatus task { id region status } } } }',
        { id },
      )
    ).data.inspection.leadParticipant;
    expect(leadPart).toMatchObject({
      region: JIAXING,
      jurisdiction: '330421',
      agency: 'ECOLOGY_ENVIRONMENT',
      agencyName: '嘉善县生态环境局',
      officer: { id: JIAXING_LEAD },
      taskStatus: 'PENDING',
      task: { region: JIAXING, status: 'PENDING' },
    });
    const leadTask = leadPart.task.id;

    expect((await start(id)).data.startInspection.step).toBe('INSPECT');

    // 评价反馈 waits for every task.
    const early = await evaluate(id);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentStep: 'INSPECT', wantedStep: 'EVALUATE' });
    expect(early.errors?.[0].message).toMatch(/every task must be COMPLETED/);
    // Every participant, and the lead agency's own part, in the order they were added.
    expect(early.errors?.[0].extensions?.unfinishedParticipants).toEqual([participants[0].id, expect.stringMatching(/^330400:\d+$/), participants[1].id]);
    expect(early.errors?.[0].message).toContain('嘉善县生态环境局 is PENDING');

    // 执法检查 in Shanghai: the task is accepted, a finding recorded, the task completed.
    expect((await taskAction('acceptInspectionTask', shanghaiTask, SHANGHAI_OFFICER)).data.acceptInspectionTask.status).toBe('ACCEPTED');
    const finding = await gql(
      `mutation($input: RecordFindingInput!) { recordInspectionFinding(input: $input) { ${TASK_FIELDS} } }`,
      { input: { taskId: shanghaiTask, severity: 'MINOR', description: '排污口标识不清，责令整改' } },
      SHANGHAI_OFFICER,
    );
    expect(finding.data.recordInspectionFinding.findings).toEqual([
      { severity: 'MINOR', description: '排污口标识不清，责令整改', recordedBy: { id: SHANGHAI_OFFICER } },
    ]);
    const completed = await gql(
      `mutation($id: ID!) { completeInspectionTask(id: $id, conclusion: "已完成") { status conclusion inspection { id step targetName participants { region taskStatus } } } }`,
      { id: shanghaiTask },
      SHANGHAI_OFFICER,
    );
    expect(completed.errors).toBeUndefined();
    // The task's inspection comes from Jiaxing, whose mirror already shows Shanghai's report.
    expect(completed.data.completeInspectionTask).toMatchObject({
      status: 'COMPLETED',
      conclusion: '已完成',
      inspection: { id, step: 'INSPECT', targetName: created.targetName },
    });
    expect(completed.data.completeInspectionTask.inspection.participants).toEqual([
      { region: SHANGHAI, taskStatus: 'COMPLETED' },
      { region: JIAXING, taskStatus: 'PENDING' },
    ]);

    const jiaxingOfficer = officer(JIAXING, 'URBAN_MANAGEMENT');
    await taskAction('acceptInspectionTask', jiaxingTask, jiaxingOfficer);
    await taskAction('completeInspectionTask', jiaxingTask, jiaxingOfficer);

    // The lead agency's own task: it inspects and records findings too, and evaluation waits for it.
    expect((await taskAction('acceptInspectionTask', leadTask, JIAXING_LEAD)).data.acceptInspectionTask.status).toBe('ACCEPTED');
    const leadFinding = await gql(
      `mutation($input: RecordFindingInput!) { recordInspectionFinding(input: $input) { ${TASK_FIELDS} } }`,
      { input: { taskId: leadTask, severity: 'NONE', description: '在线监测设备运行正常' } },
      JIAXING_LEAD,
    );
    expect(leadFinding.data.recordInspectionFinding.findings).toEqual([
      { severity: 'NONE', description: '在线监测设备运行正常', recordedBy: { id: JIAXING_LEAD } },
    ]);
    const waitingForLead = await evaluate(id);
    expect(waitingForLead.errors?.[0].message).toMatch(/嘉善县生态环境局 is ACCEPTED; every task must be COMPLETED$/);
    await taskAction('completeInspectionTask', leadTask, JIAXING_LEAD);

    // The target's own evaluation of the visit, recorded once by the lead agency.
    const TARGET = `mutation($id: ID!, $input: TargetEvaluationInput!) { recordTargetEvaluation(id: $id, input: $input) { targetEvaluation { score comment representative recordedBy { id } } } }`;
    const targetInput = { score: 88, comment: '一次检查，少跑多次', representative: '企业安全负责人王某' };
    const byTarget = await gql(TARGET, { id, input: targetInput }, JIAXING_LEAD);
    expect(byTarget.errors).toBeUndefined();
    expect(byTarget.data.recordTargetEvaluation.targetEvaluation).toEqual({ ...targetInput, recordedBy: { id: JIAXING_LEAD } });
    expect((await gql(TARGET, { id, input: targetInput }, JIAXING_LEAD)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await gql(TARGET, { id, input: targetInput }, SHANGHAI_OFFICER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const evaluated = await evaluate(id, 95);
    expect(evaluated.errors).toBeUndefined();
    const final = evaluated.data.evaluateInspection;
    expect(final.step).toBe('EVALUATE');
    expect(final.evaluation).toEqual({ score: 95, comment: '一次进门，查清多项', evaluatedBy: { id: JIAXING_LEAD } });
    expect(final.timeline.map((entry: any) => entry.step)).toEqual(['WARNING', 'PLAN', 'DISPATCH', 'INSPECT', 'EVALUATE']);
    expect(final.participants.map((p: any) => p.task.status)).toEqual(['COMPLETED', 'COMPLETED']);
    // Shanghai's task, read through the gateway from Shanghai, names its inspection in Jiaxing.
    const task = await gql(
      'query($id: ID!) { inspectionTask(id: $id) { region leadRegion acceptedBy { id } inspection { id region step plannedAt evaluation { score } } } }',
      { id: shanghaiTask },
    );
    expect(task.data.inspectionTask).toEqual({
      region: SHANGHAI,
      leadRegion: JIAXING,
      acceptedBy: { id: SHANGHAI_OFFICER },
      inspection: { id, region: JIAXING, step: 'EVALUATE', plannedAt: created.plannedAt, evaluation: { score: 95 } },
    });
  });
});

describe('enter the door once', () => {
  test('a second inspection of the same target in an overlapping period is refused with DUPLICATE_INSPECTION; the second agency joins instead', async () => {
    const first = await create();
    const before = await rowCounts();
    const second = creation({
      target: { ...newTarget(), creditCode: first.targetCreditCode },
      leadAgency: 'MARKET_REGULATION',
      scenarioCode: 'CATERING_FOOD_SAFETY',
      plannedAt: '2027-03-03T00:00:00Z',
      plannedUntil: '2027-03-10T00:00:00Z',
      participants: [],
    });
    const refused = await gql(
      'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }',
      { input: second },
      officer(JIAXING, 'MARKET_REGULATION'),
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DUPLICATE_INSPECTION', existingInspectionId: first.id });
    expect(refused.errors?.[0].message).toContain(first.id);
    expect(refused.errors?.[0].message).toMatch(/joinInspection/);
    expect(await rowCounts()).toEqual(before);

    const joined = await gql(
      `mutation($input: JoinInspectionInput!) { joinInspection(input: $input) { id participants { agency jurisdiction taskStatus joinedBy { id } } } }`,
      { input: { inspectionId: first.id, participant: { region: JIAXING, jurisdiction: '330421', agency: 'MARKET_REGULATION' } } },
      officer(JIAXING, 'MARKET_REGULATION'),
    );
    expect(joined.errors).toBeUndefined();
    expect(joined.data.joinInspection.participants.map((p: any) => p.agency)).toEqual(['ECOLOGY_ENVIRONMENT', 'MARKET_REGULATION']);
    const join = (by: string) =>
      gql(
        `mutation($input: JoinInspectionInput!) { joinInspection(input: $input) { id } }`,
        { input: { inspectionId: first.id, participant: { region: JIAXING, jurisdiction: '330421', agency: 'MARKET_REGULATION' } } },
        by,
      );
    // An agency joins for itself: another agency's officer may not, and joining twice conflicts.
    expect((await join(JIAXING_LEAD)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await join(officer(JIAXING, 'MARKET_REGULATION'))).errors?.[0].extensions?.code).toBe('CONFLICT');

    // A later period is another visit.
    const later = await create({ ...second, plannedAt: '2027-06-01T00:00:00Z', plannedUntil: '2027-06-02T00:00:00Z' }, officer(JIAXING, 'MARKET_REGULATION'));
    expect(later.targetCreditCode).toBe(first.targetCreditCode);
  });

  test('of two officers opening an inspection of one target at once, exactly one succeeds', async () => {
    const input = creation({ participants: [] });
    const results = await Promise.all(
      [0, 1].map(() => gql('mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }', { input }, JIAXING_LEAD)),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    const loser = results.find((r) => r.errors)!;
    expect(loser.errors?.[0].extensions).toMatchObject({ code: 'DUPLICATE_INSPECTION', existingInspectionId: winners[0].data.createInspection.id });
    expect(await db(JIAXING, 'SELECT count(*)::int AS n FROM enforcement.inspections WHERE target_credit_code = $1', [input.target.creditCode])).toEqual([
      { n: 1 },
    ]);
  });
});

describe('tasks wait for the joint visit', () => {
  test('a dispatched task cannot be accepted, given findings or completed before the visit begins; afterwards it can', async () => {
    const { id } = await create();
    await plan(id);
    const dispatched = await dispatch(id);
    const taskId = dispatched.data.dispatchInspection.participants[0].task.id;
    const before = await rowCounts();
    const finding = () =>
      gql(
        `mutation($input: RecordFindingInput!) { recordInspectionFinding(input: $input) { ${TASK_FIELDS} } }`,
        { input: { taskId, severity: 'MINOR', description: '提前记录' } },
        SHANGHAI_OFFICER,
      );
    for (const [name, refused] of [
      ['accept', await taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER)],
      ['record a finding on', await finding()],
      ['complete', await taskAction('completeInspectionTask', taskId, SHANGHAI_OFFICER)],
    ] as const) {
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'PENDING', inspectionId: id, visitStarted: false });
      expect(refused.errors?.[0].message).toBe(
        `cannot ${name} task ${taskId}: the joint visit has not begun: tasks wait until the lead region starts the inspection (startInspection, 执法检查)`,
      );
    }
    const earlyEvaluation = await gql(
      'mutation($id: ID!) { recordTargetEvaluation(id: $id, input: { score: 90, comment: "好", representative: "王某" }) { id } }',
      { id },
      JIAXING_LEAD,
    );
    expect(earlyEvaluation.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentStep: 'DISPATCH' });
    expect(await rowCounts()).toEqual(before);
    const waiting = await gql('query($id: ID!) { inspectionTask(id: $id) { status visitStartedAt } }', { id: taskId });
    expect(waiting.data.inspectionTask).toEqual({ status: 'PENDING', visitStartedAt: null });

    // 执法检查: Shanghai learns through the outbox that the visit began, and the task is worked.
    const started = await start(id);
    expect(started.errors).toBeUndefined();
    const visiting = await gql('query($id: ID!) { inspectionTask(id: $id) { status visitStartedAt } }', { id: taskId });
    expect(visiting.data.inspectionTask.visitStartedAt).toEqual(expect.any(String));
    expect((await taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER)).data.acceptInspectionTask.status).toBe('ACCEPTED');
    expect((await finding()).data.recordInspectionFinding.findings).toHaveLength(1);
    expect((await taskAction('completeInspectionTask', taskId, SHANGHAI_OFFICER)).data.completeInspectionTask.status).toBe('COMPLETED');

    // An agency joining once the visit is under way gets a task it may work at once.
    const market = officer(JIAXING, 'MARKET_REGULATION');
    const joined = await gql(
      'mutation($input: JoinInspectionInput!) { joinInspection(input: $input) { participants { agency task { id visitStartedAt } } } }',
      { input: { inspectionId: id, participant: { region: JIAXING, jurisdiction: '330421', agency: 'MARKET_REGULATION' } } },
      market,
    );
    expect(joined.errors).toBeUndefined();
    const late = joined.data.joinInspection.participants.find((p: any) => p.agency === 'MARKET_REGULATION').task;
    expect(late.visitStartedAt).toEqual(expect.any(String));
    expect((await taskAction('acceptInspectionTask', late.id, market)).data.acceptInspectionTask.status).toBe('ACCEPTED');
  });
});

describe('an evaluated inspection', () => {
  test('still takes its period: a second inspection of the target in it is refused naming the first', async () => {
    const first = await create();
    await plan(first.id);
    const taskId = (await dispatch(first.id)).data.dispatchInspection.participants[0].task.id;
    await start(first.id);
    await taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER);
    await taskAction('completeInspectionTask', taskId, SHANGHAI_OFFICER);
    await completeLeadTask(first.id);
    expect((await evaluate(first.id)).data.evaluateInspection.step).toBe('EVALUATE');

    const before = await rowCounts();
    const again = creation({
      target: { ...newTarget(), creditCode: first.targetCreditCode },
      plannedAt: '2027-03-02T00:00:00Z',
      plannedUntil: '2027-03-05T00:00:00Z',
    });
    const refused = await gql('mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }', { input: again }, JIAXING_LEAD);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DUPLICATE_INSPECTION', existingInspectionId: first.id, existingStep: 'EVALUATE' });
    expect(refused.errors?.[0].message).toContain(`was already inspected by inspection ${first.id}`);
    expect(refused.errors?.[0].message).not.toMatch(/joinInspection/);
    expect(await rowCounts()).toEqual(before);
    // After the period, the target may be inspected again.
    const later = await create({ ...again, plannedAt: '2027-03-04T01:00:00Z', plannedUntil: '2027-03-05T01:00:00Z' });
    expect(later.targetCreditCode).toBe(first.targetCreditCode);
  });
});

describe('what a plan may contain', () => {
  const attempt = (input: Record<string, unknown>, actor = JIAXING_LEAD) =>
    gql('mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }', { input }, actor);

  test('a period that began before today is refused; one starting later today is not', async () => {
    const before = await rowCounts();
    const past = await attempt(creation({ plannedAt: '2026-01-05T00:00:00Z', plannedUntil: '2026-01-06T00:00:00Z' }));
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.plannedAt' });
    expect(past.errors?.[0].message).toMatch(/^input\.plannedAt: 2026-01-05T00:00:00\.000Z is in the past/);
    expect(await rowCounts()).toEqual(before);
    const soon = new Date(Date.now() + 3_600_000);
    const today = await attempt(
      creation({ participants: [], plannedAt: soon.toISOString(), plannedUntil: new Date(soon.getTime() + 86_400_000).toISOString() }),
    );
    expect(today.errors).toBeUndefined();
  });

  test('the lead and the planned participants are agencies of the scenario: no ecology bureau on a catering check', async () => {
    const market = officer(JIAXING, 'MARKET_REGULATION');
    const catering = (participants: object[]) =>
      creation({ scenarioCode: 'CATERING_FOOD_SAFETY', leadAgency: 'MARKET_REGULATION', leadOfficerId: market, participants });
    const before = await rowCounts();
    const ecology = await attempt(
      catering([
        { region: SHANGHAI, jurisdiction: '310118', agency: 'HEALTH' },
        { region: SHANGHAI, jurisdiction: '310118', agency: 'ECOLOGY_ENVIRONMENT' },
      ]),
      market,
    );
    expect(ecology.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.participants[1].agency' });
    expect(ecology.errors?.[0].message).toBe(
      'input.participants[1].agency: ECOLOGY_ENVIRONMENT does not take part in scenario CATERING_FOOD_SAFETY (餐饮服务食品安全检查); its agencies are MARKET_REGULATION, HEALTH, FIRE_RESCUE',
    );
    const lead = await attempt(creation({ scenarioCode: 'CATERING_FOOD_SAFETY', participants: [] }));
    expect(lead.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.leadAgency' });
    expect(await rowCounts()).toEqual(before);

    const { id } = await create(catering([]), market);
    const planned = await step(
      'planInspection',
      id,
      '$input: PlanInspectionInput|input: $input',
      { input: { participants: [{ region: JIAXING, jurisdiction: '330421', agency: 'ECOLOGY_ENVIRONMENT' }] } },
      market,
    );
    expect(planned.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.participants[0].agency' });
    const [row] = await db(JIAXING, 'SELECT step FROM enforcement.inspections WHERE id = $1', [id.split(':')[1]]);
    expect(row).toEqual({ step: 'WARNING' });
  });

  test('a credit code whose first character is no GB 32100 registration authority is refused', async () => {
    const first17 = `0${newTarget().creditCode.slice(1, 17)}`;
    const result = await attempt(creation({ target: { ...newTarget(), creditCode: first17 + creditCodeCheckCharacter(first17) } }));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.target.creditCode' });
    expect(result.errors?.[0].message).toMatch(/begins with "0", which is no registration authority code of GB 32100/);
  });
});

describe('findings with a rectification deadline', () => {
  test('a finding to be put right carries a deadline; once it passes, the sweep raises one follow-up inspection in the lead region', async () => {
    const source = await create();
    await plan(source.id);
    const taskId = (await dispatch(source.id)).data.dispatchInspection.participants[0].task.id;
    await start(source.id);
    await taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER);
    const FINDING = `mutation($input: RecordFindingInput!) { recordInspectionFinding(input: $input) { findings { id severity rectifyBy followUpRequestedAt } } }`;
    const record = (input: Record<string, unknown>) => gql(FINDING, { input: { taskId, ...input } }, SHANGHAI_OFFICER);
    // 10:00 Beijing time, ten days on: the deadline ends at 24:00 of that day (16:00 UTC).
    const lastDay = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const ahead = `${lastDay}T02:00:00.000Z`;

    const nothingToRectify = await record({ severity: 'NONE', description: '未发现问题', rectifyBy: ahead });
    expect(nothingToRectify.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rectifyBy' });
    const past = await record({ severity: 'MAJOR', description: '危废暂存间未防渗', rectifyBy: '2026-01-01T00:00:00Z' });
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rectifyBy' });

    const recorded = await record({ severity: 'MAJOR', description: '危废暂存间未防渗', rectifyBy: ahead });
    expect(recorded.errors).toBeUndefined();
    const [finding] = recorded.data.recordInspectionFinding.findings;
    expect(finding).toEqual({ id: expect.stringMatching(/^310000:\d+$/), severity: 'MAJOR', rectifyBy: `${lastDay}T16:00:00.000Z`, followUpRequestedAt: null });
    await taskAction('completeInspectionTask', taskId, SHANGHAI_OFFICER);

    const shanghaiPool = createPool(hub.databaseUrls.get(SHANGHAI)!, 2);
    const sweep = { db: shanghaiPool, hub: new HubLink(hub.identity.serviceCredentials(SHANGHAI), hub.gateway.graphqlUrl), region: SHANGHAI };
    try {
      // Before the deadline nothing is due.
      await requestDueFollowUps(sweep);
      const followUps = () =>
        gql(
          'query($code: String!) { inspections(regions: ["330400"], filter: { targetCreditCode: $code }) { edges { node { id step plannedAt followUpOf followUpFinding scenario { code } leadAgency leadParticipant { agency } timeline { step note } } } } }',
          { code: source.targetCreditCode },
        );
      expect((await followUps()).data.inspections.edges).toHaveLength(1);

      // The deadline passes (the sweep compares with the database clock).
      await db(SHANGHAI, "UPDATE enforcement.task_findings SET rectify_by = now() - interval '1 minute' WHERE id = $1", [finding.id.split(':')[1]]);
      await requestDueFollowUps(sweep);
      const [followUp, original] = (await followUps()).data.inspections.edges.map((e: any) => e.node);
      expect(original.id).toBe(source.id);
      expect(followUp).toMatchObject({
        step: 'WARNING',
        followUpOf: source.id,
        followUpFinding: finding.id,
        scenario: { code: 'WASTEWATER_DISCHARGE' },
        leadAgency: 'ECOLOGY_ENVIRONMENT',
        leadParticipant: { agency: 'ECOLOGY_ENVIRONMENT' },
      });
      expect(Date.parse(followUp.plannedAt)).toBeGreaterThanOrEqual(Date.parse(source.plannedAt) + 3 * 86_400_000);
      expect(followUp.timeline).toEqual([
        { step: 'WARNING', note: expect.stringMatching(/^整改期限届满复查：危废暂存间未防渗（整改期限\d{4}-\d{2}-\d{2}，原检查330400:\d+）$/) },
      ]);
      const asked = await gql('query($id: ID!) { inspectionTask(id: $id) { findings { followUpRequestedAt } } }', { id: taskId });
      expect(asked.data.inspectionTask.findings[0].followUpRequestedAt).toEqual(expect.any(String));

      // Asked again (a retry, or a second sweep): still one follow-up.
      await db(SHANGHAI, 'UPDATE enforcement.task_findings SET follow_up_requested_at = NULL WHERE id = $1', [finding.id.split(':')[1]]);
      await requestDueFollowUps(sweep);
      expect((await followUps()).data.inspections.edges).toHaveLength(2);
    } finally {
      await shanghaiPool.end();
    }
  });
});

describe('a rectification deadline ends at 24:00 Beijing time of its last day', () => {
  const FINDING = `mutation($input: RecordFindingInput!) { recordInspectionFinding(input: $input) { findings { id rectifyBy followUpRequestedAt } } }`;

  async function acceptedTask(): Promise<string> {
    const source = await create();
    await plan(source.id);
    const taskId = (await dispatch(source.id)).data.dispatchInspection.participants[0].task.id;
    await start(source.id);
    expect((await taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER)).errors).toBeUndefined();
    return taskId;
  }
  const record = async (taskId: string, rectifyBy: string) => {
    const result = await gql(FINDING, { input: { taskId, severity: 'MINOR', description: '消防通道堆放杂物', rectifyBy } }, SHANGHAI_OFFICER);
    expect(result.errors).toBeUndefined();
    return result.data.recordInspectionFinding.findings.at(-1);
  };

  test('any time of the last day is stored as its end; an instant at 00:00 already is one and stays', async () => {
    const taskId = await acceptedTask();
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    // 23:30 Beijing time is 15:30 UTC of the same date; 00:00 Beijing time of the next day is 16:00 UTC.
    expect((await record(taskId, `${day}T15:30:00+00:00`)).rectifyBy).toBe(`${day}T16:00:00.000Z`);
    expect((await record(taskId, `${day}T16:00:00.000Z`)).rectifyBy).toBe(`${day}T16:00:00.000Z`);
    // 00:30 Beijing time of the next day: that day is the last one.
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await record(taskId, `${day}T16:30:00.000Z`)).rectifyBy).toBe(`${next}T16:00:00.000Z`);
  });

  test('the follow-up is not raised at the hour the deadline was given, while its last day runs', async () => {
    const taskId = await acceptedTask();
    // Close to 24:00 Beijing time the given hour's day would end within the wait: start after it.
    const untilDayEnd = 86_400_000 - ((Date.now() + 8 * 3_600_000) % 86_400_000);
    if (untilDayEnd < 30_000) await new Promise((resolve) => setTimeout(resolve, untilDayEnd + 1000));
    const given = new Date(Date.now() + 1500);
    const finding = await record(taskId, given.toISOString());
    expect(Date.parse(finding.rectifyBy)).toBeGreaterThan(given.getTime());
    // The hour given has passed by the database clock, which the sweep compares with.
    await db(SHANGHAI, 'SELECT pg_sleep(GREATEST(0, extract(epoch FROM $1::timestamptz - now()) + 0.2))', [given]);
    const shanghaiPool = createPool(hub.databaseUrls.get(SHANGHAI)!, 2);
    try {
      await requestDueFollowUps({ db: shanghaiPool, hub: new HubLink(hub.identity.serviceCredentials(SHANGHAI), hub.gateway.graphqlUrl), region: SHANGHAI });
    } finally {
      await shanghaiPool.end();
    }
    const [row] = await db(SHANGHAI, 'SELECT follow_up_requested_at FROM enforcement.task_findings WHERE id = $1', [finding.id.split(':')[1]]);
    expect(row).toEqual({ follow_up_requested_at: null });
  });

  test('a deadline has passed from 24:00 of its last day itself: the sweep claims one ending at this very instant, not one a microsecond later', async () => {
    const taskId = await acceptedTask();
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const ending = await record(taskId, `${day}T16:00:00.000Z`);
    const running = await record(taskId, `${day}T16:00:00.000Z`);
    // now() stands still inside a transaction: the claim there sees the due instants exactly.
    const client = new Client({ connectionString: hub.databaseUrls.get(SHANGHAI)! });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "UPDATE enforcement.task_findings SET rectify_by = now() + CASE id WHEN $1 THEN interval '0' ELSE interval '1 microsecond' END WHERE id IN ($1, $2)",
        [ending.id.split(':')[1], running.id.split(':')[1]],
      );
      const claimed = (await claimDueFindings(client, 1000)).map((f) => String(f.id));
      expect(claimed).toContain(ending.id.split(':')[1]);
      expect(claimed).not.toContain(running.id.split(':')[1]);
    } finally {
      // Nothing is asked of the lead region: the claim is rolled back.
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});

describe('refusals change nothing', () => {
  test('an invalid credit code is refused naming the field', async () => {
    const before = await rowCounts();
    const target = newTarget();
    const broken = target.creditCode.slice(0, 17) + (target.creditCode[17] === '0' ? '1' : '0');
    const result = await gql(
      'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }',
      { input: creation({ target: { ...target, creditCode: broken } }) },
      JIAXING_LEAD,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.target.creditCode' });
    expect(result.errors?.[0].message).toMatch(/^input\.target\.creditCode: .*GB 32100/);
    const participant = await gql(
      'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { id } }',
      { input: creation({ participants: [{ region: SHANGHAI, jurisdiction: '330421', agency: 'HEALTH' }] }) },
      JIAXING_LEAD,
    );
    expect(participant.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.participants[0].jurisdiction' });
    expect(await rowCounts()).toEqual(before);
  });

  test('a step out of order is refused with INVALID_TRANSITION naming both steps, and nothing changes', async () => {
    const { id } = await create();
    const before = await rowCounts();
    const skipped = await dispatch(id);
    expect(skipped.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentStep: 'WARNING', wantedStep: 'DISPATCH' });
    expect(skipped.errors?.[0].message).toMatch(/it is at WARNING, but DISPATCH follows PLAN/);
    expect(skipped.data).toBeNull();
    const anonymous = await graphql(hub.gateway.graphqlUrl, 'mutation($id: ID!) { planInspection(id: $id) { id } }', { id }, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await rowCounts()).toEqual(before);
    const unknown = await gql('{ inspection(id: "330400:999999") { id } }');
    expect(unknown.data.inspection).toBeNull();
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('two officers acting at once', () => {
  test('moving the same inspection: one wins, the other gets CONFLICT', async () => {
    const { id } = await create();
    const results = await Promise.all([plan(id), plan(id)]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.find((r) => r.errors)!.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStep: 'PLAN' });
    expect(await db(JIAXING, 'SELECT step FROM enforcement.inspection_steps WHERE inspection_id = $1 ORDER BY at', [id.split(':')[1]])).toEqual([
      { step: 'WARNING' },
      { step: 'PLAN' },
    ]);
  });

  test('accepting the same task: one wins, the other gets CONFLICT', async () => {
    const { id } = await create();
    await plan(id);
    const dispatched = await dispatch(id);
    const taskId = dispatched.data.dispatchInspection.participants[0].task.id;
    await start(id);
    // Two officers who may both work a task of 青浦区's ecology bureau: the city's, and 青浦区's own.
    const qingpu = await rosterOfficer(hub, { region: SHANGHAI, jurisdiction: '310118', agency: 'ECOLOGY_ENVIRONMENT', roles: ['ENFORCEMENT_OFFICER'] });
    const asQingpu = graphql(
      hub.gateway.graphqlUrl,
      `mutation($id: ID!) { acceptInspectionTask(id: $id) { ${TASK_FIELDS} } }`,
      { id: taskId },
      { authorization: `Bearer ${qingpu.token}` },
    );
    const results = await Promise.all([taskAction('acceptInspectionTask', taskId, SHANGHAI_OFFICER), asQingpu]);
    const winner = results.find((r) => !r.errors)!;
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual(['CONFLICT']);
    const [row] = await db(SHANGHAI, 'SELECT status, accepted_by, version FROM enforcement.tasks WHERE id = $1', [taskId.split(':')[1]]);
    // Versions: delivered (1), told the visit began (2), accepted once (3).
    expect(row).toEqual({ status: 'ACCEPTED', accepted_by: winner.data.acceptInspectionTask.acceptedBy.id, version: 3 });
  });
});

describe('lists and the seed', () => {
  test('inspections fan out newest planned first and filter by step, scenario and target', async () => {
    const all = await gql('{ inspections(first: 40) { edges { node { region plannedAt } } } }');
    expect(all.errors).toBeUndefined();
    const nodes = all.data.inspections.edges.map((e: any) => e.node);
    expect(new Set(nodes.map((n: any) => n.region)).size).toBeGreaterThan(1);
    const times = nodes.map((n: any) => Date.parse(n.plannedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // A scenario the seed has evaluated inspections of in Suzhou (the catalogue has 60, the seed picks among them).
    const [{ scenario_code: scenarioCode }] = await db(
      '320500',
      "SELECT scenario_code FROM enforcement.inspections WHERE step = 'EVALUATE' GROUP BY scenario_code ORDER BY count(*) DESC, scenario_code LIMIT 1",
    );
    const evaluated = await gql(
      'query($code: String!) { inspections(first: 30, regions: ["320500"], filter: { step: EVALUATE, scenarioCode: $code }) { edges { node { region step scenario { code } } } } }',
      { code: scenarioCode },
    );
    expect(evaluated.data.inspections.edges.length).toBeGreaterThan(0);
    for (const { node } of evaluated.data.inspections.edges) expect(node).toEqual({ region: '320500', step: 'EVALUATE', scenario: { code: scenarioCode } });

    const [seeded] = await db(JIAXING, 'SELECT id, target_credit_code FROM enforcement.inspections ORDER BY id LIMIT 1');
    const byTarget = await gql('query($code: String!) { inspections(filter: { targetCreditCode: $code }) { edges { node { id } } } }', {
      code: seeded.target_credit_code,
    });
    expect(byTarget.data.inspections.edges.map((e: any) => e.node.id)).toEqual([`${JIAXING}:${seeded.id}`]);
  });

  test('every seeded participant task of a dispatched inspection is kept in its own region, as the lead mirrors it', async () => {
    for (const lead of DEMO_REGIONS) {
      const participants = await db(
        lead.code,
        'SELECT p.region, p.task_id, p.task_status, i.id AS inspection_id FROM enforcement.participants p JOIN enforcement.inspections i ON i.id = p.inspection_id WHERE p.task_id IS NOT NULL',
      );
      expect(participants.length).toBeGreaterThan(0);
      const elsewhere = participants.filter((p) => p.region !== lead.code);
      expect(elsewhere.length).toBeGreaterThan(0);
      for (const region of new Set(participants.map((p) => p.region as string))) {
        const mine = participants.filter((p) => p.region === region);
        const tasks = await db(region, 'SELECT id::text, inspection_id, status FROM enforcement.tasks WHERE id = ANY($1::bigint[])', [
          mine.map((p) => p.task_id.split(':')[1]),
        ]);
        expect(tasks.map((t) => [`${region}:${t.id}`, t.inspection_id, t.status]).sort()).toEqual(
          mine.map((p) => [p.task_id, `${lead.code}:${p.inspection_id}`, p.task_status]).sort(),
        );
      }
    }
  });

  test("every seeded inspection has the lead agency's own part, and from dispatch on its task in the lead region, as the mutations make them", async () => {
    const SEEDED = 60; // the seed's inspections come first; those the tests open have later ids
    const LEAD = `leadParticipant { region jurisdiction agency officer { id } taskStatus
      task { id region agency jurisdiction assignee { id } status visitStartedAt inspection { id } } }`;
    for (const { code } of DEMO_REGIONS) {
      const result = await gql(
        `{ inspections(first: 100, regions: ["${code}"]) { edges { node { id step leadJurisdiction leadAgency leadOfficer { id } ${LEAD} } } } }`,
        {},
        `${code}:1`,
      );
      expect(result.errors).toBeUndefined();
      const seeded = result.data.inspections.edges.map((e: any) => e.node).filter((node: any) => Number(node.id.split(':')[1]) <= SEEDED);
      expect(seeded).toHaveLength(SEEDED);
      const dispatched = seeded.filter((node: any) => ['DISPATCH', 'INSPECT', 'EVALUATE'].includes(node.step));
      expect(dispatched.length).toBeGreaterThan(0);
      for (const node of seeded) {
        const { task, ...own } = node.leadParticipant ?? {};
        expect({ id: node.id, own }).toEqual({
          id: node.id,
          own: {
            region: code,
            jurisdiction: node.leadJurisdiction,
            agency: node.leadAgency,
            officer: node.leadOfficer,
            taskStatus: dispatched.includes(node) ? expect.stringMatching(/^(PENDING|ACCEPTED|COMPLETED)$/) : 'NOT_DISPATCHED',
          },
        });
        if (!dispatched.includes(node)) {
          expect({ id: node.id, task }).toEqual({ id: node.id, task: null });
          continue;
        }
        expect({ id: node.id, task }).toEqual({
          id: node.id,
          task: {
            id: expect.stringMatching(new RegExp(`^${code}:\\d+$`)),
            region: code,
            agency: node.leadAgency,
            jurisdiction: node.leadJurisdiction,
            assignee: node.leadOfficer,
            status: own.taskStatus,
            visitStartedAt: node.step === 'DISPATCH' ? null : expect.any(String),
            inspection: { id: node.id },
          },
        });
        if (node.step === 'EVALUATE') expect(task.status).toBe('COMPLETED');
      }
    }
  });

  test('tasks fan out over the participant regions', async () => {
    const result = await gql(
      `{ inspectionTasks(first: 50, filter: { leadRegion: "${JIAXING}" }) { edges { node { region leadRegion plannedAt inspection { region targetCreditCode } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data.inspectionTasks.edges.map((e: any) => e.node);
    expect(new Set(nodes.map((n: any) => n.region)).size).toBeGreaterThan(1);
    expect(nodes.every((n: any) => n.leadRegion === JIAXING && n.inspection.region === JIAXING)).toBe(true);
  });

  test('a page of 1 and a page of 50 cost the same statements in every region they touch', async () => {
    const query = `query($first: Int) { inspections(first: $first, regions: ["${JIAXING}"]) { edges { node {
      id scenario { name } leadOfficer { id } timeline { step }
      participants { region officer { id } task { id status assignee { id } findings { severity } } } } } } }`;
    const measure = async (first: number) => {
      const before = hub.statementCount('regions');
      const result = await gql(query, { first });
      expect(result.errors).toBeUndefined();
      const edges = result.data.inspections.edges;
      const touched = new Set(edges.flatMap((e: any) => e.node.participants.filter((p: any) => p.task).map((p: any) => p.region)));
      return { pageSize: edges.length, statements: hub.statementCount('regions') - before, touched: touched.size };
    };
    await measure(1); // warm the gateway's query plans
    const one = await measure(1);
    const many = await measure(50);
    expect(many.pageSize).toBe(50);
    expect(many.touched).toBeGreaterThan(1); // tasks read from Jiaxing and from partner regions
    // Jiaxing: the page, scenarios, timelines, participants; each region holding tasks: tasks and findings.
    expect(one.statements - 2 * one.touched).toBe(4);
    expect(many.statements - 2 * many.touched).toBe(4);
  });
});

describe('a participant region that is down at dispatch', () => {
  test('gets its task later, from the outbox relay', async () => {
    const { id } = await create();
    await plan(id);
    const shanghai = hub.regionServers.get(SHANGHAI)!;
    const port = shanghai.port;
    await shanghai.close();

    const dispatched = await dispatch(id);
    expect(dispatched.errors).toBeUndefined();
    expect(dispatched.data.dispatchInspection.step).toBe('DISPATCH');
    expect(dispatched.data.dispatchInspection.participants.map((p: any) => p.taskStatus)).toEqual(['DISPATCHING']);
    const [pending] = await db(
      JIAXING,
      "SELECT attempts, last_error, sent_at FROM enforcement.outbox WHERE payload->'input'->>'inspectionId' = $1 AND target_region = $2",
      [id, SHANGHAI],
    );
    expect(pending).toMatchObject({ attempts: 1, sent_at: null });
    expect(pending.last_error).toMatch(/REGION_UNAVAILABLE/);

    // Shanghai comes back on its old address; a relay of Jiaxing's region retries the delivery.
    const host = await SubgraphHost.create(BUILTIN_SUBGRAPHS.filter((m) => m.regional));
    const shanghaiPool = createPool(hub.databaseUrls.get(SHANGHAI)!, 2);
    const jiaxingPool = createPool(hub.databaseUrls.get(JIAXING)!, 2);
    const shanghaiLink = new HubLink(hub.identity.serviceCredentials(SHANGHAI), hub.gateway.graphqlUrl);
    const jiaxingLink = new HubLink(hub.identity.serviceCredentials(JIAXING), hub.gateway.graphqlUrl);
    const revived = await host.serve({
      subgraphs: BUILTIN_SUBGRAPHS.filter((m) => m.regional).map((m) => m.name),
      db: shanghaiPool,
      regions: DEMO_REGIONS,
      region: DEMO_REGIONS[0],
      hub: shanghaiLink,
      verifier: hub.identity.contextVerifier(),
      auditChain: { key: hub.identity.auditChainKey(SHANGHAI) },
      port,
    });
    const relayContext = {
      db: jiaxingPool,
      regions: DEMO_REGIONS,
      hub: jiaxingLink,
      actor: null,
      audit: new RequestAudit(),
      auditChain: { key: hub.identity.auditChainKey(JIAXING) },
      region: JIAXING,
      regionName: '嘉兴市',
    };
    const relay = enforcementSubgraph.startBackground!(relayContext, { intervalMs: 100 });
    try {
      let delivered: any[] = [];
      for (let i = 0; i < 60 && delivered.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        delivered = await db(SHANGHAI, 'SELECT id FROM enforcement.tasks WHERE inspection_id = $1', [id]);
      }
      expect(delivered).toHaveLength(1);
      const after = await gql('query($id: ID!) { inspection(id: $id) { participants { taskStatus task { id region } } } }', { id });
      expect(after.errors).toBeUndefined();
      expect(after.data.inspection.participants).toEqual([{ taskStatus: 'PENDING', task: { id: `${SHANGHAI}:${delivered[0].id}`, region: SHANGHAI } }]);
    } finally {
      await relay.stop();
      await revived.close();
      await host.stop();
      await Promise.all([shanghaiPool.end(), jiaxingPool.end()]);
    }
  });
});

describe('who sees which inspections', () => {
  test('partners holding INSPECTIONS see them; a city no agreement covers has no officer here and is refused', async () => {
    const { id } = await create(creation({ participants: [] }));
    const hefei = await gql(`{ inspections(first: 5, regions: ["${JIAXING}"]) { edges { node { id leadJurisdiction } } } }`, {}, '340100:1');
    expect(hefei.errors).toBeUndefined();
    expect(hefei.data.inspections.edges.length).toBeGreaterThan(0);

    // A city with no agreement has no officer on this hub's rosters (every two demo cities
    // share): its caller is refused at the gateway, before any inspection is looked at.
    const hangzhou = await tokenWithClaims(hub, { id: '330100:1', jurisdiction: '330100', roles: ['ENFORCEMENT_OFFICER'] });
    const stranger = { authorization: `Bearer ${hangzhou}` };
    const single = await graphql(hub.gateway.graphqlUrl, 'query($id: ID!) { inspection(id: $id) { id targetName } }', { id }, stranger);
    expect(single.status).toBe(401);
    expect(single.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
