import { Arg, Ctx, Directive, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { contains } from '../../auth/jurisdiction';
import { Access } from '../shared/access';
import { requireActor } from '../shared/actor';
import { AgencyKind } from '../shared/agency';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import { ownLocalId } from '../shared/local-id';
import type { PetitionsContext } from './context';
import { insertReceivedPetition, recordForwardingReport } from './forwarding-repository';
import { PetitionStatus } from './lifecycle';
import { matterByRule, recordMatterHandler } from './matter-repository';
import { PETITION_DELIVERY } from './petition-access-rules';
import { insertPetitionEvent } from './petition-repository';
import { checkLocalJurisdiction } from './jurisdiction-check';
import { GROUP_VISIT_HEADCOUNT, raiseRegistrationWarnings } from './warning-rules';
import { PetitionChannel } from './types';

/**
 * The receiving and the registering ends of forwarding across regions (转送/交办), both
 * hub-internal: the relay of the registering region delivers the petition, the relay of the
 * receiving region reports each step back. Both are idempotent, so a message sent twice (after
 * a lost answer) changes nothing the second time.
 */

@InputType({ description: 'Hub-internal: a petition forwarded from another region, as the outbox relay delivers it.' })
export class ReceiveForwardedPetitionInput {
  @Field(() => String, { description: 'The receiving region.' })
  region!: string;

  @Field(() => ID, { description: "The registering region's petition." })
  forwardedFrom!: string;

  @Field(() => PetitionChannel)
  channel!: PetitionChannel;

  @Field(() => String)
  category!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => String)
  content!: string;

  @Field(() => [ID])
  petitionerIds!: string[];

  @Field(() => Int)
  headcount!: number;

  @Field(() => Date)
  registeredAt!: Date;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String, { description: 'Jurisdiction of the receiving agency, inside the receiving region.' })
  jurisdiction!: string;

  @Field(() => ID, { nullable: true, description: 'The officer who forwarded it.' })
  forwardedBy?: string | null;
}

@ObjectType({ description: "Hub-internal: the receiving region's record of a forwarded petition." })
export class ForwardingReceipt {
  @Field(() => ID)
  petitionId!: string;

  @Field(() => PetitionStatus)
  status!: PetitionStatus;

  @Field(() => Int)
  version!: number;
}

@InputType({ description: 'Hub-internal: a step the receiving region took on a forwarded petition.' })
export class ForwardedPetitionReportInput {
  @Field(() => ID, { description: "The registering region's petition." })
  petitionId!: string;

  @Field(() => ID, { description: "The receiving region's petition." })
  forwardedTo!: string;

  @Field(() => PetitionStatus)
  status!: PetitionStatus;

  @Field(() => String, { nullable: true })
  outcome?: string | null;

  @Field(() => Int, { description: "The receiving record's version after the step: later reports carry higher ones." })
  version!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The step taken there (close, decline, decideReReview, …); reports queued before it was carried have none.',
  })
  action?: string | null;

  @Field(() => ID, { nullable: true, description: 'The officer of the receiving region who took it.' })
  officerId?: string | null;

  @Field(() => Date, { description: 'When the step was taken.' })
  at!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "When the receiving record's matter was closed by re-review, once that record ended CLOSED: the registering petition's matter is closed too. Reports queued before it was carried have none.",
  })
  matterClosedAt?: Date | null;

  @Field(() => AgencyKind, {
    nullable: true,
    description:
      'The agency handling the receiving record after the step: another one once it was passed down there (交办). Reports queued before it was carried have none.',
  })
  agency?: AgencyKind | null;

  @Field(() => String, { nullable: true, description: "That agency's jurisdiction, inside the receiving region." })
  jurisdiction?: string | null;
}

function requireHubService(ctx: PetitionsContext) {
  const actor = requireActor(ctx.actor);
  if (!actor.roles.includes('SERVICE')) {
    throw hubError('FORBIDDEN', 'this mutation is sent between regions by the hub itself (the outbox relay), not by officers', { officer: actor.officerId });
  }
  return actor;
}

