import type { Pool } from 'pg';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { toGlobalId } from '../../auth/global-id';
import { chunk, DEMO_EPOCH, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { RegionSummary } from '../shared/context';
import type { SeedOptions } from '../shared/subgraph-module';
import { WarningKind, WarningLevel } from './types';

const DAY = 86_400_000;
const LEVELS = [WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.ORANGE, WarningLevel.YELLOW, WarningLevel.YELLOW, WarningLevel.BLUE];
const LOCAL_KINDS = [WarningKind.REPEAT, WarningKind.GROUP_VISIT, WarningKind.LEVEL_SKIPPING, WarningKind.DEADLINE];
const TOPICS = ['征地拆迁补偿', '劳资纠纷欠薪', '环境污染投诉', '物业管理纠纷', '医疗纠纷', '社保待遇', '房屋质量问题', '教育入学'];

/**
 * Demo warnings: about a third concern persons registered in another region (the cross-region
 * warnings the Delta shares), the rest local residents. Person ids 1..scale.persons exist in
 * every region's personnel seed, so every subject resolves.
 */
export async function seedPetitions(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'petitions', options.seed, async (client) => {
    const random = new SeededRandom(options.seed, 'petitions', region.code);
    const others = options.regions.filter((r) => r.code !== region.code);
    const counties = countiesOf(region.code);
    const rows = Array.from({ length: options.scale.warnings }, () => {
      const crossRegion = others.length > 0 && random.chance(0.35);
      const home = crossRegion ? random.pick(others).code : region.code;
      const topic = random.pick(TOPICS);
      return {
        level: random.pick(LEVELS),
        kind: crossRegion ? WarningKind.CROSS_REGION : random.pick(LOCAL_KINDS),
        subjectId: toGlobalId(home, 1 + random.int(options.scale.persons)),
        raisedIn: random.pick(counties),
        summary: crossRegion ? `外地户籍人员来访：${topic}` : `${topic}`,
        raisedAt: new Date(DEMO_EPOCH - random.int(180 * DAY)).toISOString(),
      };
    });
    for (const batch of chunk(rows, 1000)) {
      await client.query(
        `INSERT INTO petitions.warnings (level, kind, subject_id, raised_in, summary, raised_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
        [
          batch.map((r) => r.level),
          batch.map((r) => r.kind),
          batch.map((r) => r.subjectId),
          batch.map((r) => r.raisedIn),
          batch.map((r) => r.summary),
          batch.map((r) => r.raisedAt),
        ],
      );
    }
  });
}
