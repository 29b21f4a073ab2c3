import type { Pool } from 'pg';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { chunk, DEMO_EPOCH, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { RegionSummary } from '../shared/context';
import type { SeedOptions } from '../shared/subgraph-module';
import { makeCreditCode } from './credit-code';
import { InspectionStep } from './types';

const DAY = 86_400_000;
const SCENARIOS = ['餐饮服务食品安全', '危险化学品储存', '建筑工地扬尘', '消防安全', '特种设备', '劳动用工'];
const TARGET_KINDS = ['餐饮有限公司', '化工有限公司', '建设工程有限公司', '纺织有限公司', '物流有限公司'];
const STEPS = Object.values(InspectionStep);

export async function seedEnforcement(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'enforcement', options.seed, async (client) => {
    const random = new SeededRandom(options.seed, 'enforcement', region.code);
    const counties = countiesOf(region.code);
    const rows = Array.from({ length: options.scale.inspections }, (_, index) => {
      const county = random.pick(counties);
      return {
        targetName: `${region.name.replace(/市$/, '')}${random.pick(['恒', '润', '嘉', '禾', '安', '盛'])}${random.pick(TARGET_KINDS)}`,
        creditCode: makeCreditCode(county, index * 7919 + random.int(7919)),
        scenario: random.pick(SCENARIOS),
        lead: county,
        step: random.pick(STEPS),
        plannedAt: new Date(DEMO_EPOCH - random.int(120 * DAY)).toISOString(),
      };
    });
    for (const batch of chunk(rows, 1000)) {
      await client.query(
        `INSERT INTO enforcement.inspections (target_name, target_credit_code, scenario, lead_jurisdiction, step, planned_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
        [
          batch.map((r) => r.targetName),
          batch.map((r) => r.creditCode),
          batch.map((r) => r.scenario),
          batch.map((r) => r.lead),
          batch.map((r) => r.step),
          batch.map((r) => r.plannedAt),
        ],
      );
    }
  });
}
