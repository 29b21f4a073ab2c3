import { Arg, Ctx, Directive, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { Access } from '../shared/access';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import { ownLocalId } from '../shared/local-id';
import type { EnforcementContext } from './context';
import { HUB_DELIVERY } from './enforcement-access-rules';
import { InspectionStep } from './inspection-flow';
import { DAY_MS, lastDayOf, startOfBeijingDay } from '../shared/beijing-day';
import { findFollowUp, findOverlappingInspection, insertInspection, insertStepEntry, lockInspection, lockTarget, toInspection } from './inspection-repository';
import { Inspection } from './inspection-types';
import { insertLeadParticipant } from './participant-repository';
import { requireHubService } from './task-mutations';
import { FindingSeverity } from './task-types';

/** A follow-up visit is planned over a week, from the day after the deadline sweep found it due. */
const FOLLOW_UP_DAYS = 7;

@InputType({ description: "Hub-internal: a finding whose rectification deadline passed, sent by its task's region to the lead region (outbox relay)." })
export class FollowUpInspectionInput {
  @Field(() => ID, { description: 'The inspection the finding was made on, in the lead region.' })
  inspectionId!: string;

  @Field(() => ID, { description: "The finding, a global id in its task's region: one follow-up per finding, however often it is sent." })
  findingId!: string;

  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field(() => String)
  description!: string;

  @Field(() => Date)
  rectifyBy!: Date;
}

/**
 * The lead region's side of 整改复查: a follow-up inspection of the same target by the same lead
 * agency, at its first step (智能预警), planned after the original's period. "Enter the door
 * once" holds here too: when another inspection of the target already covers that period, the
 * follow-up is left to it, and that inspection is the answer.
 */
@Resolver(() => Inspection)
export class FollowUpMutations {
  @Mutation(() => Inspection, {
    description: 'Hub-internal: raises the follow-up inspection (整改复查) of a finding whose rectification deadline passed; once per finding.',
  })
  @Directive('@routeBy(argument: "input.inspectionId")')
  @Access(HUB_DELIVERY)
  async raiseFollowUpInspection(
    @Ctx() ctx: EnforcementContext,
    @Arg('input', () => FollowUpInspectionInput) input: FollowUpInspectionInput,
  ): Promise<Inspection> {
    const actor = requireHubService(ctx);
    const localId = ownLocalId(ctx.region, input.inspectionId, 'input.inspectionId');
    if (!parseGlobalId(input.findingId)) throw badInput('input.findingId', `${JSON.stringify(input.findingId)} is not a finding id`);
    if (Number.isNaN(input.rectifyBy.getTime())) throw badInput('input.rectifyBy', 'is not a valid date');
    const row = await auditedChange(
      ctx,
      'raiseFollowUpInspection',
      async (client) => {
        const already = await findFollowUp(client, input.findingId);
        if (already) return already;
        const source = await lockInspection(client, localId);
        if (!source) throw hubError('NOT_FOUND', `No inspection ${input.inspectionId}`, { id: input.inspectionId });
        await lockTarget(client, source.target_credit_code);
        const tomorrow = new Date(startOfBeijingDay(new Date()).getTime() + DAY_MS);
        const plannedAt = tomorrow > source.planned_until ? tomorrow : source.planned_until;
        const plannedUntil = new Date(plannedAt.getTime() + FOLLOW_UP_DAYS * DAY_MS);
        const covering = await findOverlappingInspection(client, source.target_credit_code, plannedAt, plannedUntil);
        if (covering) return covering;
        const created = await insertInspection(client, {
          scenarioCode: source.scenario_code,
          target: {
            kind: source.target_kind,
            name: source.target_name,
            creditCode: source.target_credit_code,
            address: source.target_address,
            jurisdiction: source.target_jurisdiction,
          },
          leadJurisdiction: source.lead_jurisdiction,
          leadAgency: source.lead_agency,
          leadOfficerId: source.lead_officer_id,
          plannedAt,
          plannedUntil,
          createdBy: actor.officerId,
          followUpOf: source.id,
          followUpFinding: input.findingId,
        });
        await insertLeadParticipant(
          client,
          created.id,
          { region: ctx.region, jurisdiction: created.lead_jurisdiction, agency: created.lead_agency, officerId: created.lead_officer_id },
          actor.officerId,
        );
        const note = `整改期限届满复查：${input.description.slice(0, 500)}（整改期限${lastDayOf(input.rectifyBy)}，原检查${input.inspectionId}）`;
        await insertStepEntry(client, { inspectionId: created.id, step: InspectionStep.WARNING, officerId: null, note });
        return created;
      },
      (result) => auditRecord('Inspection', toGlobalId(ctx.region, result.id)),
    );
    return toInspection(ctx.region, row);
  }
}
