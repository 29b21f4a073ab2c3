import type { Pool, PoolClient } from 'pg';
import type { AgencyKindName } from '../../auth/agencies';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import type { RegionSummary } from '../shared/context';
import { demoOfficerId } from '../shared/demo-officers';
import { chunk, SeededRandom } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { SeedOptions } from '../shared/subgraph-module';
import { isDispatched, ParticipantTaskStatus } from './inspection-flow';
import { CatalogueEntry, DemoInspection, demoInspections } from './seed-plan';

const HOUR = 3_600_000;
const FINDINGS: Array<[string, string]> = [
  ['NONE', '现场检查未发现问题'],
  ['MINOR', '安全警示标识缺失，责令限期整改'],
  ['MINOR', '台账记录不完整，已督促补齐'],
  ['MINOR', '消防通道堆放杂物，已当场清理'],
  ['MAJOR', '发现重大事故隐患，责令停产整改'],
];

/**
 * Every region's seed needs every region's plans (to know the tasks it holds); the launcher
 * seeds all hosted regions in one process with one `regions` list, so the plans are made once
 * per lead region rather than once per pair of regions (41 × 41 for the whole Delta).
 */
const plansMade = new WeakMap<readonly RegionSummary[], Map<string, DemoInspection[]>>();

function plansOf(lead: RegionSummary, options: SeedOptions, catalogue: CatalogueEntry[]): DemoInspection[] {
  const made = plansMade.get(options.regions) ?? new Map<string, DemoInspection[]>();
  plansMade.set(options.regions, made);
  const scale = options.scaleOf(lead.code);
  const key = JSON.stringify([options.seed, lead.code, lead.name, scale, catalogue]);
  let plans = made.get(key);
  if (!plans) made.set(key, (plans = demoInspections(options.seed, lead, scale, options.regions, catalogue)));
  return plans;
}

/**
 * Demo joint inspections: the ones this region leads (with participants of other agencies and
 * other regions, and the lead agency's own part), and the tasks this region's agencies hold for
 * every region's inspections, the lead's among them.
 */
export async function seedEnforcement(db: Pool, region: RegionSummary, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'enforcement', options.seed, async (client) => {
    const { rows: catalogue } = await client.query<CatalogueEntry>('SELECT code, agencies FROM enforcement.scenarios ORDER BY code');
    await insertInspections(client, plansOf(region, options, catalogue));
    for (const lead of options.regions) await insertTasks(client, region.code, lead.code, plansOf(lead, options, catalogue), options);
    for (const table of ['inspections', 'participants', 'tasks']) {
      await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT max(id) FROM enforcement.${table}), 1))`, [`enforcement.${table}`]);
    }
  });
}

/** Inserts rows column-wise, a thousand per statement. */
async function insertRows(client: PoolClient, table: string, columns: Array<[name: string, type: string]>, rows: unknown[][]): Promise<void> {
  const sql = `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')})
    SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
  for (const batch of chunk(rows, 1000))
    await client.query(
      sql,
      columns.map((_, i) => batch.map((row) => row[i])),
    );
}

async function insertInspections(client: PoolClient, inspections: DemoInspection[]): Promise<void> {
  const creator = (i: DemoInspection) => i.leadOfficerId;
  await insertRows(
    client,
    'enforcement.inspections',
    [
      ['id', 'bigint'],
      ['scenario_code', 'text'],
      ['target_kind', 'text'],
      ['target_name', 'text'],
      ['target_credit_code', 'text'],
      ['target_address', 'text'],
      ['target_jurisdiction', 'text'],
      ['lead_jurisdiction', 'text'],
      ['lead_agency', 'text'],
      ['lead_officer_id', 'text'],
      ['planned_at', 'timestamptz'],
      ['planned_until', 'timestamptz'],
      ['step', 'text'],
      ['version', 'integer'],
      ['created_by', 'text'],
      ['created_at', 'timestamptz'],
      ['evaluation_score', 'integer'],
      ['evaluation_comment', 'text'],
      ['evaluated_by', 'text'],
      ['evaluated_at', 'timestamptz'],
    ],
    inspections.map((i) => [
      i.id,
      i.scenarioCode,
      i.target.kind,
      i.target.name,
      i.target.creditCode,
      i.target.address,
      i.target.jurisdiction,
      i.leadJurisdiction,
      i.leadAgency,
      i.leadOfficerId,
      i.plannedAt,
      i.plannedUntil,
      i.step,
      i.timeline.length,
      creator(i),
      i.createdAt,
      i.evaluation?.score ?? null,
      i.evaluation?.comment ?? null,
      i.evaluation ? i.leadOfficerId : null,
      i.evaluation?.at ?? null,
    ]),
  );
  await insertRows(
    client,
    'enforcement.participants',
    [
      ['id', 'bigint'],
      ['inspection_id', 'bigint'],
      ['region', 'text'],
      ['jurisdiction', 'text'],
      ['agency', 'text'],
      ['officer_id', 'text'],
      ['joined_by', 'text'],
      ['joined_at', 'timestamptz'],
      ['task_id', 'text'],
      ['task_status', 'text'],
      ['task_status_at', 'timestamptz'],
      ['lead', 'boolean'],
    ],
    inspections.flatMap((i) =>
      i.participants.map((p) => [
        p.ref,
        i.id,
        p.region,
        p.jurisdiction,
        p.agency,
        p.officerId,
        creator(i),
        i.createdAt,
        p.taskId,
        p.status,
        p.status === ParticipantTaskStatus.NOT_DISPATCHED ? null : i.timeline[i.timeline.length - 1].at,
        p.lead,
      ]),
    ),
  );
  await insertRows(
    client,
    'enforcement.inspection_steps',
    [
      ['inspection_id', 'bigint'],
      ['step', 'text'],
      ['officer_id', 'text'],
      ['at', 'timestamptz'],
    ],
    inspections.flatMap((i) => i.timeline.map((entry) => [i.id, entry.step, creator(i), entry.at])),
  );
}

