import type { Caller } from '../auth/caller-token';
import { RosterCheck, RosterEntry, RosterUnavailableError } from '../gateway/roster';

/**
 * The roster cache alone (the lookup stands in for the personnel subgraph; test/roster.e2e.test.ts
 * runs it over HTTP): what one officer's concurrent requests cost, and that a failed lookup is
 * neither remembered nor taken as an answer.
 */

const caller: Caller = { id: '330400:1', issuer: 'test', jurisdiction: '330400', agency: null, roles: ['PETITION_OFFICER'], login: null, expiresAt: 0 };
const onRoster: RosterEntry = { active: true, jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER', 'SUPERVISOR'] };

test('concurrent requests of one officer share one lookup, and the roster’s agency is filled in', async () => {
  const asked: string[] = [];
  const roster = new RosterCheck(async (region, localId) => {
    asked.push(`${region}:${localId}`);
    return onRoster;
  });
  const results = await Promise.all(Array.from({ length: 20 }, () => roster.confirm(caller)));
  expect(asked).toEqual(['330400:1']);
  expect(results.every((result) => !('refused' in result) && result.agency === 'PETITION_BUREAU')).toBe(true);
  await roster.confirm({ ...caller, id: '330400:2' }).catch(() => undefined);
  expect(asked).toEqual(['330400:1', '330400:2']);
});

test('a lookup that fails is refused as unavailable and asked again next time', async () => {
  let calls = 0;
  const roster = new RosterCheck(async () => {
    calls += 1;
    if (calls === 1) throw new Error('connection refused');
    return onRoster;
  });
  await expect(roster.confirm(caller)).rejects.toBeInstanceOf(RosterUnavailableError);
  await expect(roster.confirm(caller)).resolves.toMatchObject({ id: '330400:1' });
  expect(calls).toBe(2);
});

test('an answer is kept only for its period', async () => {
  let calls = 0;
  const roster = new RosterCheck(async () => {
    calls += 1;
    return onRoster;
  }, 0);
  await roster.confirm(caller);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await roster.confirm(caller);
  expect(calls).toBe(2);
});
