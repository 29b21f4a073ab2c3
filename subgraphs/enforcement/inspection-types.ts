import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, OPEN } from '../shared/access';
import { INSPECTION } from './enforcement-access-rules';
import { AgencyKind } from '../shared/agency';
import { connectionOf } from '../shared/pagination';
import { InspectionStep, ParticipantTaskStatus } from './inspection-flow';
import { Officer } from './officer';
import { TargetKind } from './target-kind';

export { InspectionStep, ParticipantTaskStatus, TargetKind };

registerEnumType(InspectionStep, {
  name: 'InspectionStep',
  description: '综合查一次: 智能预警 WARNING → 计划生成 PLAN → 任务派发 DISPATCH → 执法检查 INSPECT → 评价反馈 EVALUATE.',
});
registerEnumType(ParticipantTaskStatus, {
  name: 'ParticipantTaskStatus',
  description:
    "The lead region's mirror of a participant's task: NOT_DISPATCHED (before 任务派发), DISPATCHING (not yet delivered to the participant's region), then the task's own PENDING, ACCEPTED, COMPLETED as the participant reports them.",
});

registerEnumType(TargetKind, { name: 'TargetKind', description: '企业 an enterprise, or 场所 a place (a market, a venue) run by one.' });

@ObjectType({ description: 'What is inspected (检查对象).' })
export class InspectionTarget {
  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: '18-character unified social credit code (统一社会信用代码) of the enterprise, or of the one running the place.' })
  creditCode!: string;

  @Field(() => String)
  address!: string;

  @Field(() => String, { description: 'Jurisdiction code where the target is.' })
  jurisdiction!: string;
}

@ObjectType({
  description: "An agency taking part (参与部门), or the lead agency's own part (`Inspection.leadParticipant`); its task lives in its own region.",
})
export class InspectionParticipant {
  @Field(() => ID, { description: 'Global id of the participation, in the lead region.' })
  id!: string;

  localId!: string;
  inspectionLocalId!: string;
  taskId!: string | null;

  @Field(() => String, { description: 'Region of the participating agency, where its task is kept.' })
  region!: string;

  @Field(() => String)
  jurisdiction!: string;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String, { description: 'Such as 上海市青浦区生态环境局.' })
  agencyName!: string;

  @Field(() => Officer, { nullable: true, description: 'The officer the agency sends, when named.' })
  officer!: Officer | null;

  @Field(() => Officer, { nullable: true, description: 'Who added the agency (at creation, planning, or by joining).' })
  joinedBy!: Officer | null;

  @Field(() => Date)
  joinedAt!: Date;

  @Field(() => ParticipantTaskStatus, { description: "The lead region's mirror of the task's status, kept current by the participant region's reports." })
  taskStatus!: ParticipantTaskStatus;

  @Field(() => Date, { nullable: true, description: 'When the mirrored status last changed.' })
  taskStatusAt!: Date | null;
}

@ObjectType({ description: 'One step of the flow: who took it, when.' })
export class InspectionStepEntry {
  @Field(() => InspectionStep)
  step!: InspectionStep;

  @Field(() => Officer, { nullable: true })
  officer!: Officer | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({ description: 'The evaluation (评价反馈) closing an inspection.' })
export class InspectionEvaluation {
  @Field(() => Int, { description: '0 to 100.' })
  score!: number;

  @Field(() => String)
  comment!: string;

  @Field(() => Officer, { nullable: true })
  evaluatedBy!: Officer | null;

  @Field(() => Date)
  evaluatedAt!: Date;
}

@ObjectType({ description: "The inspected target's own evaluation of the visit (企业评价), as its representative gave it." })
export class TargetEvaluation {
  @Field(() => Int, { description: '0 to 100.' })
  score!: number;

  @Field(() => String)
  comment!: string;

  @Field(() => String, { description: "Who gave it for the target, such as the enterprise's legal representative or safety manager." })
  representative!: string;

  @Field(() => Officer, { nullable: true, description: 'The officer of the lead agency who recorded it.' })
  recordedBy!: Officer | null;

  @Field(() => Date)
  recordedAt!: Date;
}

@ObjectType({
  description: 'A joint inspection (综合查一次): one visit to a target by several agencies, possibly of several regions; kept in the lead region.',
})
@Directive('@key(fields: "id")')
@Access(INSPECTION) // every field that names no rule of its own
export class Inspection {
  @Field(() => ID, { description: 'Global id: lead region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (the lead region).' })
  @Access(OPEN)
  region!: string;

  localId!: string;
  scenarioCode!: string;

  @Field(() => InspectionTarget)
  target!: InspectionTarget;

  @Field(() => String, { description: 'Name of the target (same as target.name).' })
  targetName!: string;

  @Field(() => String, { description: '18-character unified social credit code of the target (same as target.creditCode).' })
  targetCreditCode!: string;

  @Field(() => String, { description: 'Jurisdiction code of the lead agency.' })
  leadJurisdiction!: string;

  @Field(() => AgencyKind, { description: 'Kind of the lead agency (牵头部门).' })
  leadAgency!: AgencyKind;

  @Field(() => String, { description: 'Such as 嘉兴市市场监督管理局.' })
  leadAgencyName!: string;

  @Field(() => Officer, { nullable: true, description: 'The officer leading the inspection.' })
  leadOfficer!: Officer | null;

  @Field(() => Date, { description: 'Start of the planned period: the order of `inspections`.' })
  @Access(OPEN)
  plannedAt!: Date;

  @Field(() => Date, { description: 'End of the planned period (exclusive).' })
  plannedUntil!: Date;

  @Field(() => InspectionStep, { description: 'The step reached.' })
  step!: InspectionStep;

  @Field(() => InspectionEvaluation, { nullable: true, description: "The lead agency's evaluation, set at the last step." })
  evaluation!: InspectionEvaluation | null;

  @Field(() => TargetEvaluation, { nullable: true, description: "The target's own evaluation of the visit, once recorded (`recordTargetEvaluation`)." })
  targetEvaluation!: TargetEvaluation | null;

  @Field(() => ID, { nullable: true, description: 'For a follow-up inspection (整改复查): the inspection whose finding had to be put right.' })
  followUpOf!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'For a follow-up inspection: the finding whose rectification deadline passed (a global id in the region of its task).',
  })
  followUpFinding!: string | null;

  @Field(() => Officer, { nullable: true })
  createdBy!: Officer | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Int, { description: 'Changes with every change; lets a client see it acted on the latest state.' })
  version!: number;
}

export const InspectionConnection = connectionOf(Inspection, 'Inspection');
