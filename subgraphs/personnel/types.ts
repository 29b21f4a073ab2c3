import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person, owned by the region of their household registration (户籍地).' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID, { description: 'Global id: home region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (the home region).' })
  region!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'County-level jurisdiction of household registration.' })
  homeJurisdiction!: string;
}
