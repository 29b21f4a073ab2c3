import 'reflect-metadata';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { repoPath } from '../subgraphs/shared/repo-path';
import { scratchDatabase } from './support/scratch-database';

/**
 * Enforcement migration 006: rectification deadlines stored before they ended at 24:00 Beijing
 * time kept the hour they were given with (so the follow-up fired at that hour of the last day).
 * Each is moved to the end of its last day; one already at a day's end stays, and running the
 * migration again changes nothing.
 */

const DATABASE_URL = scratchDatabase('t_migrect', 'enforcement');

test('old rectification deadlines move to 24:00 Beijing time of their last day, once', async () => {
  const pool = createPool(DATABASE_URL, 2);
  try {
    const migrations = readMigrations(repoPath('subgraphs', 'enforcement', 'migrations'));
    await migrate(
      pool,
      'enforcement',
      migrations.filter((m) => m.version < 6),
    );
    const { rows: tasks } = await pool.query<{ id: string }>(
      `INSERT INTO enforcement.tasks (inspection_id, participant_ref, agency, jurisdiction, scenario_code, target_name, target_credit_code, target_address, planned_at, planned_until)
       VALUES ('330400:1', 1, 'FIRE_RESCUE', '310118', 'FIRE_SAFETY', '某商场', '91310118000000000X', '青浦区', now(), now() + interval '3 days') RETURNING id::text`,
    );
    const given = [
      '2027-03-20T02:00:00.000Z', // 10:00 Beijing time on 20 March
      '2027-03-20T15:59:59.999Z', // 23:59:59.999 on 20 March
      '2027-03-20T16:00:00.000Z', // 00:00 on 21 March: already the end of 20 March
      '2027-03-20T16:00:00.001Z', // just after it: 21 March is the last day
      null, // no deadline
    ];
    const ids: string[] = [];
    for (const rectifyBy of given) {
      const { rows } = await pool.query<{ id: string }>(
        "INSERT INTO enforcement.task_findings (task_id, severity, description, rectify_by) VALUES ($1, 'MINOR', '整改', $2) RETURNING id::text",
        [tasks[0].id, rectifyBy],
      );
      ids.push(rows[0].id);
    }

    await migrate(pool, 'enforcement', migrations);
    const stored = async () =>
      (
        await pool.query<{ rectify_by: Date | null }>('SELECT rectify_by FROM enforcement.task_findings WHERE id = ANY($1::bigint[]) ORDER BY id', [ids])
      ).rows.map((row) => row.rectify_by?.toISOString() ?? null);
    const expected = ['2027-03-20T16:00:00.000Z', '2027-03-20T16:00:00.000Z', '2027-03-20T16:00:00.000Z', '2027-03-21T16:00:00.000Z', null];
    expect(await stored()).toEqual(expected);

    await pool.query(migrations.find((m) => m.version === 6)!.sql);
    expect(await stored()).toEqual(expected);
  } finally {
    await pool.end();
  }
});
