import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import { regionPage } from '../shared/pagination';
import type { EnforcementContext } from './context';
import { inspectionPosition, listInspections, toInspection } from './inspection-repository';
import { Inspection, InspectionConnection } from './types';

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => InspectionConnection, { description: 'Joint inspections led by the regions in scope, newest first.' })
  @Directive('@fanOut(sortKey: "plannedAt", descending: true)')
  async inspections(
    @Ctx() ctx: EnforcementContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' })
    regions: string[] | null,
  ) {
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listInspections(ctx.db, limit, position),
      inspectionPosition,
      (row) => toInspection(ctx.region, row),
    );
  }
}
