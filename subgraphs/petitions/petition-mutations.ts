import { Arg, Ctx, Directive, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { petitionDutyProblem, reviewDecisionDutyProblem } from '../../auth/duties';
import { Access } from '../shared/access';
import { PETITION_WORK } from './petition-access-rules';
import { requireActor } from '../shared/actor';
import { AgencyKind } from '../shared/agency';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import type { PetitionsContext } from './context';
import { closeMatter, findMatters, findMatterSeenFrom, matterByRule, moveMatterHandler, recordMatterHandler } from './matter-repository';
import { checkPassDown, isPassDown, passDownNote } from './pass-down';
import { moveWarningsWithPassDown } from './warnings-passed-down';
import { beijingDateOf, DAY_MS, isFinal, MAX_EXTENSION_DAYS, PetitionAction, planTransition } from './lifecycle';
import { checkAgencyJurisdiction, checkLocalJurisdiction } from './jurisdiction-check';
import { ownLocalId } from '../shared/local-id';
import { approvingAgencyOf, checkExtensionApprover } from './approver-check';
import {
  factsOf,
  findPetitions,
  insertPetition,
  insertPetitionEvent,
  lastPetitionEvent,
  lockPetition,
  PetitionChange,
  PetitionRow,
  toPetition,
  updatePetition,
} from './petition-repository';
import { checkPersonsExist } from './petitioner-check';
import { logger } from '../../platform/logger';
import { checkDecidingBody, DECIDING_BODY, isReviewDecision, reReviewingBodyOf, reviewingBodyOf, ReviewDecision } from './reviewing-body';
import { enqueueOwedMessages } from './forwarding-outbox';
import { relayPetitionOutbox } from './forwarding-relay';
import { owningRegion } from '../../auth/jurisdiction';
import { jurisdictionProblem } from '../shared/jurisdictions';
import { Petition, PetitionChannel } from './types';
import { GROUP_VISIT_HEADCOUNT, raiseRegistrationWarnings } from './warning-rules';

const MAX_REPRESENTATIVES = 5;
const LIMITS = { category: 50, summary: 200, content: 20_000, note: 2_000 };

@InputType({ description: 'A petition as registered at the reception desk, by letter, online or by phone (登记).' })
export class RegisterPetitionInput {
  @Field(() => String, { description: 'Region where it is registered and kept.' })
  region!: string;

  @Field(() => PetitionChannel)
  channel!: PetitionChannel;

  @Field(() => String)
  category!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => String)
  content!: string;

  @Field(() => [ID], { description: 'Global ids of the petitioners (persons of any region); at most 5.' })
  petitionerIds!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: `Whether it is a group visit (集体访). Decided by channel and headcount: a visit (VISIT) of ${GROUP_VISIT_HEADCOUNT} or more people is one, anything else is not; a value given that disagrees is refused.`,
  })
  groupVisit?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'How many people came or signed; defaults to the number of petitioners.' })
  headcount?: number;

  @Field(() => String, { description: 'Jurisdiction code (inside the region) where it is registered.' })
  registeredIn!: string;

  @Field(() => Date, { nullable: true, description: 'When it was received, if earlier than now (a letter entered later); at most a year back.' })
  registeredAt?: Date;

  @Field(() => ID, {
    nullable: true,
    description:
      "The matter (信访事项) it belongs to, by the officer's choice: a matter of this region handled or petitioned within the officer's jurisdiction (another is refused as unknown). Without it, the matter of the same petitioners and category, or a new one.",
  })
  matterId?: string | null;
}

