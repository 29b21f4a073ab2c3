import 'reflect-metadata';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { repoPath } from '../subgraphs/shared/repo-path';
import { DAY_MS, deadlineAfter } from '../subgraphs/petitions/lifecycle';
import { sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { scratchDatabase } from './support/scratch-database';

/**
 * Migration 009: due dates written before deadlines ended at 24:00 Beijing time kept the time of
 * day their limit started at. The migration computes every stored one again by the 24:00 rule
 * (the same instants deadlineAfter gives), carries the DEADLINE warnings already raised for an
 * old due date over to the new one, and changes nothing when it runs again.
 */

const DATABASE_URL = scratchDatabase('t_migdays', 'petitions');

test('old-style due dates are recomputed to 24:00 Beijing time of their last day, once, without raising their warnings again', async () => {
  const pool = createPool(DATABASE_URL, 2);
  try {
    const migrations = readMigrations(repoPath('subgraphs', 'petitions', 'migrations'));
    await migrate(
      pool,
      'petitions',
      migrations.filter((m) => m.version < 9),
    );
    const at = (iso: string) => new Date(iso);
    const old = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS); // the rule before: the start's time of day
    const registered = at('2026-03-01T02:30:00Z'); // 10:30 Beijing time
    const accepted = at('2026-03-05T15:30:00Z'); // 23:30 Beijing time, 5 March
    const received = at('2026-03-03T17:00:00Z'); // 01:00 Beijing time, 4 March
    const reReviewRequested = at('2026-03-20T04:00:00Z');
    const rows: Array<{ kind: string | null; dueAt: Date | null; columns: Record<string, unknown> }> = [
      { kind: 'ACCEPTANCE', dueAt: old(registered, 15), columns: {} },
      { kind: 'HANDLING', dueAt: old(accepted, 70), columns: { status: 'HANDLING', accepted_at: accepted, extension_days: 10 } },
      { kind: 'ACCEPTANCE', dueAt: old(received, 15), columns: { received_at: received, forwarded_from: '320500:9' } },
      {
        kind: 'RE_REVIEW_DECISION',
        dueAt: old(reReviewRequested, 30),
        columns: { status: 'RE_REVIEW', accepted_at: accepted, replied_at: accepted, re_review_requested_at: reReviewRequested },
      },
      // Written by the 24:00 rule already, and one with no deadline running: left as they are.
      { kind: 'ACCEPTANCE', dueAt: deadlineAfter(registered, 15), columns: {} },
      { kind: null, dueAt: null, columns: { status: 'CLOSED', closed_at: accepted } },
    ];
    const ids: string[] = [];
    for (const row of rows) {
      const columns = { ...row.columns, deadline_kind: row.kind, due_at: row.dueAt };
      const names = Object.keys(columns);
      const { rows: inserted } = await pool.query<{ id: string }>(
        `INSERT INTO petitions.petitions (channel, category, summary, content, petitioner_ids, headcount, registered_in, registered_by, registered_at, ${names.join(', ')})
         VALUES ('LETTER', '劳资纠纷欠薪', '欠薪', '拖欠工资', '{330400:5}', 1, '330421', '330400:1', $1, ${names.map((_, i) => `$${i + 2}`).join(', ')})
         RETURNING id::text`,
        [registered, ...Object.values(columns)],
      );
      ids.push(inserted[0].id);
    }
    // The sweep had raised the first one's ORANGE warning under its old due date.
    const oldKey = `deadline:${ids[0]}:ACCEPTANCE:${Math.floor(old(registered, 15).getTime() / 1000)}:past`;
    await pool.query(
      `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, rule_key, raised_at)
       VALUES ('ORANGE', 'DEADLINE', '330400:5', '330421', '受理期限已过（截止 2026-03-16）：劳资纠纷欠薪', $1, $2, $3)`,
      [ids[0], oldKey, old(registered, 15)],
    );

    await migrate(pool, 'petitions', migrations);
    const expected = [
      deadlineAfter(registered, 15),
      deadlineAfter(accepted, 70),
      deadlineAfter(received, 15),
      deadlineAfter(reReviewRequested, 30),
      deadlineAfter(registered, 15),
      null,
    ];
    // As instants: 24:00 Beijing time (16:00 UTC) of the last day.
    expect(expected.slice(0, 4).map((d) => d!.toISOString())).toEqual([
      '2026-03-16T16:00:00.000Z',
      '2026-05-14T16:00:00.000Z',
      '2026-03-19T16:00:00.000Z',
      '2026-04-19T16:00:00.000Z',
    ]);
    const dueDates = async () =>
      (await pool.query<{ due_at: Date | null }>('SELECT due_at FROM petitions.petitions WHERE id = ANY($1::bigint[]) ORDER BY id', [ids])).rows.map(
        (row) => row.due_at,
      );
    expect(await dueDates()).toEqual(expected);
    const warningKeys = async () => (await pool.query<{ rule_key: string }>('SELECT rule_key FROM petitions.warnings ORDER BY id')).rows.map((r) => r.rule_key);
    expect(await warningKeys()).toEqual([`deadline:${ids[0]}:ACCEPTANCE:${Math.floor(expected[0]!.getTime() / 1000)}:past`]);

    // Again: nothing moves.
    await pool.query(migrations.find((m) => m.version === 9)!.sql);
    expect(await dueDates()).toEqual(expected);
    expect(await warningKeys()).toEqual([`deadline:${ids[0]}:ACCEPTANCE:${Math.floor(expected[0]!.getTime() / 1000)}:past`]);

    // The sweep knows the first one's deadline as already warned about; the others, past too, get theirs once.
    await sweepDeadlines(pool);
    const { rows: warned } = await pool.query<{ petition_id: string; n: number }>(
      "SELECT petition_id::text, count(*)::int AS n FROM petitions.warnings WHERE kind = 'DEADLINE' GROUP BY petition_id ORDER BY petition_id",
    );
    expect(warned).toEqual([
      { petition_id: ids[0], n: 1 },
      { petition_id: ids[1], n: 1 },
      { petition_id: ids[2], n: 1 },
      { petition_id: ids[3], n: 1 },
      { petition_id: ids[4], n: 1 },
    ]);
  } finally {
    await pool.end();
  }
});
