import net from 'node:net';
import { Client } from 'pg';
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../subgraphs/shared/db';
import { testDatabaseUrl } from './support/hub';

/**
 * Which failures are the database being gone (the region is unavailable, retry later) and
 * which are the statement's own fault (an internal error): real errors from the test server
 * and from a port nothing listens on.
 */

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

test('connection refused, as from a stopped server', async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const client = new Client({ host: '127.0.0.1', port, user: 'nobody', database: 'none' });
  const error = await failureOf(() => client.connect());
  expect(isDatabaseUnavailable(error)).toBe(true);
  // As a resolver's error reaches formatError: wrapped in a GraphQLError.
  expect(isDatabaseUnavailable(new GraphQLError('wrapped', { originalError: error as Error }))).toBe(true);
});

test('a backend terminated mid-query (pg_terminate_backend), and the next query on that client', async () => {
  const victim = new Client({ connectionString: testDatabaseUrl() });
  victim.on('error', () => undefined);
  await victim.connect();
  const [{ pid }] = (await victim.query('SELECT pg_backend_pid() AS pid')).rows;
  const sleeping = failureOf(() => victim.query('SELECT pg_sleep(30)'));
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%'", [pid]);
      if (rows.length) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
  const terminated = await sleeping;
  expect((terminated as { code?: string }).code).toBe('57P01');
  expect(isDatabaseUnavailable(terminated)).toBe(true);
  expect(isDatabaseUnavailable(await failureOf(() => victim.query('SELECT 1')))).toBe(true);
});

test('a statement’s own faults are not unavailability', async () => {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    expect(isDatabaseUnavailable(await failureOf(() => client.query('SELECT no_such_column FROM pg_class')))).toBe(false);
    expect(isDatabaseUnavailable(await failureOf(() => client.query('SELEC 1')))).toBe(false);
    expect(isDatabaseUnavailable(await failureOf(() => client.query('SELECT 1/0')))).toBe(false);
  } finally {
    await client.end();
  }
  expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
});
