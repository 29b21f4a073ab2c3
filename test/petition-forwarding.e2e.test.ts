import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, startTestHub } from './support/hub';

/**
 * Forwarding across cities (转送/交办) through the gateway on real PostgreSQL: a Jiaxing
 * petition about a matter of 吴江区 goes to Suzhou, which keeps its own record, accepts it on its
 * own clock and reports each step back, delivered through the outbox: never lost, never twice.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' };
const SUZHOU = { 'X-Officer': '320500:1', 'X-Purpose': 'petition-handling' };
const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;
const beijingMidnight = (days: number) => new Date((Math.floor((Date.now() + BEIJING) / DAY) + days) * DAY - BEIJING);
const db = (region: string) => hub.databaseUrls.get(region)!;
const local = (id: string) => id.split(':')[1];

const PETITION = `query($id: ID!) { petition(id: $id) {
  id status version deadline { kind dueAt daysLeft } forwardedFrom receivedAt outcome handlingAgency handlingJurisdiction
  forwarding { region agency jurisdiction petitionId status outcome }
} }`;
const read = async (id: string, headers: Record<string, string>) => {
  const result = await graphql(hub.gateway.graphqlUrl, PETITION, { id }, headers);
  expect(result.errors).toBeUndefined();
  return result.data.petition;
};
const step = (mutation: string, id: string, args: string, headers: Record<string, string>) =>
  graphql(hub.gateway.graphqlUrl, `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { id status version } }`, { id }, headers);

/** Waits until `check` holds of the petition as `headers` read it (deliveries run after commit, and on the relay's next pass). */
async function eventually(id: string, headers: Record<string, string>, check: (petition: any) => boolean) {
  const deadline = Date.now() + 20_000;
  let petition = await read(id, headers);
  while (!check(petition) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    petition = await read(id, headers);
  }
  return petition;
}

beforeAll(async () => {
  hub = await startTestHub('t_petition_forwarding', { backgroundIntervalMs: 250 });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('a Jiaxing petition forwarded to Suzhou', () => {
  let jiaxingId: string;
  let suzhouId: string;

  test('is received in Suzhou as its own record, on Suzhou’s own 15-day clock from receipt', async () => {
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
    await queryDatabase(db('330400'), "UPDATE petitions.outbox SET sent_at = NULL, next_attempt_at = now() WHERE payload->>'petitionLocalId' = $1", [
      local(jiaxingId),
    ]);
    await queryDatabase(db('320500'), "UPDATE petitions.outbox SET sent_at = NULL, next_attempt_at = now() WHERE payload->'input'->>'petitionId' = $1", [
      jiaxingId,
    ]);
    const deadline = Date.now() + 20_000;
    const pending = async () =>
      (await queryDatabase(db('330400'), 'SELECT count(*)::int AS n FROM petitions.outbox WHERE sent_at IS NULL'))[0].n +
      (await queryDatabase(db('320500'), 'SELECT count(*)::int AS n FROM petitions.outbox WHERE sent_at IS NULL'))[0].n;
    while ((await pending()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pending()).toBe(0);
    expect(await queryDatabase(db('320500'), 'SELECT count(*)::int AS n FROM petitions.petitions WHERE forwarded_from = $1', [jiaxingId])).toEqual([{ n: 1 }]);
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
