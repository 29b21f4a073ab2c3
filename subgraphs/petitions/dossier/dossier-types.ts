import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access, OPEN } from '../../shared/access';
import { connectionOf } from '../../shared/pagination';

/**
 * The dossier's view of the types it lists: keys and sort keys only. Every other field of a
 * petition or warning comes from the petitions subgraph of the record's own region, which the
 * gateway reaches through the key.
 */

@ObjectType({ description: 'A person, owned by their home region; the dossier adds their petitions and warnings in every region.' })
@Directive('@key(fields: "id")')
@Access(OPEN) // its lists are narrowed in SQL to what the caller may see (context.ts)
export class Person {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
@Access(OPEN)
export class Petition {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  @Directive('@shareable')
  registeredAt!: Date;
}

@ObjectType()
@Directive('@key(fields: "id")')
@Access(OPEN)
export class PetitionWarning {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  @Directive('@shareable')
  raisedAt!: Date;
}

export const PersonPetitionConnection = connectionOf(Petition, 'PersonPetition');
export const PersonPetitionWarningConnection = connectionOf(PetitionWarning, 'PersonPetitionWarning');
