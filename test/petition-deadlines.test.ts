import 'reflect-metadata';
import { daysLeft, deadlineAfter, lastDayOf } from '../subgraphs/petitions/lifecycle';
import { petitionsInBusiestWindow } from '../subgraphs/petitions/warning-rules';
import { PetitionResolver } from '../subgraphs/petitions/petition-resolver';
import { DeadlineKind } from '../subgraphs/petitions/lifecycle';
import type { Petition } from '../subgraphs/petitions/types';

/** The one function for time limits, and the repeat-petition window, at their edges. */

const beijing = (local: string) => new Date(`${local}+08:00`);

describe('deadlineAfter: 24:00 Beijing time of the last day, the start day not counted', () => {
  test('registered at any hour of 1 December, 15 days end with 16 December', () => {
    for (const at of ['2026-12-01T00:00:00', '2026-12-01T09:30:00', '2026-12-01T23:59:59']) {
      expect(deadlineAfter(beijing(at), 15).toISOString()).toBe('2026-12-16T16:00:00.000Z');
    }
    expect(lastDayOf(deadlineAfter(beijing('2026-12-01T09:30:00'), 15))).toBe('2026-12-16');
  });

  test('the Beijing day decides, not the UTC one: 1 December 07:00 Beijing is still 30 November in UTC', () => {
    expect(deadlineAfter(beijing('2026-12-01T07:00:00'), 15).toISOString()).toBe('2026-12-16T16:00:00.000Z');
  });

  test('across month and year ends', () => {
    expect(lastDayOf(deadlineAfter(beijing('2026-01-31T12:00:00'), 30))).toBe('2026-03-02');
    expect(lastDayOf(deadlineAfter(beijing('2026-12-20T12:00:00'), 15))).toBe('2027-01-04');
    expect(lastDayOf(deadlineAfter(beijing('2028-02-14T12:00:00'), 15))).toBe('2028-02-29');
  });
});

describe('daysLeft counts Beijing calendar days to the last day', () => {
  const due = deadlineAfter(beijing('2026-12-01T10:00:00'), 15); // last day 16 December
  test.each([
    ['2026-12-01T10:00:00', 15],
    ['2026-12-16T00:00:00', 0],
    ['2026-12-16T23:59:59', 0],
    ['2026-12-17T00:00:00', -1],
    ['2026-12-17T23:59:59', -1],
    ['2026-12-18T00:00:01', -2],
  ])('at %s Beijing time: %i', (now, left) => {
    expect(daysLeft(due, beijing(now))).toBe(left);
  });
});

describe('a petition is overdue from 24:00 of its last day itself, the instant daysLeft turns -1', () => {
  const due = deadlineAfter(beijing('2026-12-01T10:00:00'), 15); // 2026-12-17T00:00 Beijing
  const petition = { deadlineFacts: { kind: DeadlineKind.ACCEPTANCE, dueAt: due, officersOwe: true } } as Petition;
  const resolver = new PetitionResolver();
  afterEach(() => jest.useRealTimers());
  test.each([
    [new Date(due.getTime() - 1), 0, false],
    [due, -1, true],
  ])('at %s', (now, left, overdue) => {
    // The resolver reads the clock itself; the fake clock puts it at the boundary.
    jest.useFakeTimers({ now });
    expect(resolver.deadline(petition)).toMatchObject({ daysLeft: left, overdue });
    expect(resolver.overdue(petition)).toBe(overdue);
  });
});

describe('petitionsInBusiestWindow: any 30-day window holding the petition', () => {
  const day = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 86_400_000);
  test('a letter dated before two later petitions makes three', () => {
    expect(petitionsInBusiestWindow([day(10), day(12), day(12)], day(10))).toBe(3);
  });
  test('petitions more than 30 days apart are not one window', () => {
    expect(petitionsInBusiestWindow([day(0), day(5), day(40)], day(5))).toBe(2);
    expect(petitionsInBusiestWindow([day(0), day(5), day(36)], day(36))).toBe(1);
  });
  test('exactly 30 days apart still count together', () => {
    expect(petitionsInBusiestWindow([day(0), day(15), day(30)], day(30))).toBe(3);
  });
});
