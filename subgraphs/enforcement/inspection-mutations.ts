import type { PoolClient } from 'pg';
import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import { toGlobalId } from '../../auth/global-id';
import { agencyDutyProblem } from '../../auth/duties';
import { Access } from '../shared/access';
import { JOINING_AGENCY_WORK, LEAD_AGENCY_WORK } from './enforcement-access-rules';
import { requireActor } from '../shared/actor';
import { isUniqueViolation } from '../shared/db';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import { agencyNameIn } from './agency-names';
import type { EnforcementContext } from './context';
import { ownLocalId } from '../shared/local-id';
import { InspectionStep, isDispatched, isVisited, stepRefusal, unfinishedParticipants } from './inspection-flow';
import {
  checkCreation,
  checkEvaluation,
  checkNote,
  checkOfficerId,
  checkParticipants,
  checkScenarioAgencies,
  checkTargetEvaluation,
  CreateInspectionInput,
  EvaluateInspectionInput,
  JoinInspectionInput,
  PlanInspectionInput,
  TargetEvaluationInput,
} from './inspection-input';
import {
  findOverlappingInspection,
  InspectionChange,
  InspectionRow,
  insertInspection,
  insertStepEntry,
  lockInspection,
  lockTarget,
  moveInspection,
  toInspection,
  recordTargetEvaluation,
  touchInspection,
  visitStartedAt,
} from './inspection-repository';
import { Inspection } from './inspection-types';
import { leadParticipantOf } from './lead-participant';
import { enqueueDeliveries } from './outbox';
import { insertLeadParticipant, insertParticipants, listParticipants, markDispatching, NewParticipant } from './participant-repository';
import { relayOutbox } from './relay';
import { findScenarios } from './scenario-repository';
import { logger } from '../../platform/logger';

/** What a step does besides moving the inspection: columns it sets, and messages it owes other regions. */
type StepWork = (client: PoolClient, current: InspectionRow, officerId: string) => Promise<{ change?: InspectionChange; messageIds?: string[] } | void>;

/**
 * The five steps of 综合查一次 as mutations, each all or nothing. Every change locks the
 * inspection row first, so that two officers acting at once are served one after the other and
 * the second sees what the first did (a CONFLICT when they did the same thing). Tasks for the
 * participants' regions are written to the outbox in the same transaction and sent after it
 * commits; a region that cannot be reached gets its task from the relay later.
 */
/** Refuses with FORBIDDEN when the caller's duties do not cover this change. */
function duty(problem: string | undefined, officer: string): void {
  if (problem) throw hubError('FORBIDDEN', problem, { officer });
}

@Resolver(() => Inspection)
export class InspectionMutations {
  @Mutation(() => Inspection, {
    description:
      '智能预警: opens an inspection of a target. Refused with DUPLICATE_INSPECTION when another inspection of the same target, at any step (evaluated ones too), has an overlapping period; refused with BAD_USER_INPUT for a period that has begun before today (Beijing time) or an agency the scenario does not involve.',
  })
  @Directive('@routeBy(argument: "input.region")')
  @Access(LEAD_AGENCY_WORK)
  async createInspection(@Ctx() ctx: EnforcementContext, @Arg('input', () => CreateInspectionInput) input: CreateInspectionInput): Promise<Inspection> {
    const actor = requireActor(ctx.actor);
    duty(agencyDutyProblem(actor, ctx.region, input.leadAgency, 'opening an inspection'), actor.officerId);
    const { inspection, participants } = checkCreation(ctx, input, actor.officerId);
    // The place is checked once the lead jurisdiction is known to be a code of this region.
    duty(agencyDutyProblem(actor, ctx.region, inspection.leadAgency, 'opening an inspection', inspection.leadJurisdiction), actor.officerId);
    const note = checkNote(input.note, 'input.note');
    const [scenario] = await findScenarios(ctx.db, [inspection.scenarioCode]);
    if (!scenario)
      throw badInput(
        'input.scenarioCode',
        `${JSON.stringify(inspection.scenarioCode)} is not in the scenario catalogue of region ${ctx.region} (see inspectionScenarios)`,
      );
    checkScenarioAgencies(scenario, { agency: inspection.leadAgency, field: 'input.leadAgency' }, participants, (i) => `input.participants[${i}]`);
    const row = await auditedChange(
      ctx,
      'createInspection',
      async (client) => {
        await lockTarget(client, inspection.target.creditCode);
        const existing = await findOverlappingInspection(client, inspection.target.creditCode, inspection.plannedAt, inspection.plannedUntil);
        if (existing) throw duplicateOf(ctx.region, existing);
        const created = await insertInspection(client, inspection);
        await insertParticipants(client, created.id, participants, actor.officerId, false);
        // The lead agency inspects too: its own task and findings, like every participant's.
        await insertLeadParticipant(
          client,
          created.id,
          leadParticipantOf(ctx.region, {
            leadJurisdiction: created.lead_jurisdiction,
            leadAgency: created.lead_agency,
            leadOfficerId: created.lead_officer_id,
          }),
          actor.officerId,
        );
        await insertStepEntry(client, { inspectionId: created.id, step: InspectionStep.WARNING, officerId: actor.officerId, note });
        return created;
      },
      (created) => auditRecord('Inspection', toGlobalId(ctx.region, created.id)),
    );
    return toInspection(ctx.region, row);
  }

