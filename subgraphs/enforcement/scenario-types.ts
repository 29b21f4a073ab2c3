import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { AgencyKind } from '../shared/agency';

export enum ScenarioCategory {
  SAFETY_PRODUCTION = 'SAFETY_PRODUCTION',
  FIRE_SAFETY = 'FIRE_SAFETY',
  FOOD_DRUG = 'FOOD_DRUG',
  ECOLOGY_ENVIRONMENT = 'ECOLOGY_ENVIRONMENT',
  URBAN_MANAGEMENT = 'URBAN_MANAGEMENT',
  MARKET_ORDER = 'MARKET_ORDER',
}
registerEnumType(ScenarioCategory, {
  name: 'ScenarioCategory',
  description: 'The six categories of inspection scenarios: 安全生产, 消防安全, 食品药品, 生态环境, 城市管理, 市场秩序.',
});

@ObjectType({ description: 'An inspection scenario (检查场景) of the catalogue: what is inspected and which agencies take part.' })
export class InspectionScenario {
  @Field(() => String, { description: 'Stable code, such as CATERING_FOOD_SAFETY.' })
  code!: string;

  @Field(() => String, { description: 'Name as officers know it, such as 餐饮服务食品安全检查.' })
  name!: string;

  @Field(() => ScenarioCategory)
  category!: ScenarioCategory;

  @Field(() => [AgencyKind], {
    description: 'Agency kinds the scenario involves, the usual lead first: the lead and the planned participants of an inspection are drawn from them.',
  })
  agencies!: AgencyKind[];
}