function validateRegistration(ctx: PetitionsContext, input: RegisterPetitionInput): { headcount: number; groupVisit: boolean; registeredAt: Date } {
  if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
  checkLocalJurisdiction(ctx.region, 'input.registeredIn', input.registeredIn);
  for (const [field, limit] of [
    ['category', LIMITS.category],
    ['summary', LIMITS.summary],
    ['content', LIMITS.content],
  ] as const) {
    const value = input[field].trim();
    if (!value) throw badInput(`input.${field}`, 'must not be empty');
    if (value.length > limit) throw badInput(`input.${field}`, `must be at most ${limit} characters, but has ${value.length}`);
  }
  if (input.petitionerIds.length === 0) throw badInput('input.petitionerIds', 'name at least one petitioner');
  if (input.petitionerIds.length > MAX_REPRESENTATIVES)
    throw badInput('input.petitionerIds', `at most ${MAX_REPRESENTATIVES} representatives, but got ${input.petitionerIds.length}`);
  input.petitionerIds.forEach((id, index) => {
    if (!parseGlobalId(id)) throw badInput(`input.petitionerIds[${index}]`, `${JSON.stringify(id)} is not a person id such as "320500:17"`);
  });
  if (new Set(input.petitionerIds).size !== input.petitionerIds.length) throw badInput('input.petitionerIds', 'names a person twice');
  const headcount = input.headcount ?? input.petitionerIds.length;
  if (!Number.isInteger(headcount) || headcount < input.petitionerIds.length || headcount > 100_000) {
    throw badInput('input.headcount', `must be a whole number, at least the ${input.petitionerIds.length} petitioners named`);
  }
  const groupVisit = input.channel === PetitionChannel.VISIT && headcount >= GROUP_VISIT_HEADCOUNT;
  if (input.groupVisit && input.channel !== PetitionChannel.VISIT) {
    throw badInput('input.groupVisit', `a group visit (集体访) comes in person: a ${input.channel} petition is not one, however many sign it`);
  }
  if (input.groupVisit && !groupVisit)
    throw badInput('input.headcount', `a group visit (集体访) is ${GROUP_VISIT_HEADCOUNT} or more people, but headcount is ${headcount}`);
  if (input.groupVisit === false && groupVisit) {
    throw badInput(
      'input.groupVisit',
      `a visit of ${headcount} people is a group visit (集体访, ${GROUP_VISIT_HEADCOUNT} or more); leave groupVisit out or give the true headcount`,
    );
  }
  const now = Date.now();
  const registeredAt = input.registeredAt ?? new Date(now);
  if (Number.isNaN(registeredAt.getTime())) throw badInput('input.registeredAt', 'is not a valid date');
  if (registeredAt.getTime() > now + 5 * 60_000) throw badInput('input.registeredAt', 'must not be in the future');
  if (registeredAt.getTime() < now - 366 * DAY_MS) throw badInput('input.registeredAt', 'must be within the last year');
  return { headcount, groupVisit, registeredAt };
}

/** What a step writes besides its status: the optional fields each step takes. */
interface StepInput {
  note?: string | null;
  expectedVersion?: number | null;
  change?: PetitionChange;
  /**
   * A check of the petition as read under its lock, once the lifecycle allows the step; throws to
   * refuse it. Local only: nothing that waits on another service while the row is held.
   */
  check?: (petition: PetitionRow) => void;
}

/**
 * The acting officer, if petition work in this region is theirs to do, and on a petition
 * registered in `registeredIn` when it is known (FORBIDDEN otherwise). A review decision may come
 * from above the region, from the body recorded for it (`decision.body`, once the petition is read).
 */
function petitionOfficer(ctx: PetitionsContext, matter?: { jurisdiction: string; what: string }, decision?: { body: string | null | undefined }) {
  const actor = requireActor(ctx.actor);
  const problem = decision ? reviewDecisionDutyProblem(actor, ctx.region, decision.body, matter) : petitionDutyProblem(actor, ctx.region, matter);
  if (problem) throw hubError('FORBIDDEN', problem, { officer: actor.officerId });
  return actor;
}

/**
 * One lifecycle step, all or nothing: read the petition, ask the lifecycle whether the step
 * may happen, write it only if nobody moved the petition meanwhile, and record it in the
 * history. A step the lifecycle forbids in the petition's state (also the second of two
 * officers taking the same step at once: the row lock makes him wait and see the first's
 * result) gets INVALID_TRANSITION; a stale expectedVersion gets CONFLICT; either way nothing
 * changes.
 */
