import type { Reader } from '../auth/context-token';
import type { AuthenticatedRequest } from '../gateway/authentication';
import { ReaderGroups } from '../gateway/live/reader-groups';

/** Subscribers of equal rights asking the same event's selection at once: one execution, every reader named. */

const member = (officerId: string, requestId = `r-${officerId}`) => ({ context: { officerId, requestId } }) as unknown as AuthenticatedRequest;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const runs: Array<{ leader: string; readers: readonly Reader[] }> = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const execute = async (leader: AuthenticatedRequest, readers: readonly Reader[]) => {
    const run = runs.push({ leader: leader.context.officerId, readers });
    await gate;
    return `answer ${run}`;
  };
  return { runs, execute, release };
}

test('members asking in the same turn share one execution, which names every other officer once', async () => {
  const groups = new ReaderGroups<string>(100);
  const { runs, execute, release } = recorder();
  const answers = [member('320500:1'), member('320500:9'), member('320500:1', 'second tab'), member('320500:12')].map((m) => groups.run('key', m, execute));
  release();
  expect(await Promise.all(answers)).toEqual(['answer 1', 'answer 1', 'answer 1', 'answer 1']);
  expect(runs).toEqual([
    {
      leader: '320500:1',
      readers: [
        { officerId: '320500:9', requestId: 'r-320500:9' },
        { officerId: '320500:12', requestId: 'r-320500:12' },
      ],
    },
  ]);
});

test('other keys never share; an officer already named in a running group joins it, a new one starts another', async () => {
  const groups = new ReaderGroups<string>(100);
  const { runs, execute, release } = recorder();
  const first = groups.run('key', member('320500:1'), execute);
  const otherKey = groups.run('other key', member('320500:9'), execute);
  await turn();
  expect(runs).toHaveLength(2);
  // While the first group runs: the same officer (another tab) gets its answer; another officer is not in it.
  expect(groups.run('key', member('320500:1', 'late tab'), execute)).toBe(first);
  const late = groups.run('key', member('320500:12'), execute);
  await turn();
  release();
  expect(await Promise.all([first, otherKey, late])).toEqual(['answer 1', 'answer 2', 'answer 3']);
  expect(runs.map((run) => run.leader)).toEqual(['320500:1', '320500:9', '320500:12']);
  expect(groups.size).toBe(0);
});

test('a group holds at most maxReaders officers; the next ones form another', async () => {
  const groups = new ReaderGroups<string>(2);
  const { runs, execute, release } = recorder();
  const answers = ['320500:1', '320500:2', '320500:3'].map((id) => groups.run('key', member(id), execute));
  release();
  await Promise.all(answers);
  expect(runs.map((run) => [run.leader, run.readers.map((reader) => reader.officerId)])).toEqual([
    ['320500:1', ['320500:2']],
    ['320500:3', []],
  ]);
});

test('a failed execution fails every member of its group, and the next event forms a new one', async () => {
  const groups = new ReaderGroups<string>(100);
  const failing = () => Promise.reject(new Error('region down'));
  const answers = [member('320500:1'), member('320500:2')].map((m) => groups.run('key', m, failing));
  for (const answer of answers) await expect(answer).rejects.toThrow('region down');
  await expect(groups.run('key', member('320500:1'), async () => 'recovered')).resolves.toBe('recovered');
});
