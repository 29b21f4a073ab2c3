import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { parseGlobalId } from '../../auth/global-id';
import { badInput, hubError } from '../shared/errors';
import type { PersonnelContext } from './context';
import { Person } from './types';

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person by global id, read from their home region.' })
  @Directive('@routeBy(argument: "id")')
  async person(@Ctx() ctx: PersonnelContext, @Arg('id', () => ID) id: string) {
    const parts = parseGlobalId(id);
    if (!parts || parts.region !== ctx.region) throw badInput('id', `${JSON.stringify(id)} is not a person id of region ${ctx.region}`);
    const person = await ctx.personById.load(parts.localId);
    if (!person) throw hubError('NOT_FOUND', `No person ${id}`, { id });
    return person;
  }
}
