import { Client } from 'pg';
import { residentIdProblem } from '../auth/resident-id';
import { BUILTIN_SUBGRAPHS } from '../launcher/builtin-subgraphs';
import { creditCodeProblem } from '../subgraphs/enforcement/credit-code';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import type { SeedOptions } from '../subgraphs/shared/subgraph-module';
import { DEMO_REGIONS, dropDatabases, testDatabaseUrl, TEST_SCALE } from './support/hub';

/** The demo seed is deterministic (same seed, same rows) and its identity codes are synthetic but check-valid. */

const urlOf = (database: string) => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
};

const REGION = DEMO_REGIONS.find((r) => r.code === '330400')!;
const options: SeedOptions = { seed: 11, scale: TEST_SCALE, scaleOf: () => TEST_SCALE, regions: DEMO_REGIONS };

async function seededDatabase(name: string, seed: number): Promise<string> {
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const pool = createPool(urlOf(name), 2);
  try {
    for (const module of BUILTIN_SUBGRAPHS.filter((m) => m.regional)) {
      if (module.migrationsFolder) await migrate(pool, module.name, readMigrations(module.migrationsFolder));
      await module.seed?.(pool, REGION, { ...options, seed });
    }
  } finally {
    await pool.end();
  }
  return urlOf(name);
}

/** One digest per table of the region's schemas, of every row in primary-key order. */
async function digests(url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('petitions', 'enforcement', 'personnel') ORDER BY 1",
    );
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      // Row order by the whole row: tables without an id still compare as sets.
      const { rows } = await client.query<{ digest: string; n: number }>(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*)::int AS n FROM ${name} t`,
      );
      result[name] = `${rows[0].n}:${rows[0].digest}`;
    }
    return result;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await dropDatabases('t_seed');
});

afterAll(async () => {
  await dropDatabases('t_seed');
});

test('the same seed gives the same data, another seed other data, with check-valid synthetic codes', async () => {
  const [first, second, other] = await Promise.all([seededDatabase('t_seed_a', 11), seededDatabase('t_seed_b', 11), seededDatabase('t_seed_c', 12)]);
  const [a, b, c] = await Promise.all([digests(first), digests(second), digests(other)]);
  // Generated times of day (created_at defaults) differ between runs; the seed sets every column that matters.
  // The live feed mirrors warning_events (compared) with the time each row was recorded, which no seed sets.
  const stable = (digest: Record<string, string>) => Object.fromEntries(Object.entries(digest).filter(([table]) => !/outbox|warning_feed$/.test(table)));
  expect(Object.keys(a).length).toBeGreaterThan(8);
  expect(stable(a)).toEqual(stable(b));
  expect(a['petitions.petitions']).not.toEqual(c['petitions.petitions']);

  const client = new Client({ connectionString: first });
  await client.connect();
  try {
    const ids = (await client.query<{ id_number: string }>('SELECT id_number FROM personnel.persons')).rows.map((r) => r.id_number);
    expect(ids.length).toBe(TEST_SCALE.persons);
    expect(ids.filter((id) => residentIdProblem(id))).toEqual([]);
    // Synthetic: sequence numbers 900 and up, never a number a real registry issues first.
    expect(ids.every((id) => Number(id.slice(14, 17)) >= 900)).toBe(true);
    const codes = (await client.query<{ code: string }>('SELECT target_credit_code AS code FROM enforcement.inspections')).rows.map((r) => r.code);
    expect(codes.length).toBe(TEST_SCALE.inspections);
    expect(codes.filter((code) => creditCodeProblem(code))).toEqual([]);
  } finally {
    await client.end();
  }
});
