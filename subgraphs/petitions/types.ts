import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../shared/pagination';

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
  description: 'Why a warning was raised: 重复访, 集体访, 越级访, cross-region petitioner, deadline near or past.',
});

export enum WarningStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  ESCALATED = 'ESCALATED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(WarningStatus, { name: 'WarningStatus' });

/** A person as this subgraph knows one: a reference resolved by the personnel subgraph of the person's home region. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Person {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A petition warning (信访预警), kept in the region where it was raised.' })
@Directive('@key(fields: "id")')
export class PetitionWarning {
  @Field(() => ID, { description: 'Global id: owning region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record.' })
  region!: string;

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

  @Field(() => Date)
  raisedAt!: Date;

  @Field(() => Person, {
    nullable: true,
    description:
      'The person the warning is about, read from their home region; null (with a REGION_UNAVAILABLE error) while that region cannot be reached.',
  })
  subject!: Person;
}

export const PetitionWarningConnection = connectionOf(PetitionWarning, 'PetitionWarning');
