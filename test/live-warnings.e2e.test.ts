import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { createPool } from '../subgraphs/shared/db';
import { pruneFeed } from '../subgraphs/petitions/warning-feed';
import { sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { contextTokenFor, graphql, queryDatabase, rosterOfficer, startTestHub, tokenFor } from './support/hub';
import { startGatewayOverHub } from './support/gateway-over-hub';
import { eventually, repeatUntil, subscribeSse, subscribeWs, Received } from './support/live-clients';
import { registerForSuzhouResident } from './support/cross-region-petition';
import { sample, scrape } from './support/metrics';

/**
 * Live warnings through a real gateway: graphql-ws and graphql-sse subscribers with real
 * signed tokens, events written by real mutations in the regions' PostgreSQL databases and
 * relayed from each region's feed (LISTEN/NOTIFY plus reading the table).
 */

let hub: RunningHub;
let url: string;
const open: Received[] = [];

const LIMIT_PER_CALLER = 4;

beforeAll(async () => {
  process.env.HUB_LIVE_SUBSCRIPTIONS_PER_CALLER = String(LIMIT_PER_CALLER);
  hub = await startTestHub('live');
  delete process.env.HUB_LIVE_SUBSCRIPTIONS_PER_CALLER;
  url = hub.gateway.graphqlUrl;
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((subscription) => subscription.stop()));
  await hub?.stop();
});

const SUBSCRIPTION = `subscription Warnings($regions: [String!], $after: String, $filter: PetitionWarningFilter) {
  petitionWarningEvents(regions: $regions, after: $after, filter: $filter) {
    cursor kind at region
    officer { id }
    warning { id kind level status subject { id name } petition { id summary } }
  }
}`;

const track = <T extends Received>(subscription: T): T => (open.push(subscription), subscription);

const as = (id: string) => ({ 'X-Officer': id, 'X-Purpose': 'petition-handling' });

async function raiseByHand(region: string, officer: string, raisedIn: string, subjectId: string, summary: string): Promise<string> {
  const result = await graphql(
    url,
    `
      mutation ($input: RaiseWarningInput!) {
        raisePetitionWarning(input: $input) {
          id
        }
      }
    `,
    { input: { region, raisedIn, level: 'YELLOW', kind: 'LEVEL_SKIPPING', subjectId, summary } },
    as(officer),
  );
  expect(result.errors).toBeUndefined();
  return result.data.raisePetitionWarning.id;
}

const positionsOf = (cursor: string): Record<string, string> => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).p;

test('a Suzhou officer receives the cross-region warning a Jiaxing officer raises for a Suzhou resident, then its acknowledgement', async () => {
  const suzhou = track(
    subscribeWs(url, await tokenFor(url, '320500:1'), SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] } }, { purpose: 'petition-handling' }),
  );
  // Subscribed once an event made afterwards is seen: raise until the first one arrives.
  let warningId = '';
  expect(
    await repeatUntil(
      async () => void (warningId = await registerForSuzhouResident(url, as('330400:1'))),
      () => suzhou.events.some((event) => event.warning.id === warningId),
    ),
  ).toBe(true);
  const raised = suzhou.events.find((event) => event.warning.id === warningId);
  expect(raised).toMatchObject({ kind: 'RAISED', region: '330400', officer: null, warning: { kind: 'CROSS_REGION', subject: { id: '320500:7' } } });
  expect(typeof raised.warning.subject.name).toBe('string');
  expect(raised.warning.subject.name).not.toMatch(/\*/); // Suzhou's own resident, in full with a stated purpose

  const ack = await graphql(
    url,
    `
      mutation ($id: ID!) {
        acknowledgePetitionWarning(id: $id, note: "已签收") {
          status
        }
      }
    `,
    { id: warningId },
    as('320500:1'),
  );
  expect(ack.errors).toBeUndefined();
  expect(await eventually(() => suzhou.events.some((event) => event.warning.id === warningId && event.kind === 'ACKNOWLEDGED'))).toBe(true);
  const acknowledged = suzhou.events.find((event) => event.warning.id === warningId && event.kind === 'ACKNOWLEDGED');
  expect(acknowledged).toMatchObject({ officer: { id: '320500:1' }, warning: { status: 'ACKNOWLEDGED' } });
  expect(suzhou.events.filter((event) => event.warning.id === warningId).map((event) => event.kind)).toEqual(['RAISED', 'ACKNOWLEDGED']);
  expect(suzhou.errors).toEqual([]);
});

