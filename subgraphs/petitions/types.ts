import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgencyKind } from '../shared/agency';
import { Access, OPEN } from '../shared/access';
import { PETITION_DETAILS, PETITION_OUTLINE, PETITION_WARNING } from './petition-access-rules';
import { connectionOf } from '../shared/pagination';
import { DeadlineKind, PetitionStatus } from './lifecycle';

export { DeadlineKind, PetitionStatus };

export enum WarningLevel {
  RED = 'RED',
  ORANGE = 'ORANGE',
  YELLOW = 'YELLOW',
  BLUE = 'BLUE',
}
registerEnumType(WarningLevel, {
  name: 'WarningLevel',
  description: 'National warning levels (预警级别): RED is level I, the highest; BLUE is level IV.',
});

export enum WarningKind {
  REPEAT = 'REPEAT',
  GROUP_VISIT = 'GROUP_VISIT',
  LEVEL_SKIPPING = 'LEVEL_SKIPPING',
  CROSS_REGION = 'CROSS_REGION',
  DEADLINE = 'DEADLINE',
}
registerEnumType(WarningKind, {
  name: 'WarningKind',
  description:
    'Why a warning was raised: REPEAT 重复访, GROUP_VISIT 集体访, LEVEL_SKIPPING 越级访, CROSS_REGION 跨区域信访 (the petitioner lives in another region), DEADLINE 期限将至或已过.',
});

export enum WarningStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  ESCALATED = 'ESCALATED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(WarningStatus, {
  name: 'WarningStatus',
  description: 'OPEN 待签收, ACKNOWLEDGED 已签收 (by a partner region), ESCALATED 已升级, RESOLVED 已化解.',
});