@Resolver()
export class ForwardingMutations {
  @Mutation(() => ForwardingReceipt, {
    description:
      'Hub-internal: stores a petition forwarded from another region, once however often it is delivered, in a matter of this region, raising the warnings its rules call for here.',
  })
  @Directive('@routeBy(argument: "input.region")')
  @Access(PETITION_DELIVERY)
  async receiveForwardedPetition(
    @Ctx() ctx: PetitionsContext,
    @Arg('input', () => ReceiveForwardedPetitionInput) input: ReceiveForwardedPetitionInput,
  ): Promise<ForwardingReceipt> {
    const actor = requireHubService(ctx);
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    const origin = parseGlobalId(input.forwardedFrom);
    if (!origin || origin.region === ctx.region) throw badInput('input.forwardedFrom', 'must be a petition of another region');
    checkLocalJurisdiction(ctx.region, 'input.jurisdiction', input.jurisdiction);
    if (!contains(ctx.region, input.jurisdiction)) throw badInput('input.jurisdiction', `must lie inside region ${ctx.region}`);
    if (input.petitionerIds.length === 0 || input.petitionerIds.some((id) => !parseGlobalId(id)))
      throw badInput('input.petitionerIds', 'must be person ids such as "320500:17"');
    if (input.forwardedBy && !parseGlobalId(input.forwardedBy)) throw badInput('input.forwardedBy', 'must be an officer id');
    const forwardedBy = input.forwardedBy ?? actor.officerId;
    const row = await auditedChange(
      ctx,
      'receiveForwardedPetition',
      async (client) => {
        // Its matter here, by the rule a registration here follows: same petitioners and category, else a new one.
        const matter = await matterByRule(client, input.petitionerIds, input.category, input.jurisdiction);
        const { row, created } = await insertReceivedPetition(client, {
          ...input,
          groupVisit: input.channel === PetitionChannel.VISIT && input.headcount >= GROUP_VISIT_HEADCOUNT,
          forwardedBy,
          matterId: matter.id,
        });
        if (!created) return row;
        await insertPetitionEvent(client, {
          petitionId: row.id,
          action: 'receive',
          from: null,
          to: row.status,
          officerId: forwardedBy,
          note: `转送自 ${input.forwardedFrom}`,
        });
        // The warning rules run as for a registration here, against the matter as it stood; then
        // the forward names its handler, as a first assignment does.
        await raiseRegistrationWarnings(client, ctx.region, row, matter);
        await recordMatterHandler(client, matter.id, input.agency, input.jurisdiction);
        return row;
      },
      (row) => auditRecord('Petition', toGlobalId(ctx.region, row.id)),
    );
    return { petitionId: toGlobalId(ctx.region, row.id), status: row.status, version: row.version };
  }

  @Mutation(() => Boolean, {
    description:
      "Hub-internal: keeps the receiving region's report on a forwarded petition, ending it when that region's record ended; reports arriving late or twice never move it back.",
  })
  @Directive('@routeBy(argument: "input.petitionId")')
  @Access(PETITION_DELIVERY)
  async reportForwardedPetitionStatus(
    @Ctx() ctx: PetitionsContext,
    @Arg('input', () => ForwardedPetitionReportInput) input: ForwardedPetitionReportInput,
  ): Promise<boolean> {
    requireHubService(ctx);
    const localId = ownLocalId(ctx.region, input.petitionId, 'input.petitionId');
    const receiving = parseGlobalId(input.forwardedTo)?.region;
    if (!receiving) throw badInput('input.forwardedTo', 'must be a petition id');
    // Usually an officer of the receiving region; a review decided above it (the province) is taken by one of the body above.
    if (input.officerId && !parseGlobalId(input.officerId)) throw badInput('input.officerId', 'must be the id of the officer who took the step');
    if (input.action && !/^[A-Za-z]{1,40}$/.test(input.action)) throw badInput('input.action', 'must name a lifecycle step, such as "close"');
    if (Boolean(input.agency) !== Boolean(input.jurisdiction)) throw badInput('input.jurisdiction', 'agency and jurisdiction come together, or neither');
    if (input.jurisdiction && !(/^\d{6}$/.test(input.jurisdiction) && contains(receiving, input.jurisdiction)))
      throw badInput('input.jurisdiction', `must be a 6-digit code inside the receiving region ${receiving}`);
    return auditedChange(
      ctx,
      'reportForwardedPetitionStatus',
      async (client) => {
        const known = await recordForwardingReport(client, localId, {
          forwardedTo: input.forwardedTo,
          status: input.status,
          outcome: input.outcome ?? null,
          version: input.version,
          at: input.at,
          action: input.action,
          officerId: input.officerId,
          matterClosedAt: input.matterClosedAt,
          handler: input.agency && input.jurisdiction ? { agency: input.agency, jurisdiction: input.jurisdiction } : null,
        });
        if (!known)
          throw hubError('NOT_FOUND', `petition ${input.petitionId} was not forwarded to the region of ${input.forwardedTo}`, { id: input.petitionId });
        return true;
      },
      () => auditRecord('Petition', toGlobalId(ctx.region, localId)),
    );
  }
}
