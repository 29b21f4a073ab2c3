import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './db';

/**
 * Runs a subgraph's demo seed once per database: the run is recorded in the same transaction
 * as the data, so a failed seed leaves nothing and a later start tries again.
 */
export async function seedOnce(db: Pool, subgraph: string, seed: number, work: (client: PoolClient) => Promise<void>): Promise<boolean> {
  await db.query(`CREATE TABLE IF NOT EXISTS public.seed_runs (
    subgraph text PRIMARY KEY, seed integer NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`);
  return inTransaction(db, async (client) => {
    const claimed = await client.query('INSERT INTO public.seed_runs (subgraph, seed) VALUES ($1, $2) ON CONFLICT (subgraph) DO NOTHING RETURNING subgraph', [
      subgraph,
      seed,
    ]);
    if (claimed.rowCount === 0) return false;
    await work(client);
    return true;
  });
}