test("subscriptions of one caller share each event's answer, and an event the filter leaves out reads nothing: one read in the audit log per officer and delivered event", async () => {
  // Only this test's subscriptions are open (the earlier tests' would read too, and count against the limit).
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
  const token = await tokenFor(url, '320500:1');
  const tabs = [0, 1, 2].map(() => track(subscribeWs(url, token, SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] } }, { purpose: 'petition-handling' })));
  const colleague = track(
    subscribeWs(url, await tokenFor(url, '320500:2'), SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] } }, { purpose: 'petition-handling' }),
  );
  const everyone = [...tabs, colleague];
  let warningId = '';
  const seenByAll = () => everyone.every((subscription) => subscription.events.some((event) => event.warning.id === warningId));
  // Subscribed once an event made afterwards reaches all four.
  expect(await repeatUntil(async () => void (warningId = await registerForSuzhouResident(url, as('330400:1'))), seenByAll)).toBe(true);

  const readsBefore = await suzhouReadsOfSubject();
  warningId = await registerForSuzhouResident(url, as('330400:1'));
  expect(await eventually(seenByAll)).toBe(true);
  for (const subscription of tabs) {
    const event = subscription.events.find((e) => e.warning.id === warningId);
    expect(event.warning.subject).toMatchObject({ id: '320500:7', name: expect.not.stringMatching(/\*/) });
  }
  // The colleague (another agency of Suzhou) got its own answer, under its own rights.
  expect(colleague.events.find((e) => e.warning.id === warningId).warning.subject.name).toMatch(/\*/);
  const readsAfter = await suzhouReadsOfSubject();
  // The petition officer read the name in full once for this event, whatever number of tabs it has
  // open; the REPEAT warning the same registration raised for the same person, which the filter
  // leaves out, read nothing.
  expect(readsAfter.get('320500:1')! - (readsBefore.get('320500:1') ?? 0)).toBe(1);
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
});

test("officers of equal rights share one execution of each event, and the audit log has each one's own read", async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
  // A second officer of exactly 320500:1's rights: the same jurisdiction, agency and roles.
  const petitionOfficer = hub.identity.demoOfficerById('320500:1');
  const twin = await rosterOfficer(hub, {
    region: '320500',
    jurisdiction: petitionOfficer.jurisdiction,
    agency: petitionOfficer.agency!,
    roles: petitionOfficer.roles,
  });
  const subscribers = [await tokenFor(url, '320500:1'), twin.token].map((token) =>
    track(subscribeWs(url, token, SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] } }, { purpose: 'petition-handling' })),
  );
  let warningId = '';
  const seenByBoth = () => subscribers.every((subscription) => subscription.events.some((event) => event.warning.id === warningId));
  expect(await repeatUntil(async () => void (warningId = await registerForSuzhouResident(url, as('330400:1'))), seenByBoth)).toBe(true);
  // One event at a time is counted, so wait until nothing else is under way.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  const readsBefore = await suzhouReadsOfSubject();
  const before = await scrape(hub.gateway.url);
  warningId = await registerForSuzhouResident(url, as('330400:1'));
  expect(await eventually(seenByBoth)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await scrape(hub.gateway.url);
  for (const subscription of subscribers) {
    expect(subscription.events.find((e) => e.warning.id === warningId).warning.subject).toMatchObject({ name: expect.not.stringMatching(/\*/) });
  }
  const selections = (text: string) => sample(text, 'yrd_requests_total', { service: 'gateway', operation: 'PetitionWarningEvent', outcome: 'ok' });
  // The registration raised two warnings for the person (CROSS_REGION, received; REPEAT or none, left out by the filter, so never selected).
  expect(selections(after) - selections(before)).toBe(1);
  const readsAfter = await suzhouReadsOfSubject();
  for (const officer of ['320500:1', twin.id]) expect((readsAfter.get(officer) ?? 0) - (readsBefore.get(officer) ?? 0)).toBe(1);
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
});