  @Mutation(() => Inspection, { description: '计划生成: fixes the plan and who takes part.' })
  @Directive('@routeBy(argument: "id")')
  @Access(LEAD_AGENCY_WORK)
  planInspection(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PlanInspectionInput, { nullable: true }) input: PlanInspectionInput | null,
  ): Promise<Inspection> {
    const leadOfficerId = checkOfficerId(input?.leadOfficerId, ctx.region, 'input.leadOfficerId');
    return this.takeStep(ctx, 'planInspection', id, InspectionStep.PLAN, checkNote(input?.note, 'input.note'), async (client, current, officerId) => {
      const members = await listParticipants(client, [current.id]).then(([rows]) => rows.filter((row) => !row.lead));
      const lead = { jurisdiction: current.lead_jurisdiction, agency: current.lead_agency };
      let added: NewParticipant[] = checkParticipants(ctx, input?.participants ?? [], (i) => `input.participants[${i}]`, [lead, ...members]);
      const [scenario] = await findScenarios(client, [current.scenario_code]);
      if (scenario) checkScenarioAgencies(scenario, null, added, (i) => `input.participants[${i}]`);
      if (members.length + added.length === 0) added = await scenarioParticipants(client, ctx.region, current);
      if (members.length + added.length === 0) throw badInput('input.participants', 'a joint inspection needs at least one agency besides the lead');
      await insertParticipants(client, current.id, added, officerId, false);
      return { change: leadOfficerId ? { lead_officer_id: leadOfficerId } : {} };
    });
  }

  @Mutation(() => Inspection, { description: "任务派发: sends every participant its task, kept in the participant's region." })
  @Directive('@routeBy(argument: "id")')
  @Access(LEAD_AGENCY_WORK)
  dispatchInspection(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
  ): Promise<Inspection> {
    return this.takeStep(ctx, 'dispatchInspection', id, InspectionStep.DISPATCH, checkNote(note), async (client, current, officerId) => {
      const participants = await markDispatching(client, current.id);
      return { messageIds: await enqueueDeliveries(client, ctx.region, current, participants, officerId, null) };
    });
  }

  @Mutation(() => Inspection, {
    description: '执法检查: the joint visit to the target begins; from now on participants accept their tasks, record findings and complete them.',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(LEAD_AGENCY_WORK)
  startInspection(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
  ): Promise<Inspection> {
    return this.takeStep(ctx, 'startInspection', id, InspectionStep.INSPECT, checkNote(note), async (client, current, officerId) => {
      // Tasks live in the participants' regions: each is told, through the outbox, that it may now be worked.
      const [participants] = await listParticipants(client, [current.id]);
      return { messageIds: await enqueueDeliveries(client, ctx.region, current, participants, officerId, new Date()) };
    });
  }

  @Mutation(() => Inspection, { description: "评价反馈: records the evaluation; only once every participant's task is complete." })
  @Directive('@routeBy(argument: "id")')
  @Access(LEAD_AGENCY_WORK)
  evaluateInspection(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EvaluateInspectionInput) input: EvaluateInspectionInput,
  ): Promise<Inspection> {
    const evaluation = checkEvaluation(input);
    return this.takeStep(ctx, 'evaluateInspection', id, InspectionStep.EVALUATE, null, async (client, current, officerId) => {
      const [participants] = await listParticipants(client, [current.id]);
      const unfinished = unfinishedParticipants(
        participants.map((row) => ({ id: toGlobalId(ctx.region, row.id), taskStatus: row.task_status, name: agencyNameIn(row.jurisdiction, row.agency) })),
      );
      if (unfinished.length) {
        throw hubError(
          'INVALID_TRANSITION',
          `cannot evaluate inspection ${id} yet: ${unfinished.map((p) => `${p.name} is ${p.taskStatus}`).join('; ')}; every task must be COMPLETED`,
          { id, currentStep: current.step, wantedStep: InspectionStep.EVALUATE, unfinishedParticipants: unfinished.map((p) => p.id) },
        );
      }
      return { change: { evaluation_score: evaluation.score, evaluation_comment: evaluation.comment, evaluated_by: officerId, evaluated_at: new Date() } };
    });
  }

  @Mutation(() => Inspection, {
    description:
      "Records the inspected target's own evaluation of the visit (企业评价), given by its representative; once the visit has begun (INSPECT or EVALUATE), once per inspection.",
  })
  @Directive('@routeBy(argument: "id")')
  @Access(LEAD_AGENCY_WORK)
  async recordTargetEvaluation(
    @Ctx() ctx: EnforcementContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => TargetEvaluationInput) input: TargetEvaluationInput,
  ): Promise<Inspection> {
    const actor = requireActor(ctx.actor);
    const localId = ownLocalId(ctx.region, id);
    const evaluation = checkTargetEvaluation(input);
    const row = await auditedChange(
      ctx,
      'recordTargetEvaluation',
      async (client) => {
        const current = await lockInspection(client, localId);
        if (!current) throw hubError('NOT_FOUND', `No inspection ${id}`, { id });
        duty(
          agencyDutyProblem(actor, ctx.region, current.lead_agency, `recording the target's evaluation of inspection ${id}`, current.lead_jurisdiction),
          actor.officerId,
        );
        if (!isVisited(current.step)) {
          throw hubError(
            'INVALID_TRANSITION',
            `cannot record the target's evaluation of inspection ${id}: it is at ${current.step}; the target evaluates the visit once it has begun (INSPECT)`,
            { id, currentStep: current.step },
          );
        }
        const recorded = await recordTargetEvaluation(client, localId, { ...evaluation, recordedBy: actor.officerId });
        if (!recorded) throw hubError('CONFLICT', `the target's evaluation of inspection ${id} is already recorded`, { id });
        return recorded;
      },
      () => auditRecord('Inspection', toGlobalId(ctx.region, localId)),
    );
    return toInspection(ctx.region, row);
  }

  @Mutation(() => Inspection, {
    description:
      'Joins an agency to an inspection of its target already under way ("enter the door once"); any inspecting agency may join, named by the scenario or not, since it may not open a second inspection of the period. After dispatch its task is sent at once, after the visit has begun it may be worked at once.',
  })
  @Directive('@routeBy(argument: "input.inspectionId")')
  @Access(JOINING_AGENCY_WORK)
  async joinInspection(@Ctx() ctx: EnforcementContext, @Arg('input', () => JoinInspectionInput) input: JoinInspectionInput): Promise<Inspection> {
    const actor = requireActor(ctx.actor);
    const localId = ownLocalId(ctx.region, input.inspectionId, 'input.inspectionId');
    const [participant] = checkParticipants(ctx, [input.participant], () => 'input.participant', []);
    // An agency joins for itself: its own officer, of the participant's jurisdiction or its city.
    duty(agencyDutyProblem(actor, participant.region, participant.agency, 'joining an inspection', participant.jurisdiction), actor.officerId);
    const { row, messageIds } = await auditedChange(
      ctx,
      'joinInspection',
      async (client) => {
        const current = await lockInspection(client, localId);
        if (!current) throw hubError('NOT_FOUND', `No inspection ${input.inspectionId}`, { id: input.inspectionId });
        if (current.step === InspectionStep.EVALUATE) {
          throw hubError(
            'INVALID_TRANSITION',
            `cannot join inspection ${input.inspectionId}: it is already evaluated; open a new inspection of the target instead`,
            { id: input.inspectionId, currentStep: current.step },
          );
        }
        const members = (await listParticipants(client, [localId]))[0].filter((row) => !row.lead);
        const lead = { jurisdiction: current.lead_jurisdiction, agency: current.lead_agency };
        if ([lead, ...members].some((m) => m.jurisdiction === participant.jurisdiction && m.agency === participant.agency)) {
          throw hubError('CONFLICT', `${agencyNameIn(participant.jurisdiction, participant.agency)} already takes part in inspection ${input.inspectionId}`, {
            id: input.inspectionId,
          });
        }
        const dispatching = isDispatched(current.step);
        let joined;
        try {
          joined = await insertParticipants(client, localId, [participant], actor.officerId, dispatching);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw hubError(
            'CONFLICT',
            `${agencyNameIn(participant.jurisdiction, participant.agency)} joined inspection ${input.inspectionId} at the same moment`,
            { id: input.inspectionId },
          );
        }
        await touchInspection(client, localId);
        const visitStart = current.step === InspectionStep.INSPECT ? ((await visitStartedAt(client, localId)) ?? null) : null;
        const ids = dispatching ? await enqueueDeliveries(client, ctx.region, current, joined, actor.officerId, visitStart) : [];
        return { row: (await lockInspection(client, localId))!, messageIds: ids };
      },
      () => auditRecord('Inspection', toGlobalId(ctx.region, localId)),
    );
    await this.deliver(ctx, messageIds);
    return toInspection(ctx.region, row);
  }

  /** One step, all or nothing; messages it owes other regions are sent once it has committed. */
  private async takeStep(
    ctx: EnforcementContext,
    mutation: string,
    id: string,
    wanted: InspectionStep,
    note: string | null,
    work?: StepWork,
  ): Promise<Inspection> {
    const actor = requireActor(ctx.actor);
    const localId = ownLocalId(ctx.region, id);
    const { row, messageIds } = await auditedChange(
      ctx,
      mutation,
      async (client) => {
        const current = await lockInspection(client, localId);
        if (!current) throw hubError('NOT_FOUND', `No inspection ${id}`, { id });
        duty(agencyDutyProblem(actor, ctx.region, current.lead_agency, `moving inspection ${id} to ${wanted}`, current.lead_jurisdiction), actor.officerId);
        const refusal = stepRefusal(current.step, wanted);
        if (refusal)
          throw hubError(refusal.code, `cannot move inspection ${id} to ${wanted}: ${refusal.reason}`, { id, currentStep: current.step, wantedStep: wanted });
        const done = (await work?.(client, current, actor.officerId)) || {};
        const moved = await moveInspection(client, localId, current.step, wanted, done.change);
        if (!moved) throw hubError('CONFLICT', `inspection ${id} was changed by someone else while you acted; reload it and decide again`, { id });
        await insertStepEntry(client, { inspectionId: localId, step: wanted, officerId: actor.officerId, note });
        return { row: moved, messageIds: done.messageIds ?? [] };
      },
      () => auditRecord('Inspection', toGlobalId(ctx.region, localId)),
    );
    await this.deliver(ctx, messageIds);
    return toInspection(ctx.region, row);
  }

  /** The change has committed: a delivery that fails now stays in the outbox for the relay. */
  private async deliver(ctx: EnforcementContext, messageIds: string[]): Promise<void> {
    await relayOutbox(ctx, messageIds).catch((error) => logger.warn(`[enforcement] delivery after commit failed: ${(error as Error).message}`));
  }
}

