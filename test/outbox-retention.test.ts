import { Client, Pool } from 'pg';
import { BUILTIN_SUBGRAPHS } from '../launcher/builtin-subgraphs';
import { pruneSent, SENT_RETENTION_DAYS } from '../subgraphs/enforcement/outbox';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { dropDatabases, testDatabaseUrl } from './support/hub';

/** The relay's retention: messages delivered long ago go; pending and refused ones stay. */

// dropDatabases removes `${prefix}_…`: the database's name must carry the prefix and more.
const PREFIX = 't_outbox';
const DATABASE = `${PREFIX}_retention`;
let pool: Pool;

beforeAll(async () => {
  await dropDatabases(PREFIX);
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${DATABASE}`;
  pool = createPool(url.toString(), 2);
  const enforcement = BUILTIN_SUBGRAPHS.find((module) => module.name === 'enforcement')!;
  await migrate(pool, enforcement.name, readMigrations(enforcement.migrationsFolder!));
});

afterAll(async () => {
  await pool?.end();
  await dropDatabases(PREFIX);
});

/** One message; ages in days (null: not sent). */
async function message(label: string, createdDaysAgo: number, sentDaysAgo: number | null, refused = false): Promise<void> {
  await pool.query(
    `INSERT INTO enforcement.outbox (kind, target_region, payload, created_at, sent_at, next_attempt_at, last_error)
     VALUES ('REPORT_TASK_STATUS', '320500', jsonb_build_object('label', $1::text),
             now() - make_interval(days => $2), CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END,
             CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() END, CASE WHEN $4 THEN 'NOT_FOUND: no such task' END)`,
    [label, createdDaysAgo, sentDaysAgo, refused],
  );
}

const labels = async () =>
  (await pool.query<{ label: string }>("SELECT payload->>'label' AS label FROM enforcement.outbox ORDER BY id")).rows.map((row) => row.label);

beforeEach(() => pool.query('TRUNCATE enforcement.outbox'));

test(`messages delivered more than ${SENT_RETENTION_DAYS} days ago are removed; recent, pending and refused ones stay`, async () => {
  await message('delivered long ago', 45, SENT_RETENTION_DAYS + 5);
  await message('delivered recently', 45, SENT_RETENTION_DAYS - 5);
  await message('pending since long ago', 60, null);
  await message('refused for good long ago', 60, null, true);
  expect(await pruneSent(pool)).toBe(1);
  expect(await labels()).toEqual(['delivered recently', 'pending since long ago', 'refused for good long ago']);
  expect(await pruneSent(pool)).toBe(0);
});

test('one pass removes at most `limit` messages, the oldest deliveries first', async () => {
  for (const days of [40, 50, 60, 70, 80]) await message(`sent ${days} days ago`, days + 1, days);
  expect(await pruneSent(pool, SENT_RETENTION_DAYS, 2)).toBe(2);
  expect(await labels()).toEqual(['sent 40 days ago', 'sent 50 days ago', 'sent 60 days ago']);
  expect(await pruneSent(pool, SENT_RETENTION_DAYS, 10)).toBe(3);
  expect(await labels()).toEqual([]);
});