/** Full reads of the Suzhou resident 320500:7 in Suzhou's audit log, by officer. */
async function suzhouReadsOfSubject(): Promise<Map<string, number>> {
  const rows = await queryDatabase(
    hub.databaseUrls.get('320500')!,
    "SELECT officer, count(*)::int AS n FROM audit.entries WHERE record = 'Person:320500:7' AND action = 'READ' GROUP BY officer",
  );
  return new Map(rows.map((row: { officer: string; n: number }) => [row.officer, row.n]));
}

test('a Hefei subscriber over SSE sees a warning only as its agreements allow, and nothing of a region whose agreement is revoked', async () => {
  const hefeiToken = await tokenFor(url, '340100:1');
  const hefei = track(subscribeSse(url, hefeiToken, SUBSCRIPTION, { regions: ['330400', '320500'] }, { 'x-purpose': 'petition-handling' }));
  expect(await hefei.status).toBe(200);
  let warningId = '';
  expect(
    await repeatUntil(
      async () => void (warningId = await registerForSuzhouResident(url, as('330400:1'))),
      () => hefei.events.some((event) => event.warning.id === warningId),
    ),
  ).toBe(true);
  const event = hefei.events.find((e) => e.warning.id === warningId);
  // PETITION_WARNINGS and PERSON_BASIC only: the name masked even with a purpose, the petition's details FORBIDDEN.
  expect(event.warning.subject.name).toMatch(/\*/);
  expect(event.warning.petition.summary).toBeNull();
  expect(hefei.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: ['petitionWarningEvents', 'warning', 'petition', 'summary'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]),
  );
  // Each event carries its cursor as its SSE id, for Last-Event-ID.
  expect(hefei.ids[hefei.events.indexOf(event)]).toBe(event.cursor);

  // Revoke the Hefei–Suzhou agreement: Suzhou's warnings are no longer Hefei's to see.
  const admin = as(hub.identity.demoOfficer('demo-340100-agreements').id);
  const list = await graphql(
    url,
    `
      {
        sharingAgreements(first: 50, jurisdiction: "340100", activeOnly: true) {
          edges {
            node {
              id
              providerCode
              recipientCode
              categories
            }
          }
        }
      }
    `,
    {},
    admin,
  );
  const agreement = list.data.sharingAgreements.edges
    .map((edge: any) => edge.node)
    .find((node: any) => [node.providerCode, node.recipientCode].sort().join() === '320500,340100' && node.categories.includes('PETITION_WARNINGS'));
  const revoked = await graphql(
    url,
    `
      mutation ($id: ID!) {
        revokeSharingAgreement(id: $id, reason: "测试") {
          active
        }
      }
    `,
    { id: agreement.id },
    admin,
  );
  expect(revoked.errors).toBeUndefined();
  const grants = async () =>
    (
      await graphql(
        url,
        `
          {
            caller {
              grants {
                category
                owner
              }
            }
          }
        `,
        {},
        as('340100:1'),
      )
    ).data.caller.grants.map((g: any) => `${g.category}:${g.owner}`);
  expect(await eventually(async () => !(await grants()).includes('PETITION_WARNINGS:320500'))).toBe(true);

  const suzhouWarning = await raiseByHand('320500', '320500:1', '320500', '320500:8', '越级访（测试）');
  const [, suzhouSeq] = await feedPosition('320500', suzhouWarning);
  // Jiaxing events Hefei may see, until one arrives whose cursor shows Suzhou's event already
  // passed: then it was judged, and it was not delivered.
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '标记（测试）'),
      () => Number(positionsOf(hefei.events[hefei.events.length - 1].cursor)['320500']) >= suzhouSeq,
    ),
  ).toBe(true);
  expect(hefei.events.some((e) => e.warning.id === suzhouWarning)).toBe(false);
  expect(hefei.events.every((e) => e.region === '330400')).toBe(true);
});

