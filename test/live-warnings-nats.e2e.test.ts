import { spawnSync } from 'node:child_process';
import { connect } from 'nats';
import type { RunningGateway } from '../gateway/server';
import type { RunningHub } from '../launcher/hub';
import { warningEventsStream, warningEventsSubject } from '../platform/nats-subjects';
import { graphql, startTestHub, tokenFor } from './support/hub';
import { startGatewayOverHub } from './support/gateway-over-hub';
import { eventually, subscribeWs, Received } from './support/live-clients';
import { registerForSuzhouResident } from './support/cross-region-petition';

/**
 * Live warnings relayed through NATS JetStream (NATS_URL), with two gateway instances: a change
 * made through one reaches a subscriber of the other, and a gateway restart loses nothing.
 * Runs against the NATS server of CI and the developers' machines (127.0.0.1:4222, or
 * TEST_NATS_URL), in a stream of its own.
 */

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const { hostname, port } = new URL(NATS_URL);
const probe = spawnSync(
  process.execPath,
  [
    '-e',
    `require('net').connect(${Number(port) || 4222}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
  ],
  { timeout: 3000 },
);
const reachable = probe.status === 0;
if (!reachable) console.log(`NATS is unreachable at ${NATS_URL}: skipping the NATS live-warning tests`);
const natsTest = reachable ? test : test.skip;

const PREFIX = `yrdtest_${process.pid}_${Date.now().toString(36)}`;
let hub: RunningHub;
const gateways: RunningGateway[] = [];
const open: Received[] = [];

async function startSecondGateway(): Promise<RunningGateway> {
  const gateway = await startGatewayOverHub(hub);
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  if (!reachable) return;
  // Read by the regions' hosts and the gateways as they start.
  process.env.NATS_URL = NATS_URL;
  process.env.HUB_NATS_PREFIX = PREFIX;
  hub = await startTestHub('livenats');
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((subscription) => subscription.stop()));
  await Promise.all(gateways.map((gateway) => gateway.stop().catch(() => undefined)));
  await hub?.stop();
  delete process.env.NATS_URL;
  delete process.env.HUB_NATS_PREFIX;
  if (reachable) {
    const nats = await connect({ servers: NATS_URL });
    await (await nats.jetstreamManager()).streams.delete(warningEventsStream(PREFIX)).catch(() => undefined);
    await nats.close();
  }
});

const SUBSCRIPTION = `subscription($after: String) {
  petitionWarningEvents(after: $after, filter: { kinds: [CROSS_REGION] }) { cursor kind region officer { id } warning { id status subject { id } } }
}`;

natsTest(
  'a subscriber on gateway B receives the warning raised and acknowledged through gateway A, relayed by JetStream; a restarted B loses nothing',
  async () => {
    const a = hub.gateway.graphqlUrl;
    let b = await startSecondGateway();
    const token = await tokenFor(a, '320500:1');
    const onB = subscribeWs(b.graphqlUrl, token, SUBSCRIPTION);
    open.push(onB);

    let warningId = '';
    let seen = false;
    for (let attempt = 0; attempt < 20 && !seen; attempt++) {
      warningId = await registerForSuzhouResident(a);
      seen = await eventually(() => onB.events.some((event) => event.warning.id === warningId), 2);
    }
    expect(seen).toBe(true);
    const ack = await graphql(
      a,
      `
        mutation ($id: ID!) {
          acknowledgePetitionWarning(id: $id) {
            status
          }
        }
      `,
      { id: warningId },
      { 'X-Officer': '320500:1' },
    );
    expect(ack.errors).toBeUndefined();
    expect(await eventually(() => onB.events.some((event) => event.warning.id === warningId && event.kind === 'ACKNOWLEDGED'))).toBe(true);
    expect(onB.events.filter((event) => event.warning.id === warningId).map((event) => event.kind)).toEqual(['RAISED', 'ACKNOWLEDGED']);

    // The region published both to its JetStream subject; the last message there is the acknowledgement.
    const nats = await connect({ servers: NATS_URL });
    try {
      const last = await (
        await nats.jetstreamManager()
      ).streams.getMessage(warningEventsStream(PREFIX), { last_by_subj: warningEventsSubject(PREFIX, '330400') });
      const published = last.json<{ seq: number; warningId: string; kind: string }>();
      const cursor = onB.events[onB.events.length - 1].cursor;
      expect(published).toMatchObject({ warningId, kind: 'ACKNOWLEDGED' });
      expect(String(published.seq)).toBe(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).p['330400']);
    } finally {
      await nats.close();
    }

    // Gateway B restarts; what is raised meanwhile (through A) reaches the resumed subscriber once.
    const cursor = onB.events[onB.events.length - 1].cursor;
    await onB.stop();
    await b.stop();
    const whileDown: string[] = [];
    for (let i = 0; i < 3; i++) whileDown.push(await registerForSuzhouResident(a));
    b = await startSecondGateway();
    const resumed = subscribeWs(b.graphqlUrl, token, SUBSCRIPTION, { after: cursor });
    open.push(resumed);
    expect(await eventually(() => whileDown.every((id) => resumed.events.some((event) => event.warning.id === id)))).toBe(true);
    const after = await registerForSuzhouResident(a);
    expect(await eventually(() => resumed.events.some((event) => event.warning.id === after))).toBe(true);
    expect(resumed.events.map((event) => event.warning.id)).toEqual([...whileDown, after]);
  },
);
