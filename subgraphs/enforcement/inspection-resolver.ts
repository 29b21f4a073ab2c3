import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import { checkPageSize, decodeCursor, regionOutOfScope, toConnection } from '../shared/pagination';
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
    const size = checkPageSize(first);
    const position = decodeCursor(after);
    if (regionOutOfScope(regions, ctx.region) || size === 0) return toConnection([], 0, inspectionPosition, (row) => row);
    const rows = await listInspections(ctx.db, size + 1, position);
    return toConnection(rows, size, inspectionPosition, (row) => toInspection(ctx.region, row));
  }
}