test('without a filter or an officer selected, an event takes one operation, no probe; a warning it may not see is still neither delivered nor read', async () => {
  // Only this subscription: the others would ask their own probes. (The previous test revoked Hefei's Suzhou warnings agreement.)
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
  const hefei = track(
    subscribeWs(
      url,
      await tokenFor(url, '340100:1'),
      'subscription ($regions: [String!]) { petitionWarningEvents(regions: $regions) { cursor region warning { id subject { id name } } } }',
      { regions: ['330400', '320500'] },
      { purpose: 'petition-handling' },
    ),
  );
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '标记（测试）').then(() => undefined),
      () => hefei.events.length > 0,
    ),
  ).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await scrape(hub.gateway.url);
  const readsBefore = await readsOf('320500', 'Person:320500:8', '340100:1');

  const suzhouWarning = await raiseByHand('320500', '320500:1', '320500', '320500:8', '越级访（无筛选）');
  const [, suzhouSeq] = await feedPosition('320500', suzhouWarning);
  const marker = await raiseByHand('330400', '330400:1', '330421', '330400:5', '标记（无筛选）');
  expect(
    await eventually(
      () =>
        hefei.events.some((event) => event.warning.id === marker) && Number(positionsOf(hefei.events[hefei.events.length - 1].cursor)['320500']) >= suzhouSeq,
    ),
  ).toBe(true);
  const after = await scrape(hub.gateway.url);
  const delta = (stage: string) => sample(after, 'yrd_live_executed_events_total', { stage }) - sample(before, 'yrd_live_executed_events_total', { stage });
  expect(hefei.events.some((event) => event.warning.id === suzhouWarning)).toBe(false);
  expect(hefei.events.find((event) => event.warning.id === marker).warning.subject).toMatchObject({ id: '330400:5' });
  expect(delta('probe')).toBe(0);
  expect(delta('selection')).toBeGreaterThanOrEqual(2);
  expect(await readsOf('320500', 'Person:320500:8', '340100:1')).toBe(readsBefore);
  await Promise.all(open.splice(0).map((subscription) => subscription.stop()));
});

test('a subscriber that reconnects with its last cursor receives exactly the 20 events it missed, once each', async () => {
  const token = await tokenFor(url, '330400:1');
  const first = track(subscribeWs(url, token, SUBSCRIPTION, { regions: ['330400'], filter: { kinds: ['LEVEL_SKIPPING'] } }));
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '断线前'),
      () => first.events.length > 0,
    ),
  ).toBe(true);
  await first.stop();
  const cursor = first.events[first.events.length - 1].cursor;

  const missed: string[] = [];
  for (let i = 0; i < 20; i++) missed.push(await raiseByHand('330400', '330400:1', '330421', '330400:5', `断线中 ${i}`));
  const marker = await raiseByHand('330400', '330400:1', '330421', '330400:5', '重连后');

  const again = track(subscribeWs(url, token, SUBSCRIPTION, { regions: ['330400'], filter: { kinds: ['LEVEL_SKIPPING'] }, after: cursor }));
  expect(await eventually(() => again.events.some((event) => event.warning.id === marker))).toBe(true);
  const received = again.events.map((event) => event.warning.id);
  // The 20 missed (any earlier warnings of the first session are behind the cursor), then the marker.
  expect(received.slice(0, received.indexOf(marker) + 1)).toEqual([...missed, marker]);
  expect(again.errors).toEqual([]);

  // Over SSE the cursor goes back as Last-Event-ID, as an EventSource sends the last event's id.
  const resumed = track(subscribeSse(url, token, SUBSCRIPTION, { regions: ['330400'], filter: { kinds: ['LEVEL_SKIPPING'] } }, { 'last-event-id': cursor }));
  expect(await eventually(() => resumed.events.some((event) => event.warning.id === marker))).toBe(true);
  const overSse = resumed.events.map((event) => event.warning.id);
  expect(overSse.slice(0, overSse.indexOf(marker) + 1)).toEqual([...missed, marker]);
});

