import 'reflect-metadata';
import { Pool } from 'pg';
import { createPool } from '../subgraphs/shared/db';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { repoPath } from '../subgraphs/shared/repo-path';
import { DAY_MS, deadlineAfter } from '../subgraphs/petitions/lifecycle';
import { sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { scratchDatabase } from './support/scratch-database';

/**
 * Petitions migration 011: DEADLINE warnings raised under the old rule (a limit ended at its
 * start's time of day) kept their `raised_at` when migration 009 moved due dates to 24:00
 * Beijing time. Each is judged again by the new rule: dated when its condition began, or, where
 * the condition never began, withdrawn with a reason and its rule key set aside so that the sweep
 * raises the true warning when it comes.
 */

const DATABASE_URL = scratchDatabase('t_migwarn', 'petitions');
const HOUR = 3_600_000;

/** The old rule: the limit ended `days` after its start, at the start's time of day. */
const oldDue = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS);
const epoch = (at: Date) => Math.floor(at.getTime() / 1000);
/** 10:30 Beijing time (02:30 UTC), `days` days before today's UTC date. */
const morningOf = (daysAgo: number) => new Date(`${new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10)}T02:30:00.000Z`);

async function insertPetition(pool: Pool, columns: Record<string, unknown>): Promise<string> {
  const names = Object.keys(columns);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO petitions.petitions (channel, category, summary, content, petitioner_ids, headcount, registered_in, registered_by, ${names.join(', ')})
     VALUES ('LETTER', '劳资纠纷欠薪', '欠薪', '拖欠工资', '{330400:5}', 1, '330421', '330400:1', ${names.map((_, i) => `$${i + 1}`).join(', ')})
     RETURNING id::text`,
    Object.values(columns),
  );
  await pool.query("INSERT INTO petitions.petition_events (petition_id, action, to_status, at) VALUES ($1, 'register', 'REGISTERED', $2)", [
    rows[0].id,
    columns.registered_at,
  ]);
  return rows[0].id;
}

/** A warning as the sweep raised it under the old rule, with its RAISED event (and so its feed row). */
async function insertWarning(pool: Pool, petitionId: string, kind: string, side: 'past' | 'near', due: Date, raisedAt: Date): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, rule_key, raised_at)
     VALUES ($1, 'DEADLINE', '330400:5', '330421', '期限：劳资纠纷欠薪', $2, $3, $4) RETURNING id::text`,
    [side === 'past' ? 'ORANGE' : 'BLUE', petitionId, `deadline:${petitionId}:${kind}:${epoch(due)}:${side}`, raisedAt],
  );
  await pool.query("INSERT INTO petitions.warning_events (warning_id, action, note, at) VALUES ($1, 'RAISED', 'raised by rule deadline', $2)", [
    rows[0].id,
    raisedAt,
  ]);
  return rows[0].id;
}

