import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { logger } from '../../platform/logger';

export type Db = Pool;

/**
 * Statements sent through each pool, counted at the client so that a test (or the benchmark)
 * can show how many a request costs: the count must not grow with the length of a list.
 */
const statementCounts = new WeakMap<Pool, { count: number; observe?: (seconds: number) => void }>();

/** `observe` hears the duration of each statement sent through `pool` (its query latency series). */
export function observeQueries(pool: Pool, observe: (seconds: number) => void): void {
  const counter = statementCounts.get(pool);
  if (counter) counter.observe = observe;
}

export function statementCount(pool: Pool): number {
  return statementCounts.get(pool)?.count ?? 0;
}

/**
 * Parameterised SELECTs run as named prepared statements, one name per statement text: each
 * connection parses and plans a statement once and then only binds it. A fan-out sends the
 * same few statements to every region on every request, and parsing and planning were a third
 * of PostgreSQL's time for them. HUB_PG_PREPARE=0 turns this off (for a pooler in transaction
 * mode without prepared-statement support).
 */
const PREPARE = process.env.HUB_PG_PREPARE !== '0';
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 5000;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  // Not `*` selections: a column added while connections hold the statement would change its
  // result type, which PostgreSQL refuses for a prepared statement.
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS && /^\s*select\b/i.test(text) && !text.replace(/count\(\*\)/gi, '').includes('*')) {
    name = `yrd_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** `onStatement` also hears of each statement (a region served from a worker thread counts into shared memory). */
export function createPool(connectionString: string, max = 10, onStatement?: () => void): Pool {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  const counter: { count: number; observe?: (seconds: number) => void } = { count: 0 };
  statementCounts.set(pool, counter);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      counter.count += 1;
      onStatement?.();
      if (counter.observe) return timed(counter.observe, query, args);
      return prepared(query, args);
    };
  });
  // An idle client that loses its server (a restart, a killed backend) must not crash the process.
  pool.on('error', (error) => logger.warn(`[db] idle client error: ${error.message}`));
  return pool;
}

/** Runs the statement and reports its duration, for promise and callback calls alike. */
function timed(observe: (seconds: number) => void, query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const startedAt = performance.now();
  const done = () => observe((performance.now() - startedAt) / 1000);
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as (...results: unknown[]) => void;
    args[last] = (...results: unknown[]) => {
      done();
      callback(...results);
    };
    return prepared(query, args);
  }
  const result = prepared(query, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  return result;
}

/** Sends the statement, as a named prepared statement when it is one (see statementName). */
function prepared(query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  // (text, values) or, from Pool.query, (text, values, callback).
  if (PREPARE && typeof args[0] === 'string' && Array.isArray(args[1]) && (args.length === 2 || (args.length === 3 && typeof args[2] === 'function'))) {
    const name = statementName(args[0]);
    if (name) return query({ name, text: args[0], values: args[1] }, ...args.slice(2));
  }
  return query(...args);
}

/** Runs `work` in one transaction: all of it commits, or none of it does. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** True for a PostgreSQL unique violation: the second of two simultaneous writes of one key. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