async function takeStep(ctx: PetitionsContext, mutation: string, id: string, action: PetitionAction, input: StepInput = {}): Promise<Petition> {
  const decision: ReviewDecision | undefined = isReviewDecision(action) ? action : undefined;
  const actor = petitionOfficer(ctx, undefined, decision && { body: undefined });
  const localId = ownLocalId(ctx.region, id);
  if (input.note && input.note.length > LIMITS.note) throw badInput('note', `must be at most ${LIMITS.note} characters`);
  const { updated, messageIds } = await auditedChange(
    ctx,
    mutation,
    async (client) => {
      const current = await lockPetition(client, localId);
      if (!current) throw hubError('NOT_FOUND', `No petition ${id}`, { id });
      petitionOfficer(ctx, { jurisdiction: current.registered_in, what: `petition ${id}` }, decision && { body: current[DECIDING_BODY[decision]] });
      if (input.expectedVersion != null && input.expectedVersion !== current.version) {
        throw hubError(
          'CONFLICT',
          `petition ${id} is at version ${current.version}, not ${input.expectedVersion}: someone changed it; reload it and decide again`,
          { id, currentVersion: current.version, status: current.status },
        );
      }
      const now = new Date();
      const matter = current.matter_id ? (await findMatters(client, [current.matter_id]))[0] : undefined;
      if (action === 'accept' && matter?.closed_at) {
        // 信访工作条例: a matter decided on re-review is not accepted again.
        throw hubError(
          'MATTER_CLOSED',
          `petition ${id} belongs to matter ${toGlobalId(ctx.region, matter.id)}, closed by re-review on ${beijingDateOf(matter.closed_at)}: the same matter is not accepted again; decline it (不予受理) with that reason`,
          {
            id,
            matterId: toGlobalId(ctx.region, matter.id),
            closedAt: matter.closed_at.toISOString(),
          },
        );
      }
      const plan = planTransition(factsOf(current), action, now);
      if ('refused' in plan) {
        // Not a conflict: nothing changed behind the caller's back (the row is locked and any
        // expectedVersion matched); the step itself is not allowed now. The last step says why.
        const last = await lastPetitionEvent(client, localId);
        const lastStep = last ? ` (last step: ${last.action} by ${last.officer_id ?? 'a rule'} at ${last.at.toISOString()})` : '';
        throw hubError('INVALID_TRANSITION', `petition ${id}: ${plan.refused}${lastStep}`, {
          id,
          status: current.status,
          action,
          currentVersion: current.version,
        });
      }
      if (decision) checkDecidingBody(id, decision, current, actor);
      input.check?.(current);
      const change: PetitionChange = { ...input.change };
      const regionCodes = ctx.regions.map((r) => r.code);
      if (action === 'requestReview') change.reviewing_body = reviewingBodyOf(current.handling_jurisdiction ?? current.registered_in, regionCodes);
      if (action === 'requestReReview') change.re_reviewing_body = reReviewingBodyOf(current.reviewing_body, regionCodes);
      if (plan.stamp === 'acceptedAt') change.accepted_at = now;
      if (plan.stamp === 'repliedAt') change.replied_at = now;
      if (plan.stamp === 'reviewRequestedAt') change.review_requested_at = now;
      if (plan.stamp === 'reviewDecidedAt') change.review_decided_at = now;
      if (plan.stamp === 'reReviewRequestedAt') change.re_review_requested_at = now;
      if (plan.stamp === 'passedDownAt') {
        // Kept where the agency it was passed down to is, as a received petition is kept where it was sent: its officers work it there.
        change.passed_down_at = now;
        change.registered_in = change.handling_jurisdiction;
      }
      if (isFinal(plan.to)) change.closed_at = now;
      const facts = {
        ...factsOf(current),
        status: plan.to,
        acceptedAt: change.accepted_at ?? current.accepted_at,
        repliedAt: change.replied_at ?? current.replied_at,
        reviewRequestedAt: change.review_requested_at ?? current.review_requested_at,
        reviewDecidedAt: change.review_decided_at ?? current.review_decided_at,
        reReviewRequestedAt: change.re_review_requested_at ?? current.re_review_requested_at,
        extensionDays: change.extension_days ?? current.extension_days,
        forwardedToRegion: change.forwarded_to_region ?? current.forwarded_to_region,
        passedDownAt: change.passed_down_at ?? current.passed_down_at,
      };
      const updated = await updatePetition(client, localId, current.version, plan.to, change, facts);
      if (!updated) {
        const [now2] = await findPetitions(client, [localId]);
        throw hubError(
          'CONFLICT',
          `petition ${id} was changed by someone else while you acted (it is now ${now2?.status}, version ${now2?.version}); reload it and decide again`,
          {
            id,
            status: now2?.status,
            currentVersion: now2?.version,
          },
        );
      }
      const at = await insertPetitionEvent(client, {
        petitionId: localId,
        action,
        from: current.status,
        to: plan.to,
        officerId: actor.officerId,
        note:
          plan.stamp === 'passedDownAt'
            ? passDownNote(updated.handling_agency!, updated.handling_jurisdiction!, input.note)
            : (input.note ?? input.change?.outcome ?? null),
      });
      let movedWarnings: string[] = [];
      if (plan.stamp === 'passedDownAt') {
        if (matter) await moveMatterHandler(client, matter.id, current, updated);
        movedWarnings = await moveWarningsWithPassDown(client, {
          petitionId: localId,
          from: current.registered_in,
          to: updated.registered_in,
          officerId: actor.officerId,
          region: ctx.region,
        });
      } else if (matter && action === 'assign') await recordMatterHandler(client, matter.id, updated.handling_agency!, updated.handling_jurisdiction!);
      if (matter && action === 'decideReReview') await closeMatter(client, matter.id, updated.id, now);
      const messageIds = await enqueueOwedMessages(client, ctx.region, current, updated, { action, officerId: actor.officerId, at });
      return { updated, messageIds, movedWarnings };
    },
    ({ updated }) => auditRecord('Petition', toGlobalId(ctx.region, updated.id)),
    // A warning that moved with the petition was changed by this step too.
    ({ movedWarnings }) =>
      movedWarnings.map((warningId) => ({ record: auditRecord('PetitionWarning', toGlobalId(ctx.region, warningId)), fields: ['PetitionWarning.raisedIn'] })),
  );
  // The step has committed: a message that cannot be sent now stays in the outbox for the relay.
  await relayPetitionOutbox(ctx, messageIds).catch((error) => logger.warn(`[petitions] forwarding message after commit failed: ${(error as Error).message}`));
  return toPetition(ctx.region, updated);
}

