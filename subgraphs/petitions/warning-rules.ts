import type { ClientBase, Pool, PoolClient } from 'pg';
import { parseGlobalId } from '../../auth/global-id';
import { deadlinePassedSql } from '../shared/beijing-day';
import { runPeriodically } from '../shared/periodic';
import { DAY_MS } from './lifecycle';
import type { PetitionRow } from './petition-repository';
import { listMatterPetitionTimes, MatterRow } from './matter-repository';
import { contains } from '../../auth/jurisdiction';
import { WarningKind, WarningLevel } from './types';
import { insertWarning, NewWarning, WarningRow } from './warning-repository';

/**
 * Warnings the hub raises by itself. Each has a rule key, unique in the table, so that a rule
 * never raises the same warning twice however often it runs or however many run at once.
 */

export const REPEAT_WINDOW_DAYS = 30;
export const REPEAT_THRESHOLD = 3;
/**
 * 集体访: five or more people coming in person about one matter. 信访工作条例 (2022) art. 27
 * has a visit of many people choose representatives, at most 5; practice (and the national
 * petition bureau's statistics) counts a visit of 5 or more people as a group visit. A letter,
 * online or phone petition is never a visit, so never a group visit, however many sign it.
 */
export const GROUP_VISIT_HEADCOUNT = 5;
export const DEADLINE_NEAR_DAYS = 3;

/**
 * Rules that fire when a petition is registered, or received from another region (转送/交办),
 * in that transaction, each about the petition's matter (信访事项) in this region:
 *  - a petitioner whose home region is another region → CROSS_REGION, about that person, once
 *    per matter (a person's fifth petition on the same matter needs no fifth acknowledgement);
 *  - a visit of 5 or more people (集体访, by headcount) → GROUP_VISIT;
 *  - a matter with 3 or more petitions within 30 days (by their registration times, late-entered
 *    letters included) → REPEAT about each petitioner, once per 30 days;
 *  - a petition brought to a level above the agency handling its matter (the city for a county's
 *    matter) → LEVEL_SKIPPING (越级访). Not for a received one: the petitioner brought it to the
 *    registering region (whose registration ran this rule); the level it arrives at here is the
 *    forwarding office's choice, not the petitioner's skipping.
 */
export async function raiseRegistrationWarnings(client: PoolClient, region: string, petition: PetitionRow, matter: MatterRow): Promise<WarningRow[]> {
  const raised: WarningRow[] = [];
  const raise = async (warning: Omit<NewWarning, 'raisedIn' | 'petitionId'>) => {
    const row = await insertWarning(client, { ...warning, raisedIn: petition.registered_in, petitionId: petition.id });
    if (row) raised.push(row);
  };

  const forwardedBy = petition.forwarded_from ? parseGlobalId(petition.forwarded_from)?.region : undefined;
  for (const personId of new Set(petition.petitioner_ids)) {
    const home = parseGlobalId(personId)?.region;
    if (home && home !== region) {
      await raise({
        level: petition.group_visit ? WarningLevel.YELLOW : WarningLevel.BLUE,
        kind: WarningKind.CROSS_REGION,
        subjectId: personId,
        summary: forwardedBy
          ? `外地户籍人员信访（户籍地 ${home}，由 ${forwardedBy} 转送）：${petition.category}`
          : `外地户籍人员来访（户籍地 ${home}）：${petition.category}`,
        ruleKey: `cross-region:matter:${matter.id}:${personId}`,
      });
    }
  }

  if (petition.group_visit) {
    await raise({
      level: petition.headcount >= 50 ? WarningLevel.RED : WarningLevel.ORANGE,
      kind: WarningKind.GROUP_VISIT,
      subjectId: petition.petitioner_ids[0],
      summary: `集体访 ${petition.headcount} 人：${petition.category}`,
      ruleKey: `group-visit:${petition.id}`,
    });
  }

  if (!forwardedBy && petition.registered_in !== matter.handling_jurisdiction && contains(petition.registered_in, matter.handling_jurisdiction)) {
    await raise({
      level: WarningLevel.YELLOW,
      kind: WarningKind.LEVEL_SKIPPING,
      subjectId: petition.petitioner_ids[0],
      summary: `越级访：事项由 ${matter.handling_jurisdiction} 办理，信访人到 ${petition.registered_in} 反映（${petition.category}）`,
      ruleKey: `level-skipping:${petition.id}`,
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
  const times = await listMatterPetitionTimes(
    client,
    matter.id,
    new Date(petition.registered_at.getTime() - REPEAT_WINDOW_DAYS * DAY_MS),
    new Date(petition.registered_at.getTime() + REPEAT_WINDOW_DAYS * DAY_MS),
  );
  const count = petitionsInBusiestWindow(times, petition.registered_at);
  if (count < REPEAT_THRESHOLD) return raised;
  for (const personId of persons) {
    // Once per 30 days of warnings on the matter, whatever became of the last one: resolving a
    // REPEAT warning does not make the next petition of the same month a new one.
    const { rowCount } = await client.query(
      `SELECT 1 FROM petitions.warnings w JOIN petitions.petitions p ON p.id = w.petition_id
        WHERE w.subject_id = $1 AND w.kind = 'REPEAT' AND p.matter_id = $2 AND w.raised_at > now() - make_interval(days => $3) LIMIT 1`,
      [personId, matter.id, REPEAT_WINDOW_DAYS],
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
 * The most petitions in any 30-day window that holds `at`, among `times` (which include `at`'s
 * own petition). Windows are counted by the registration time each petition carries, so a
 * letter entered late counts in the month it arrived, with the petitions that followed it.
 */
export function petitionsInBusiestWindow(times: readonly Date[], at: Date): number {
  const window = REPEAT_WINDOW_DAYS * DAY_MS;
  const sorted = times.map((t) => t.getTime()).sort((a, b) => a - b);
  let most = 0;
  for (const start of sorted) {
    if (start > at.getTime() || start + window < at.getTime()) continue;
    most = Math.max(most, sorted.filter((t) => t >= start && t <= start + window).length);
  }
  return most;
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
export async function sweepDeadlines(db: Pool | ClientBase): Promise<number> {
  const { rowCount } = await db.query(
    `WITH due AS (
       SELECT id, petitioner_ids[1] AS subject_id, registered_in, category, deadline_kind, due_at, registered_at,
              ${deadlinePassedSql('due_at')} AS past
         FROM petitions.petitions
        WHERE officers_owe AND ${deadlinePassedSql('due_at', 'now() + make_interval(days => $1)')}
     ), raised AS (
       INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, petition_id, rule_key, raised_at)
       SELECT CASE WHEN past THEN 'ORANGE' ELSE 'BLUE' END, 'DEADLINE', subject_id, registered_in,
              CASE deadline_kind WHEN 'ACCEPTANCE' THEN '受理' WHEN 'HANDLING' THEN '办理' WHEN 'REVIEW_DECISION' THEN '复查' WHEN 'RE_REVIEW_DECISION' THEN '复核' ELSE '办理' END
              || CASE WHEN past THEN '期限已过' ELSE '期限将至' END
              -- due_at is the first moment past the limit (24:00 of its last day): the day shown is the one before it.
              || '（截止 ' || to_char((due_at - interval '1 millisecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || '）：' || category,
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