test('old DEADLINE warnings are dated when their condition began by the 24:00 rule, or withdrawn where it never did', async () => {
  const pool = createPool(DATABASE_URL, 2);
  try {
    const migrations = readMigrations(repoPath('subgraphs', 'petitions', 'migrations'));
    await migrate(
      pool,
      'petitions',
      migrations.filter((m) => m.version <= 8),
    );
    const now = new Date();

    // A: still awaiting acceptance; its old deadline (10:30) and its new one (24:00) both passed five days ago.
    const aRegistered = morningOf(20);
    const a = await insertPetition(pool, { registered_at: aRegistered, deadline_kind: 'ACCEPTANCE', due_at: oldDue(aRegistered, 15) });
    const aPast = await insertWarning(pool, a, 'ACCEPTANCE', 'past', oldDue(aRegistered, 15), oldDue(aRegistered, 15));
    const aNear = await insertWarning(pool, a, 'ACCEPTANCE', 'near', oldDue(aRegistered, 15), oldDue(aRegistered, 12));

    // B: its old deadline passed a moment ago, today; by the new rule it ends at 24:00 tonight.
    const sinceBeijingMidnight = (now.getTime() + 8 * HOUR) % DAY_MS;
    const bRegistered = new Date(now.getTime() - 15 * DAY_MS - Math.ceil(sinceBeijingMidnight / 2));
    const b = await insertPetition(pool, { registered_at: bRegistered, deadline_kind: 'ACCEPTANCE', due_at: oldDue(bRegistered, 15) });
    const bPast = await insertWarning(pool, b, 'ACCEPTANCE', 'past', oldDue(bRegistered, 15), oldDue(bRegistered, 15));
    const bNear = await insertWarning(pool, b, 'ACCEPTANCE', 'near', oldDue(bRegistered, 15), oldDue(bRegistered, 12));

    // C: accepted at 20:00 on its old deadline's day, hours after the old deadline, before the new one.
    const cRegistered = morningOf(20);
    const cAccepted = new Date(oldDue(cRegistered, 15).getTime() + 9.5 * HOUR);
    const c = await insertPetition(pool, {
      registered_at: cRegistered,
      status: 'ACCEPTED',
      accepted_at: cAccepted,
      deadline_kind: 'HANDLING',
      due_at: oldDue(cAccepted, 60),
    });
    await pool.query(
      "INSERT INTO petitions.petition_events (petition_id, action, from_status, to_status, at) VALUES ($1, 'accept', 'REGISTERED', 'ACCEPTED', $2)",
      [c, cAccepted],
    );
    const cPast = await insertWarning(pool, c, 'ACCEPTANCE', 'past', oldDue(cRegistered, 15), oldDue(cRegistered, 15));

    // D: accepted the morning after: late by the new rule too.
    const dAccepted = new Date(oldDue(cRegistered, 15).getTime() + DAY_MS);
    const d = await insertPetition(pool, {
      registered_at: cRegistered,
      status: 'ACCEPTED',
      accepted_at: dAccepted,
      deadline_kind: 'HANDLING',
      due_at: oldDue(dAccepted, 60),
    });
    await pool.query(
      "INSERT INTO petitions.petition_events (petition_id, action, from_status, to_status, at) VALUES ($1, 'accept', 'REGISTERED', 'ACCEPTED', $2)",
      [d, dAccepted],
    );
    const dPast = await insertWarning(pool, d, 'ACCEPTANCE', 'past', oldDue(cRegistered, 15), oldDue(cRegistered, 15));

    // E: like A, but a partner acknowledged it an hour after it was raised, before the new deadline.
    const e = await insertPetition(pool, { registered_at: aRegistered, deadline_kind: 'ACCEPTANCE', due_at: oldDue(aRegistered, 15) });
    const ePast = await insertWarning(pool, e, 'ACCEPTANCE', 'past', oldDue(aRegistered, 15), oldDue(aRegistered, 15));
    const acknowledgedAt = new Date(oldDue(aRegistered, 15).getTime() + HOUR);
    await pool.query(
      "INSERT INTO petitions.warning_events (warning_id, action, officer_id, officer_region, at) VALUES ($1, 'ACKNOWLEDGED', '320500:1', '320500', $2)",
      [ePast, acknowledgedAt],
    );
    await pool.query("UPDATE petitions.warnings SET status = 'ACKNOWLEDGED', version = 2 WHERE id = $1", [ePast]);

    // F: a DEADLINE warning raised by hand (no rule key): nobody's rule, left alone.
    const byHand = (
      await pool.query<{ id: string }>(
        `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, raised_at, raised_by)
         VALUES ('YELLOW', 'DEADLINE', '330400:5', '330421', '人工预警', $1, $2, '330400:1') RETURNING id::text`,
        [a, aRegistered],
      )
    ).rows[0].id;

    await migrate(pool, 'petitions', migrations);

    const warnings = async () =>
      new Map(
        (
          await pool.query<{ id: string; status: string; version: number; rule_key: string | null; raised_at: Date }>(
            'SELECT id::text, status, version, rule_key, raised_at FROM petitions.warnings ORDER BY id',
          )
        ).rows.map((row) => [row.id, row]),
      );
    const timeline = async (id: string) =>
      (
        await pool.query<{ action: string; note: string | null; at: Date }>(
          'SELECT action, note, at FROM petitions.warning_events WHERE warning_id = $1 ORDER BY at, id',
          [id],
        )
      ).rows;
    const feed = async (id: string) =>
      (await pool.query<{ kind: string; at: Date }>('SELECT kind, at FROM petitions.warning_feed WHERE warning_id = $1 ORDER BY seq', [id])).rows;
    const after = await warnings();
    const aDue = deadlineAfter(aRegistered, 15);
    const bDue = deadlineAfter(bRegistered, 15);
    const cDue = deadlineAfter(cRegistered, 15);
    expect(bDue.getTime()).toBeGreaterThan(Date.now()); // tonight's 24:00

    // Began: dated when, by the 24:00 rule, the deadline passed or came within 3 days.
    expect(after.get(aPast)).toMatchObject({ status: 'OPEN', version: 1, raised_at: aDue, rule_key: `deadline:${a}:ACCEPTANCE:${epoch(aDue)}:past` });
    expect(after.get(aNear)).toMatchObject({ status: 'OPEN', raised_at: new Date(aDue.getTime() - 3 * DAY_MS) });
    expect(await timeline(aPast)).toEqual([{ action: 'RAISED', note: 'raised by rule deadline', at: aDue }]);
    expect(await feed(aPast)).toEqual([{ kind: 'RAISED', at: aDue }]);
    expect(after.get(bNear)).toMatchObject({ status: 'OPEN', raised_at: new Date(bDue.getTime() - 3 * DAY_MS) });
    expect(after.get(dPast)).toMatchObject({ status: 'OPEN', raised_at: cDue });
    // Handled before the new deadline: dated no later than the first thing done with it.
    expect(after.get(ePast)).toMatchObject({ status: 'ACKNOWLEDGED', raised_at: acknowledgedAt });
    expect((await timeline(ePast)).map((event) => event.action)).toEqual(['RAISED', 'ACKNOWLEDGED']);

    // Never began: withdrawn, saying why, the key set aside.
    const lastDay = (due: Date) => new Date(due.getTime() - 1 + 8 * HOUR).toISOString().slice(0, 10);
    for (const [id, petition, due] of [
      [bPast, b, bDue],
      [cPast, c, cDue],
    ] as const) {
      expect(after.get(id)).toMatchObject({
        status: 'RESOLVED',
        version: 2,
        rule_key: expect.stringMatching(new RegExp(`^deadline:${petition}:ACCEPTANCE:\\d+:past:withdrawn$`)),
      });
      expect((await timeline(id)).map(({ action, note }) => ({ action, note }))).toEqual([
        { action: 'RAISED', note: 'raised by rule deadline' },
        { action: 'RESOLVED', note: `撤回：期限改按北京时间末日24:00计算（截止 ${lastDay(due)}），预警时期限尚未届满` },
      ]);
      expect((await feed(id)).map((event) => event.kind)).toEqual(['RAISED', 'RESOLVED']);
    }
    expect(after.get(byHand)).toMatchObject({ status: 'OPEN', rule_key: null, raised_at: aRegistered });

    // Again: nothing moves.
    const snapshot = async () => ({
      warnings: [...(await warnings()).values()],
      events: (await pool.query('SELECT * FROM petitions.warning_events ORDER BY id')).rows,
      feed: (await pool.query('SELECT seq, warning_id, kind, at FROM petitions.warning_feed ORDER BY seq')).rows,
    });
    const before = await snapshot();
    await pool.query(migrations.find((m) => m.version === 11)!.sql);
    expect(await snapshot()).toEqual(before);

    // The sweep raises nothing for B's deadline, which still runs and is near (warned of already),
    // and nothing again for the others.
    const count = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM petitions.warnings WHERE kind = 'DEADLINE'")).rows[0].n;
    const total = await count();
    await sweepDeadlines(pool);
    expect(await count()).toBe(total);
  } finally {
    await pool.end();
  }
});
