import type { PoolClient } from 'pg';
import { Arg, Ctx, Directive, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { contains, isJurisdictionCode } from '../../auth/jurisdiction';
import { agencyDutyProblem } from '../../auth/duties';
import { Access } from '../shared/access';
import { HUB_DELIVERY, TASK_AGENCY_WORK } from './enforcement-access-rules';
import { requireActor } from '../shared/actor';
import { AgencyKind } from '../shared/agency';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import type { EnforcementContext } from './context';
import { ownLocalId } from '../shared/local-id';
import { ParticipantTaskStatus, TaskAction, taskRefusal, TaskStatus } from './inspection-flow';
import { checkNote } from './inspection-input';
import { enqueueStatusReport } from './outbox';
import { recordTaskReport } from './participant-repository';
import { relayOutbox } from './relay';
import { insertFinding, lockTask, receiveTask, TaskRow, toTask, updateTask } from './task-repository';
import { FindingSeverity, InspectionTask } from './task-types';
import { logger } from '../../platform/logger';
import { dayEndOf, deadlineAfter, deadlinePassed, lastDayOf } from '../shared/beijing-day';

const MAX_RECTIFICATION_DAYS = 180;

/**
 * A deadline for what must be put right, ending at 24:00 Beijing time of its last day (the day
 * the instant given falls on), as every time limit of the hub does: not yet over, its last day at
 * most MAX_RECTIFICATION_DAYS after today, and never on a finding of nothing wrong. Stored as
 * that day's end, so the follow-up is raised once the whole last day has passed.
 */
function checkRectifyBy(input: RecordFindingInput, now = new Date()): Date | null {
  const given = input.rectifyBy ?? null;
  if (!given) return null;
  if (Number.isNaN(given.getTime())) throw badInput('input.rectifyBy', 'is not a valid date');
  if (input.severity === FindingSeverity.NONE)
    throw badInput('input.rectifyBy', 'a finding of severity NONE has nothing to rectify; give MINOR or MAJOR, or no deadline');
  const rectifyBy = dayEndOf(given);
  if (deadlinePassed(rectifyBy, now))
    throw badInput('input.rectifyBy', `${given.toISOString()} is not ahead: its last day, ${lastDayOf(rectifyBy)} (Beijing time), has ended`);
  if (rectifyBy > deadlineAfter(now, MAX_RECTIFICATION_DAYS))
    throw badInput(
      'input.rectifyBy',
      `a rectification deadline is at most ${MAX_RECTIFICATION_DAYS} days ahead (its last day ${lastDayOf(rectifyBy)}, Beijing time)`,
    );
  return rectifyBy;
}

@InputType({ description: 'A finding recorded on site.' })
export class RecordFindingInput {
  @Field(() => ID)
  taskId!: string;

  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field(() => String)
  description!: string;

  @Field(() => Date, {
    nullable: true,
    description: `The rectification deadline (整改期限) of a MINOR or MAJOR finding: its last day is the Beijing-time day of the instant given (00:00 is the end of the day before), at most ${MAX_RECTIFICATION_DAYS} days after today, and it ends at 24:00 Beijing time of that day; once it has passed, a follow-up inspection (整改复查) is raised in the lead region.`,
  })
  rectifyBy?: Date | null;
}

@InputType({ description: "Hub-internal: a task as the lead region delivers it to the participant's region (sent by the lead region's outbox relay)." })
export class ReceiveInspectionTaskInput {
  @Field(() => String, { description: 'The participant region, where the task is kept.' })
  region!: string;

  @Field(() => ID, { description: 'The inspection, in the lead region.' })
  inspectionId!: string;

  @Field(() => String, { description: "The participant's local id in the lead region; with the inspection, it makes delivery idempotent." })
  participantRef!: string;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String)
  jurisdiction!: string;

  @Field(() => ID, { nullable: true })
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lead officer who dispatched it (the relay sends on their behalf).' })
  dispatchedBy?: string | null;

  @Field(() => String)
  scenarioCode!: string;

  @Field(() => String)
  targetName!: string;

  @Field(() => String)
  targetCreditCode!: string;

  @Field(() => String)
  targetAddress!: string;

  @Field(() => Date)
  plannedAt!: Date;

  @Field(() => Date)
  plannedUntil!: Date;

  @Field(() => Date, { nullable: true, description: 'When the joint visit began (执法检查), once it has; the task may be worked from then on.' })
  visitStartedAt?: Date | null;
}

