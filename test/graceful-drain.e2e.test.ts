import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startCli } from './support/cli';
import { DEMO_REGIONS, dropDatabases, testDatabaseUrl, writeRegionsFile } from './support/hub';

/**
 * `yrd-hub start` as an orchestrator runs it: SIGTERM while a request is held up in a region's
 * database (a test transaction locks the table it reads) lets that request finish, refuses new
 * connections meanwhile, and exits 0; the request's JSON log line on stdout has its fields and
 * nothing of the caller's token.
 */

const PREFIX = 't_drain';
const SHANGHAI = '310000';
const SLOW = 'query SlowWarning($id: ID!) { petitionWarning(id: $id) { id region } }';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the connection's fate: 'refused' or 'accepted'. */
function tryConnect(port: number): Promise<'refused' | 'accepted'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', () => resolve('refused'));
  });
}

function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

test('SIGTERM lets a request held in a region database finish, then exits 0; its log line names the caller, not the token', async () => {
  await dropDatabases(PREFIX);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-drain-'));
  // Long region timeouts: the held request must be answered, not given up on.
  const regionsFile = writeRegionsFile(DEMO_REGIONS, { defaults: { timeout_ms: 120_000 } });
  const small = DEMO_REGIONS.map(({ code }) => `${code}:persons=40,petitions=40,warnings=20,inspections=4`).join(';');
  const hub = startCli(['start', '--regions', regionsFile], {
    DATABASE_URL: testDatabaseUrl(),
    HUB_DB_PREFIX: PREFIX,
    HUB_DATA_DIR: dataDir,
    PORT: String(port),
    HUB_SCALE: small,
    HUB_BACKGROUND_INTERVAL_MS: '0',
    HUB_LOG_LEVEL: 'info',
    HUB_DRAIN_SECONDS: '120',
  });
  const lock = new Client({ connectionString: databaseUrl(`${PREFIX}_${SHANGHAI}`) });
  let locked = false;
  try {
    const [, url] = await hub.waitFor(/GraphQL: (http:\S+)/, 180_000);
    const [, token] = await hub.waitFor(/Authorization: Bearer (\S+)/);
    const ask = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: SLOW, variables: { id: `${SHANGHAI}:1` }, operationName: 'SlowWarning' }),
      });
    expect((await ask()).status).toBe(200); // plans and connections warm

    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE petitions.warnings IN ACCESS EXCLUSIVE MODE');
    locked = true;
    const held = ask();
    let waiting = 0;
    for (let i = 0; i < 600 && waiting === 0; i++) {
      if (i) await new Promise((resolve) => setTimeout(resolve, 50));
      const { rows } = await lock.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      waiting = rows[0].n;
    }
    expect(waiting).toBeGreaterThan(0); // the request is in flight, waiting on the lock

    hub.child.kill('SIGTERM');
    await hub.waitFor(/SIGTERM: draining/);
    expect(await tryConnect(port)).toBe('refused');
    expect(hub.child.exitCode).toBeNull(); // still waiting for the held request

    await lock.query('COMMIT');
    locked = false;
    const answer = await held;
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.errors).toBeUndefined();
    expect(await hub.terminate()).toBe(0);
    expect(hub.output()).toMatch(/drained: every request in flight was answered/);

    const lines = hub
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    const slow = lines.filter((line) => line.msg === 'request' && line.operation === 'SlowWarning');
    expect(slow).toHaveLength(2);
    for (const line of slow) {
      expect(line).toMatchObject({
        level: 30,
        caller: expect.stringMatching(/^330400:\d+$/) /* the start prints Jiaxing's token */,
        regions: [SHANGHAI],
        outcome: 'ok',
        requestId: expect.any(String),
      });
      expect(line.durationMs).toBeGreaterThan(0);
    }
    const logged = lines.map((line) => JSON.stringify(line)).join('\n');
    expect(logged).not.toContain(token);
    expect(logged).not.toMatch(/Bearer/i);
  } finally {
    if (locked) await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end().catch(() => undefined);
    if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
