import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Access, OPEN } from '../shared/access';

export enum JurisdictionLevel {
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
  COUNTY = 'COUNTY',
  STREET = 'STREET',
}
registerEnumType(JurisdictionLevel, { name: 'JurisdictionLevel' });

@ObjectType({ description: 'An administrative division (GB/T 2260 code). Codes nest by prefix: 33 ⊃ 3304 ⊃ 330421.' })
@Directive('@key(fields: "code")')
@Access(OPEN) // reference data
export class Jurisdiction {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => JurisdictionLevel)
  level!: JurisdictionLevel;

  @Field(() => String, { nullable: true })
  parentCode!: string | null;

  @Field(() => String, { nullable: true, description: 'History or status worth knowing, e.g. a renamed code.' })
  note!: string | null;
}

@ObjectType({ description: 'A city federated by the hub: it runs its own subgraphs over its own database.' })
export class Region {
  @Field(() => String, { description: 'Region code, e.g. "330400".' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Code of the province the region lies in.' })
  provinceCode!: string;
}
