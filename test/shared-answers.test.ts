import { SharedAnswers } from '../gateway/live/shared-answers';

/** One execution per key while it is in flight; a settled answer is never reused. */

test('identical keys in flight share one execution; another key runs its own', async () => {
  const shared = new SharedAnswers<number>();
  let runs = 0;
  let release!: (value: number) => void;
  const slow = () => (runs++, new Promise<number>((resolve) => (release = resolve)));
  const first = shared.run('a', slow);
  const second = shared.run('a', slow);
  const other = shared.run('b', async () => (runs++, 7));
  expect(runs).toBe(2);
  release(42);
  await expect(Promise.all([first, second, other])).resolves.toEqual([42, 42, 7]);
  expect(shared.size).toBe(0);
});

test('after an answer settles, the same key runs again (events are not cached)', async () => {
  const shared = new SharedAnswers<number>();
  let runs = 0;
  await shared.run('a', async () => ++runs);
  await expect(shared.run('a', async () => ++runs)).resolves.toBe(2);
});

test('a failure reaches every sharer and is not kept', async () => {
  const shared = new SharedAnswers<number>();
  const failing = () => Promise.reject(new Error('roster unavailable'));
  const both = [shared.run('a', failing), shared.run('a', async () => 1)];
  await expect(both[0]).rejects.toThrow('roster unavailable');
  await expect(both[1]).rejects.toThrow('roster unavailable');
  await expect(shared.run('a', async () => 3)).resolves.toBe(3);
});
