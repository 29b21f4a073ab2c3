import { Client } from 'pg';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { repoPath } from '../subgraphs/shared/repo-path';
import { grantsFor } from '../subgraphs/directory/agreement-repository';
import { dropDatabases, testDatabaseUrl } from './support/hub';

/**
 * Migration 003 (agreements need both parties): agreements a deployment already holds were in
 * force under the old rules and stay in force, recorded as signed by both parties; one added
 * afterwards with a single signature, mutual or one way, opens nothing.
 */

const DATABASE = 't_migsign_directory';

function urlOf(database: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

beforeAll(async () => {
  await dropDatabases('t_migsign');
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
});

afterAll(async () => {
  await dropDatabases('t_migsign');
});

test('agreements made before migration 003 are signed by both parties and keep their grants', async () => {
  const pool = createPool(urlOf(DATABASE), 2);
  try {
    const migrations = readMigrations(repoPath('subgraphs', 'directory', 'migrations'));
    expect(
      await migrate(
        pool,
        'directory',
        migrations.filter((m) => m.version < 3),
      ),
    ).toEqual([1, 2]);
    await pool.query(
      `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by, created_at)
       VALUES ('旧协议', '330400', '320500', '3304', '3205', true, '{PERSON_PERSONAL}', now() - interval '1 day', now() + interval '1 year', '330400:46', '2026-01-02T03:04:05Z')`,
    );
    expect(
      await migrate(
        pool,
        'directory',
        migrations.filter((m) => m.version <= 3),
      ),
    ).toEqual([3]);

    const { rows } = await pool.query(
      'SELECT provider_signed_by, provider_signed_at, recipient_signed_by, recipient_signed_at FROM directory.sharing_agreements',
    );
    expect(rows).toEqual([
      {
        provider_signed_by: '330400:46',
        provider_signed_at: new Date('2026-01-02T03:04:05Z'),
        recipient_signed_by: '330400:46',
        recipient_signed_at: new Date('2026-01-02T03:04:05Z'),
      },
    ]);
    expect(await grantsFor(pool, '320500')).toEqual([{ category: 'PERSON_PERSONAL', owner: '330400' }]);
    expect(await grantsFor(pool, '330400')).toEqual([{ category: 'PERSON_PERSONAL', owner: '320500' }]);

    // A new one signed by its provider alone: mutual, so it opens neither way yet.
    await pool.query(
      `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by, provider_signed_by, provider_signed_at)
       VALUES ('新提议', '340100', '320500', '3401', '3205', true, '{PETITION_DETAILS}', now() - interval '1 day', now() + interval '1 year', '340100:46', '340100:46', now())`,
    );
    expect(await grantsFor(pool, '320500')).toEqual([{ category: 'PERSON_PERSONAL', owner: '330400' }]);
    expect(await grantsFor(pool, '340100')).toEqual([]);

    // Nor does a one-way one its provider alone signed: the recipient signs too.
    await pool.query(
      `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by, provider_signed_by, provider_signed_at)
       VALUES ('单向提议', '340100', '320500', '3401', '3205', false, '{PETITION_WARNINGS}', now() - interval '1 day', now() + interval '1 year', '340100:46', '340100:46', now())`,
    );
    expect(await grantsFor(pool, '320500')).toEqual([{ category: 'PERSON_PERSONAL', owner: '330400' }]);
  } finally {
    await pool.end();
  }
});
