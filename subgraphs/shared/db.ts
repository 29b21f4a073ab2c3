import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { logger } from '../../platform/logger';
import { failSpan, inSpan, SpanKind, tracingOn } from '../../platform/tracing';

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
  const database = new URL(connectionString).pathname.slice(1);
  const counter: { count: number; observe?: (seconds: number) => void } = { count: 0 };
  statementCounts.set(pool, counter);
  pool.on('connect', (client) => {
    // A connection lost while checked out (a terminated backend mid-query) fails its query; the
    // client's own 'error' event would otherwise crash the process.
    client.on('error', () => undefined);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      counter.count += 1;
      onStatement?.();
      if (tracingOn()) return traced(database, counter.observe, query, args);
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
    args[last] = doneThen(done, args[last] as (...results: unknown[]) => void);
    return prepared(query, args);
  }
  const result = prepared(query, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  return result;
}

/**
 * `callback`, after `done`. Made by a function of its own, not inline in timed(): made there,
 * the region threads promoted five to seven times as much to the old generation as without
 * metrics (a statement's callback reaches its request's data) and ran a mark-compact every
 * few seconds; made here, no more than without. Measured with V8's --trace-gc-nvp; why V8
 * keeps the one wrapper's reach alive and not the other's is not known.
 */
function doneThen(done: () => void, callback: (...results: unknown[]) => void): (...results: unknown[]) => void {
  return (...results) => {
    done();
    callback(...results);
  };
}

/**
 * The statement in a client span of its own under the request's (OpenTelemetry's database
 * conventions: the statement text with its placeholders, never the values). Spans are made here,
 * around the one wrapper every statement goes through, rather than by instrumentation-pg: that
 * patches `pg` through a require hook, which must run before anything loads `pg`, which jest's
 * module registry and the worker threads would each have to arrange again.
 */
function traced(database: string, observe: ((seconds: number) => void) | undefined, query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '');
  const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const attributes = { 'db.system.name': 'postgresql', 'db.namespace': database, 'db.operation.name': operation, 'db.query.text': text };
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    // Callback form (Pool.query): the span ends when the callback is called.
    return inSpan(
      `${operation} ${database}`,
      SpanKind.CLIENT,
      attributes,
      (span) =>
        new Promise<void>((settle) => {
          const callback = args[last] as (...results: unknown[]) => void;
          args[last] = (...results: unknown[]) => {
            if (results[0]) failSpan(span, (results[0] as Error).message);
            settle();
            callback(...results);
          };
          if (observe) timed(observe, query, args);
          else prepared(query, args);
        }),
    ).then(() => undefined);
  }
  return inSpan(
    `${operation} ${database}`,
    SpanKind.CLIENT,
    attributes,
    () => (observe ? timed(observe, query, args) : prepared(query, args)) as Promise<unknown>,
  );
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
  let lost: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // PostgreSQL rolls back a transaction whose connection is gone; one that lives is rolled back here.
    if (isDatabaseUnavailable(error)) lost = error as Error;
    else await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(lost); // a lost connection is discarded, not handed to the next caller
  }
}

/** True for a PostgreSQL unique violation: the second of two simultaneous writes of one key. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * SQLSTATEs that say the database could not be used, not that a statement was wrong: class 08
 * (connection exception), administrator or crash shutdown and "cannot connect now" (57P01–03,
 * what pg_terminate_backend and a stopping server send), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
/** What a connection that could not be made or was lost raises (Node's socket codes). */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres' own words for a lost or unobtainable connection (it gives them no code). */
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended)/;

/**
 * True when `error` (or what it wraps: a GraphQL error's originalError, an Error's cause) is the
 * database being unreachable or gone rather than a fault of the statement: the region is
 * unavailable, which its caller may retry, not an internal error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    const errors = (current as { errors?: unknown }).errors; // AggregateError: every address refused
    if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
    current = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
