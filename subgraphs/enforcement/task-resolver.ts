import { Arg, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId } from '../../auth/global-id';
import { AgencyKind } from '../shared/agency';
import { badInput, hubError } from '../shared/errors';
import { regionPage } from '../shared/pagination';
import { visiblePrefixes } from '../../auth/record-policy';
import type { EnforcementContext } from './context';
import { INSPECTION_CATEGORIES } from './enforcement-access-rules';
import { ownLocalId } from '../shared/local-id';
import { Inspection } from './inspection-types';
import { InspectionScenario } from './scenario-types';
import { listTasks, taskPosition, toTask } from './task-repository';
import { InspectionTask, InspectionTaskConnection, TaskFinding, TaskStatus } from './task-types';

@InputType({ description: 'Narrows a list of tasks; the filters combine with AND. The participant region is chosen with `regions`.' })
export class InspectionTaskFilter {
  @Field(() => TaskStatus, { nullable: true })
  status?: TaskStatus;

  @Field(() => AgencyKind, { nullable: true })
  agency?: AgencyKind;

  @Field(() => String, { nullable: true, description: 'Only tasks of inspections led by this region.' })
  leadRegion?: string;

  @Field(() => ID, { nullable: true, description: 'Only tasks assigned to this officer.' })
  assigneeId?: string;
}

@Resolver(() => InspectionTask)
export class TaskResolver {
  @Query(() => InspectionTaskConnection, { description: 'Inspection tasks assigned to the agencies of the regions in scope (任务), newest planned first.' })
  @Directive('@fanOut(sortKey: "plannedAt", descending: true)')
  inspectionTasks(
    @Ctx() ctx: EnforcementContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Participant region codes to read; all when omitted.' }) regions: string[] | null,
    @Arg('filter', () => InspectionTaskFilter, { nullable: true }) filter: InspectionTaskFilter | null,
  ) {
    if (filter?.leadRegion && !/^\d{6}$/.test(filter.leadRegion)) throw badInput('filter.leadRegion', 'must be a 6-digit region code');
    if (filter?.assigneeId && !parseGlobalId(filter.assigneeId)) throw badInput('filter.assigneeId', 'must be an officer id such as "330400:3"');
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) =>
        listTasks(
          ctx.db,
          { ...filter, visibleIn: { prefixes: visiblePrefixes(ctx.actor!, INSPECTION_CATEGORIES), leadRegion: ctx.actor!.region } },
          limit,
          position,
        ),
      taskPosition,
      (row) => toTask(ctx.region, row),
    );
  }

  @Query(() => InspectionTask, { nullable: true, description: 'One task by global id.' })
  @Directive('@routeBy(argument: "id")')
  async inspectionTask(@Ctx() ctx: EnforcementContext, @Arg('id', () => ID) id: string): Promise<InspectionTask> {
    const task = await ctx.taskById.load(ownLocalId(ctx.region, id));
    if (!task) throw hubError('NOT_FOUND', `No inspection task ${id}`, { id });
    return task;
  }

  @FieldResolver(() => Inspection, {
    nullable: true,
    description: 'The inspection, read from the lead region; null (with a REGION_UNAVAILABLE error) while that region cannot be reached.',
  })
  // The inspection lives in the lead region: this region gives its key, the gateway fetches it from there.
  @Directive('@crossRegion')
  inspection(@Root() task: InspectionTask): Pick<Inspection, 'id'> {
    return { id: task.inspectionId };
  }

  @FieldResolver(() => InspectionScenario, { nullable: true })
  async scenario(@Root() task: InspectionTask, @Ctx() ctx: EnforcementContext) {
    return (await ctx.scenarioByCode.load(task.scenarioCode)) ?? null;
  }

  @FieldResolver(() => [TaskFinding], { description: 'Findings recorded on site (检查发现), oldest first.' })
  findings(@Root() task: InspectionTask, @Ctx() ctx: EnforcementContext) {
    return ctx.findingsOf.load(task.localId);
  }
}