test('a subscriber catching up resolves the missed events together, each as it would alone: its own values, one audited read each, a selection near the alias limit', async () => {
  const token = await tokenFor(url, '330400:1');
  // 24 aliases of the subscriber's own: each event's query has 26 of the 30 allowed; events asked together must still be let in.
  const aliases = Array.from({ length: 24 }, (_, i) => `a${i}: id`).join(' ');
  const query = `subscription ($after: String) {
    petitionWarningEvents(regions: ["330400"], filter: { kinds: [LEVEL_SKIPPING] }, after: $after) { cursor warning { id ${aliases} subject { id name } } }
  }`;
  const first = track(subscribeWs(url, token, query, {}, { purpose: 'petition-handling' }));
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '断线前').then(() => undefined),
      () => first.events.length > 0,
    ),
  ).toBe(true);
  await first.stop();
  const cursor = first.events[first.events.length - 1].cursor;
  const missed: string[] = [];
  for (let i = 0; i < 12; i++) missed.push(await raiseByHand('330400', '330400:1', '330421', '330400:5', `补发 ${i}`));
  const readsBefore = await readsOf('330400', 'Person:330400:5', '330400:1');
  const before = await scrape(hub.gateway.url);

  const again = track(subscribeWs(url, token, query, { after: cursor }, { purpose: 'petition-handling' }));
  expect(await eventually(() => missed.every((id) => again.events.some((event) => event.warning.id === id)))).toBe(true);
  expect(again.errors).toEqual([]);
  expect(again.events.slice(0, missed.length).map((event) => event.warning.id)).toEqual(missed);
  for (const event of again.events.slice(0, missed.length)) {
    for (let i = 0; i < 24; i++) expect(event.warning[`a${i}`]).toBe(event.warning.id);
    expect(event.warning.subject).toMatchObject({ id: '330400:5', name: expect.not.stringMatching(/\*/) });
  }
  const after = await scrape(hub.gateway.url);
  const delta = (name: string, labels: Record<string, string> = { stage: 'selection' }) => sample(after, name, labels) - sample(before, name, labels);
  // Resolved together: fewer operations than events (at most 16 a batch, and the first few may go alone).
  expect(delta('yrd_live_executed_events_total')).toBeGreaterThanOrEqual(missed.length);
  expect(delta('yrd_live_executions_total')).toBeLessThan(missed.length / 2);
  // One read each, and one more for any resolved ahead that went stale before its turn (on a slow machine).
  const readAgain = delta('yrd_live_resolved_again_total', {});
  expect((await readsOf('330400', 'Person:330400:5', '330400:1')) - readsBefore).toBe(missed.length + readAgain);
});

/** Full reads of a person by an officer in the region's audit log. */
async function readsOf(region: string, record: string, officer: string): Promise<number> {
  const [row] = await queryDatabase(
    hub.databaseUrls.get(region)!,
    "SELECT count(*)::int AS n FROM audit.entries WHERE record = $1 AND officer = $2 AND action = 'READ'",
    [record, officer],
  );
  return row.n;
}

test('a second gateway instance serves subscribers the changes made through the first, and a restarted one loses nothing', async () => {
  const startSecond = async () => {
    return startGatewayOverHub(hub);
  };
  const token = await tokenFor(url, '320500:1');
  let second = await startSecond();
  try {
    const onSecond = track(subscribeWs(second.graphqlUrl, token, SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] } }));
    let warningId = '';
    // The change goes through the first gateway (`url`), the subscriber listens on the second.
    expect(
      await repeatUntil(
        async () => void (warningId = await registerForSuzhouResident(url, as('330400:1'))),
        () => onSecond.events.some((event) => event.warning.id === warningId),
      ),
    ).toBe(true);
    const cursor = onSecond.events[onSecond.events.length - 1].cursor;
    await onSecond.stop();
    await second.stop();

    const whileDown: string[] = [];
    for (let i = 0; i < 3; i++) whileDown.push(await registerForSuzhouResident(url, as('330400:1')));
    second = await startSecond();
    const resumed = track(subscribeWs(second.graphqlUrl, token, SUBSCRIPTION, { filter: { kinds: ['CROSS_REGION'] }, after: cursor }));
    expect(await eventually(() => whileDown.every((id) => resumed.events.some((event) => event.warning.id === id)))).toBe(true);
    expect(
      resumed.events
        .filter((event) => event.kind === 'RAISED')
        .map((event) => event.warning.id)
        .slice(0, 3),
    ).toEqual(whileDown);
  } finally {
    await second.stop();
  }
});

