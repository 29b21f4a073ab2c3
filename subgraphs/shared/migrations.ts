import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';

/**
 * Versioned SQL migrations, one folder per subgraph (`NNN_name.sql`), applied in order inside
 * one transaction each and recorded in `public.schema_migrations`. Several subgraphs share a
 * region's database, so history is kept per subgraph. An advisory lock makes concurrent start-ups
 * take turns; a recorded migration whose file has since changed stops the start-up, because the
 * database no longer matches the code that claims to describe it.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_PATTERN = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
const LOCK_KEY = 7_310_000_001; // any constant; shared by every hub process migrating this database

export function readMigrations(folder: string): Migration[] {
  const migrations = readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`${path.join(folder, file)}: migration files are named NNN_lowercase_name.sql`);
      const sql = readFileSync(path.join(folder, file), 'utf8');
      return { version: Number(match[1]), name: match[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version === migrations[index - 1].version) {
      throw new Error(`${folder}: two migrations share version ${migration.version}`);
    }
  });
  return migrations;
}

/** Applies the migrations of `subgraph` not yet recorded; returns the versions it applied. */
export async function migrate(pool: Pool, subgraph: string, migrations: Migration[]): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS public.schema_migrations (
        subgraph   text        NOT NULL,
        version    integer     NOT NULL,
        name       text        NOT NULL,
        checksum   text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subgraph, version)
      )`);
    const { rows } = await client.query<{ version: number; checksum: string; name: string }>(
      'SELECT version, checksum, name FROM public.schema_migrations WHERE subgraph = $1',
      [subgraph],
    );
    const recorded = new Map(rows.map((row) => [row.version, row]));
    const applied: number[] = [];
    for (const migration of migrations) {
      const previous = recorded.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(
            `${subgraph} migration ${migration.version}_${migration.name} was changed after it was applied ` +
              `(recorded checksum ${previous.checksum.slice(0, 12)}…, file ${migration.checksum.slice(0, 12)}…): ` +
              'add a new migration instead of editing an applied one',
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO public.schema_migrations (subgraph, version, name, checksum) VALUES ($1, $2, $3, $4)', [
          subgraph,
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`${subgraph} migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