export enum WarningAction {
  RAISED = 'RAISED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  ESCALATED = 'ESCALATED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(WarningAction, { name: 'WarningAction', description: 'What happened to a warning, in its timeline.' });

export enum PetitionChannel {
  VISIT = 'VISIT',
  LETTER = 'LETTER',
  ONLINE = 'ONLINE',
  PHONE = 'PHONE',
}
registerEnumType(PetitionChannel, { name: 'PetitionChannel', description: '来访, 来信, 网上, 电话.' });

registerEnumType(PetitionStatus, {
  name: 'PetitionStatus',
  description:
    '登记 REGISTERED → 转送/交办 ASSIGNED or 不予受理 NOT_ACCEPTED → 受理 ACCEPTED → 办理 HANDLING → 办结 REPLIED (答复, 处理意见书) → 复查 REVIEW → 复核 RE_REVIEW → 结案/终结 CLOSED. A petition forwarded to another region stays ASSIGNED until the record there ends, then ends as it did (CLOSED or NOT_ACCEPTED).',
});
registerEnumType(DeadlineKind, {
  name: 'DeadlineKind',
  description:
    "The statutory limit running now: acceptance (15 days), handling (60 days from acceptance, +30 once), the petitioner's 30-day windows to request a review or re-review, and the 30-day decisions on them.",
});

/** A person as this subgraph knows one: a reference resolved by the personnel subgraph of the person's home region. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Person {
  @Field(() => ID)
  id!: string;
}

/** An officer, owned by the personnel subgraph of the officer's region. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Officer {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "The deadline running in a petition's current state." })
export class PetitionDeadline {
  @Field(() => DeadlineKind)
  kind!: DeadlineKind;

  @Field(() => Date, { description: 'When the limit ends: 24:00 Beijing time (Asia/Shanghai) of its last day, the first moment past it.' })
  dueAt!: Date;

  @Field(() => Int, { description: 'Beijing calendar days to the last day of the limit: 0 on that day, -1 from the first moment after.' })
  daysLeft!: number;

  @Field(() => Boolean, { description: 'True when officers owe the next step and its deadline has passed.' })
  overdue!: boolean;

  @Field(() => Boolean, { description: "True when officers owe the next step; false for the petitioner's own windows." })
  officersOwe!: boolean;
}

@ObjectType({ description: 'The one extension of the handling limit the regulation allows.' })
export class PetitionExtension {
  @Field(() => Int)
  days!: number;

  @Field(() => String)
  reason!: string;

  @Field(() => Officer, {
    nullable: true,
    description: 'Who approved it (本机关负责人批准): a SUPERVISOR of the handling agency; null for extensions recorded before approvers were.',
  })
  approvedBy!: Officer | null;
}

@ObjectType({ description: "One step in a petition's history: who moved it, from what to what, when." })
export class PetitionEvent {
  @Field(() => String)
  action!: string;

  @Field(() => PetitionStatus, { nullable: true })
  fromStatus!: PetitionStatus | null;

  @Field(() => PetitionStatus)
  toStatus!: PetitionStatus;

  @Field(() => Officer, { nullable: true })
  officer!: Officer | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({
  description: 'A matter (信访事项): the petitions of one person or group about one subject. After re-review it is closed for good and not accepted again.',
})
export class PetitionMatter {
  @Field(() => ID, { description: 'Global id: owning region code, colon, local id.' })
  id!: string;

  @Field(() => String)
  category!: string;

  @Field(() => [ID], { description: 'The petitioners of the matter, sorted.' })
  petitionerIds!: string[];

  @Field(() => AgencyKind, { nullable: true, description: "The agency handling the matter (the first assignment's)." })
  handlingAgency!: AgencyKind | null;

  @Field(() => String, {
    description:
      "Where the matter is handled: the first assignment's jurisdiction, else where its first petition was registered. A petition brought above it is 越级访.",
  })
  handlingJurisdiction!: string;

  @Field(() => Date, { nullable: true, description: 'When a re-review closed it for good (复核终结); null while open.' })
  closedAt!: Date | null;
}

@ObjectType({ description: 'Where a petition was forwarded (转送/交办) in another region, and what that region reports of it.' })
export class PetitionForwarding {
  @Field(() => String, { description: 'The receiving region, which keeps its own record of the petition.' })
  region!: string;

  @Field(() => AgencyKind, { nullable: true })
  agency!: AgencyKind | null;

  @Field(() => String, { nullable: true, description: 'Jurisdiction of the receiving agency.' })
  jurisdiction!: string | null;

  @Field(() => ID, { nullable: true, description: "The receiving region's petition; null until it is delivered." })
  petitionId!: string | null;

  @Field(() => PetitionStatus, { nullable: true, description: 'Its status as the receiving region last reported it; null until delivered.' })
  status!: PetitionStatus | null;

  @Field(() => String, { nullable: true, description: 'Its latest reply, opinion or reason, as reported.' })
  outcome!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the receiving region last reported.' })
  updatedAt!: Date | null;
}

@ObjectType({ description: 'A petition (信访件), kept in the region where it was registered.' })
@Directive('@key(fields: "id")')
@Access(PETITION_OUTLINE) // every field that names no rule of its own
export class Petition {
  @Field(() => ID, { description: 'Global id: owning region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (where it was registered).' })
  @Access(OPEN)
  region!: string;

  localId!: string;

  @Field(() => PetitionChannel)
  channel!: PetitionChannel;

  @Field(() => String, { description: 'Matter category, e.g. 劳资纠纷.' })
  category!: string;

  @Field(() => String, { nullable: true, description: 'A short summary.' })
  @Access(PETITION_DETAILS)
  summary!: string;

  @Field(() => String, { nullable: true, description: 'The full content of the petition.' })
  @Access(PETITION_DETAILS)
  content!: string;

  petitionerIds!: string[];

  @Field(() => Boolean, { description: '集体访: a visit (来访) of 5 or more people by headcount, represented by at most 5 petitioners.' })
  groupVisit!: boolean;

  @Field(() => Int, { description: 'How many people came or signed.' })
  headcount!: number;

  @Field(() => String, { description: 'Jurisdiction code where it was registered.' })
  registeredIn!: string;

  registeredById!: string;

  @Field(() => Date, { description: 'When it was registered: the order of `petitions`.' })
  @Directive('@shareable')
  @Access(OPEN)
  registeredAt!: Date;

  @Field(() => PetitionStatus)
  status!: PetitionStatus;

  @Field(() => AgencyKind, { nullable: true, description: 'Agency it was assigned to (转送/交办).' })
  @Access(PETITION_DETAILS)
  handlingAgency!: AgencyKind | null;

  @Field(() => String, { nullable: true, description: 'Jurisdiction of the handling agency.' })
  @Access(PETITION_DETAILS)
  handlingJurisdiction!: string | null;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  repliedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  reviewRequestedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  reviewDecidedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  reReviewRequestedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;

  @Field(() => PetitionExtension, { nullable: true })
  @Access(PETITION_DETAILS)
  extension!: PetitionExtension | null;

  @Field(() => String, { nullable: true, description: 'The latest reply, opinion or reason given (处理意见书, 复查/复核意见, 不予受理理由).' })
  @Access(PETITION_DETAILS)
  outcome!: string | null;

  deadlineFacts!: { kind: DeadlineKind; dueAt: Date; officersOwe: boolean } | null;

  matterLocalId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Jurisdiction of the agency that decides the review (复查): the one above the handling agency (上一级机关), set when a review is requested; none when it is outside the hub.',
  })
  reviewingBody!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Jurisdiction of the agency that decides the re-review (复核): the one above the reviewing body (上一级机关), set when a re-review is requested; none when it is outside the hub (above a province, or a province the hub does not serve).',
  })
  reReviewingBody!: string | null;

  @Field(() => PetitionForwarding, {
    nullable: true,
    description:
      'On a petition forwarded to another region (转送/交办): where, and its status and outcome there; when that record ends, this petition ends with it. A detail.',
  })
  @Access(PETITION_DETAILS)
  forwarding!: PetitionForwarding | null;

  @Field(() => ID, { nullable: true, description: "On a petition received from another region: the registering region's petition. A detail." })
  @Access(PETITION_DETAILS)
  forwardedFrom!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'On a petition received from another region: when it arrived; its 15-day acceptance limit runs from then.',
  })
  receivedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'On a received petition passed down to a lower agency of this region (交办): when; the 15-day acceptance limit of the agency it went to runs from then.',
  })
  passedDownAt!: Date | null;

  @Field(() => Int, { description: 'Changes with every step; lets a client see it acted on the latest state.' })
  version!: number;
}

export const PetitionConnection = connectionOf(Petition, 'Petition');

@ObjectType({ description: "One entry in a warning's timeline: who did what, from which region, when." })
export class WarningEvent {
  @Field(() => WarningAction)
  action!: WarningAction;

  @Field(() => Officer, { nullable: true, description: 'Null when a rule acted (an automatic warning).' })
  officer!: Officer | null;

  @Field(() => String, { nullable: true, description: 'Region of the acting officer.' })
  region!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({ description: 'A petition warning (信访预警), kept in the region where it was raised.' })
@Directive('@key(fields: "id")')
@Access(PETITION_WARNING) // every field that names no rule of its own
export class PetitionWarning {
  @Field(() => ID, { description: 'Global id: owning region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (where it was raised).' })
  @Access(OPEN)
  region!: string;

  localId!: string;

  @Field(() => WarningLevel)
  level!: WarningLevel;

  @Field(() => WarningKind)
  kind!: WarningKind;

  @Field(() => WarningStatus)
  status!: WarningStatus;

  @Field(() => String, { description: 'Jurisdiction code (county level) where the warning was raised.' })
  raisedIn!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => Date, { description: 'When it was raised: the order of `petitionWarnings`.' })
  @Directive('@shareable')
  @Access(OPEN)
  raisedAt!: Date;

  @Field(() => Boolean, { description: 'True when a rule raised it (cross-region petitioner, repeat petitions, group visit, deadline).' })
  automatic!: boolean;

  @Field(() => Officer, { nullable: true, description: 'The officer who raised it by hand.' })
  raisedBy!: Officer | null;

  @Field(() => Person, {
    nullable: true,
    description: 'The person the warning is about, read from their home region; null (with a REGION_UNAVAILABLE error) while that region cannot be reached.',
  })
  subject!: Person;

  petitionLocalId!: string | null;

  @Field(() => Int)
  version!: number;
}

export const PetitionWarningConnection = connectionOf(PetitionWarning, 'PetitionWarning');
