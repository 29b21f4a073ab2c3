import type { Pool } from 'pg';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { makeResidentId } from '../../auth/resident-id';
import { chunk, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { RegionSummary } from '../shared/context';
import type { SeedOptions } from '../shared/subgraph-module';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '沈', '顾', '钱', '欧阳', '诸葛'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强', '海燕'];

/**
 * Demo residents with ids 1..scale.persons (explicit, so other regions' seeds can point at
 * them) and synthetic, check-valid resident id numbers: sequence numbers from 900 upward
 * keep them apart from real ones issued in the same area on the same day.
 */
export async function seedPersonnel(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'personnel', options.seed, async (client) => {
    const random = new SeededRandom(options.seed, 'personnel', region.code);
    const counties = countiesOf(region.code);
    const issued = new Set<string>();
    const rows = Array.from({ length: options.scale.persons }, (_, index) => {
      const home = random.pick(counties);
      let birthDay = Date.UTC(1950 + random.int(55), random.int(12), 1 + random.int(28));
      let idNumber: string;
      // A clash with an earlier demo number moves the birth date on a day: still deterministic.
      while (issued.has((idNumber = makeResidentId(home, new Date(birthDay).toISOString().slice(0, 10), 900 + (index % 100))))) {
        birthDay += 86_400_000;
      }
      issued.add(idNumber);
      return {
        id: index + 1,
        name: random.pick(SURNAMES) + random.pick(GIVEN),
        idNumber,
        phone: `1${random.pick(['38', '39', '58', '86', '77'])}${String(random.int(1e8)).padStart(8, '0')}`,
        home,
      };
    });
    for (const batch of chunk(rows, 1000)) {
      await client.query(
        `INSERT INTO personnel.persons (id, name, id_number, phone, home_jurisdiction)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
        [batch.map((r) => r.id), batch.map((r) => r.name), batch.map((r) => r.idNumber), batch.map((r) => r.phone), batch.map((r) => r.home)],
      );
    }
    // Explicit ids leave the identity sequence behind; move it past them for later inserts.
    await client.query(
      "SELECT setval(pg_get_serial_sequence('personnel.persons', 'id'), GREATEST((SELECT max(id) FROM personnel.persons), 1))",
    );
  });
}