function duplicateOf(region: string, existing: InspectionRow) {
  const existingId = toGlobalId(region, existing.id);
  const period = `${existing.planned_at.toISOString()} – ${existing.planned_until.toISOString()}`;
  const what = `${existing.target_name} (${existing.target_credit_code})`;
  const lead = agencyNameIn(existing.lead_jurisdiction, existing.lead_agency);
  // An evaluated inspection cannot be joined any more: the period is simply taken.
  const message =
    existing.step === InspectionStep.EVALUATE
      ? `${what} was already inspected by inspection ${existingId}, led by ${lead}, ${period}, evaluated: enter the door once — plan another inspection for a period after ${existing.planned_until.toISOString()}`
      : `${what} is already to be inspected by inspection ${existingId}, led by ${lead}, ${period}, now at ${existing.step}: enter the door once — join it with joinInspection instead of opening a second inspection`;
  return hubError('DUPLICATE_INSPECTION', message, { existingInspectionId: existingId, existingStep: existing.step, field: 'input.target.creditCode' });
}

/** 计划生成 with nobody named: the scenario's other agencies, in the lead jurisdiction. */
async function scenarioParticipants(client: PoolClient, region: string, inspection: InspectionRow): Promise<NewParticipant[]> {
  const [scenario] = await findScenarios(client, [inspection.scenario_code]);
  return (scenario?.agencies ?? [])
    .filter((agency) => agency !== inspection.lead_agency)
    .map((agency) => ({ region, jurisdiction: inspection.lead_jurisdiction, agency, officerId: null }));
}
