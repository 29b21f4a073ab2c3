import type { AgencyKindName } from '../../auth/agencies';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { toGlobalId } from '../../auth/global-id';
import type { RegionSummary } from '../shared/context';
import { demoOfficerId } from '../shared/demo-officers';
import { DEMO_EPOCH, SeededRandom } from '../shared/random';
import type { SeedScale } from '../shared/subgraph-module';
import { jurisdictionName } from './agency-names';
import { makeCreditCode } from './credit-code';
import { InspectionStep, ParticipantTaskStatus, STEP_ORDER } from './inspection-flow';
import { leadParticipantOf } from './lead-participant';
import { TargetKind } from './target-kind';

/**
 * The demo inspections a region leads, as a pure function of (seed, region, scale, regions,
 * catalogue). Every region's seed runs it for every region: the lead to write its inspections,
 * each participant region to write the tasks it holds for them — consistent without either
 * reading the other's database. Ids are fixed here for the same reason: the lead must know the
 * id of a task another region's seed creates.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NAME_PARTS = ['恒', '润', '嘉', '禾', '安', '盛', '鑫', '源', '华', '通'];
const ENTERPRISE_KINDS = [
  '化工有限公司',
  '建设工程有限公司',
  '纺织有限公司',
  '物流有限公司',
  '餐饮管理有限公司',
  '食品有限公司',
  '药房连锁有限公司',
  '机械制造有限公司',
];
const PLACE_KINDS = ['农贸市场', '商业广场', '大酒店', '体育馆', '小商品市场'];
const STREETS = ['中山路', '人民路', '解放路', '建设路', '文昌路', '新华路', '长水路', '科技大道'];

export interface CatalogueEntry {
  code: string;
  agencies: AgencyKindName[];
}

export interface DemoParticipant {
  /** Local id of the participation in the lead region. */
  ref: number;
  region: string;
  jurisdiction: string;
  agency: AgencyKindName;
  officerId: string | null;
  status: ParticipantTaskStatus;
  /** Global id of its task in the participant region, once dispatched. */
  taskId: string | null;
  /** The lead agency's own part (lead-participant.ts). */
  lead: boolean;
}

export interface DemoInspection {
  id: number;
  scenarioCode: string;
  target: { kind: TargetKind; name: string; creditCode: string; address: string; jurisdiction: string };
  leadJurisdiction: string;
  leadAgency: AgencyKindName;
  leadOfficerId: string | null;
  plannedAt: Date;
  plannedUntil: Date;
  step: InspectionStep;
  createdAt: Date;
  timeline: Array<{ step: InspectionStep; at: Date }>;
  evaluation: { score: number; comment: string; at: Date } | null;
  participants: DemoParticipant[];
}

/**
 * Task ids in a participant region: one block of ten million per lead region (its position in
 * the hub's region list), then the participation's id in the lead region.
 */
export function demoTaskLocalId(regions: readonly RegionSummary[], leadRegion: string, participantRef: number): number {
  return (regions.findIndex((r) => r.code === leadRegion) + 1) * 10_000_000 + participantRef;
}

