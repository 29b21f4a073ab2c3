import type { AuthenticatedRequest } from '../gateway/authentication';
import { RecentCallers } from '../gateway/live/recent-callers';

/** A subscriber's caller is checked again for each event, but at most once per `freshMs`, and never past its token's expiry. */

const checked = (officerId: string, expiresAt: number): AuthenticatedRequest =>
  ({ caller: { id: officerId, expiresAt }, context: { officerId } }) as unknown as AuthenticatedRequest;

test('a check is reused while fresh and made again after', async () => {
  let now = 1_000_000;
  const callers = new RecentCallers(1000, () => now);
  let checks = 0;
  const check = async () => (checks++, checked('330400:1', now / 1000 + 3600));
  const first = await callers.get('token', check);
  now += 999;
  expect(await callers.get('token', check)).toBe(first);
  expect(checks).toBe(1);
  now += 1;
  expect(await callers.get('token', check)).not.toBe(first);
  expect(checks).toBe(2);
  // Other credentials are checked on their own.
  await callers.get('another token', check);
  expect(checks).toBe(3);
});

test('a failed check is not kept: the next event checks again', async () => {
  const now = 1_000_000;
  const callers = new RecentCallers(1000, () => now);
  await expect(callers.get('token', () => Promise.reject(new Error('not on the roster')))).rejects.toThrow('not on the roster');
  await expect(callers.get('token', async () => checked('330400:1', now / 1000 + 3600))).resolves.toMatchObject({ caller: { id: '330400:1' } });
});

test('a check is not reused past the expiry of the token it checked', async () => {
  let now = 1_000_000;
  const callers = new RecentCallers(1000, () => now);
  let checks = 0;
  const check = async () => (checks++, checked('330400:1', (1_000_000 + 300) / 1000));
  await callers.get('token', check);
  now += 300;
  await callers.get('token', check);
  expect(checks).toBe(2);
});
