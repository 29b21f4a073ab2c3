import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { BUILTIN_SUBGRAPHS } from '../launcher/builtin-subgraphs';
import { createPool, statementCount } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { dropDatabases, testDatabaseUrl } from './support/hub';

/** Every subgraph's migrations, on an empty database: applied in order, recorded, and a re-run does nothing. */

const DATABASE = 't_migrate_empty';
const withMigrations = BUILTIN_SUBGRAPHS.filter((module) => module.migrationsFolder);

function urlOf(database: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

beforeAll(async () => {
  await dropDatabases('t_migrate');
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
});

afterAll(async () => {
  await dropDatabases('t_migrate');
});

test('migrations apply in order on an empty database, are recorded, and re-running them is a no-op', async () => {
  const pool = createPool(urlOf(DATABASE), 2);
  try {
    for (const module of withMigrations) {
      const migrations = readMigrations(module.migrationsFolder!);
      // The folder's files, numbered by their names, in numeric order: what readMigrations must give.
      const fromNames = readdirSync(module.migrationsFolder!)
        .filter((file) => file.endsWith('.sql'))
        .map((file) => Number(file.slice(0, 3)))
        .sort((a, b) => a - b);
      expect(fromNames.length).toBeGreaterThan(0);
      expect(migrations.map((m) => m.version)).toEqual(fromNames);
      expect(await migrate(pool, module.name, migrations)).toEqual(migrations.map((m) => m.version));
      expect(await migrate(pool, module.name, migrations)).toEqual([]);
    }
    const { rows } = await pool.query<{ subgraph: string; versions: number[] }>(
      'SELECT subgraph, array_agg(version ORDER BY version) AS versions FROM public.schema_migrations GROUP BY subgraph ORDER BY subgraph',
    );
    expect(rows).toEqual(
      [...withMigrations]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((module) => ({ subgraph: module.name, versions: readMigrations(module.migrationsFolder!).map((m) => m.version) })),
    );

    // An applied migration edited afterwards is refused, not silently skipped.
    const petitions = BUILTIN_SUBGRAPHS.find((m) => m.name === 'petitions')!;
    const edited = readMigrations(petitions.migrationsFolder!).map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(pool, 'petitions', edited)).rejects.toThrow(/was changed after it was applied/);
  } finally {
    await pool.end();
  }
});

test('readMigrations orders by version whatever order the files were written in, and refuses two of one version', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-migrations-'));
  for (const name of ['010_later.sql', '002_second.sql', '001_first.sql']) writeFileSync(path.join(folder, name), 'SELECT 1;');
  expect(readMigrations(folder).map((m) => [m.version, m.name])).toEqual([
    [1, 'first'],
    [2, 'second'],
    [10, 'later'],
  ]);
  writeFileSync(path.join(folder, '002_again.sql'), 'SELECT 2;');
  expect(() => readMigrations(folder)).toThrow(/two migrations share version 2/);
});

test('parameterised SELECTs are prepared once per connection and counted; other statements are not prepared', async () => {
  const pool = createPool(urlOf(DATABASE), 1); // one connection: the statements below share it
  try {
    for (let i = 0; i < 3; i++) expect((await pool.query('SELECT $1::int + 1 AS n', [i])).rows[0].n).toBe(i + 1);
    await pool.query('CREATE TEMP TABLE IF NOT EXISTS prepared_probe (n int)');
    await pool.query('INSERT INTO prepared_probe VALUES ($1)', [1]);
    const { rows } = await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY statement', ['yrd\\_%']);
    // The probe itself is a parameterised SELECT, prepared before it ran.
    expect(rows.map((row) => row.statement)).toEqual([
      'SELECT $1::int + 1 AS n',
      'SELECT statement FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY statement',
    ]);
    expect(statementCount(pool)).toBe(6);
  } finally {
    await pool.end();
  }
});
