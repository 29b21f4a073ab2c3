import type { Pool, PoolClient } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { runPeriodically } from '../shared/periodic';
import { DAY_MS } from './lifecycle';
import { countRecentPetitions, PetitionRow } from './petition-repository';
import { WarningKind, WarningLevel } from './types';
import { insertWarning, NewWarning, WarningRow } from './warning-repository';

/**
 * Warnings the hub raises by itself. Each has a rule key, unique in the table, so that a rule
 * never raises the same warning twice however often it runs or however many run at once.
 */

export const REPEAT_WINDOW_DAYS = 30;
export const REPEAT_THRESHOLD = 3;
/** 集体访: five or more people coming together about one matter. */
export const GROUP_VISIT_HEADCOUNT = 5;
export const DEADLINE_NEAR_DAYS = 3;

/**
 * Rules that fire when a petition is registered, in the registering transaction:
 *  - a petitioner whose home region is another region → CROSS_REGION, about that person;
 *  - a group visit of 5 or more → GROUP_VISIT;
 *  - a petitioner with 3 or more petitions here in 30 days → REPEAT (once per 30 days).
 */
export async function raiseRegistrationWarnings(client: PoolClient, region: string, petition: PetitionRow): Promise<WarningRow[]> {
  const raised: WarningRow[] = [];
  const raise = async (warning: Omit<NewWarning, 'raisedIn' | 'petitionId'>) => {
    const row = await insertWarning(client, { ...warning, raisedIn: petition.registered_in, petitionId: petition.id });
    if (row) raised.push(row);
  };

  for (const personId of new Set(petition.petitioner_ids)) {
    const home = parseGlobalId(personId)?.region;
    if (home && home !== region) {
      await raise({
        level: petition.group_visit ? WarningLevel.YELLOW : WarningLevel.BLUE,
        kind: WarningKind.CROSS_REGION,
        subjectId: personId,
        summary: `外地户籍人员来访（户籍地 ${home}）：${petition.category}`,
        ruleKey: `cross-region:${petition.id}:${personId}`,
      });
    }
  }

  if (petition.group_visit && petition.headcount >= GROUP_VISIT_HEADCOUNT) {
    await raise({
      level: petition.headcount >= 50 ? WarningLevel.RED : WarningLevel.ORANGE,
      kind: WarningKind.GROUP_VISIT,
      subjectId: petition.petitioner_ids[0],
      summary: `集体访 ${petition.headcount} 人：${petition.category}`,
      ruleKey: `group-visit:${petition.id}`,
    });
  }

  // Serialises registrations for the same persons, so that two at once cannot both miss (or
  // both raise) the warning a third petition calls for. All locks in one statement and in one
  // order: two registrations naming [A, B] and [B, A] must queue, not deadlock.
  const persons = [...new Set(petition.petitioner_ids)].sort();
  await client.query(
    "SELECT pg_advisory_xact_lock(hashtext('petitions.repeat'), hashtext(person_id)) FROM unnest($1::text[]) AS person_id ORDER BY person_id",
    [persons],
  );
  for (const personId of persons) {
    const since = new Date(petition.registered_at.getTime() - REPEAT_WINDOW_DAYS * DAY_MS);
    const count = await countRecentPetitions(client, personId, since, petition.registered_at);
    if (count < REPEAT_THRESHOLD) continue;
    const { rowCount } = await client.query(
      `SELECT 1 FROM petitions.warnings
        WHERE subject_id = $1 AND kind = 'REPEAT' AND status <> 'RESOLVED' AND raised_at >= $2 LIMIT 1`,
      [personId, since],
    );
    if (rowCount) continue;
    await raise({
      level: count >= 5 ? WarningLevel.ORANGE : WarningLevel.YELLOW,
      kind: WarningKind.REPEAT,
      subjectId: personId,
      summary: `重复访：${REPEAT_WINDOW_DAYS} 日内第 ${count} 次信访（${petition.category}）`,
      ruleKey: `repeat:${petition.id}:${personId}`,
    });
  }
  return raised;
}

/**
 * The deadline rule: every petition whose officers' deadline has passed gets an ORANGE
 * warning, and one within 3 days of it a BLUE one, once per deadline (an extended deadline is a
 * new one: the due date is part of the rule key). One statement per kind,
 * so a sweep over a million petitions reads only the partial index of running deadlines.
 *
 * A warning is dated when its condition began, not when the sweep noticed it: ORANGE at the
 * deadline's end, BLUE when the end came within 3 days (never before the petition was
 * registered). The end is the petition's `due_at`, which the one deadline function
 * (lifecycle.ts `currentDeadline`) wrote; nothing here recomputes it. So a sweep after a
 * restart or over old data spreads its warnings over the time they arose, as the list of
 * warnings and the timeline then read, instead of stamping hundreds of them with one instant.
 */
export async function sweepDeadlines(db: Pool): Promise<number> {
  const { rowCount } = await db.query(
    `WITH due AS (
       SELECT id, petitioner_ids[1] AS subject_id, registered_in, category, deadline_kind, due_at, registered_at,
              due_at < now() AS past
         FROM petitions.petitions
        WHERE officers_owe AND due_at < now() + make_interval(days => $1)
     ), raised AS (
       INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, rule_key, raised_at)
       SELECT CASE WHEN past THEN 'ORANGE' ELSE 'BLUE' END, 'DEADLINE', subject_id, registered_in,
              CASE WHEN past THEN '期限已过' ELSE '期限将至' END || '（' || deadline_kind || ' ' || to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || '）：' || category,
              id, 'deadline:' || id || ':' || deadline_kind || ':' || floor(extract(epoch FROM due_at))::bigint || ':' || CASE WHEN past THEN 'past' ELSE 'near' END,
              CASE WHEN past THEN due_at ELSE GREATEST(due_at - make_interval(days => $1), registered_at) END
         FROM due
       ON CONFLICT (rule_key) DO NOTHING
       RETURNING id, raised_at
     )
     INSERT INTO petitions.warning_events (warning_id, action, note, at)
     SELECT id, 'RAISED', 'raised by rule deadline', raised_at FROM raised`,
    [DEADLINE_NEAR_DAYS],
  );
  return rowCount ?? 0;
}

/** Runs the deadline sweep now and every `intervalMs`, until stopped. */
export function startDeadlineSweeper(db: Pool, intervalMs: number): { stop(): Promise<void> } {
  return runPeriodically('petitions deadline sweep', intervalMs, () => sweepDeadlines(db));
}
