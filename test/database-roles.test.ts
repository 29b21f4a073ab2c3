import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { ensureRoles, grantSubgraphs, handOver, PASSWORD_FILE, urlAs } from '../launcher/database-roles';
import { dropDatabases, testDatabaseUrl } from './support/hub';

/**
 * The two roles of a database prefix: made again and again without harm (a second data folder
 * takes them over with its own passwords), and a database an earlier version made as the
 * administrator handed over to the owner, so that migrations as the owner and the subgraphs'
 * rights work on it too.
 */

const PREFIX = 't_roles';
const folders: string[] = [];
const folder = () => folders[folders.push(mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-roles-'))) - 1];
const databaseUrl = (name: string) => Object.assign(new URL(testDatabaseUrl()), { pathname: `/${name}` }).toString();

async function run(url: string, sql: string): Promise<any[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    return Array.isArray(result) ? result.flatMap((each) => each.rows) : result.rows; // several statements: several results
  } finally {
    await client.end();
  }
}

beforeAll(() => dropDatabases(PREFIX));
afterAll(async () => {
  await dropDatabases(PREFIX);
  folders.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

test('the roles are made once per prefix and taken over, with new passwords, by another data folder', async () => {
  const first = await ensureRoles(testDatabaseUrl(), PREFIX, folder());
  expect([first.owner.name, first.subgraphs.name]).toEqual(['t_roles_owner', 't_roles_subgraphs']);
  expect(statSync(path.join(folders[0], PASSWORD_FILE)).mode & 0o777).toBe(0o600);
  const second = await ensureRoles(testDatabaseUrl(), PREFIX, folder());
  expect(second.subgraphs.password).not.toBe(first.subgraphs.password);
  await expect(run(urlAs(databaseUrl('postgres'), second.subgraphs), 'SELECT 1')).resolves.toHaveLength(1);
  await expect(run(urlAs(databaseUrl('postgres'), first.subgraphs), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
  const [attributes] = await run(testDatabaseUrl(), "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 't_roles_subgraphs'");
  expect(attributes).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
});

test('a database whose tables the administrator made is handed over to the owner, and the subgraphs get their rights on it', async () => {
  const roles = await ensureRoles(testDatabaseUrl(), PREFIX, folder());
  await run(testDatabaseUrl(), 'CREATE DATABASE t_roles_old');
  const adminUrl = databaseUrl('t_roles_old');
  await run(adminUrl, 'CREATE SCHEMA petitions; CREATE TABLE petitions.petitions (id bigint PRIMARY KEY, summary text)');
  await run(adminUrl, 'CREATE SCHEMA audit; CREATE TABLE audit.entries (seq bigint PRIMARY KEY, officer text)');
  await handOver(adminUrl, 't_roles_old', roles.owner);
  expect(await run(adminUrl, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname IN ('petitions', 'audit') ORDER BY tablename")).toEqual([
    { tablename: 'entries', tableowner: 't_roles_owner' },
    { tablename: 'petitions', tableowner: 't_roles_owner' },
  ]);
  const owner = new Pool({ connectionString: urlAs(adminUrl, roles.owner), max: 1 });
  try {
    await owner.query('ALTER TABLE petitions.petitions ADD COLUMN note text'); // a migration, as the owner
    await grantSubgraphs(owner, roles.subgraphs);
  } finally {
    await owner.end();
  }
  const subgraphs = urlAs(adminUrl, roles.subgraphs);
  await expect(
    run(subgraphs, "INSERT INTO petitions.petitions VALUES (1, 'x', 'y'); UPDATE petitions.petitions SET note = 'z'; DELETE FROM petitions.petitions"),
  ).resolves.toBeDefined();
  await expect(run(subgraphs, "INSERT INTO audit.entries VALUES (1, 'x')")).resolves.toBeDefined();
  await expect(run(subgraphs, "UPDATE audit.entries SET officer = 'y'")).rejects.toMatchObject({ code: '42501' });
  await expect(run(subgraphs, 'ALTER TABLE petitions.petitions DROP COLUMN note')).rejects.toMatchObject({ code: '42501' });
});