/** The tasks `region` holds for the inspections `lead` leads: one per participant of this region, once dispatched. */
async function insertTasks(client: PoolClient, region: string, lead: string, inspections: DemoInspection[], options: SeedOptions): Promise<void> {
  const random = new SeededRandom(options.seed, 'enforcement-tasks', region, lead);
  const perAgency = options.scale.officersPerAgency;
  const actor = (agency: AgencyKindName, officerId: string | null) => officerId ?? (perAgency > 0 ? demoOfficerId(region, agency, 0, perAgency) : null);
  const tasks: unknown[][] = [];
  const findings: unknown[][] = [];
  for (const inspection of inspections) {
    if (!isDispatched(inspection.step)) continue;
    const dispatchedAt = inspection.timeline[2].at;
    // Tasks wait for the joint visit: accepted and worked only once it has begun.
    const visitStartedAt = inspection.timeline[3]?.at ?? null;
    for (const p of inspection.participants) {
      if (p.region !== region || !p.taskId) continue;
      const taskId = parseGlobalId(p.taskId)!.localId;
      const accepted = p.status === ParticipantTaskStatus.ACCEPTED || p.status === ParticipantTaskStatus.COMPLETED;
      const completed = p.status === ParticipantTaskStatus.COMPLETED;
      const by = actor(p.agency, p.officerId);
      tasks.push([
        taskId,
        toGlobalId(lead, inspection.id),
        p.ref,
        p.agency,
        p.jurisdiction,
        p.officerId,
        inspection.scenarioCode,
        inspection.target.name,
        inspection.target.creditCode,
        inspection.target.address,
        inspection.plannedAt,
        inspection.plannedUntil,
        inspection.leadOfficerId,
        dispatchedAt,
        p.status,
        accepted ? by : null,
        accepted && visitStartedAt ? new Date(visitStartedAt.getTime() + HOUR / 2) : null,
        completed ? by : null,
        completed ? new Date(inspection.plannedAt.getTime() + 4 * HOUR) : null,
        completed ? '已按要求完成检查' : null,
        visitStartedAt,
      ]);
      if (!accepted) continue;
      for (let n = random.int(3); n > 0; n--) {
        const [severity, description] = random.pick(FINDINGS);
        findings.push([taskId, severity, description, by, new Date(inspection.plannedAt.getTime() + (1 + n) * HOUR)]);
      }
    }
  }
  await insertRows(
    client,
    'enforcement.tasks',
    [
      ['id', 'bigint'],
      ['inspection_id', 'text'],
      ['participant_ref', 'bigint'],
      ['agency', 'text'],
      ['jurisdiction', 'text'],
      ['assignee_id', 'text'],
      ['scenario_code', 'text'],
      ['target_name', 'text'],
      ['target_credit_code', 'text'],
      ['target_address', 'text'],
      ['planned_at', 'timestamptz'],
      ['planned_until', 'timestamptz'],
      ['dispatched_by', 'text'],
      ['received_at', 'timestamptz'],
      ['status', 'text'],
      ['accepted_by', 'text'],
      ['accepted_at', 'timestamptz'],
      ['completed_by', 'text'],
      ['completed_at', 'timestamptz'],
      ['conclusion', 'text'],
      ['visit_started_at', 'timestamptz'],
    ],
    tasks,
  );
  await insertRows(
    client,
    'enforcement.task_findings',
    [
      ['task_id', 'bigint'],
      ['severity', 'text'],
      ['description', 'text'],
      ['recorded_by', 'text'],
      ['recorded_at', 'timestamptz'],
    ],
    findings,
  );
}