/**
 * The approver of an extension is asked through the hub (the roster, up to 5 s) before the step
 * locks the petition, so that no other step on it waits for that answer. Under the lock only what
 * the answer depended on is checked again: the approving agency is still the petition's (the
 * lifecycle decides the step itself there, on the petition as it then is). A step the lifecycle
 * refuses already, or a stale expectedVersion, is left to the step to refuse, without asking.
 */
async function approveExtension(ctx: PetitionsContext, id: string, approverId: string, expectedVersion: number | null) {
  const [read] = await findPetitions(ctx.db, [ownLocalId(ctx.region, id)]);
  let approved: { agency: string; jurisdiction: string } | undefined;
  if (read) {
    petitionOfficer(ctx, { jurisdiction: read.registered_in, what: `petition ${id}` });
    const fresh = expectedVersion == null || expectedVersion === read.version;
    if (fresh && !('refused' in planTransition(factsOf(read), 'extend', new Date()))) {
      approved = approvingAgencyOf(read);
      await checkExtensionApprover(ctx.hub, approverId, approved.agency, approved.jurisdiction);
    }
  }
  return (petition: PetitionRow) => {
    const now = approvingAgencyOf(petition);
    if (approved?.agency === now.agency && approved.jurisdiction === now.jurisdiction) return;
    throw hubError(
      'CONFLICT',
      `petition ${id} changed while its extension's approver was checked (it is now ${petition.status}, version ${petition.version}, handled by ${now.agency} of ${now.jurisdiction}); try again`,
      { id, status: petition.status, currentVersion: petition.version },
    );
  };
}

const idArg = () => Arg('id', () => ID, { description: 'Global id of the petition.' });
const noteArg = () => Arg('note', () => String, { nullable: true });
const versionArg = () =>
  Arg('expectedVersion', () => Int, { nullable: true, description: 'Refuse with CONFLICT unless the petition is still at this version.' });
const required = (field: string, value: string, limit = LIMITS.note) => {
  if (!value.trim()) throw badInput(field, 'must not be empty');
  if (value.length > limit) throw badInput(field, `must be at most ${limit} characters`);
  return value.trim();
};

