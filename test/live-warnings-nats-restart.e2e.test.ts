import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { RunningHub } from '../launcher/hub';
import { startTestHub, temporaryDir, tokenFor } from './support/hub';
import { eventually, subscribeWs, Received } from './support/live-clients';
import { registerForSuzhouResident } from './support/cross-region-petition';

/**
 * NATS itself restarts while warnings are raised: the regions' outboxes keep what NATS could not
 * take, publish it once NATS is back, and a subscriber hears every event once, in order. The test
 * runs a NATS server of its own (Debian's nats-server, with JetStream and its store in the run's
 * folder), so that it can stop and start it without touching the machine's.
 */

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';
const available = spawnSync(NATS_SERVER, ['--version'], { timeout: 3000 }).status === 0;
if (!available) console.log(`${NATS_SERVER} is not installed: skipping the NATS restart test (apt-get install -y nats-server)`);
const natsTest = available ? test : test.skip;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

class NatsServer {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr!.on('data', (chunk) => {
        output += chunk;
        if (/Server is ready/.test(output)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = undefined;
  }
}

let nats: NatsServer;
let hub: RunningHub;
const open: Received[] = [];

beforeAll(async () => {
  if (!available) return;
  nats = new NatsServer(await freePort(), temporaryDir('yrd-hub-nats-store-'));
  await nats.start();
  process.env.NATS_URL = nats.url;
  process.env.HUB_NATS_PREFIX = 'natsrestart';
  hub = await startTestHub('natsrestart');
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((subscription) => subscription.stop()));
  await hub?.stop();
  await nats?.stop();
  delete process.env.NATS_URL;
  delete process.env.HUB_NATS_PREFIX;
});

const SUBSCRIPTION = `subscription {
  petitionWarningEvents(regions: ["330400"], filter: { kinds: [CROSS_REGION] }) { cursor kind warning { id } }
}`;

natsTest(
  'warnings raised while NATS is down reach the subscriber once NATS is back, each once and in order',
  async () => {
    const token = await tokenFor(hub.gateway.graphqlUrl, '320500:1');
    const subscriber = subscribeWs(hub.gateway.graphqlUrl, token, SUBSCRIPTION);
    open.push(subscriber);

    // The subscription is live once a first warning arrives (the gateway is following NATS).
    let first = '';
    let live = false;
    for (let attempt = 0; attempt < 20 && !live; attempt++) {
      first = await registerForSuzhouResident(hub.gateway.graphqlUrl);
      live = await eventually(() => subscriber.events.some((event) => event.warning.id === first), 2);
    }
    expect(live).toBe(true);
    const before = subscriber.events.length;

    await nats.stop();
    // Registering goes on: the petition and its event are committed in Jiaxing's database.
    const whileDown: string[] = [];
    for (let i = 0; i < 5; i++) whileDown.push(await registerForSuzhouResident(hub.gateway.graphqlUrl));
    await nats.start();
    const afterwards = await registerForSuzhouResident(hub.gateway.graphqlUrl);

    const expected = [...whileDown, afterwards];
    expect(await eventually(() => expected.every((id) => subscriber.events.some((event) => event.warning.id === id)), 60)).toBe(true);
    const heard = subscriber.events.slice(before).map((event) => event.warning.id);
    expect(heard).toEqual(expected);
    expect(subscriber.ended).toBeUndefined();
  },
  180_000,
);
