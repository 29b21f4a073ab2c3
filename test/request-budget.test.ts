import { ApolloServer } from '@apollo/server';
import { execFileSync } from 'node:child_process';
import { RequestRegionBudget } from '../gateway/request-budget';
import { listen } from '../platform/apollo-http';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The per-request deadline every regional fetch of a request shares (one timer per request and
 * region timeout, not one per fetch), and the HTTP layer's hook that ends it once answered.
 */

const abortedWith = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('RequestRegionBudget.deadline', () => {
  test('one signal per timeout, aborting with a TimeoutError when the time since the request began has passed', async () => {
    const budget = new RequestRegionBudget();
    const short = budget.deadline(40);
    expect(budget.deadline(40)).toBe(short);
    const long = budget.deadline(60_000);
    expect(long).not.toBe(short);
    const reason = (await abortedWith(short)) as DOMException;
    expect(reason.name).toBe('TimeoutError');
    expect(reason.message).toMatch(/40 ms/);
    expect(Date.now() - budget.startedAt).toBeGreaterThanOrEqual(39);
    expect(long.aborted).toBe(false);
    budget.finish();
  });

  test('finish() cancels what still runs for the request, and a later deadline is a new one', () => {
    const budget = new RequestRegionBudget();
    const signal = budget.deadline(60_000);
    budget.finish();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    expect(budget.deadline(60_000).aborted).toBe(false);
    budget.finish();
  });

  test('forty-one concurrent fetches may listen to one deadline without a listener-leak warning', () => {
    // Node warns past 10 abort listeners on a signal. Jest's sandbox neither delivers process
    // warnings nor shares Node's EventTarget class, so a plain Node process (over the built
    // code, which `npm test` compiles first) adds the listeners and reports its warnings.
    const script = `
      const { RequestRegionBudget } = require(${JSON.stringify(repoPath('dist', 'gateway', 'request-budget.js'))});
      const warnings = [];
      process.on('warning', (warning) => warnings.push(warning.name));
      const budget = new RequestRegionBudget();
      const signal = budget.deadline(60000);
      for (let i = 0; i < 41; i++) signal.addEventListener('abort', () => undefined);
      setImmediate(() => { budget.finish(); console.log(JSON.stringify({ warnings, aborted: signal.aborted })); });`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ warnings: [], aborted: true });
  });
});

describe('RequestRegionBudget.waitFor: each region spends its own timeout', () => {
  test('time spent waiting for one region leaves every other region its whole budget', async () => {
    const budget = new RequestRegionBudget();
    const hung = budget.waitFor('340100', 60);
    const reason = (await abortedWith(hung.signal)) as DOMException;
    hung.done();
    expect(reason.name).toBe('TimeoutError');
    expect(budget.regionRemaining('340100', 60)).toBe(0);
    // Asked after the hung region used up its time, as the next stage of a plan is.
    const healthy = budget.waitFor('320500', 60_000);
    expect(healthy.remainingMs).toBe(60_000);
    expect(healthy.signal.aborted).toBe(false);
    healthy.done();
    budget.finish();
  });

  test('concurrent fetches to one region spend its budget once, and a later fetch gets what is left', async () => {
    const budget = new RequestRegionBudget();
    const first = budget.waitFor('330400', 60_000);
    const second = budget.waitFor('330400', 60_000);
    expect(second.signal).toBe(first.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.done();
    second.done();
    first.done(); // twice is once
    const left = budget.regionRemaining('330400', 60_000);
    expect(left).toBeLessThan(60_000);
    expect(left).toBeGreaterThan(60_000 - 20_000);
    expect(budget.waitFor('330400', 60_000).remainingMs).toBe(left);
    budget.finish();
  });
});

describe('listen(): a route is told when its request was answered', () => {
  test('finished() receives the context the request was answered with; a refused context is not passed on', async () => {
    const server = new ApolloServer<{ n: number }>({
      typeDefs: 'type Query { n: Int }',
      resolvers: { Query: { n: (_: unknown, __: unknown, context: { n: number }) => context.n } },
    });
    await server.start();
    const finished: number[] = [];
    let next = 0;
    const http = await listen({
      port: 0,
      routes: {
        '/graphql': {
          server,
          context: async (request) => {
            if (request.headers['x-refuse']) throw new Error('refused');
            return { n: ++next };
          },
          finished: (context: { n: number }) => finished.push(context.n),
        },
      },
    });
    try {
      const post = (headers: Record<string, string> = {}) =>
        fetch(`${http.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ n }' }),
        }).then((r) => r.json());
      expect(await post()).toEqual({ data: { n: 1 } });
      expect(await post()).toEqual({ data: { n: 2 } });
      const refused = await post({ 'x-refuse': '1' });
      expect(refused.errors?.[0].message).toMatch(/context creation failed/i);
      await new Promise((resolve) => setImmediate(resolve));
      expect(finished).toEqual([1, 2]);
    } finally {
      await http.close();
      await server.stop();
    }
  });
});