@Resolver()
export class PetitionMutations {
  @Mutation(() => Petition, { description: 'Registers a petition (登记); raises cross-region, group-visit and repeat warnings as their rules say.' })
  @Directive('@routeBy(argument: "input.region")')
  @Access(PETITION_WORK)
  async registerPetition(@Ctx() ctx: PetitionsContext, @Arg('input', () => RegisterPetitionInput) input: RegisterPetitionInput) {
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    petitionOfficer(ctx);
    const { headcount, groupVisit, registeredAt } = validateRegistration(ctx, input);
    const actor = petitionOfficer(ctx, { jurisdiction: input.registeredIn, what: `a petition registered in ${input.registeredIn}` });
    await checkPersonsExist(ctx.hub, input.petitionerIds, (index) => `input.petitionerIds[${index}]`);
    const chosenMatter = input.matterId ? ownLocalId(ctx.region, input.matterId, 'input.matterId') : null;
    const row = await auditedChange(
      ctx,
      'registerPetition',
      async (client) => {
        const matter = chosenMatter
          ? await findMatterSeenFrom(client, chosenMatter, actor.jurisdiction)
          : await matterByRule(client, input.petitionerIds, input.category.trim(), input.registeredIn, ctx.region);
        if (!matter)
          throw badInput(
            'input.matterId',
            `no matter ${input.matterId} in region ${ctx.region} is handled or petitioned within ${actor.jurisdiction}, where you work`,
          );
        const petition = await insertPetition(client, {
          channel: input.channel,
          category: input.category.trim(),
          summary: input.summary.trim(),
          content: input.content.trim(),
          petitionerIds: input.petitionerIds,
          groupVisit,
          headcount,
          registeredIn: input.registeredIn,
          registeredBy: actor.officerId,
          registeredAt,
          matterId: matter.id,
        });
        await insertPetitionEvent(client, {
          petitionId: petition.id,
          action: 'register',
          from: null,
          to: petition.status,
          officerId: actor.officerId,
          note: null,
        });
        await raiseRegistrationWarnings(client, ctx.region, petition, matter);
        return petition;
      },
      (petition) => auditRecord('Petition', toGlobalId(ctx.region, petition.id)),
    );
    return toPetition(ctx.region, row);
  }

  @Mutation(() => Petition, {
    description:
      'Forwards or assigns it to a handling agency (转送/交办). An agency of another region receives it there: that region keeps its own record and accepts it within 15 days of receipt; `forwarding` shows its status and outcome here. A petition received from another region and not yet accepted is passed down once to an agency below the one handling it, in this region (交办; PASS_DOWN_REFUSED otherwise), whose 15 days run from then.',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  assignPetition(
    @Ctx() ctx: PetitionsContext,
    @idArg() id: string,
    @Arg('agency', () => AgencyKind) agency: AgencyKind,
    @Arg('jurisdiction', () => String, { description: 'Jurisdiction of the agency.' }) jurisdiction: string,
    @noteArg() note: string | null,
    @versionArg() expectedVersion: number | null,
  ) {
    checkAgencyJurisdiction(ctx.region, 'jurisdiction', jurisdiction);
    const region = owningRegion(
      jurisdiction,
      ctx.regions.map((r) => r.code),
    );
    if (!region)
      throw badInput('jurisdiction', `${jurisdiction} lies in no region of the hub; forward to an agency of ${ctx.regions.map((r) => r.code).join(', ')}`);
    const elsewhere = region !== ctx.region;
    if (elsewhere) {
      const problem = jurisdictionProblem(region, jurisdiction, { cityLevel: true });
      if (problem) throw badInput('jurisdiction', problem);
    }
    return takeStep(ctx, 'assignPetition', id, 'assign', {
      note,
      expectedVersion,
      change: { handling_agency: agency, handling_jurisdiction: jurisdiction, ...(elsewhere ? { forwarded_to_region: region } : {}) },
      check: (petition) => {
        if (isPassDown(petition)) checkPassDown(id, petition, ctx.region, region, jurisdiction);
      },
    });
  }

  @Mutation(() => Petition, { description: 'Declines to accept it (不予受理), with the reason given to the petitioner.' })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  declinePetition(
    @Ctx() ctx: PetitionsContext,
    @idArg() id: string,
    @Arg('reason', () => String) reason: string,
    @versionArg() expectedVersion: number | null,
  ) {
    return takeStep(ctx, 'declinePetition', id, 'decline', { expectedVersion, change: { outcome: required('reason', reason) } });
  }

  @Mutation(() => Petition, { description: 'Accepts it (受理): the 60-day handling limit starts.' })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  acceptPetition(@Ctx() ctx: PetitionsContext, @idArg() id: string, @noteArg() note: string | null, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'acceptPetition', id, 'accept', { note, expectedVersion });
  }

  @Mutation(() => Petition, { description: 'Starts handling it (办理).' })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  startHandlingPetition(@Ctx() ctx: PetitionsContext, @idArg() id: string, @noteArg() note: string | null, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'startHandlingPetition', id, 'startHandling', { note, expectedVersion });
  }

