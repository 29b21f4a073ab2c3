/**
 * Days as the offices count them: calendar days of Beijing time (Asia/Shanghai), a limit
 * ending at 24:00 of its last day. Petitions' time limits and enforcement's rectification
 * deadlines both come from `deadlineAfter`, so the two cannot drift apart.
 */

export const DAY_MS = 86_400_000;

/** Beijing time is UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar day of `at`, as a day number (days since 1970-01-01 there). */
export function shanghaiDay(at: Date): number {
  return Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/**
 * The one function that computes a time limit: `days` days from `from`, ending at 24:00
 * Asia/Shanghai of the last day. As 信访工作条例 counts periods, the day it starts is not
 * counted: registered on 1 December, 15 days end at 24:00 on 16 December (returned as the
 * instant 17 December 00:00 Beijing time, the first moment past the limit). With `days` 0 it is
 * the end of `from`'s own day.
 */
export function deadlineAfter(from: Date, days: number): Date {
  return new Date((shanghaiDay(from) + days + 1) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/**
 * A deadline given as an instant, ending at 24:00 of the day it falls on: 10:00 on 20 March ends
 * at 24:00 on 20 March. An instant at 00:00 already is the end of the day before (as every
 * `dueAt` the hub shows), and stays as it is, so a deadline read back and given again does not move.
 */
export function dayEndOf(at: Date): Date {
  return deadlineAfter(new Date(at.getTime() - 1), 0);
}

/** 00:00 Beijing time of the day `at` falls on, as an instant. */
export function startOfBeijingDay(at: Date): Date {
  return new Date(shanghaiDay(at) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The Beijing calendar date of `at`: "2026-12-16". */
export function beijingDateOf(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last day of a limit ending at `dueAt`, as Beijing's calendar has it: "2026-12-16". */
export function lastDayOf(dueAt: Date): string {
  return beijingDateOf(new Date(dueAt.getTime() - 1));
}

/**
 * Whether a limit ending at `dueAt` has passed at `at`. `dueAt` is 24:00 of the last day, the
 * first moment past it (the last day runs until then, not including it): from that instant on
 * the limit has passed, as `daysLeft` turns -1 then. Every "past its deadline" in the hub is
 * this rule: a petition's `overdue`, its DEADLINE warnings, a finding's follow-up.
 */
export function deadlinePassed(dueAt: Date, at: Date): boolean {
  return at.getTime() >= dueAt.getTime();
}

/**
 * The same rule in SQL, for the sweeps and filters that compare with the database clock:
 * `dueAt` (a column or expression) has passed by `at` (`now()` unless given). Written as a
 * plain comparison of the column so that its index serves it.
 */
export function deadlinePassedSql(dueAt: string, at = 'now()'): string {
  return `${dueAt} <= ${at}`;
}