@InputType({ description: "Hub-internal: a task's status, reported to the lead region's mirror (sent by the participant region's outbox relay)." })
export class InspectionTaskReportInput {
  @Field(() => ID)
  inspectionId!: string;

  @Field(() => String)
  participantRef!: string;

  @Field(() => ID)
  taskId!: string;

  @Field(() => ParticipantTaskStatus)
  status!: ParticipantTaskStatus;

  @Field(() => Date)
  at!: Date;
}

/**
 * A participant's work on its task, in its own region. Each change is reported to the lead
 * region through the outbox, written in the same transaction and sent once it commits.
 */
/** Hub-internal mutations are sent by a region's hub service (the outbox relay), never by an officer. */
export function requireHubService(ctx: EnforcementContext) {
  const actor = requireActor(ctx.actor);
  if (!actor.roles.includes('SERVICE')) {
    throw hubError('FORBIDDEN', 'this mutation is sent between regions by the hub itself (the outbox relay), not by officers', { officer: actor.officerId });
  }
  return actor;
}

@Resolver(() => InspectionTask)
export class TaskMutations {
  @Mutation(() => InspectionTask, {
    description:
      'Accepts a task (接收任务) once the joint visit has begun (before: INVALID_TRANSITION); of two officers accepting at once, the second gets CONFLICT.',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(TASK_AGENCY_WORK)
  acceptInspectionTask(@Ctx() ctx: EnforcementContext, @Arg('id', () => ID) id: string): Promise<InspectionTask> {
    return this.act(ctx, 'acceptInspectionTask', id, 'id', 'accept', (client, task, officerId) =>
      updateTask(client, task.id, TaskStatus.PENDING, TaskStatus.ACCEPTED, { accepted_by: officerId, accepted_at: new Date() }),
    );
  }

  @Mutation(() => InspectionTask, {
    description: 'Records a finding (检查发现) on an accepted task, during the joint visit; one to be put right may carry a rectification deadline (整改期限).',
  })
  @Directive('@routeBy(argument: "input.taskId")')
  @Access(TASK_AGENCY_WORK)
  recordInspectionFinding(@Ctx() ctx: EnforcementContext, @Arg('input', () => RecordFindingInput) input: RecordFindingInput): Promise<InspectionTask> {
    const description = checkNote(input.description, 'input.description');
    if (!description) throw badInput('input.description', 'must not be empty');
    const rectifyBy = checkRectifyBy(input);
    return this.act(ctx, 'recordInspectionFinding', input.taskId, 'input.taskId', 'recordFinding', async (client, task, officerId) => {
      await insertFinding(client, { taskId: task.id, severity: input.severity, description, recordedBy: officerId, rectifyBy });
      return (await lockTask(client, task.id))!;
    });
  }

  @Mutation(() => InspectionTask, { description: 'Completes an accepted task with its conclusion; the lead region can evaluate once every task is complete.' })
  @Directive('@routeBy(argument: "id")')
  @Access(TASK_AGENCY_WORK)
  completeInspectionTask(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('conclusion', () => String, { nullable: true }) conclusion: string | null,
  ): Promise<InspectionTask> {
    const text = checkNote(conclusion, 'conclusion');
    return this.act(ctx, 'completeInspectionTask', id, 'id', 'complete', (client, task, officerId) =>
      updateTask(client, task.id, TaskStatus.ACCEPTED, TaskStatus.COMPLETED, {
        completed_by: officerId,
        completed_at: new Date(),
        conclusion: text ?? undefined,
      }),
    );
  }

  @Mutation(() => InspectionTask, { description: 'Hub-internal: stores a task delivered by the lead region, once however often it is delivered.' })
  @Directive('@routeBy(argument: "input.region")')
  @Access(HUB_DELIVERY)
  async receiveInspectionTask(
    @Ctx() ctx: EnforcementContext,
    @Arg('input', () => ReceiveInspectionTaskInput) input: ReceiveInspectionTaskInput,
  ): Promise<InspectionTask> {
    const actor = requireHubService(ctx);
    if (input.dispatchedBy && !parseGlobalId(input.dispatchedBy)) throw badInput('input.dispatchedBy', 'must be an officer id');
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    if (!parseGlobalId(input.inspectionId)) throw badInput('input.inspectionId', `${JSON.stringify(input.inspectionId)} is not an inspection id`);
    if (!/^[1-9]\d{0,17}$/.test(input.participantRef)) throw badInput('input.participantRef', 'must be a local id');
    if (!isJurisdictionCode(input.jurisdiction) || !contains(ctx.region, input.jurisdiction))
      throw badInput('input.jurisdiction', `must be a jurisdiction code inside region ${ctx.region}`);
    if (input.assigneeId && !parseGlobalId(input.assigneeId)) throw badInput('input.assigneeId', 'must be an officer id');
    const row = await auditedChange(
      ctx,
      'receiveInspectionTask',
      (client) =>
        receiveTask(client, {
          ...input,
          assigneeId: input.assigneeId ?? null,
          dispatchedBy: input.dispatchedBy ?? actor.officerId,
          visitStartedAt: input.visitStartedAt ?? null,
        }),
      (task) => auditRecord('InspectionTask', toGlobalId(ctx.region, task.id)),
    );
    return toTask(ctx.region, row);
  }

  @Mutation(() => Boolean, {
    description: "Hub-internal: updates the lead region's mirror of a participant's task; reports arriving late or twice never move it back.",
  })
  @Directive('@routeBy(argument: "input.inspectionId")')
  @Access(HUB_DELIVERY)
  async reportInspectionTaskStatus(
    @Ctx() ctx: EnforcementContext,
    @Arg('input', () => InspectionTaskReportInput) input: InspectionTaskReportInput,
  ): Promise<boolean> {
    requireHubService(ctx);
    const inspectionId = ownLocalId(ctx.region, input.inspectionId, 'input.inspectionId');
    if (!/^[1-9]\d{0,17}$/.test(input.participantRef)) throw badInput('input.participantRef', 'must be a local id');
    if (!parseGlobalId(input.taskId)) throw badInput('input.taskId', 'must be a task id');
    // A report of a participant this region does not have changes nothing: refused inside the transaction, so no audit row stays.
    return auditedChange(
      ctx,
      'reportInspectionTaskStatus',
      async (client) => {
        if (!(await recordTaskReport(client, input.participantRef, inspectionId, input.taskId, input.status, input.at))) {
          throw hubError('NOT_FOUND', `inspection ${input.inspectionId} has no participant ${input.participantRef} in the region of task ${input.taskId}`, {
            id: input.inspectionId,
          });
        }
        return true;
      },
      () => auditRecord('Inspection', toGlobalId(ctx.region, inspectionId)),
    );
  }

  /** One action on a task, all or nothing; the task row is locked so that simultaneous actions queue. */
  private async act(
    ctx: EnforcementContext,
    mutation: string,
    id: string,
    field: string,
    action: TaskAction,
    work: (client: PoolClient, task: TaskRow, officerId: string) => Promise<TaskRow | undefined>,
  ): Promise<InspectionTask> {
    const actor = requireActor(ctx.actor);
    const localId = ownLocalId(ctx.region, id, field);
    const { row, messageIds } = await auditedChange(
      ctx,
      mutation,
      async (client) => {
        const task = await lockTask(client, localId);
        if (!task) throw hubError('NOT_FOUND', `No inspection task ${id}`, { id });
        const problem = agencyDutyProblem(actor, ctx.region, task.agency, `working task ${id}`, task.jurisdiction);
        if (problem) throw hubError('FORBIDDEN', problem, { officer: actor.officerId });
        const refusal = taskRefusal(task.status, action, task.visit_started_at !== null);
        if (refusal)
          throw hubError(refusal.code, `cannot ${action === 'recordFinding' ? 'record a finding on' : action} task ${id}: ${refusal.reason}`, {
            id,
            status: task.status,
            inspectionId: task.inspection_id,
            visitStarted: task.visit_started_at !== null,
          });
        const changed = await work(client, task, actor.officerId);
        if (!changed) throw hubError('CONFLICT', `task ${id} was changed by someone else while you acted; reload it and decide again`, { id });
        const owed = changed.status === task.status ? [] : await enqueueStatusReport(client, ctx.region, changed, actor.officerId);
        return { row: changed, messageIds: owed };
      },
      () => auditRecord('InspectionTask', toGlobalId(ctx.region, localId)),
    );
    await relayOutbox(ctx, messageIds).catch((error) => logger.warn(`[enforcement] report after commit failed: ${(error as Error).message}`));
    return toTask(ctx.region, row);
  }
}
