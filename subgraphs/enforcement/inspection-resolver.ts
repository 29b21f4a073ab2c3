import { Arg, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, hubError } from '../shared/errors';
import { notShared } from '../shared/permissions';
import { regionPage } from '../shared/pagination';
import { maySee, visiblePrefixes } from '../../auth/record-policy';
import type { EnforcementContext } from './context';
import { INSPECTION_CATEGORIES } from './enforcement-access-rules';
import { ownLocalId } from '../shared/local-id';
import { inspectionPosition, listInspections, toInspection } from './inspection-repository';
import { Inspection, InspectionConnection, InspectionParticipant, InspectionStep, InspectionStepEntry } from './inspection-types';
import { toParticipant } from './participant-repository';
import { listScenarios } from './scenario-repository';
import { InspectionScenario, ScenarioCategory } from './scenario-types';

@InputType({ description: 'Narrows a list of inspections; the filters combine with AND. The lead region is chosen with `regions`.' })
export class InspectionFilter {
  @Field(() => InspectionStep, { nullable: true })
  step?: InspectionStep;

  @Field(() => String, { nullable: true })
  scenarioCode?: string;

  @Field(() => String, { nullable: true, description: 'Unified social credit code of the target.' })
  targetCreditCode?: string;

  @Field(() => String, { nullable: true, description: 'Jurisdiction code of the lead agency, or its leading digits ("3304", "330421").' })
  leadJurisdiction?: string;
}

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => [InspectionScenario], { description: "A region's catalogue of inspection scenarios (检查场景), by category and code." })
  @Directive('@routeBy(argument: "region")')
  inspectionScenarios(
    @Ctx() ctx: EnforcementContext,
    @Arg('region', () => String) _routedByRegion: string,
    @Arg('category', () => ScenarioCategory, { nullable: true }) category: ScenarioCategory | null,
  ): Promise<InspectionScenario[]> {
    return listScenarios(ctx.db, category);
  }

  @Query(() => InspectionConnection, { description: 'Joint inspections led by the regions in scope, newest planned first.' })
  @Directive('@fanOut(sortKey: "plannedAt", descending: true)')
  async inspections(
    @Ctx() ctx: EnforcementContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Lead region codes to read; all when omitted.' }) regions: string[] | null,
    @Arg('filter', () => InspectionFilter, { nullable: true }) filter: InspectionFilter | null,
  ) {
    if (filter?.leadJurisdiction && !/^\d{2,6}$/.test(filter.leadJurisdiction))
      throw badInput('filter.leadJurisdiction', 'must be a jurisdiction code or its leading digits, such as "3304"');
    const normalised = { ...filter, targetCreditCode: filter?.targetCreditCode?.trim().toUpperCase() };
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listInspections(ctx.db, { ...normalised, visibleIn: visiblePrefixes(ctx.actor!, INSPECTION_CATEGORIES) }, limit, position),
      inspectionPosition,
      (row) => toInspection(ctx.region, row),
    );
  }

  @Query(() => Inspection, { nullable: true, description: 'One inspection by global id.' })
  @Directive('@routeBy(argument: "id")')
  async inspection(@Ctx() ctx: EnforcementContext, @Arg('id', () => ID) id: string): Promise<Inspection> {
    const inspection = await ctx.inspectionById.load(ownLocalId(ctx.region, id));
    if (!inspection) throw hubError('NOT_FOUND', `No inspection ${id}`, { id });
    if (!maySee(ctx.actor!, inspection.leadJurisdiction, INSPECTION_CATEGORIES)) {
      throw notShared('Inspection', id, ctx.actor!.jurisdiction);
    }
    return inspection;
  }

  @FieldResolver(() => InspectionScenario, { nullable: true, description: 'The scenario (检查场景) of the catalogue.' })
  async scenario(@Root() inspection: Inspection, @Ctx() ctx: EnforcementContext) {
    return (await ctx.scenarioByCode.load(inspection.scenarioCode)) ?? null;
  }

  @FieldResolver(() => [InspectionParticipant], { description: 'Agencies taking part besides the lead (参与部门), in the order they joined.' })
  async participants(@Root() inspection: Inspection, @Ctx() ctx: EnforcementContext): Promise<InspectionParticipant[]> {
    return (await ctx.participantsOf.load(inspection.localId)).filter((row) => !row.lead).map((row) => toParticipant(ctx.region, row));
  }

  @FieldResolver(() => InspectionParticipant, {
    nullable: true,
    description:
      "The lead agency's own part (牵头部门): its task, kept in the lead region, is accepted, given findings and completed like every participant's; null for inspections opened before the lead had a task.",
  })
  async leadParticipant(@Root() inspection: Inspection, @Ctx() ctx: EnforcementContext): Promise<InspectionParticipant | null> {
    const lead = (await ctx.participantsOf.load(inspection.localId)).find((row) => row.lead);
    return lead ? toParticipant(ctx.region, lead) : null;
  }

  @FieldResolver(() => [InspectionStepEntry], { description: 'The steps taken so far, in flow order: who took each, when.' })
  timeline(@Root() inspection: Inspection, @Ctx() ctx: EnforcementContext) {
    return ctx.timelineOf.load(inspection.localId);
  }
}
