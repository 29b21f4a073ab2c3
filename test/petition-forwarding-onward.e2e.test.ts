import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { graphql, queryDatabase, rosterOfficer, startTestHub } from './support/hub';
import { eventually as until, repeatUntil, subscribeWs, type Received } from './support/live-clients';
import { forwardingSteps, warningKinds } from './support/petition-forwarding';
import { petitionMutations } from './support/petition-mutations';

/**
 * Forwarding across cities (转送/交办) past its first step, through the gateway on real
 * PostgreSQL: the receiving city passes a forwarded petition down to one of its counties (交办),
 * whose own 15-day clock runs from then and whose officers work it, the registering region
 * seeing who handles it now; a new petition on a matter that was forwarded joins that matter by
 * rule where the matter was petitioned (or above), without an officer naming it; and a forward
 * declined there gives its matter back to where it was registered. Passed down, the record takes
 * its open warnings about the matter and its petitioners with it, and 吴江区's live subscribers hear
 * of them.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' };
const SUZHOU = { 'X-Officer': '320500:1', 'X-Purpose': 'petition-handling' };
let WUJIANG: Record<string, string>;
let wujiangToken: string;
const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;
const beijingMidnight = (days: number) => new Date((Math.floor((Date.now() + BEIJING) / DAY) + days) * DAY - BEIJING);
const db = (region: string) => hub.databaseUrls.get(region)!;
const local = (id: string) => id.split(':')[1];

const PETITION = `query($id: ID!) { petition(id: $id) {
  id status version registeredIn receivedAt passedDownAt handlingAgency handlingJurisdiction deadline { kind dueAt daysLeft }
  forwarding { region agency jurisdiction petitionId status }
  matter { id handlingAgency handlingJurisdiction closedAt }
  warnings { kind raisedIn subject { id } }
  history { action fromStatus toStatus officer { id } note }
} }`;
const { registered: registerInJiaxing, step: act } = petitionMutations(() => hub.gateway.graphqlUrl, {
  officer: JIAXING,
  petition: { region: '330400', channel: 'LETTER', summary: '苏州企业欠薪', content: '在苏州务工被拖欠工资', registeredIn: '330421' },
  registeredFields: 'id matter { id handlingJurisdiction } warnings { kind raisedIn subject { id } }',
  steppedFields: 'id status version',
});
const { read, eventually, forward } = forwardingSteps(() => hub.gateway.graphqlUrl, PETITION, act, JIAXING);
const passDown = (id: string, jurisdiction: string, headers = SUZHOU) =>
  act('assignPetition', id, `, agency: HUMAN_RESOURCES, jurisdiction: "${jurisdiction}", note: "属地办理"`, headers);

beforeAll(async () => {
  hub = await startTestHub('t_petition_onward', { backgroundIntervalMs: 250 });
  // 吴江区's petition bureau, on Suzhou's roster.
  const wujiang = await rosterOfficer(hub, { region: '320500', jurisdiction: '320509', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
  wujiangToken = wujiang.token;
  WUJIANG = { authorization: `Bearer ${wujiang.token}`, 'X-Purpose': 'petition-handling' };
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('a petition forwarded to Suzhou’s city agency, passed down to 吴江区 (交办)', () => {
  let jiaxingId: string;
  let suzhouId: string;

  test('goes to the county agency, kept there, on that agency’s own 15 days from the pass-down, and Jiaxing sees who handles it now', async () => {
    jiaxingId = (await registerInJiaxing({ category: '欠薪转办', petitionerIds: ['330400:11'] })).id;
    suzhouId = await forward(jiaxingId, '320500');
    // Received by the city ten days ago: its own acceptance limit has five days left.
    const receivedAt = new Date(Date.now() - 10 * DAY);
    await queryDatabase(db('320500'), 'UPDATE petitions.petitions SET received_at = $2, due_at = $3 WHERE id = $1', [
      local(suzhouId),
      receivedAt,
      beijingMidnight(6),
    ]);
    expect((await read(suzhouId, SUZHOU)).deadline).toMatchObject({ kind: 'ACCEPTANCE', daysLeft: 5 });
    // 吴江区's officers cannot work the city's record.
    expect((await act('acceptPetition', suzhouId, '', WUJIANG)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const passed = await passDown(suzhouId, '320509');
    expect(passed.errors).toBeUndefined();
    const record = await read(suzhouId, SUZHOU);
    expect(record).toMatchObject({
      status: 'ASSIGNED',
      registeredIn: '320509',
      receivedAt: receivedAt.toISOString(),
      passedDownAt: expect.any(String),
      handlingAgency: 'HUMAN_RESOURCES',
      handlingJurisdiction: '320509',
      // 信访工作条例: the competent agency decides within 15 days of receiving the matter passed down to it.
      deadline: { kind: 'ACCEPTANCE', dueAt: beijingMidnight(16).toISOString(), daysLeft: 15 },
      matter: { handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320509' },
    });
    expect(record.history.map((e: { action: string }) => e.action)).toEqual(['receive', 'assign']);
    expect(record.history[1]).toEqual({
      action: 'assign',
      fromStatus: 'ASSIGNED',
      toStatus: 'ASSIGNED',
      officer: { id: '320500:1' },
      note: '交办吴江区人力资源和社会保障局（320509）：属地办理',
    });

    const origin = await eventually(jiaxingId, JIAXING, (p) => p.forwarding.jurisdiction === '320509');
    expect(origin).toMatchObject({
      status: 'ASSIGNED',
      forwarding: { region: '320500', agency: 'HUMAN_RESOURCES', jurisdiction: '320509', petitionId: suzhouId, status: 'ASSIGNED' },
      matter: { handlingJurisdiction: '320509' },
    });
  }, 60_000);

  test('吴江区’s officers accept it, and Jiaxing sees it accepted', async () => {
    expect((await act('acceptPetition', suzhouId, '', WUJIANG)).data?.r.status).toBe('ACCEPTED');
    const origin = await eventually(jiaxingId, JIAXING, (p) => p.forwarding.status === 'ACCEPTED');
    expect(origin.forwarding).toMatchObject({ status: 'ACCEPTED', jurisdiction: '320509' });
    // Accepted, it is not passed down any more.
    expect((await passDown(suzhouId, '320509')).errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
  }, 60_000);

  test('not to another region, not upwards, not sideways: PASS_DOWN_REFUSED, nothing changed', async () => {
    const atCity = await forward((await registerInJiaxing({ category: '欠薪转办', petitionerIds: ['330400:12'] })).id, '320500');
    const toJiaxing = await passDown(atCity, '330421');
    expect(toJiaxing.errors?.[0].extensions).toMatchObject({ code: 'PASS_DOWN_REFUSED', handlingJurisdiction: '320500', jurisdiction: '330421' });
    expect(toJiaxing.errors?.[0].message).toMatch(/passed down within region 320500 only/);
    // The city's own other agency is no lower one.
    const sideways = await passDown(atCity, '320500');
    expect(sideways.errors?.[0].extensions?.code).toBe('PASS_DOWN_REFUSED');
    expect(sideways.errors?.[0].message).toMatch(/below 320500 \(one of its counties\), not to 320500/);

    const atCounty = await forward((await registerInJiaxing({ category: '欠薪转办', petitionerIds: ['330400:13'] })).id, '320509');
    const up = await passDown(atCounty, '320500');
    expect(up.errors?.[0].extensions).toMatchObject({ code: 'PASS_DOWN_REFUSED', handlingJurisdiction: '320509', jurisdiction: '320500' });
    // Nothing lies below a county's agency: the message says so, not "one of its counties".
    expect(up.errors?.[0].message).toMatch(/a county's agency has no lower agency here .* it accepts or declines the petition itself/);
    expect((await passDown(atCounty, '320506')).errors?.[0].extensions?.code).toBe('PASS_DOWN_REFUSED');

    for (const id of [atCity, atCounty]) {
      const record = await read(id, SUZHOU);
      expect(record.history.map((e: { action: string }) => e.action)).toEqual(['receive']);
      expect(record).toMatchObject({ version: 1, passedDownAt: null });
    }
    // A petition of Jiaxing's own, once assigned, is still assigned only once.
    const own = (await registerInJiaxing({ category: '本地事项', petitionerIds: ['330400:14'] })).id;
    expect((await act('assignPetition', own, ', agency: HUMAN_RESOURCES, jurisdiction: "330400"', JIAXING)).errors).toBeUndefined();
    expect((await act('assignPetition', own, ', agency: HUMAN_RESOURCES, jurisdiction: "330421"', JIAXING)).errors?.[0].extensions?.code).toBe(
      'INVALID_TRANSITION',
    );
  }, 60_000);

  test('twenty concurrent pass-downs: exactly one wins, the others are told it was passed down already', async () => {
    const id = await forward((await registerInJiaxing({ category: '欠薪转办', petitionerIds: ['330400:15'] })).id, '320500');
    const targets = Array.from({ length: 20 }, (_, n) => (n % 2 ? '320509' : '320506'));
    const results = await Promise.all(targets.map((jurisdiction) => passDown(id, jurisdiction)));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual(Array(19).fill('INVALID_TRANSITION'));
    const record = await read(id, SUZHOU);
    expect(record.history.map((e: { action: string }) => e.action)).toEqual(['receive', 'assign']);
    expect(record.version).toBe(won[0].data.r.version);
    expect(targets).toContain(record.handlingJurisdiction);
  }, 60_000);
});

describe('a matter of two petitions at Suzhou’s city agency, passed down (交办) one by one', () => {
  /** Two Jiaxing petitions of one matter, both forwarded to Suzhou's city agency: Suzhou's records, and Jiaxing's. */
  async function twoAtTheCity(person: string, category: string) {
    const first = await registerInJiaxing({ category, petitionerIds: [person] });
    const second = await registerInJiaxing({ category, petitionerIds: [person], summary: '再次来信' });
    expect(second.matter.id).toBe(first.matter.id);
    const there = [await forward(first.id, '320500'), await forward(second.id, '320500')];
    const [a, b] = [await read(there[0], SUZHOU), await read(there[1], SUZHOU)];
    expect(b.matter.id).toBe(a.matter.id);
    expect(a.matter).toMatchObject({ handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320500' });
    return { here: [first.id, second.id], there, matterHere: first.matter.id as string, matterThere: a.matter.id as string };
  }

  test('stays the city’s while the city still handles one of its petitions; the last one passed down takes it to 吴江区, there and in Jiaxing', async () => {
    const { here, there, matterHere, matterThere } = await twoAtTheCity('330400:21', '欠薪分批交办');
    expect((await passDown(there[0], '320509')).errors).toBeUndefined();
    // The city's agency still handles the other petition: the matter is still its own, in both regions.
    expect((await read(there[0], SUZHOU)).matter).toMatchObject({ id: matterThere, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320500' });
    const reported = await eventually(here[0], JIAXING, (p) => p.forwarding.jurisdiction === '320509');
    expect(reported.matter).toMatchObject({ id: matterHere, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320500' });

    expect((await passDown(there[1], '320509')).errors).toBeUndefined();
    expect((await read(there[1], SUZHOU)).matter).toMatchObject({ id: matterThere, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320509' });
    const last = await eventually(here[1], JIAXING, (p) => p.forwarding.jurisdiction === '320509' && p.matter.handlingJurisdiction === '320509');
    expect(last.matter).toMatchObject({ id: matterHere, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320509' });
  }, 60_000);

  test('both passed down at once: the matter goes with them, in both regions', async () => {
    const { here, there, matterHere, matterThere } = await twoAtTheCity('330400:22', '欠薪同时交办');
    const results = await Promise.all(there.map((id) => passDown(id, '320509')));
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect((await read(there[0], SUZHOU)).matter).toMatchObject({ id: matterThere, handlingJurisdiction: '320509' });
    const reported = await eventually(here[0], JIAXING, (p) => p.matter.handlingJurisdiction === '320509');
    expect(reported.matter).toMatchObject({ id: matterHere, handlingJurisdiction: '320509' });
  }, 60_000);
});

describe('the warnings of a petition passed down to 吴江区', () => {
  const WARNINGS = `query($id: ID!) { petition(id: $id) { warnings { id kind status raisedIn version } } }`;
  const WARNING = `query($id: ID!) { petitionWarning(id: $id) { id kind raisedIn timeline { action officer { id } region note } } }`;
  const warningsOf = async (id: string, headers: Record<string, string>) => {
    const result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { id }, headers);
    expect(result.errors).toBeUndefined();
    return result.data.petition.warnings as Array<{ id: string; kind: string; status: string; raisedIn: string; version: number }>;
  };
  const warningAct = (mutation: string, id: string, args: string, headers: Record<string, string>) =>
    graphql(hub.gateway.graphqlUrl, `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { id status level raisedIn } }`, { id }, headers);
  /** The ids in 吴江区's list of its county's open warnings. */
  const wujiangList = async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          petitionWarnings(first: 100, regions: ["320500"], filter: { raisedIn: "320509", statuses: [OPEN, ACKNOWLEDGED, ESCALATED] }) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      WUJIANG,
    );
    expect(result.errors).toBeUndefined();
    return result.data.petitionWarnings.edges.map((edge: { node: { id: string } }) => edge.node.id) as string[];
  };
  let live: Received | undefined;
  afterAll(async () => live?.stop());

  test('its open CROSS_REGION and GROUP_VISIT warnings go with it to 吴江区, whose officers list and work them and whose subscribers hear of them; the city’s DEADLINE warning stays', async () => {
    // 吴江区's monitor: the warnings of its county.
    const subscription = `subscription { petitionWarningEvents(regions: ["320500"], filter: { raisedIn: "320509" }) { kind region officer { id } warning { id kind raisedIn } } }`;
    const subscriber = (live = subscribeWs(hub.gateway.graphqlUrl, wujiangToken, subscription, {}, { purpose: 'petition-handling' }));
    // Subscribed once an event made afterwards is seen: 吴江区 raises one of its own until it arrives.
    let ownWarning = '';
    const raise = async () => {
      const raised = await graphql(
        hub.gateway.graphqlUrl,
        `
          mutation ($input: RaiseWarningInput!) {
            raisePetitionWarning(input: $input) {
              id
            }
          }
        `,
        { input: { region: '320500', raisedIn: '320509', level: 'BLUE', kind: 'REPEAT', subjectId: '320500:3', summary: '订阅就绪' } },
        WUJIANG,
      );
      expect(raised.errors).toBeUndefined();
      ownWarning = raised.data.raisePetitionWarning.id;
    };
    expect(await repeatUntil(raise, () => subscriber.events.some((event) => event.warning.id === ownWarning))).toBe(true);

    // Six people came to 嘉善 in person: a group visit, by a Jiaxing resident, a stranger in Suzhou.
    const jiaxing = await registerInJiaxing({ category: '群体欠薪', channel: 'VISIT', headcount: 6, petitionerIds: ['330400:16'] });
    const atCity = await forward(jiaxing.id, '320500');
    // Its acceptance due in two days at the city: the sweep warns the city of it.
    await queryDatabase(db('320500'), 'UPDATE petitions.petitions SET due_at = $2 WHERE id = $1', [local(atCity), beijingMidnight(2)]);
    const kindsAt = (warnings: Array<{ kind: string; raisedIn: string }>) => warnings.map((w) => [w.kind, w.raisedIn]).sort();
    let before = await warningsOf(atCity, SUZHOU);
    expect(await until(async () => (before = await warningsOf(atCity, SUZHOU)).some((w) => w.kind === 'DEADLINE'))).toBe(true);
    expect(kindsAt(before)).toEqual([
      ['CROSS_REGION', '320500'],
      ['DEADLINE', '320500'],
      ['GROUP_VISIT', '320500'],
    ]);
    const byKind = (kind: string) => before.find((w) => w.kind === kind)!;
    // The city's record: 吴江区 sees none of its warnings and works none of them.
    // The city's record: 吴江区 sees its warnings (one city) but they are not in its county's list, and it works none of them.
    expect(await wujiangList()).not.toContain(byKind('CROSS_REGION').id);
    expect((await warningAct('resolvePetitionWarning', byKind('CROSS_REGION').id, '', WUJIANG)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await warningAct('escalatePetitionWarning', byKind('GROUP_VISIT').id, ', level: RED', WUJIANG)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await passDown(atCity, '320509')).errors).toBeUndefined();
    const movedIds = [byKind('CROSS_REGION').id, byKind('GROUP_VISIT').id];
    const after = await warningsOf(atCity, SUZHOU);
    expect(kindsAt(after)).toEqual([
      ['CROSS_REGION', '320509'],
      ['DEADLINE', '320500'],
      ['GROUP_VISIT', '320509'],
    ]);
    // Moved is changed: a version read before it is stale.
    expect(after.find((w) => w.kind === 'CROSS_REGION')!.version).toBe(byKind('CROSS_REGION').version + 1);
    // 吴江区's own list has the record's warnings about the matter and its petitioners, not the city's lateness.
    const listed = await wujiangList();
    expect(movedIds.filter((id) => listed.includes(id))).toEqual(movedIds);
    expect(listed).not.toContain(byKind('DEADLINE').id);
    const moved = await graphql(hub.gateway.graphqlUrl, WARNING, { id: byKind('CROSS_REGION').id }, WUJIANG);
    expect(moved.errors).toBeUndefined();
    expect(moved.data.petitionWarning.timeline).toEqual([
      { action: 'RAISED', officer: null, region: null, note: 'raised by rule cross-region' },
      { action: 'RAISED', officer: { id: '320500:1' }, region: '320500', note: '随信访件交办吴江区（320509），由 320500 移交' },
    ]);

    // Its live subscribers hear of both as warnings raised in 吴江区 by the officer who passed them down; not of the DEADLINE one.
    const heard = () => subscriber.events.filter((event) => movedIds.includes(event.warning.id));
    expect(await until(() => heard().length === 2)).toBe(true);
    expect(heard().map((event) => [event.kind, event.region, event.officer, event.warning.raisedIn])).toEqual([
      ['RAISED', '320500', { id: '320500:1' }, '320509'],
      ['RAISED', '320500', { id: '320500:1' }, '320509'],
    ]);

    // 吴江区's officers work them now; the city's DEADLINE warning is still the city's.
    expect((await warningAct('escalatePetitionWarning', byKind('GROUP_VISIT').id, ', level: RED', WUJIANG)).data?.r).toMatchObject({
      status: 'ESCALATED',
      level: 'RED',
    });
    expect((await warningAct('resolvePetitionWarning', byKind('CROSS_REGION').id, ', note: "已核实"', WUJIANG)).data?.r).toMatchObject({
      status: 'RESOLVED',
      raisedIn: '320509',
    });
    expect((await warningAct('resolvePetitionWarning', byKind('DEADLINE').id, '', WUJIANG)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await warningAct('resolvePetitionWarning', byKind('DEADLINE').id, '', SUZHOU)).data?.r.status).toBe('RESOLVED');
    expect(await until(() => subscriber.events.some((e) => e.kind === 'RESOLVED' && e.warning.id === byKind('CROSS_REGION').id))).toBe(true);
    expect(subscriber.events.some((event) => event.warning.id === byKind('DEADLINE').id)).toBe(false);

    // The audit log has the pass-down's change of each warning it moved, under the officer who made
    // it: the rows of the request that changed the petition, each naming its record's type.
    const audited = await queryDatabase(
      db('320500'),
      `SELECT record, officer, fields FROM audit.entries
        WHERE action = 'CHANGE:assignPetition'
          AND request_id IN (SELECT request_id FROM audit.entries WHERE action = 'CHANGE:assignPetition' AND record = $1)
        ORDER BY seq`,
      [`Petition:${atCity}`],
    );
    expect(audited).toEqual([
      { record: `Petition:${atCity}`, officer: '320500:1', fields: ['assignPetition'] },
      ...movedIds.map((id) => ({ record: `PetitionWarning:${id}`, officer: '320500:1', fields: ['PetitionWarning.raisedIn'] })),
    ]);
  }, 90_000);

  test('a warning resolved before the pass-down stays where it was resolved', async () => {
    const jiaxing = await registerInJiaxing({ category: '群体欠薪', petitionerIds: ['330400:17'] });
    const atCity = await forward(jiaxing.id, '320500');
    const [crossRegion] = await warningsOf(atCity, SUZHOU);
    expect(crossRegion).toMatchObject({ kind: 'CROSS_REGION', raisedIn: '320500' });
    expect((await warningAct('resolvePetitionWarning', crossRegion.id, '', SUZHOU)).errors).toBeUndefined();
    expect((await passDown(atCity, '320509')).errors).toBeUndefined();
    expect(await warningsOf(atCity, SUZHOU)).toEqual([{ ...crossRegion, status: 'RESOLVED', version: crossRegion.version + 1 }]);
    expect(await wujiangList()).not.toContain(crossRegion.id);
  }, 60_000);

  test('passed down while the city resolves its warning: either resolved where it was, or moved and then resolved there, never both nor neither', async () => {
    for (const person of ['330400:18', '330400:19', '330400:20']) {
      const atCity = await forward((await registerInJiaxing({ category: '群体欠薪', petitionerIds: [person] })).id, '320500');
      const [warning] = await warningsOf(atCity, SUZHOU);
      const [passed, resolved] = await Promise.all([passDown(atCity, '320509'), warningAct('resolvePetitionWarning', warning.id, '', SUZHOU)]);
      expect([passed.errors, resolved.errors]).toEqual([undefined, undefined]);
      const now = (await graphql(hub.gateway.graphqlUrl, WARNING, { id: warning.id }, SUZHOU)).data.petitionWarning;
      const steps = now.timeline.map((entry: { action: string; note: string | null }) => (entry.note?.startsWith('随信访件交办') ? 'MOVED' : entry.action));
      const [status] = (await warningsOf(atCity, SUZHOU)).map((w) => w.status);
      expect(status).toBe('RESOLVED');
      if (now.raisedIn === '320509') expect(steps).toEqual(['RAISED', 'MOVED', 'RESOLVED']);
      else expect([now.raisedIn, steps]).toEqual(['320500', ['RAISED', 'RESOLVED']]);
    }
  }, 60_000);
});

describe('a new Jiaxing petition on a matter forwarded to Suzhou', () => {
  const person = ['310000:21'];
  let first: { id: string; matter: { id: string } };

  test('joins that matter by rule where it was registered or above: no second CROSS_REGION, and REPEAT counts it', async () => {
    first = await registerInJiaxing({ category: '跨省劳资', petitionerIds: person });
    // A Shanghai resident is a stranger in Jiaxing: warned once for the matter.
    expect(warningKinds(first as any)).toEqual([['CROSS_REGION', '330421', '310000:21']]);
    const received = await forward(first.id, '320509');
    expect((await read(first.id, JIAXING)).matter).toMatchObject({ id: first.matter.id, handlingJurisdiction: '320509' });

    const second = await registerInJiaxing({ category: '跨省劳资', petitionerIds: person, summary: '再次来信' });
    expect(second.matter).toEqual({ id: first.matter.id, handlingJurisdiction: '320509' });
    expect(warningKinds(second)).toEqual([]);
    // Brought to the city this time, which sees 嘉善's petitions: the third in 30 days is a repeat.
    const third = await registerInJiaxing({ category: '跨省劳资', petitionerIds: person, registeredIn: '330400' });
    expect(third.matter.id).toBe(first.matter.id);
    expect(warningKinds(third)).toEqual([['REPEAT', '330400', '310000:21']]);
    // Brought to 平湖, whose officers see nothing of 嘉善's: a matter of 平湖's own, nothing of 嘉善's
    // matter in it (neither its handler nor its count), and the stranger warned of to 平湖.
    const pinghu = await registerInJiaxing({ category: '跨省劳资', petitionerIds: person, registeredIn: '330482' });
    expect(pinghu.matter).toEqual({ id: expect.not.stringMatching(`^${first.matter.id}$`), handlingJurisdiction: '330482' });
    expect(warningKinds(pinghu)).toEqual([['CROSS_REGION', '330482', '310000:21']]);

    // Forwarded on to where the matter is handled, it joins Suzhou's matter there, warned of once.
    const again = await forward(second.id, '320509');
    const [theirs, ours] = [await read(received, SUZHOU), await read(again, SUZHOU)];
    expect(ours.matter.id).toBe(theirs.matter.id);
    expect(warningKinds(theirs)).toEqual([['CROSS_REGION', '320509', '310000:21']]);
    expect(warningKinds(ours)).toEqual([]);
  }, 60_000);

  test('closed by re-review there, the matter refuses the new petition’s acceptance here (MATTER_CLOSED), with no matterId given', async () => {
    // The re-review decided in Suzhou, as its report carries it to Jiaxing.
    const closedAt = new Date(Date.now() - DAY);
    await queryDatabase(db('330400'), 'UPDATE petitions.matters SET closed_at = $2, closed_by_petition = $3 WHERE id = $1', [
      local(first.matter.id),
      closedAt,
      local(first.id),
    ]);
    const late = await registerInJiaxing({ category: '跨省劳资', petitionerIds: person, summary: '复核后又来信' });
    expect(late.matter.id).toBe(first.matter.id);
    const accept = await act('acceptPetition', late.id, '', JIAXING);
    expect(accept.errors?.[0].extensions).toMatchObject({ code: 'MATTER_CLOSED', matterId: first.matter.id, closedAt: closedAt.toISOString() });
    expect((await read(late.id, JIAXING)).status).toBe('REGISTERED');
  }, 60_000);
});

describe('a forwarded petition declined there (不予受理)', () => {
  test('gives its matter back to where it was registered: no agency handles it, a new petition there is the office’s own to assign', async () => {
    const person = ['310000:22'];
    const first = await registerInJiaxing({ category: '拒收转办', petitionerIds: person });
    const received = await forward(first.id, '320509');
    expect((await read(first.id, JIAXING)).matter).toMatchObject({ handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '320509' });
    expect((await act('declinePetition', received, ', reason: "不属本机关职权范围"', WUJIANG)).errors).toBeUndefined();
    const ended = await eventually(first.id, JIAXING, (p) => p.status !== 'ASSIGNED');
    expect(ended.status).toBe('NOT_ACCEPTED');
    // 吴江区's agency declined it: it does not handle the matter, which is 嘉善's again, by no agency yet.
    expect(ended.matter).toEqual({ id: first.matter.id, handlingAgency: null, handlingJurisdiction: '330421', closedAt: null });

    // Written again to 嘉善: the same matter (its stranger warned of once), and its assignment names the handler.
    const again = await registerInJiaxing({ category: '拒收转办', petitionerIds: person, summary: '再次来信' });
    expect(again.matter).toEqual({ id: first.matter.id, handlingJurisdiction: '330421' });
    expect(warningKinds(again)).toEqual([]);
    expect((await act('assignPetition', again.id, ', agency: HUMAN_RESOURCES, jurisdiction: "330421"', JIAXING)).errors).toBeUndefined();
    expect((await read(again.id, JIAXING)).matter).toMatchObject({ id: first.matter.id, handlingAgency: 'HUMAN_RESOURCES', handlingJurisdiction: '330421' });
  }, 60_000);
});
