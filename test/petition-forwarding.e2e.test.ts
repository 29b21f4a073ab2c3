import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub, writeRegionsFile } from './support/hub';
import { forwardingSteps, warningKinds } from './support/petition-forwarding';
import { petitionMutations } from './support/petition-mutations';

/**
 * Forwarding across cities (转送/交办) through the gateway on real PostgreSQL: a Jiaxing
 * petition about a matter of 吴江区 goes to Suzhou, which keeps its own record in a matter of its
 * own (with its warnings), accepts it on its own clock and reports each step back, delivered
 * through the outbox: never lost, never twice. The Jiaxing petition ends as Suzhou's record ends.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' };
const SUZHOU = { 'X-Officer': '320500:1', 'X-Purpose': 'petition-handling' };
/** 江苏省's petition bureau, on the roster of a region of its own here. */
const JIANGSU = { 'X-Officer': '320000:1', 'X-Purpose': 'petition-handling' };
const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;
const beijingMidnight = (days: number) => new Date((Math.floor((Date.now() + BEIJING) / DAY) + days) * DAY - BEIJING);
const db = (region: string) => hub.databaseUrls.get(region)!;
const local = (id: string) => id.split(':')[1];

const PETITION = `query($id: ID!) { petition(id: $id) {
  id status version deadline { kind dueAt daysLeft } forwardedFrom receivedAt outcome handlingAgency handlingJurisdiction closedAt
  forwarding { region agency jurisdiction petitionId status outcome }
  matter { id category petitionerIds handlingAgency handlingJurisdiction closedAt }
  warnings { kind level raisedIn summary subject { id } }
  history { action fromStatus toStatus officer { id } note at }
} }`;
const { registered: register, step } = petitionMutations(() => hub.gateway.graphqlUrl, {
  officer: JIAXING,
  petition: { region: '330400', channel: 'LETTER', summary: '吴江企业欠薪', content: '在吴江区务工被拖欠工资', registeredIn: '330421' },
  registeredFields: 'id warnings { kind raisedIn subject { id } }',
  steppedFields: 'id status version',
});
const { read, eventually, forward } = forwardingSteps(() => hub.gateway.graphqlUrl, PETITION, step, JIAXING);
const resendOutboxes = async () => {
  await queryDatabase(db('330400'), 'UPDATE petitions.outbox SET sent_at = NULL, next_attempt_at = now()');
  await queryDatabase(db('320500'), 'UPDATE petitions.outbox SET sent_at = NULL, next_attempt_at = now()');
  const deadline = Date.now() + 20_000;
  const pending = async () =>
    (await queryDatabase(db('330400'), 'SELECT count(*)::int AS n FROM petitions.outbox WHERE sent_at IS NULL'))[0].n +
    (await queryDatabase(db('320500'), 'SELECT count(*)::int AS n FROM petitions.outbox WHERE sent_at IS NULL'))[0].n;
  while ((await pending()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await pending()).toBe(0);
};
beforeAll(async () => {
  // 江苏省 is served, so that a 吴江区 matter's re-review (above its review by the city) is decided in the hub.
  process.env.HUB_PROVINCE_REVIEW_BODIES = '320000';
  hub = await startTestHub('t_petition_forwarding', {
    backgroundIntervalMs: 250,
    regionsFile: writeRegionsFile([...DEMO_REGIONS, { code: '320000', name: '江苏省' }]),
    regionScale: { '320000': { persons: 0, petitions: 0, warnings: 0, inspections: 0 } },
  });
}, 120_000);

afterAll(async () => {
  delete process.env.HUB_PROVINCE_REVIEW_BODIES;
  await hub?.stop();
});

describe('a Jiaxing petition forwarded to Suzhou', () => {
  let jiaxingId: string;
  let suzhouId: string;

  test('is received in Suzhou as its own record, on Suzhou’s own 15-day clock from receipt, in a matter of Suzhou’s with its warnings', async () => {
    // Registered ten days ago in 嘉善: Jiaxing's own acceptance limit would have five days left.
    const registered = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($input: RegisterPetitionInput!) {
          registerPetition(input: $input) {
            id
            deadline {
              daysLeft
            }
          }
        }
      `,
      {
        input: {
          region: '330400',
          channel: 'LETTER',
          category: '跨区域劳资纠纷',
          summary: '吴江企业欠薪',
          content: '在吴江区务工被拖欠工资',
          registeredIn: '330421',
          petitionerIds: ['330400:5'],
          registeredAt: new Date(Date.now() - 10 * DAY).toISOString(),
        },
      },
      JIAXING,
    );
    expect(registered.errors).toBeUndefined();
    jiaxingId = registered.data.registerPetition.id;
    expect(registered.data.registerPetition.deadline.daysLeft).toBe(5);

    const forwarded = await step('assignPetition', jiaxingId, ', agency: HUMAN_RESOURCES, jurisdiction: "320509", note: "属吴江区管辖，转送"', JIAXING);
    expect(forwarded.errors).toBeUndefined();
    expect(forwarded.data.r.status).toBe('ASSIGNED');

    const origin = await eventually(jiaxingId, JIAXING, (p) => p.forwarding?.petitionId);
    expect(origin).toMatchObject({
      status: 'ASSIGNED',
      deadline: null,
      forwarding: { region: '320500', agency: 'HUMAN_RESOURCES', jurisdiction: '320509', status: 'ASSIGNED', outcome: null },
    });
    suzhouId = origin.forwarding.petitionId;
    expect(suzhouId).toMatch(/^320500:\d+$/);

    const received = await read(suzhouId, SUZHOU);
    expect(received).toMatchObject({ status: 'ASSIGNED', forwardedFrom: jiaxingId, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320509' });
    expect(received.deadline).toEqual({ kind: 'ACCEPTANCE', dueAt: beijingMidnight(16).toISOString(), daysLeft: 15 });
    // Suzhou's data stays in Suzhou: the content lives in its database, the petition in Jiaxing's too.
    const [row] = await queryDatabase(db('320500'), 'SELECT content, registered_in, forwarded_from FROM petitions.petitions WHERE id = $1', [local(suzhouId)]);
    expect(row).toEqual({ content: '在吴江区务工被拖欠工资', registered_in: '320509', forwarded_from: jiaxingId });

    // Suzhou's record belongs to a matter of Suzhou's, handled by the agency it was sent to.
    expect(received.matter).toEqual({
      id: expect.stringMatching(/^320500:\d+$/),
      category: '跨区域劳资纠纷',
      petitionerIds: ['330400:5'],
      handlingAgency: 'HUMAN_RESOURCES',
      handlingJurisdiction: '320509',
      closedAt: null,
    });
    // A Jiaxing resident is no stranger in Jiaxing, but is one where his petition is now kept: Suzhou warns, raised in 吴江区.
    expect(received.warnings).toEqual([
      {
        kind: 'CROSS_REGION',
        level: 'BLUE',
        raisedIn: '320509',
        summary: '外地户籍人员信访（户籍地 330400，由 330400 转送）：跨区域劳资纠纷',
        subject: { id: '330400:5' },
      },
    ]);
    expect((await read(jiaxingId, JIAXING)).warnings).toEqual([]);
  }, 60_000);

  test('Jiaxing no longer accepts it itself, and cannot work Suzhou’s record', async () => {
    const own = await step('acceptPetition', jiaxingId, '', JIAXING);
    expect(own.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(own.errors?.[0].message).toMatch(/forwarded to region 320500: that region's officers accept or decline it/);
    const theirs = await step('acceptPetition', suzhouId, '', JIAXING);
    expect(theirs.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('a Suzhou officer accepts and replies, and the outcome shows in Jiaxing', async () => {
    expect((await step('acceptPetition', suzhouId, '', SUZHOU)).data.r.status).toBe('ACCEPTED');
    const accepted = await eventually(jiaxingId, JIAXING, (p) => p.forwarding.status === 'ACCEPTED');
    expect(accepted.forwarding.status).toBe('ACCEPTED');
    expect((await step('startHandlingPetition', suzhouId, '', SUZHOU)).data.r.status).toBe('HANDLING');
    expect((await step('replyToPetition', suzhouId, ', reply: "已督促吴江企业支付欠薪"', SUZHOU)).data.r.status).toBe('REPLIED');
    const replied = await eventually(jiaxingId, JIAXING, (p) => p.forwarding.status === 'REPLIED');
    expect(replied.forwarding).toEqual({
      region: '320500',
      agency: 'HUMAN_RESOURCES',
      jurisdiction: '320509',
      petitionId: suzhouId,
      status: 'REPLIED',
      outcome: '已督促吴江企业支付欠薪',
    });
    expect(replied.status).toBe('ASSIGNED');
  }, 60_000);

  test('never twice: a delivery and a report sent again change nothing', async () => {
    await resendOutboxes();
    expect(await queryDatabase(db('320500'), 'SELECT count(*)::int AS n FROM petitions.petitions WHERE forwarded_from = $1', [jiaxingId])).toEqual([{ n: 1 }]);
    // The delivery received again raised nothing again.
    expect(await queryDatabase(db('320500'), 'SELECT kind FROM petitions.warnings WHERE petition_id = $1', [local(suzhouId)])).toEqual([
      { kind: 'CROSS_REGION' },
    ]);
    // The receipt's ASSIGNED (version 1) and the ACCEPTED report, sent again after REPLIED, leave REPLIED in place.
    const origin = await read(jiaxingId, JIAXING);
    expect(origin.forwarding).toMatchObject({ status: 'REPLIED', outcome: '已督促吴江企业支付欠薪' });
    const history = await graphql(
      hub.gateway.graphqlUrl,
      `
        query ($id: ID!) {
          petition(id: $id) {
            history {
              action
              officer {
                id
              }
            }
          }
        }
      `,
      { id: suzhouId },
      SUZHOU,
    );
    expect(history.data.petition.history.map((e: { action: string }) => e.action)).toEqual(['receive', 'accept', 'startHandling', 'reply']);
    expect(history.data.petition.history[0].officer).toEqual({ id: '330400:1' });
  }, 60_000);

  test('when Suzhou’s re-review closes it, the Jiaxing petition is CLOSED with Suzhou’s step in its history, once however often it is reported', async () => {
    // Reviewed by the city (Suzhou's own petition bureau, above 吴江区), re-reviewed by the province.
    for (const [mutation, args, by] of [
      ['requestPetitionReview', '', SUZHOU],
      ['decidePetitionReview', ', opinion: "复查维持"', SUZHOU],
      ['requestPetitionReReview', '', SUZHOU],
      ['decidePetitionReReview', ', opinion: "复核维持，事项终结"', JIANGSU],
    ] as const) {
      expect((await step(mutation, suzhouId, args, by)).errors).toBeUndefined();
    }
    const suzhou = await read(suzhouId, SUZHOU);
    expect(suzhou).toMatchObject({ status: 'CLOSED', matter: { closedAt: expect.any(String) } });
    const theirs = suzhou.history.at(-1);

    const ended = await eventually(jiaxingId, JIAXING, (p) => p.status !== 'ASSIGNED');
    expect(ended).toMatchObject({
      status: 'CLOSED',
      closedAt: theirs.at,
      deadline: null,
      forwarding: { status: 'CLOSED', outcome: '复核维持，事项终结', petitionId: suzhouId },
    });
    expect(ended.history.at(-1)).toEqual({
      action: 'decideReReview',
      fromStatus: 'ASSIGNED',
      toStatus: 'CLOSED',
      // Who took Suzhou's last step: the province's officer, who decided the re-review.
      officer: { id: '320000:1' },
      note: `${suzhouId}（转送受理）已结案：复核维持，事项终结`,
      at: theirs.at,
    });

    // Every report sent again (the older ones and the last): still one step, no new version.
    await resendOutboxes();
    const again = await read(jiaxingId, JIAXING);
    expect(again.history.map((e: { action: string }) => e.action)).toEqual(['register', 'assign', 'decideReReview']);
    expect(again).toMatchObject({ status: 'CLOSED', version: ended.version });

    // Jiaxing's officers still take no step on it.
    for (const [mutation, args] of [
      ['declinePetition', ', reason: "不属本地"'],
      ['closePetition', ''],
      ['assignPetition', ', agency: PETITION_BUREAU, jurisdiction: "330421"'],
    ]) {
      expect((await step(mutation, jiaxingId, args, JIAXING)).errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    }
  }, 60_000);

  test('the matter Suzhou closed by re-review is closed in Jiaxing too: a new petition on it is registered there, but not accepted (MATTER_CLOSED)', async () => {
    const theirs = (await read(suzhouId, SUZHOU)).matter;
    const origin = await eventually(jiaxingId, JIAXING, (p) => p.matter.closedAt !== null);
    expect(origin.matter).toMatchObject({ id: expect.stringMatching(/^330400:\d+$/), closedAt: theirs.closedAt });
    // Closed by the Jiaxing petition whose forward Suzhou decided on re-review.
    expect(await queryDatabase(db('330400'), 'SELECT closed_by_petition::text FROM petitions.matters WHERE id = $1', [local(origin.matter.id)])).toEqual([
      { closed_by_petition: local(jiaxingId) },
    ]);

    const again = await register({ category: '跨区域劳资纠纷', petitionerIds: ['330400:5'], summary: '又来信反映吴江欠薪' });
    // No matterId given: the rule finds the matter this region forwarded to Suzhou.
    expect((await read(again.id, JIAXING)).matter.id).toBe(origin.matter.id);
    const accept = await step('acceptPetition', again.id, '', JIAXING);
    expect(accept.errors?.[0].extensions).toMatchObject({ code: 'MATTER_CLOSED', matterId: origin.matter.id, closedAt: theirs.closedAt });
    expect((await read(again.id, JIAXING)).status).toBe('REGISTERED');
  }, 60_000);

  test('a forward onto a Suzhou matter closed by re-review is refused acceptance there (MATTER_CLOSED); declined, it ends NOT_ACCEPTED in Jiaxing', async () => {
    const matter = (await read(suzhouId, SUZHOU)).matter;
    const again = await register({ category: '跨区域劳资纠纷', petitionerIds: ['330400:5'], summary: '再次反映吴江欠薪' });
    const receivedId = await forward(again.id);
    const received = await read(receivedId, SUZHOU);
    expect(received.matter.id).toBe(matter.id);
    // The same person on the same matter in Suzhou: no second CROSS_REGION warning.
    expect(received.warnings).toEqual([]);

    const accept = await step('acceptPetition', receivedId, '', SUZHOU);
    expect(accept.errors?.[0].extensions).toMatchObject({ code: 'MATTER_CLOSED', matterId: matter.id });
    expect((await step('declinePetition', receivedId, ', reason: "同一事项已复核终结，不再受理"', SUZHOU)).errors).toBeUndefined();

    const ended = await eventually(again.id, JIAXING, (p) => p.status !== 'ASSIGNED');
    expect(ended).toMatchObject({ status: 'NOT_ACCEPTED', forwarding: { status: 'NOT_ACCEPTED', outcome: '同一事项已复核终结，不再受理' } });
    expect(ended.history.at(-1)).toMatchObject({
      action: 'decline',
      fromStatus: 'ASSIGNED',
      toStatus: 'NOT_ACCEPTED',
      officer: { id: '320500:1' },
      note: `${receivedId}（转送受理）不予受理：同一事项已复核终结，不再受理`,
    });
  }, 60_000);

  test('Suzhou counts the forward among its matter’s petitions: a Suzhou resident’s third in 30 days is a REPEAT there, no stranger there, and a forward to the city above the matter’s handler no 越级访', async () => {
    const person = ['320500:40'];
    const SUZHOU_REGISTRATION = { region: '320500', registeredIn: '320509', category: '工伤待遇', petitionerIds: person };
    expect(warningKinds(await register(SUZHOU_REGISTRATION, SUZHOU))).toEqual([]);
    expect(warningKinds(await register(SUZHOU_REGISTRATION, SUZHOU))).toEqual([]);
    // In Jiaxing the Suzhou resident is a stranger (Jiaxing's warning, for Suzhou to acknowledge).
    const jiaxing = await register({ category: '工伤待遇', petitionerIds: person });
    expect(warningKinds(jiaxing)).toEqual([['CROSS_REGION', '330421', '320500:40']]);
    const receivedId = await forward(jiaxing.id);
    expect(warningKinds(await read(receivedId, SUZHOU))).toEqual([['REPEAT', '320509', '320500:40']]);

    // Forwarded to the city, above 吴江区 which handles the matter: the forwarding office chose the level, no 越级访 (and REPEAT once per 30 days).
    const toCity = await forward((await register({ category: '工伤待遇', petitionerIds: person })).id, '320500');
    expect(await read(toCity, SUZHOU)).toMatchObject({ handlingJurisdiction: '320500', matter: { handlingJurisdiction: '320509' }, warnings: [] });
  }, 60_000);

  test('an officer cannot call the hub-internal delivery', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($input: ReceiveForwardedPetitionInput!) {
          receiveForwardedPetition(input: $input) {
            petitionId
          }
        }
      `,
      {
        input: {
          region: '320500',
          forwardedFrom: '330400:1',
          channel: 'VISIT',
          category: '伪造',
          summary: '伪造',
          content: '伪造',
          petitionerIds: ['320500:7'],
          headcount: 1,
          registeredAt: new Date().toISOString(),
          agency: 'HUMAN_RESOURCES',
          jurisdiction: '320509',
        },
      },
      SUZHOU,
    );
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await queryDatabase(db('320500'), "SELECT 1 FROM petitions.petitions WHERE summary = '伪造'")).toHaveLength(0);
  });
});