test('subscriptions are refused as queries are: no token, an unknown region, a selection past the operation limits, a foreign cursor', async () => {
  const anonymous = track(subscribeWs(url, undefined, SUBSCRIPTION));
  expect(await eventually(() => anonymous.ended !== undefined)).toBe(true);
  expect(anonymous.ended).toMatchObject({ code: 4401 });
  expect(anonymous.ended!.reason).toMatch(/UNAUTHENTICATED/);

  const sse = track(subscribeSse(url, undefined, SUBSCRIPTION));
  expect(await sse.status).toBe(401);
  expect(sse.errors[0].extensions.code).toBe('UNAUTHENTICATED');

  const token = await tokenFor(url, '330400:1');
  const unknown = track(subscribeWs(url, token, SUBSCRIPTION, { regions: ['999999'] }));
  expect(await eventually(() => unknown.errors.length > 0)).toBe(true);
  expect(unknown.errors[0].extensions).toMatchObject({ code: 'UNKNOWN_REGION', field: 'regions[0]' });

  // What the gateway refuses of a query it refuses of each event's: the subscription's error, not a silence.
  const deep = 'petition { warnings { '.repeat(6) + 'id' + ' } }'.repeat(6);
  const tooDeep = track(subscribeWs(url, token, `subscription { petitionWarningEvents { cursor warning { ${deep} } } }`));
  expect(await eventually(() => tooDeep.errors.length > 0)).toBe(true);
  expect(tooDeep.errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');

  // The per-event query's own variables cannot be the subscriber's too.
  const reserved = track(subscribeWs(url, token, 'subscription ($yrdLiveAfter: String) { petitionWarningEvents(after: $yrdLiveAfter) { cursor } }'));
  expect(await eventually(() => reserved.errors.length > 0)).toBe(true);
  expect(reserved.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'yrdLiveAfter' });

  const foreign = track(subscribeWs(url, token, SUBSCRIPTION, { after: 'bm90LWEtY3Vyc29y' }));
  expect(await eventually(() => foreign.errors.length > 0)).toBe(true);
  expect(foreign.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});

test('a token that expires closes the subscription with 4401 and says why', async () => {
  const officer = hub.identity.demoOfficerById('330400:1');
  const shortLived = await hub.identity.demoToken({ ...officer, id: '330400:1' }, 2);
  const subscription = track(subscribeWs(url, shortLived, SUBSCRIPTION));
  expect(await eventually(() => subscription.ended !== undefined, 20)).toBe(true);
  expect(subscription.ended).toMatchObject({ code: 4401 });
  expect(subscription.ended!.reason).toMatch(/expired/);
});

test('an officer who leaves the roster loses the subscription at the next event (4401)', async () => {
  const officer = await rosterOfficer(hub, { region: '320500', jurisdiction: '320500', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
  const subscription = track(subscribeWs(url, officer.token, SUBSCRIPTION, { regions: ['330400'] }));
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '在职'),
      () => subscription.events.length > 0,
    ),
  ).toBe(true);
  await queryDatabase(hub.databaseUrls.get('320500')!, 'UPDATE personnel.officers SET active = false WHERE id = $1', [officer.id.split(':')[1]]);
  // Within the roster cache's 2 seconds an event may still reach him; then it closes.
  expect(
    await repeatUntil(
      () => raiseByHand('330400', '330400:1', '330421', '330400:5', '离职'),
      () => subscription.ended !== undefined,
    ),
  ).toBe(true);
  expect(subscription.ended).toMatchObject({ code: 4401 });
  expect(subscription.ended!.reason).toMatch(/not an active officer/);
});