export function demoInspections(
  seed: number,
  lead: RegionSummary,
  scale: SeedScale,
  regions: readonly RegionSummary[],
  catalogue: readonly CatalogueEntry[],
): DemoInspection[] {
  const random = new SeededRandom(seed, 'enforcement', lead.code);
  // The lead's own parts draw from a stream of their own, so that they leave the rest of the plan as it was.
  const leadRandom = new SeededRandom(seed, 'enforcement-lead', lead.code);
  const counties = countiesOf(lead.code);
  const others = regions.filter((r) => r.code !== lead.code);
  const officer = (region: string, agency: AgencyKindName) =>
    scale.officersPerAgency > 0 ? demoOfficerId(region, agency, random.int(scale.officersPerAgency), scale.officersPerAgency) : null;
  const city = lead.name.replace(/市$/, '');
  let participantRef = 0;

  return Array.from({ length: scale.inspections }, (_, index) => {
    const scenario = random.pick(catalogue);
    const targetJurisdiction = random.pick(counties);
    const kind = random.chance(0.8) ? TargetKind.ENTERPRISE : TargetKind.PLACE;
    const plannedAt = new Date(DEMO_EPOCH - 120 * DAY + random.int(150 * DAY));
    const plannedUntil = new Date(plannedAt.getTime() + (1 + random.int(7)) * DAY);
    // Inspections planned in the past have mostly run their course; those ahead are still being prepared.
    const reached = plannedAt.getTime() < DEMO_EPOCH ? (random.chance(0.7) ? 4 : 2 + random.int(2)) : random.int(3);
    const step = STEP_ORDER[reached];
    const leadAgency = scenario.agencies[0];
    const leadJurisdiction = random.chance(0.3) ? lead.code : targetJurisdiction;

    const participant = (ref: number, region: string, jurisdiction: string, agency: AgencyKindName, asLead?: { officerId: string | null }): DemoParticipant => {
      const draw = asLead ? leadRandom : random;
      const status =
        reached < 2
          ? ParticipantTaskStatus.NOT_DISPATCHED
          : reached === 4
            ? ParticipantTaskStatus.COMPLETED
            : reached === 2
              ? ParticipantTaskStatus.PENDING // tasks wait for the joint visit
              : draw.pick([ParticipantTaskStatus.PENDING, ParticipantTaskStatus.ACCEPTED, ParticipantTaskStatus.COMPLETED]);
      const taskId = reached >= 2 ? toGlobalId(region, demoTaskLocalId(regions, lead.code, ref)) : null;
      return { ref, region, jurisdiction, agency, officerId: asLead ? asLead.officerId : officer(region, agency), status, taskId, lead: !!asLead };
    };

    const participants: DemoParticipant[] = [];
    for (const agency of scenario.agencies.slice(1)) {
      if (participants.length && random.chance(0.3)) continue;
      participants.push(participant(++participantRef, lead.code, random.chance(0.5) ? lead.code : targetJurisdiction, agency));
    }
    if (others.length && random.chance(0.5)) {
      const partner = random.pick(others);
      participants.push(participant(++participantRef, partner.code, random.pick(countiesOf(partner.code)), random.pick(scenario.agencies)));
    }
    const createdAt = new Date(plannedAt.getTime() - (5 + random.int(20)) * DAY);
    const stepTimes = [
      createdAt,
      new Date(createdAt.getTime() + DAY),
      new Date(plannedAt.getTime() - 2 * DAY),
      plannedAt,
      new Date(plannedAt.getTime() + 6 * HOUR),
    ];
    const name =
      kind === TargetKind.ENTERPRISE
        ? `${city}${random.pick(NAME_PARTS)}${random.pick(NAME_PARTS)}${random.pick(ENTERPRISE_KINDS)}`
        : `${city}${random.pick(NAME_PARTS)}${random.pick(PLACE_KINDS)}`;
    const inspection: DemoInspection = {
      id: index + 1,
      scenarioCode: scenario.code,
      target: {
        kind,
        name,
        creditCode: makeCreditCode(targetJurisdiction, index * 7919 + random.int(7919)),
        address: `${jurisdictionName(targetJurisdiction) ?? ''}${random.pick(STREETS)}${1 + random.int(999)}号`,
        jurisdiction: targetJurisdiction,
      },
      leadJurisdiction,
      leadAgency,
      leadOfficerId: officer(lead.code, leadAgency),
      plannedAt,
      plannedUntil,
      step,
      createdAt,
      timeline: STEP_ORDER.slice(0, reached + 1).map((s, i) => ({ step: s, at: stepTimes[i] })),
      evaluation:
        reached === 4
          ? { score: 60 + random.int(41), comment: random.pick(['检查规范，一次到位', '减少了重复检查', '整改要求明确', '多部门协同高效']), at: stepTimes[4] }
          : null,
      participants,
    };
    // The lead agency's own part, as createInspection adds it, after the others.
    const own = leadParticipantOf(lead.code, inspection);
    participants.push(participant(++participantRef, own.region, own.jurisdiction, own.agency, { officerId: own.officerId }));
    return inspection;
  });
}
