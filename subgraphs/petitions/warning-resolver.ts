import { Arg, Ctx, Directive, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import { isJurisdictionCode } from '../../auth/jurisdiction';
import { parseGlobalId } from '../../auth/global-id';
import { badInput, hubError } from '../shared/errors';
import { regionPage } from '../shared/pagination';
import type { PetitionsContext } from './context';
import { PetitionWarning, PetitionWarningConnection, WarningKind, WarningLevel } from './types';
import { insertWarning, listWarnings, toWarning, warningPosition } from './warning-repository';

@InputType({ description: 'A warning raised by hand.' })
export class RaiseWarningInput {
  @Field(() => String, { description: 'Region where the warning is raised and kept.' })
  region!: string;

  @Field(() => String, { description: 'County-level jurisdiction code where it is raised.' })
  raisedIn!: string;

  @Field(() => WarningLevel)
  level!: WarningLevel;

  @Field(() => WarningKind)
  kind!: WarningKind;

  @Field(() => ID, { description: 'Global id of the person the warning is about (any region).' })
  subjectId!: string;

  @Field(() => String)
  summary!: string;
}

@Resolver(() => PetitionWarning)
export class PetitionWarningResolver {
  @Query(() => PetitionWarningConnection, {
    description: 'Petition warnings of every region in scope, newest first (跨区域信访预警).',
  })
  @Directive('@fanOut(sortKey: "raisedAt", descending: true)')
  async petitionWarnings(
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' })
    regions: string[] | null,
  ) {
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listWarnings(ctx.db, limit, position),
      warningPosition,
      (row) => toWarning(ctx.region, row),
    );
  }

  @Query(() => PetitionWarning, { nullable: true, description: 'One warning by global id.' })
  @Directive('@routeBy(argument: "id")')
  async petitionWarning(@Ctx() ctx: PetitionsContext, @Arg('id', () => ID) id: string) {
    const parts = parseGlobalId(id);
    if (!parts || parts.region !== ctx.region) throw badInput('id', `${JSON.stringify(id)} is not a warning id of region ${ctx.region}`);
    const warning = await ctx.warningById.load(parts.localId);
    if (!warning) throw hubError('NOT_FOUND', `No petition warning ${id}`, { id });
    return warning;
  }

  @Mutation(() => PetitionWarning, { description: 'Raises a warning by hand in the region named in the input.' })
  @Directive('@routeBy(argument: "input.region")')
  async raisePetitionWarning(@Ctx() ctx: PetitionsContext, @Arg('input', () => RaiseWarningInput) input: RaiseWarningInput) {
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    if (!isJurisdictionCode(input.raisedIn)) throw badInput('input.raisedIn', 'must be a 6-digit jurisdiction code');
    if (!parseGlobalId(input.subjectId)) throw badInput('input.subjectId', 'must be a global person id such as "320500:17"');
    if (!input.summary.trim()) throw badInput('input.summary', 'must not be empty');
    const row = await insertWarning(ctx.db, input);
    return toWarning(ctx.region, row);
  }
}
