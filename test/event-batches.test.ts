import { EventBatches } from '../gateway/live/event-batches';
import type { QueryAnswer } from '../gateway/live/warning-event-stream';

/** Live events' executions batched by load: one execution at a time per lane, the events asked meanwhile together. */

type Call = { runAs: string; ids: unknown[]; finish(): void };

function recorder() {
  const calls: Call[] = [];
  const batches = new EventBatches<string>(
    (runAs, _query, eventsVariables) =>
      new Promise<QueryAnswer[]>((resolve) =>
        calls.push({
          runAs,
          ids: eventsVariables.map((variables) => variables.id),
          finish: () => resolve(eventsVariables.map((variables) => ({ data: { id: variables.id } }))),
        }),
      ),
    3,
  );
  return { calls, batches };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('events asked in one turn run as one execution, as the last one asked (its check the newest); those asked while it runs wait and then run together', async () => {
  const { calls, batches } = recorder();
  const first = [1, 2].map((id) => batches.run('lane', `caller${id}`, 'q', { id }));
  await turn();
  expect(calls.map((call) => call.ids)).toEqual([[1, 2]]);
  expect(calls[0].runAs).toBe('caller2');
  const meanwhile = [3, 4].map((id) => batches.run('lane', 'caller3', 'q', { id }));
  await turn();
  expect(calls).toHaveLength(1);
  calls[0].finish();
  expect(await Promise.all(first)).toEqual([{ data: { id: 1 } }, { data: { id: 2 } }]);
  await turn();
  expect(calls.map((call) => call.ids)).toEqual([
    [1, 2],
    [3, 4],
  ]);
  calls[1].finish();
  expect(await Promise.all(meanwhile)).toEqual([{ data: { id: 3 } }, { data: { id: 4 } }]);
  await turn();
  expect(batches.size).toBe(0);
});

test('lanes do not wait for each other, and a batch holds at most the most events given', async () => {
  const { calls, batches } = recorder();
  const answers = [1, 2, 3, 4].map((id) => batches.run('a', 'x', 'q', { id }));
  batches.run('b', 'y', 'q', { id: 9 });
  await turn();
  expect(calls.map((call) => call.ids)).toEqual([[1, 2, 3], [9]]);
  calls[0].finish();
  await answers[0];
  await turn();
  expect(calls.map((call) => call.ids)).toEqual([[1, 2, 3], [9], [4]]);
});

test('an execution that fails fails every event of its batch, and the lane goes on with the next', async () => {
  let executions = 0;
  const batches = new EventBatches<string>(async (_runAs, _query, eventsVariables) => {
    if (++executions === 1) throw new Error('region down');
    return eventsVariables.map(() => ({ data: {} }));
  });
  const failed = [1, 2].map((id) => batches.run('lane', 'x', 'q', { id }).catch((error: Error) => error.message));
  await turn();
  const next = batches.run('lane', 'x', 'q', { id: 3 });
  expect(await Promise.all(failed)).toEqual(['region down', 'region down']);
  expect(await next).toEqual({ data: {} });
  expect(executions).toBe(2);
});
