import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../shared/pagination';

export enum InspectionStep {
  WARNING = 'WARNING',
  PLAN = 'PLAN',
  DISPATCH = 'DISPATCH',
  INSPECT = 'INSPECT',
  EVALUATE = 'EVALUATE',
}
registerEnumType(InspectionStep, {
  name: 'InspectionStep',
  description: '综合查一次: 智能预警 → 计划生成 → 任务派发 → 执法检查 → 评价反馈.',
});

@ObjectType({ description: 'A joint inspection (综合查一次), kept in the lead region.' })
@Directive('@key(fields: "id")')
export class Inspection {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (the lead region).' })
  region!: string;

  @Field(() => String)
  targetName!: string;

  @Field(() => String, { description: '18-character unified social credit code of the target.' })
  targetCreditCode!: string;

  @Field(() => String)
  scenario!: string;

  @Field(() => String)
  leadJurisdiction!: string;

  @Field(() => InspectionStep)
  step!: InspectionStep;

  @Field(() => Date)
  plannedAt!: Date;
}

export const InspectionConnection = connectionOf(Inspection, 'Inspection');
