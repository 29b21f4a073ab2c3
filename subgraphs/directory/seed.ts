import type { Pool } from 'pg';
import { DELTA_JURISDICTIONS } from '../../auth/delta-jurisdictions';
import { levelOf } from '../../auth/jurisdiction';
import { seedOnce } from '../shared/seed-once';
import type { SeedOptions } from '../shared/subgraph-module';

/** The jurisdiction tree: reference data, the same on every machine. */
export async function seedDirectory(db: Pool, _region: unknown, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'directory', options.seed, async (client) => {
    // Parents first, so that the foreign key holds row by row.
    const ordered = [...DELTA_JURISDICTIONS].sort((a, b) => (a.parent ? 1 : 0) - (b.parent ? 1 : 0) || a.code.localeCompare(b.code));
    await client.query(
      `INSERT INTO directory.jurisdictions (code, name, level, parent_code, note)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        ordered.map((j) => j.code),
        ordered.map((j) => j.name),
        ordered.map((j) => levelOf(j.code)),
        ordered.map((j) => j.parent),
        ordered.map((j) => j.note ?? null),
      ],
    );
  });
}
