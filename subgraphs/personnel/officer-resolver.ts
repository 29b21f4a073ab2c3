import { Arg, Ctx, Directive, Field, ID, InputType, Int, Query, Resolver } from 'type-graphql';
import { AgencyKind } from '../shared/agency';
import { badInput, hubError } from '../shared/errors';
import { regionPage } from '../shared/pagination';
import { ownLocalId } from '../shared/local-id';
import type { PersonnelContext } from './context';
import { listOfficers, officerPosition, toOfficer } from './officer-repository';
import { Officer, OfficerConnection, OfficerRole } from './officer-types';

@InputType({ description: 'Narrows a list of officers; the filters combine with AND.' })
export class OfficerFilter {
  @Field(() => AgencyKind, { nullable: true })
  agency?: AgencyKind | null;

  @Field(() => String, { nullable: true, description: 'Jurisdiction code or its leading digits ("3304", "330421").' })
  jurisdiction?: string | null;

  @Field(() => OfficerRole, { nullable: true, description: 'Only officers holding this role.' })
  role?: OfficerRole | null;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or only inactive (false) officers.' })
  active?: boolean | null;
}

@Resolver(() => Officer)
export class OfficerResolver {
  @Query(() => Officer, { nullable: true, description: 'One officer by global id.' })
  @Directive('@routeBy(argument: "id")')
  async officer(@Ctx() ctx: PersonnelContext, @Arg('id', () => ID) id: string) {
    const officer = await ctx.officerById.load(ownLocalId(ctx.region, id, 'id', 'officer'));
    if (!officer) throw hubError('NOT_FOUND', `No officer ${id}`, { id });
    return officer;
  }

  @Query(() => Officer, {
    nullable: true,
    description: 'The officer with a sign-in name in `region`. Logins are unique within a region; demo logins carry the region code (demo-330400-market-2).',
  })
  @Directive('@routeBy(argument: "region")')
  async officerByLogin(
    @Ctx() ctx: PersonnelContext,
    @Arg('region', () => String, { description: 'Region of the officer.' }) region: string,
    @Arg('login', () => String) login: string,
  ) {
    if (region !== ctx.region) throw badInput('region', `this instance serves region ${ctx.region}, not ${JSON.stringify(region)}`);
    const officer = await ctx.officerByLogin.load(login.trim().toLowerCase());
    if (!officer) throw hubError('NOT_FOUND', `No officer signs in as ${JSON.stringify(login)} in region ${region}`, { region, login });
    return officer;
  }

  @Query(() => OfficerConnection, { description: 'Officers of every region in scope, in the order their records were created (工作人员名录).' })
  @Directive('@fanOut(sortKey: "createdAt", descending: false)')
  async officers(
    @Ctx() ctx: PersonnelContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
    @Arg('filter', () => OfficerFilter, { nullable: true }) filter: OfficerFilter | null,
  ) {
    if (filter?.jurisdiction && !/^\d{2,9}$/.test(filter.jurisdiction)) {
      throw badInput('filter.jurisdiction', 'must be a jurisdiction code or its leading digits, such as "3304"');
    }
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listOfficers(ctx.db, filter ?? {}, limit, position),
      officerPosition,
      (row) => toOfficer(ctx.region, row),
    );
  }
}
