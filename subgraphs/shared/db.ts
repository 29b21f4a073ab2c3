import { Pool, PoolClient } from 'pg';

export type Db = Pool;

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server (a restart, a killed backend) must not crash the process.
  pool.on('error', (error) => console.warn(`[db] idle client error: ${error.message}`));
  return pool;
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
