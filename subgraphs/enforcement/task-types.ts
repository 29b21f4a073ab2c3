import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, OPEN } from '../shared/access';
import { INSPECTION_TASK } from './enforcement-access-rules';
import { AgencyKind } from '../shared/agency';
import { connectionOf } from '../shared/pagination';
import { TaskStatus } from './inspection-flow';
import { Officer } from './officer';

export { TaskStatus };

registerEnumType(TaskStatus, { name: 'InspectionTaskStatus', description: 'PENDING (received, 待接收) → ACCEPTED (已接收) → COMPLETED (已完成).' });

export enum FindingSeverity {
  NONE = 'NONE',
  MINOR = 'MINOR',
  MAJOR = 'MAJOR',
}
registerEnumType(FindingSeverity, {
  name: 'FindingSeverity',
  description: 'NONE: checked and in order; MINOR: to rectify (责令整改); MAJOR: a serious hazard (重大隐患).',
});

@ObjectType({ description: 'One finding (检查发现) recorded by a participant on site.' })
export class TaskFinding {
  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field(() => String)
  description!: string;

  @Field(() => Officer, { nullable: true })
  recordedBy!: Officer | null;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => ID, { description: 'Global id, in the region of its task.' })
  id!: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'The rectification deadline (整改期限), for a finding to be put right: 24:00 Beijing time (Asia/Shanghai) of its last day, the first moment past it; once it has passed, a follow-up inspection (整改复查) is raised in the lead region.',
  })
  rectifyBy!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the follow-up inspection was asked of the lead region (the deadline had passed).' })
  followUpRequestedAt!: Date | null;
}

@ObjectType({ description: "A participant's task in a joint inspection (检查任务), kept in the participant's own region." })
@Directive('@key(fields: "id")')
@Access(INSPECTION_TASK) // every field that names no rule of its own
export class InspectionTask {
  @Field(() => ID, { description: "Global id: the participant's region code, colon, local id." })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (the participant region).' })
  @Access(OPEN)
  region!: string;

  localId!: string;
  inspectionId!: string;
  participantRef!: string;
  scenarioCode!: string;

  @Field(() => String, { description: 'Region leading the inspection.' })
  leadRegion!: string;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String)
  agencyName!: string;

  @Field(() => String)
  jurisdiction!: string;

  @Field(() => Officer, { nullable: true, description: 'The officer the agency sends, when named.' })
  assignee!: Officer | null;

  @Field(() => String, { description: 'Target name as dispatched.' })
  targetName!: string;

  @Field(() => String, { description: 'Unified social credit code of the target.' })
  targetCreditCode!: string;

  @Field(() => String)
  targetAddress!: string;

  @Field(() => Date, { description: 'Start of the planned period: the order of `inspectionTasks`.' })
  @Access(OPEN)
  plannedAt!: Date;

  @Field(() => Date)
  plannedUntil!: Date;

  @Field(() => Officer, { nullable: true, description: 'Who dispatched it in the lead region.' })
  dispatchedBy!: Officer | null;

  @Field(() => Date, { description: 'When it reached this region.' })
  receivedAt!: Date;

  @Field(() => TaskStatus)
  status!: TaskStatus;

  @Field(() => Officer, { nullable: true })
  acceptedBy!: Officer | null;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Officer, { nullable: true })
  completedBy!: Officer | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The participant's conclusion, given on completion." })
  conclusion!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the lead region began the joint visit (执法检查); until then the task cannot be accepted, given findings or completed.',
  })
  visitStartedAt!: Date | null;

  @Field(() => Int)
  version!: number;
}

export const InspectionTaskConnection = connectionOf(InspectionTask, 'InspectionTask');