  @Mutation(() => Petition, { description: `Extends the handling limit once, by at most ${MAX_EXTENSION_DAYS} days, with a reason (延期).` })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  async extendPetitionDeadline(
    @Ctx() ctx: PetitionsContext,
    @idArg() id: string,
    @Arg('days', () => Int) days: number,
    @Arg('reason', () => String) reason: string,
    @Arg('approverId', () => ID, {
      description: 'The officer who approved it (本机关负责人批准): a SUPERVISOR of the handling agency (the petition bureau while none is assigned).',
    })
    approverId: string,
    @versionArg() expectedVersion: number | null,
  ) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) throw badInput('days', `must be from 1 to ${MAX_EXTENSION_DAYS}, but got ${days}`);
    const why = required('reason', reason);
    if (parseGlobalId(approverId)?.region !== ctx.region) throw badInput('approverId', `must be an officer of region ${ctx.region}, such as "${ctx.region}:1"`);
    const stillApproved = await approveExtension(ctx, id, approverId, expectedVersion);
    return takeStep(ctx, 'extendPetitionDeadline', id, 'extend', {
      note: why,
      expectedVersion,
      change: { extension_days: days, extension_reason: why, extension_approved_by: approverId },
      check: stillApproved,
    });
  }

  @Mutation(() => Petition, {
    description: 'Finishes the handling (办结) with the written handling opinion (处理意见书, 答复); the petitioner has 30 days to request a review.',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  replyToPetition(@Ctx() ctx: PetitionsContext, @idArg() id: string, @Arg('reply', () => String) reply: string, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'replyToPetition', id, 'reply', { expectedVersion, change: { outcome: required('reply', reply, LIMITS.content) } });
  }

  @Mutation(() => Petition, { description: "Records the petitioner's request for a review (复查), within 30 days of the reply." })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  requestPetitionReview(@Ctx() ctx: PetitionsContext, @idArg() id: string, @noteArg() note: string | null, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'requestPetitionReview', id, 'requestReview', { note, expectedVersion });
  }

  @Mutation(() => Petition, {
    description: 'Decides the review (复查意见), within 30 days of the request: by petition officers of `reviewingBody`, the agency above the handling one.',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  decidePetitionReview(
    @Ctx() ctx: PetitionsContext,
    @idArg() id: string,
    @Arg('opinion', () => String) opinion: string,
    @versionArg() expectedVersion: number | null,
  ) {
    return takeStep(ctx, 'decidePetitionReview', id, 'decideReview', { expectedVersion, change: { outcome: required('opinion', opinion, LIMITS.content) } });
  }

  @Mutation(() => Petition, { description: 'Records the request for a re-review (复核), within 30 days of the review decision.' })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  requestPetitionReReview(@Ctx() ctx: PetitionsContext, @idArg() id: string, @noteArg() note: string | null, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'requestPetitionReReview', id, 'requestReReview', { note, expectedVersion });
  }

  @Mutation(() => Petition, {
    description:
      'Decides the re-review (复核意见) and closes the matter for good: by petition officers of `reReviewingBody`, the agency above the reviewing body (a province, from its own region).',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  decidePetitionReReview(
    @Ctx() ctx: PetitionsContext,
    @idArg() id: string,
    @Arg('opinion', () => String) opinion: string,
    @versionArg() expectedVersion: number | null,
  ) {
    return takeStep(ctx, 'decidePetitionReReview', id, 'decideReReview', {
      expectedVersion,
      change: { outcome: required('opinion', opinion, LIMITS.content) },
    });
  }

  @Mutation(() => Petition, {
    description:
      "Closes the matter (结案/终结) once the petitioner's 30-day window to request a review (after the reply) or a re-review (after the review decision) has passed unused. The handling itself was finished (办结) with the reply.",
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  closePetition(@Ctx() ctx: PetitionsContext, @idArg() id: string, @noteArg() note: string | null, @versionArg() expectedVersion: number | null) {
    return takeStep(ctx, 'closePetition', id, 'close', { note, expectedVersion });
  }
}
