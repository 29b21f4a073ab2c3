import 'reflect-metadata';
import { Pool } from 'pg';
import type { RunningHub } from '../launcher/hub';
import { sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { graphql, queryDatabase, startTestHub, TEST_SCALE, tokenWithClaims } from './support/hub';
import { demoOfficerId } from '../subgraphs/shared/demo-officers';
import { petitionMutations } from './support/petition-mutations';

/**
 * Petitions and warnings through the gateway, as petition officers of Jiaxing and Suzhou use
 * them: registration and its automatic warnings, acknowledgement across regions, the
 * lifecycle with its deadlines, a person's dossier across regions, and every refusal.
 */

let hub: RunningHub;
const JIAXING_OFFICER = { 'X-Officer': '330400:1' };
const SUZHOU_OFFICER = { 'X-Officer': '320500:1' };
const SUZHOU_OFFICER_2 = { 'X-Officer': '320500:2' };

const { register } = petitionMutations(() => hub.gateway.graphqlUrl, {
  officer: { ...JIAXING_OFFICER, 'X-Purpose': 'petition-handling' },
  registeredFields: `id region status version registeredAt dueAt daysLeft overdue
    deadline { kind dueAt daysLeft overdue officersOwe }
    petitioners { id name }
    warnings { id kind level subject { id } }`,
});

const db = (region: string) => hub.databaseUrls.get(region)!;

beforeAll(async () => {
  // The deadline sweep runs in the background, as in production, only more often.
  hub = await startTestHub('t_petitions', { backgroundIntervalMs: 250 });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('a Jiaxing officer registers a petition for a Suzhou resident', () => {
  let warningId: string;

  test('the cross-region warning appears in the cross-region list, about the Suzhou person', async () => {
    const result = await register({ petitionerIds: ['320500:7'] });
    expect(result.errors).toBeUndefined();
    const petition = result.data.registerPetition;
    expect(petition.region).toBe('330400');
    expect(petition.status).toBe('REGISTERED');
    expect(petition.petitioners).toEqual([{ id: '320500:7', name: expect.any(String) }]);
    const [person] = await queryDatabase(db('320500'), 'SELECT name FROM personnel.persons WHERE id = 7');
    expect(petition.petitioners[0].name).toBe(person.name);
    expect(petition.warnings).toEqual([{ id: expect.stringMatching(/^330400:\d+$/), kind: 'CROSS_REGION', level: 'BLUE', subject: { id: '320500:7' } }]);
    warningId = petition.warnings[0].id;

    const list = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          petitionWarnings(first: 5, filter: { kinds: [CROSS_REGION] }) {
            edges {
              node {
                id
                kind
                automatic
                region
                subject {
                  id
                  name
                }
                petition {
                  id
                }
              }
            }
          }
        }
      `,
      {},
      { ...JIAXING_OFFICER, 'X-Purpose': 'petition-handling' },
    );
    expect(list.errors).toBeUndefined();
    const first = list.data.petitionWarnings.edges[0].node;
    expect(first).toEqual({
      id: warningId,
      kind: 'CROSS_REGION',
      automatic: true,
      region: '330400',
      subject: { id: '320500:7', name: person.name },
      petition: { id: petition.id },
    });
  });

  test('a Suzhou officer acknowledges it, and the acknowledgement shows in Jiaxing’s timeline', async () => {
    const ack = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($id: ID!) {
          acknowledgePetitionWarning(id: $id, note: "已签收，户籍地配合稳控") {
            id
            status
          }
        }
      `,
      { id: warningId },
      SUZHOU_OFFICER,
    );
    expect(ack.errors).toBeUndefined();
    expect(ack.data.acknowledgePetitionWarning.status).toBe('ACKNOWLEDGED');

    const read = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          petitionWarning(id: $id) {
            timeline {
              action
              region
              officer {
                id
              }
              note
            }
          }
        }
      `,
      { id: warningId },
    );
    expect(read.data.petitionWarning.timeline).toEqual([
      { action: 'RAISED', region: null, officer: null, note: 'raised by rule cross-region' },
      { action: 'ACKNOWLEDGED', region: '320500', officer: { id: '320500:1' }, note: '已签收，户籍地配合稳控' },
    ]);
    // Recorded in the warning's own region, and nowhere else.
    const local = warningId.split(':')[1];
    const rows = await queryDatabase(db('330400'), "SELECT officer_id FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ACKNOWLEDGED'", [
      local,
    ]);
    expect(rows).toEqual([{ officer_id: '320500:1' }]);
    const suzhou = await queryDatabase(db('320500'), "SELECT count(*)::int AS n FROM petitions.warning_events WHERE note = '已签收，户籍地配合稳控'");
    expect(suzhou[0].n).toBe(0);
  });

  test('the same region cannot acknowledge twice; two at once: one wins, one CONFLICT', async () => {
    const raised = await register({ petitionerIds: ['320500:8'] });
    const id = raised.data.registerPetition.warnings[0].id;
    const ack = (headers: Record<string, string>) =>
      graphql(
        hub.gateway.graphqlUrl,
        `
          mutation ($id: ID!) {
            acknowledgePetitionWarning(id: $id) {
              id
            }
          }
        `,
        { id },
        headers,
      );
    const results = await Promise.all([ack(SUZHOU_OFFICER), ack(SUZHOU_OFFICER_2)]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const rows = await queryDatabase(
      db('330400'),
      "SELECT count(*)::int AS n FROM petitions.warning_events WHERE warning_id = $1 AND action = 'ACKNOWLEDGED'",
      [id.split(':')[1]],
    );
    expect(rows[0].n).toBe(1);
    // Another region's acknowledgement is its own, and is kept too.
    const shanghai = await ack({ 'X-Officer': '310000:1' });
    expect(shanghai.errors).toBeUndefined();
  });
});

describe('automatic warnings', () => {
  test('a third petition on the same matter within 30 days raises one REPEAT warning', async () => {
    const person = '330400:11';
    const kinds: string[][] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await register({ petitionerIds: [person], category: '重复事项', summary: `第${i + 1}次反映` });
      expect(result.errors).toBeUndefined();
      kinds.push(result.data.registerPetition.warnings.map((w: { kind: string }) => w.kind));
    }
    expect(kinds).toEqual([[], [], ['REPEAT'], []]);
  });

  test('registrations naming the same persons in opposite orders, all at once, neither deadlock nor fail', async () => {
    const pairs = Array.from({ length: 16 }, (_, i) => (i % 2 ? ['330400:31', '330400:32'] : ['330400:32', '330400:31']));
    const results = await Promise.all(pairs.map((petitionerIds) => register({ petitionerIds })));
    expect(results.map((r) => r.errors?.[0]?.message ?? 'OK')).toEqual(pairs.map(() => 'OK'));
    // Sixteen petitions each for two persons: one REPEAT warning each, however the race fell.
    const rows = await queryDatabase(
      db('330400'),
      "SELECT subject_id, count(*)::int AS n FROM petitions.warnings WHERE kind = 'REPEAT' AND subject_id IN ('330400:31', '330400:32') GROUP BY subject_id ORDER BY subject_id",
    );
    expect(rows).toEqual([
      { subject_id: '330400:31', n: 1 },
      { subject_id: '330400:32', n: 1 },
    ]);
  });

  test('warnings raised in one transaction page one by one, none skipped', async () => {
    const created = await register({ petitionerIds: ['320500:41', '310000:42', '340100:43'] });
    const raised = created.data.registerPetition.warnings.map((w: { id: string }) => w.id);
    expect(raised).toHaveLength(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const result: any = await graphql(
        hub.gateway.graphqlUrl,
        `
          query ($after: String) {
            petitionWarnings(first: 1, after: $after, regions: ["330400"]) {
              edges {
                node {
                  id
                }
              }
              pageInfo {
                endCursor
              }
            }
          }
        `,
        { after },
      );
      seen.push(result.data.petitionWarnings.edges[0].node.id);
      after = result.data.petitionWarnings.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual([...raised].sort());
  });

  test('a group visit of 5 or more raises a GROUP_VISIT warning', async () => {
    const result = await register({ petitionerIds: ['330400:12', '330400:13'], groupVisit: true, headcount: 30 });
    expect(result.errors).toBeUndefined();
    expect(result.data.registerPetition.warnings.map((w: { kind: string; level: string }) => [w.kind, w.level])).toEqual([['GROUP_VISIT', 'ORANGE']]);
  });

  test('a petition past its acceptance deadline gets a DEADLINE warning from the background sweep, once', async () => {
    const registeredAt = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const result = await register({ petitionerIds: ['330400:14'], registeredAt });
    expect(result.errors).toBeUndefined();
    const petition = result.data.registerPetition;
    expect(petition.overdue).toBe(true);
    expect(petition.daysLeft).toBe(-5);
    expect(petition.deadline).toMatchObject({ kind: 'ACCEPTANCE', overdue: true, officersOwe: true });
    // 15 days after the registration day, ending at 24:00 Beijing time (16:00 UTC) of the last day.
    const registeredDay = Math.floor((Date.parse(registeredAt) + 8 * 3_600_000) / 86_400_000);
    expect(petition.dueAt).toBe(new Date((registeredDay + 16) * 86_400_000 - 8 * 3_600_000).toISOString());

    const readWarnings = async () =>
      (
        await graphql(
          hub.gateway.graphqlUrl,
          `
            query ($id: ID!) {
              petition(id: $id) {
                warnings {
                  kind
                  level
                  automatic
                }
              }
            }
          `,
          { id: petition.id },
        )
      ).data.petition.warnings;
    const deadline = Date.now() + 10_000;
    while ((await readWarnings()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readWarnings()).toEqual([{ kind: 'DEADLINE', level: 'ORANGE', automatic: true }]);

    // However often and however concurrently the rule runs, the warning is raised once.
    const pool = new Pool({ connectionString: db('330400'), max: 3 });
    try {
      await Promise.all([sweepDeadlines(pool), sweepDeadlines(pool), sweepDeadlines(pool)]);
    } finally {
      await pool.end();
    }
    expect(await readWarnings()).toEqual([{ kind: 'DEADLINE', level: 'ORANGE', automatic: true }]);
  });
});

describe('the petition lifecycle', () => {
  const { step } = petitionMutations(() => hub.gateway.graphqlUrl, {
    officer: JIAXING_OFFICER,
    steppedFields: 'status version deadline { kind daysLeft } extension { days reason } outcome',
  });

  test('runs from registration to the re-review, with its history', async () => {
    const created = await register({ petitionerIds: ['330400:20'] });
    const id = created.data.registerPetition.id;
    expect(created.data.registerPetition.deadline).toMatchObject({ kind: 'ACCEPTANCE', daysLeft: 15 });

    const assign = await step('assignPetition', id, ', agency: HUMAN_RESOURCES, jurisdiction: "330421"');
    expect(assign.data.r.status).toBe('ASSIGNED');
    const accept = await step('acceptPetition', id);
    expect(accept.data.r).toMatchObject({ status: 'ACCEPTED', deadline: { kind: 'HANDLING', daysLeft: 60 } });
    expect((await step('startHandlingPetition', id)).data.r.status).toBe('HANDLING');
    // Approved by the handling agency's SUPERVISOR: the city human-resources bureau's first officer.
    const approver = demoOfficerId('330400', 'HUMAN_RESOURCES', 0, TEST_SCALE.officersPerAgency);
    const extended = await step('extendPetitionDeadline', id, `, days: 30, reason: "需调取银行流水", approverId: "${approver}"`);
    expect(extended.data.r).toMatchObject({ deadline: { kind: 'HANDLING', daysLeft: 90 }, extension: { days: 30, reason: '需调取银行流水' } });
    const again = await step('extendPetitionDeadline', id, `, days: 5, reason: "再延", approverId: "${approver}"`);
    expect(again.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(again.errors?.[0].message).toMatch(/already extended by 30 days; the regulation allows one extension/);

    expect((await step('replyToPetition', id, ', reply: "已督促企业支付欠薪"')).data.r).toMatchObject({
      status: 'REPLIED',
      deadline: { kind: 'REVIEW_REQUEST' },
    });
    expect((await step('requestPetitionReview', id)).data.r).toMatchObject({ status: 'REVIEW', deadline: { kind: 'REVIEW_DECISION', daysLeft: 30 } });
    expect((await step('decidePetitionReview', id, ', opinion: "维持原处理意见"')).data.r).toMatchObject({
      status: 'REVIEW',
      deadline: { kind: 'RE_REVIEW_REQUEST' },
    });
    expect((await step('requestPetitionReReview', id)).data.r).toMatchObject({ status: 'RE_REVIEW', deadline: { kind: 'RE_REVIEW_DECISION' } });
    // A 嘉善 petition's re-review is the province's (one level above the city's review), which this
    // hub does not serve: refused saying so (test/petition-rules.e2e.test.ts has it decided there).
    const reReview = await step('decidePetitionReReview', id, ', opinion: "复核维持"');
    expect(reReview.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(reReview.errors?.[0].message).toMatch(/has no re-reviewing body in the hub/);

    const history = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          petition(id: $id) {
            history {
              action
              fromStatus
              toStatus
              officer {
                id
              }
            }
          }
        }
      `,
      { id },
      JIAXING_OFFICER,
    );
    expect(history.data.petition.history.map((e: { action: string }) => e.action)).toEqual([
      'register',
      'assign',
      'accept',
      'startHandling',
      'extend',
      'reply',
      'requestReview',
      'decideReview',
      'requestReReview',
    ]);
    expect(history.data.petition.history.every((e: { officer: { id: string } }) => e.officer.id === '330400:1')).toBe(true);
  });

  test('an illegal step is refused with INVALID_TRANSITION and changes nothing', async () => {
    const created = await register({ petitionerIds: ['330400:21'] });
    const id = created.data.registerPetition.id;
    const reply = await step('replyToPetition', id, ', reply: "太早"');
    expect(reply.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', status: 'REGISTERED' });
    expect(reply.errors?.[0].message).toMatch(/cannot reply to a petition that is REGISTERED; it must be HANDLING/);
    const [row] = await queryDatabase(db('330400'), 'SELECT status, version, outcome FROM petitions.petitions WHERE id = $1', [id.split(':')[1]]);
    expect(row).toEqual({ status: 'REGISTERED', version: 1, outcome: null });
    const events = await queryDatabase(db('330400'), 'SELECT count(*)::int AS n FROM petitions.petition_events WHERE petition_id = $1', [id.split(':')[1]]);
    expect(events[0].n).toBe(1);
  });

  test('two officers accepting the same petition at once: one wins, the other is told it is accepted already (INVALID_TRANSITION)', async () => {
    // Registered in 南湖区, whose petition officer (330400:2) may work it as the city's may.
    const created = await register({ petitionerIds: ['330400:22'], registeredIn: '330402' });
    const id = created.data.registerPetition.id;
    const results = await Promise.all([step('acceptPetition', id), step('acceptPetition', id, '', { 'X-Officer': '330400:2' })]);
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['INVALID_TRANSITION', 'OK']);
    const loser = results.find((r) => r.errors)!;
    expect(loser.errors![0].message).toMatch(
      /cannot accept a petition that is ACCEPTED; it must be REGISTERED or ASSIGNED \(last step: accept by 330400:[12] at /,
    );
    const [row] = await queryDatabase(db('330400'), 'SELECT status, version FROM petitions.petitions WHERE id = $1', [id.split(':')[1]]);
    expect(row).toEqual({ status: 'ACCEPTED', version: 2 });
  });

  test('closing before the petitioner’s 30-day window to ask for a review has passed is refused', async () => {
    const created = await register({ petitionerIds: ['330400:24'] });
    const id = created.data.registerPetition.id;
    for (const [mutation, args] of [
      ['acceptPetition', ''],
      ['startHandlingPetition', ''],
      ['replyToPetition', ', reply: "已答复"'],
    ]) {
      expect((await step(mutation, id, args)).errors).toBeUndefined();
    }
    const early = await step('closePetition', id);
    expect(early.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(early.errors?.[0].message).toMatch(/may ask for a review until/);
    expect((await step('requestPetitionReview', id)).data.r.status).toBe('REVIEW');
  });

  test('a stale expectedVersion is refused with CONFLICT', async () => {
    const created = await register({ petitionerIds: ['330400:23'] });
    const id = created.data.registerPetition.id;
    await step('acceptPetition', id);
    const stale = await step('startHandlingPetition', id, ', expectedVersion: 1');
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });
});

describe('a person’s dossier', () => {
  test('lists petitions (those whose petitioners the caller may see) and warnings from every region, merged newest first, page after page', async () => {
    const person = '320500:30';
    await register({ petitionerIds: [person] });
    await register({ region: '310000', registeredIn: '310118', petitionerIds: [person] }, { 'X-Officer': '310000:1' });
    await register({ region: '320500', registeredIn: '320509', petitionerIds: [person] }, SUZHOU_OFFICER);

    const expected: Array<{ id: string; at: number }> = [];
    const expectedWarnings: string[] = [];
    // Who brought a petition is a detail: Jiaxing's city officer, who reads the dossier below, sees it for
    // Jiaxing's petitions and, by the Jiaxing–Suzhou agreement, Suzhou's; not for 青浦's (shared with 嘉善 only).
    const detailsOpenTo330400 = ['320500', '330400'];
    const registeredIn = new Set<string>();
    for (const region of ['310000', '320500', '330400', '340100']) {
      const rows = await queryDatabase(db(region), 'SELECT petition_id::text AS id, registered_at FROM petitions.petitioners WHERE person_id = $1', [person]);
      if (rows.length) registeredIn.add(region);
      if (detailsOpenTo330400.includes(region)) expected.push(...rows.map((row) => ({ id: `${region}:${row.id}`, at: row.registered_at.getTime() })));
      const warnings = await queryDatabase(db(region), 'SELECT id::text FROM petitions.warnings WHERE subject_id = $1', [person]);
      expectedWarnings.push(...warnings.map((row) => `${region}:${row.id}`));
    }
    expect(registeredIn.size).toBeGreaterThanOrEqual(3);
    expect(new Set(expected.map((e) => e.id.split(':')[0])).size).toBe(2);

    const seen: Array<{ id: string; registeredAt: string }> = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const result: any = await graphql(
        hub.gateway.graphqlUrl,
        `
          query ($id: ID!, $after: String) {
            person(id: $id) {
              name
              petitions(first: 2, after: $after) {
                edges {
                  node {
                    id
                    registeredAt
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
          }
        `,
        { id: person, after },
        { 'X-Officer': '330400:1' },
      );
      expect(result.errors).toBeUndefined();
      const petitions = result.data.person.petitions;
      seen.push(...petitions.edges.map((e: { node: { id: string; registeredAt: string } }) => e.node));
      if (!petitions.pageInfo.hasNextPage) break;
      after = petitions.pageInfo.endCursor;
    }
    expect(seen.map((p) => p.id).sort()).toEqual(expected.map((e) => e.id).sort());
    const times = seen.map((p) => Date.parse(p.registeredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const warnings = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          person(id: $id) {
            petitionWarnings(first: 100) {
              edges {
                node {
                  id
                  kind
                  region
                }
              }
            }
          }
        }
      `,
      { id: person },
    );
    expect(warnings.errors).toBeUndefined();
    const ids = warnings.data.person.petitionWarnings.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids.sort()).toEqual(expectedWarnings.sort());
    // The cross-region warnings raised by Shanghai's and Jiaxing's registrations are among them.
    const regions = warnings.data.person.petitionWarnings.edges.map((e: { node: { region: string } }) => e.node.region);
    expect(regions).toEqual(expect.arrayContaining(['310000', '330400']));
  });
});

describe('filters on petitionWarnings', () => {
  test('each filter narrows to matching warnings only', async () => {
    const query = `query($filter: PetitionWarningFilter) { petitionWarnings(first: 100, filter: $filter) { edges { node { level kind status raisedIn raisedAt region subject { id } } } } }`;
    const cases: Array<[Record<string, unknown>, (n: any) => boolean]> = [
      [{ levels: ['RED'] }, (n) => n.level === 'RED'],
      [{ kinds: ['REPEAT', 'GROUP_VISIT'] }, (n) => ['REPEAT', 'GROUP_VISIT'].includes(n.kind)],
      [{ statuses: ['OPEN'] }, (n) => n.status === 'OPEN'],
      [{ raisedIn: '3304' }, (n) => n.raisedIn.startsWith('3304')],
      [{ subjectRegion: '320500' }, (n) => n.subject.id.startsWith('320500:')],
      [{ raisedFrom: '2026-09-01T00:00:00Z', raisedUntil: '2026-10-01T00:00:00Z' }, (n) => n.raisedAt >= '2026-09-01' && n.raisedAt < '2026-10-01'],
    ];
    for (const [filter, matches] of cases) {
      const result = await graphql(hub.gateway.graphqlUrl, query, { filter });
      expect(result.errors).toBeUndefined();
      const nodes = result.data.petitionWarnings.edges.map((e: { node: unknown }) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.filter((n: unknown) => !matches(n))).toEqual([]);
    }
  });
});

describe('who sees which petitions and warnings', () => {
  test('partners see warnings; petition details only with PETITION_DETAILS; a city no agreement covers has no officer here and is refused', async () => {
    const created = await register({ petitionerIds: ['330400:26'] });
    const id = created.data.registerPetition.id;
    const read = (headers: Record<string, string>) =>
      graphql(
        hub.gateway.graphqlUrl,
        `
          query ($id: ID!) {
            petition(id: $id) {
              id
              status
              category
              summary
              content
              petitioners {
                id
              }
            }
          }
        `,
        { id },
        headers,
      );

    const suzhou = await read(SUZHOU_OFFICER); // Jiaxing–Suzhou agreement includes petition details
    expect(suzhou.errors).toBeUndefined();
    expect(suzhou.data.petition).toMatchObject({ status: 'REGISTERED', summary: '欠薪', content: '某公司拖欠工资三个月' });

    const hefei = await read({ 'X-Officer': '340100:1' }); // warnings and basic data only
    expect(hefei.data.petition).toMatchObject({ id, status: 'REGISTERED', category: '劳资纠纷欠薪', summary: null, content: null, petitioners: null });
    expect((hefei.errors ?? []).map((e) => `${e.path?.join('.')}:${e.extensions?.code}`).sort()).toEqual([
      'petition.content:FORBIDDEN',
      'petition.petitioners:FORBIDDEN',
      'petition.summary:FORBIDDEN',
    ]);

    // A city with no agreement has no officer on this hub's rosters (every two demo cities
    // share): its caller gets nothing at all, refused at the gateway. The field rules for a
    // rostered caller no agreement covers: person-field-rules and policy-matrix tests.
    const hangzhou = await tokenWithClaims(hub, { id: '330100:1', jurisdiction: '330100', roles: ['PETITION_OFFICER'] });
    const stranger = { authorization: `Bearer ${hangzhou}` };
    const single = await read(stranger);
    expect(single.status).toBe(401);
    expect(single.data).toBeUndefined();
    expect(single.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const seen = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          petitionWarnings(first: 5, regions: ["330400"]) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      { 'X-Officer': '340100:1' },
    );
    expect(seen.data.petitionWarnings.edges).toHaveLength(5);
  });
});

describe('refusals', () => {
  const countPetitions = async () => (await queryDatabase(db('330400'), 'SELECT count(*)::int AS n FROM petitions.petitions'))[0].n;

  test('bad input is refused naming the field, and nothing is written', async () => {
    const before = await countPetitions();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ registeredIn: '33042' }, 'input.registeredIn'],
      [{ registeredIn: '320509' }, 'input.registeredIn'],
      [{ petitionerIds: ['not-an-id'] }, 'input.petitionerIds[0]'],
      [{ petitionerIds: ['330400:5', '320500:99999'] }, 'input.petitionerIds[1]'],
      [{ petitionerIds: ['330400:5', '330400:6', '330400:7', '330400:8', '330400:9', '330400:10'] }, 'input.petitionerIds'],
      [{ groupVisit: true, headcount: 3 }, 'input.headcount'],
      [{ summary: '   ' }, 'input.summary'],
      [{ registeredAt: new Date(Date.now() + 86_400_000).toISOString() }, 'input.registeredAt'],
      [{ registeredIn: '330421001' }, 'input.registeredIn'],
      [{ registeredIn: '330499' }, 'input.registeredIn'],
    ];
    for (const [input, field] of cases) {
      const result = await register(input);
      expect({ field, code: result.errors?.[0].extensions?.code, named: result.errors?.[0].extensions?.field }).toEqual({
        field,
        code: 'BAD_USER_INPUT',
        named: field,
      });
    }
    const wrongEnum = await register({ channel: 'FAX' });
    expect(wrongEnum.errors?.[0].message).toMatch(/FAX/);
    const badDate = await register({ registeredAt: 'yesterday' });
    expect(badDate.errors?.[0].message).toMatch(/registeredAt|DateTime/);
    expect(await countPetitions()).toBe(before);
  });

  test('a warning about a person who does not exist is refused naming input.subjectId', async () => {
    const raise = (subjectId: string) =>
      graphql(
        hub.gateway.graphqlUrl,
        `
          mutation ($input: RaiseWarningInput!) {
            raisePetitionWarning(input: $input) {
              id
            }
          }
        `,
        { input: { region: '330400', raisedIn: '330421', level: 'RED', kind: 'REPEAT', subjectId, summary: '测试' } },
        JIAXING_OFFICER,
      );
    for (const subjectId of ['320500:99999', '999999:1']) {
      const result = await raise(subjectId);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subjectId' });
    }
  });

  test('a bad cursor on a person’s petitions nulls that field only, not the person', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          person(id: "320500:30") {
            name
            petitions(first: 2, after: "bogus") {
              edges {
                node {
                  id
                }
              }
            }
          }
        }
      `,
    );
    expect(result.data.person.name).toEqual(expect.any(String));
    expect(result.data.person.petitions).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('petition work in a region is its own petition officers’: others get FORBIDDEN and nothing changes', async () => {
    const created = await register({ petitionerIds: ['330400:25'] });
    const id = created.data.registerPetition.id;
    const accept = (officer: string) =>
      graphql(
        hub.gateway.graphqlUrl,
        `
          mutation ($id: ID!) {
            acceptPetition(id: $id) {
              status
            }
          }
        `,
        { id },
        { 'X-Officer': officer },
      );
    const suzhou = await accept('320500:1');
    expect(suzhou.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(suzhou.errors?.[0].message).toMatch(/kept by its own officers/);
    // A role that can never do petition work is refused by the gateway before planning (@access):
    // HTTP 403 and the gateway's own message, which no subgraph writes.
    const auditor = await accept(hub.identity.demoOfficer('demo-330400-auditor').id);
    expect(auditor.status).toBe(403);
    expect(auditor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(auditor.errors?.[0].extensions?.serviceName).toBeUndefined();
    expect(auditor.errors?.[0].message).toMatch(/Mutation\.acceptPetition \(needs PETITION_OFFICER or SUPERVISOR\); you hold AUDITOR/);
    const registerElsewhere = await register({}, { 'X-Officer': '340100:1' });
    expect(registerElsewhere.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [row] = await queryDatabase(db('330400'), 'SELECT status, version FROM petitions.petitions WHERE id = $1', [id.split(':')[1]]);
    expect(row).toEqual({ status: 'REGISTERED', version: 1 });
  });

  test('a change without credentials is refused with UNAUTHENTICATED (HTTP 401)', async () => {
    const result = await register({}, { authorization: '' } as never);
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('unknown ids give null with NOT_FOUND', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          petition(id: "330400:999999") {
            id
          }
          petitionWarning(id: "320500:999999") {
            id
          }
        }
      `,
    );
    expect(result.data).toEqual({ petition: null, petitionWarning: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });
});