test('a caller holds at most HUB_LIVE_SUBSCRIPTIONS_PER_CALLER subscriptions; one ended frees its place', async () => {
  const token = await tokenFor(url, '310000:1');
  const held = Array.from({ length: LIMIT_PER_CALLER }, () => track(subscribeWs(url, token, SUBSCRIPTION)));
  // The places are taken once each subscription answered (the cursor of an event proves it).
  expect(
    await repeatUntil(
      () => raiseByHand('310000', '310000:1', '310118', '310000:5', '占位'),
      () => held.every((s) => s.events.length > 0),
    ),
  ).toBe(true);
  const refused = track(subscribeWs(url, token, SUBSCRIPTION));
  expect(await eventually(() => refused.errors.length > 0)).toBe(true);
  expect(refused.errors[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
  expect(refused.errors[0].message).toMatch(new RegExp(`${LIMIT_PER_CALLER} subscriptions`));
  await held[0].stop();
  // The place is freed once the gateway has seen the socket close: try until it has.
  let admitted = false;
  for (let attempt = 0; attempt < 20 && !admitted; attempt++) {
    const next = track(subscribeWs(url, token, SUBSCRIPTION));
    await raiseByHand('310000', '310000:1', '310118', '310000:5', '腾位');
    expect(await eventually(() => next.events.length > 0 || next.errors.length > 0)).toBe(true);
    admitted = next.events.length > 0;
    if (!admitted) {
      expect(next.errors[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
      await next.stop();
    }
  }
  expect(admitted).toBe(true);
});

test('a subscription sent as a query over HTTP is refused with a pointer to WebSocket and SSE', async () => {
  const result = await graphql(url, 'subscription { petitionWarningEvents { cursor } }', {}, as('330400:1'));
  expect(result.status).toBe(400);
  expect(result.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  expect(result.errors?.[0].message).toMatch(/WebSocket.*Server-Sent Events/);
});

test('the region serves its feed to the gateway only', async () => {
  const feedUrl = `${hub.regionServers.get('330400')!.url}/petitions/warning-feed?after=0&follow=0`;
  const anonymous = await fetch(feedUrl);
  expect(anonymous.status).toBe(401);
  const officer = await fetch(feedUrl, { headers: { authorization: `Bearer ${await contextTokenFor(hub, 'petitions', '330400:1')}` } });
  expect(officer.status).toBe(403);
  expect((await officer.json()).errors[0].extensions.code).toBe('FORBIDDEN');
});

test('events past the retention are removed in bounded passes, and a cursor from before them is refused with CURSOR_EXPIRED', async () => {
  const db = hub.databaseUrls.get('320500')!;
  await queryDatabase(db, `UPDATE petitions.warning_feed SET recorded_at = now() - interval '8 days' WHERE seq <= 10`);
  const pool = createPool(db, 1);
  try {
    expect(await pruneFeed(pool, 7)).toBe(10);
    expect(await pruneFeed(pool, 7)).toBe(0);
  } finally {
    await pool.end();
  }
  const [{ through }] = await queryDatabase(db, 'SELECT through FROM petitions.warning_feed_pruned');
  expect(Number(through)).toBe(10);
  const old = Buffer.from(JSON.stringify({ v: 1, p: { '320500': '5' } })).toString('base64url');
  const expired = track(subscribeWs(url, await tokenFor(url, '320500:1'), SUBSCRIPTION, { regions: ['320500'], after: old }));
  expect(await eventually(() => expired.errors.length > 0)).toBe(true);
  expect(expired.errors[0].extensions).toMatchObject({ code: 'CURSOR_EXPIRED', field: 'after' });
});

test('every change of a warning records its event with it, the deadline sweep too, and nothing else does', async () => {
  const db = hub.databaseUrls.get('340100')!;
  const [petition] = await queryDatabase(
    db,
    `UPDATE petitions.petitions SET due_at = now() - interval '1 day'
      WHERE id = (SELECT id FROM petitions.petitions WHERE officers_owe AND due_at IS NOT NULL ORDER BY id LIMIT 1) RETURNING id`,
  );
  const pool = createPool(db, 1);
  try {
    expect(await sweepDeadlines(pool)).toBeGreaterThan(0);
  } finally {
    await pool.end();
  }
  const raised = await queryDatabase(
    db,
    `SELECT f.kind FROM petitions.warnings w JOIN petitions.warning_feed f ON f.warning_id = w.id WHERE w.kind = 'DEADLINE' AND w.petition_id = $1`,
    [petition.id],
  );
  expect(raised.map((row) => row.kind)).toContain('RAISED');
  // One event per timeline entry (seeded ones included), numbered without a hole.
  const [counts] = await queryDatabase(
    db,
    `SELECT (SELECT count(*) FROM petitions.warning_events) AS timeline, count(*) AS feed, max(seq) - min(seq) + 1 AS span FROM petitions.warning_feed`,
  );
  expect(Number(counts.feed)).toBe(Number(counts.timeline));
  expect(Number(counts.span)).toBe(Number(counts.feed));
});

/** The feed position of a warning's RAISED event, read from the region's database. */
async function feedPosition(region: string, warningId: string): Promise<[string, number]> {
  const rows = await queryDatabase<{ seq: string }>(
    hub.databaseUrls.get(region)!,
    `SELECT seq FROM petitions.warning_feed WHERE warning_id = $1 AND kind = 'RAISED'`,
    [warningId.split(':')[1]],
  );
  return [region, Number(rows[0].seq)];
}
