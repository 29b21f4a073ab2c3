import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** An officer, owned by the personnel subgraph of the officer's region; here only its key. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Officer {
  @Field(() => ID)
  id!: string;
}

export const officerRef = (id: string | null | undefined): Officer | null => (id ? { id } : null);
