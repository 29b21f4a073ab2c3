import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { isJurisdictionCode, provinceOf } from '../../auth/jurisdiction';
import { badInput } from '../shared/errors';
import type { DirectoryContext } from './context';
import { listProvinces } from './jurisdiction-repository';
import { Jurisdiction, Region } from './types';

@Resolver(() => Jurisdiction)
export class JurisdictionResolver {
  @Query(() => Jurisdiction, { nullable: true, description: 'A jurisdiction by its GB/T 2260 code; null when the hub does not know it.' })
  async jurisdiction(@Ctx() ctx: DirectoryContext, @Arg('code', () => String) code: string) {
    if (!isJurisdictionCode(code)) throw badInput('code', `must be a 6- or 9-digit GB/T 2260 code, but got ${JSON.stringify(code)}`);
    return (await ctx.jurisdictionByCode.load(code)) ?? null;
  }

  @Query(() => [Jurisdiction], { description: 'The provinces of the Delta: the roots of the jurisdiction tree.' })
  provinces(@Ctx() ctx: DirectoryContext) {
    return listProvinces(ctx.db);
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  parent(@Root() jurisdiction: Jurisdiction, @Ctx() ctx: DirectoryContext) {
    return jurisdiction.parentCode ? ctx.jurisdictionByCode.load(jurisdiction.parentCode) : null;
  }

  @FieldResolver(() => [Jurisdiction])
  children(@Root() jurisdiction: Jurisdiction, @Ctx() ctx: DirectoryContext) {
    return ctx.childrenOf.load(jurisdiction.code);
  }
}

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: 'The regions (cities) the hub federates, from its region configuration.' })
  regions(@Ctx() ctx: DirectoryContext): Region[] {
    return ctx.regions.map((region) => ({ code: region.code, name: region.name, provinceCode: provinceOf(region.code) }));
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  jurisdiction(@Root() region: Region, @Ctx() ctx: DirectoryContext) {
    return ctx.jurisdictionByCode.load(region.code);
  }
}
