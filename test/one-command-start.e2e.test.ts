import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli, startCli } from './support/cli';
import { graphql } from './support/hub';

/**
 * `yrd-hub start` exactly as a user runs it: no DATABASE_URL, so an embedded PostgreSQL in
 * the data folder, whose data must survive a restart.
 */

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const RAISE = `mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id region summary } }`;

test('data written before a restart is there after it, and Ctrl-C stops everything cleanly', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-start-'));
  const port = await freePort();
  const env = { HUB_DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '' };

  // Written before the restart, read after it.
  let bearer: string;
  let id: string;
  const first = startCli(['start'], env);
  try {
    const [, url] = await first.waitFor(/GraphQL: (http:\S+)/, 180_000);
    expect(first.output()).toMatch(/YRD Hub ready in [\d.]+ s \(embedded PostgreSQL(, regions on \d+ worker threads?)?\)/);
    const health = await fetch(url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
    // The officer console is served by the same listener (npm run build made it).
    const consoleUrl = first.output().match(/Officer console: (http:\S+)/)![1];
    const page = await fetch(consoleUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js">/);
    // The start prints a demo token for the officer the README's examples use; `yrd-hub token LOGIN` makes one for any demo officer.
    expect(first.output()).toMatch(/A demo token for demo-330400 .*\n\s+Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+/);
    const token = await runCli(['token', 'demo-320500'], env);
    expect(token.code).toBe(0);
    expect((await graphql(url, '{ regions { code } }', {}, { authorization: '' })).status).toBe(401);
    const raised = await graphql(
      url,
      RAISE,
      {
        input: { region: '320500', raisedIn: '320509', level: 'RED', kind: 'CROSS_REGION', subjectId: '330400:12', summary: '重启前写入' },
      },
      { authorization: (bearer = `Bearer ${token.stdout.trim()}`) },
    );
    expect(raised.errors).toBeUndefined();
    id = raised.data.raisePetitionWarning.id;
  } finally {
    expect(await first.interrupt()).toBe(0);
  }
  expect(first.output()).toMatch(/SIGINT: stopping/);

  const second = startCli(['start'], env);
  try {
    const [, url] = await second.waitFor(/GraphQL: (http:\S+)/, 120_000);
    // The demo data is seeded once: the restart applies no migration and seeds nothing new.
    expect(second.output()).not.toMatch(/applied .* migrations/);
    expect(second.output()).not.toMatch(/creating an embedded PostgreSQL/);
    // The keys live in the data folder: a token made before the restart is still good after it.
    const found = await graphql(url, 'query($id: ID!) { petitionWarning(id: $id) { id region summary } }', { id }, { authorization: bearer });
    expect(found.data.petitionWarning).toEqual({ id, region: '320500', summary: '重启前写入' });
  } finally {
    expect(await second.interrupt()).toBe(0);
  }
});

test('a port already in use is a clear error and a non-zero exit', async () => {
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-port-'));
    const result = await runCli(
      ['start', '--no-seed'],
      { HUB_DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: process.env.TEST_DATABASE_URL, HUB_DB_PREFIX: 't_port' },
      120_000,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  } finally {
    blocker.close();
  }
});

test('an unreachable DATABASE_URL is a clear error and a non-zero exit', async () => {
  const port = await freePort(); // nothing listens there
  const result = await runCli(['start'], { DATABASE_URL: `postgres://hub:secret@127.0.0.1:${port}/hub`, PORT: '0' });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/Cannot reach PostgreSQL at postgres:\/\/hub:\*\*\*@127\.0\.0\.1:\d+\/hub: .*Check DATABASE_URL/);
  expect(result.stderr).not.toContain('secret');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});
