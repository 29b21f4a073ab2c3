import { Arg, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { acknowledgeDutyProblem, petitionDutyProblem } from '../../auth/duties';
import { Access } from '../shared/access';
import { PETITION_WORK, WARNING_ACKNOWLEDGEMENT } from './petition-access-rules';
import { requireActor } from '../shared/actor';
import { isUniqueViolation } from '../shared/db';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import { notShared } from '../shared/permissions';
import { regionPage } from '../shared/pagination';
import { maySee } from '../../auth/record-policy';
import type { PetitionsContext } from './context';
import { WARNING_CATEGORIES } from './petition-categories';
import { checkLocalJurisdiction } from './jurisdiction-check';
import { ownLocalId } from '../shared/local-id';
import { checkPersonsExist } from './petitioner-check';
import { Petition, PetitionWarning, PetitionWarningConnection, WarningAction, WarningEvent, WarningKind, WarningLevel, WarningStatus } from './types';
import {
  insertWarning,
  insertWarningEvent,
  listWarnings,
  lockWarning,
  markAcknowledged,
  toWarning,
  updateWarning,
  warningPosition,
} from './warning-repository';

@InputType({ description: 'A warning raised by hand.' })
export class RaiseWarningInput {
  @Field(() => String, { description: 'Region where the warning is raised and kept.' })
  region!: string;

  @Field(() => String, { description: 'County-level jurisdiction code where it is raised.' })
  raisedIn!: string;

  @Field(() => WarningLevel)
  level!: WarningLevel;

  @Field(() => WarningKind)
  kind!: WarningKind;

  @Field(() => ID, { description: 'Global id of the person the warning is about (any region).' })
  subjectId!: string;

  @Field(() => ID, { nullable: true, description: 'Global id of the petition it concerns, in the same region.' })
  petitionId?: string;

  @Field(() => String)
  summary!: string;
}

@InputType({ description: 'Narrows a list of warnings; every filter is optional and they combine with AND.' })
export class PetitionWarningFilter {
  @Field(() => [WarningLevel], { nullable: true })
  levels?: WarningLevel[];

  @Field(() => [WarningKind], { nullable: true })
  kinds?: WarningKind[];

  @Field(() => [WarningStatus], { nullable: true })
  statuses?: WarningStatus[];

  @Field(() => String, { nullable: true, description: 'Jurisdiction code prefix of where it was raised ("3304", "330421").' })
  raisedIn?: string;

  @Field(() => String, { nullable: true, description: "Home region of the subject: warnings about that region's residents." })
  subjectRegion?: string;

  @Field(() => Date, { nullable: true, description: 'Raised at or after this time.' })
  raisedFrom?: Date;

  @Field(() => Date, { nullable: true, description: 'Raised before this time.' })
  raisedUntil?: Date;
}

const ESCALATION: Record<WarningLevel, WarningLevel> = {
  [WarningLevel.BLUE]: WarningLevel.YELLOW,
  [WarningLevel.YELLOW]: WarningLevel.ORANGE,
  [WarningLevel.ORANGE]: WarningLevel.RED,
  [WarningLevel.RED]: WarningLevel.RED,
};
const VERB: Record<WarningAction, string> = { RAISED: 'raise', ACKNOWLEDGED: 'acknowledge', ESCALATED: 'escalate', RESOLVED: 'resolve' };
const versionArg = () =>
  Arg('expectedVersion', () => Int, { nullable: true, description: 'Refuse with CONFLICT unless the warning is still at this version.' });
const LEVEL_RANK: Record<WarningLevel, number> = { BLUE: 1, YELLOW: 2, ORANGE: 3, RED: 4 };

@Resolver(() => PetitionWarning)
export class PetitionWarningResolver {
  @Query(() => PetitionWarningConnection, {
    description: 'Petition warnings of every region in scope, newest first (跨区域信访预警).',
  })
  @Directive('@fanOut(sortKey: "raisedAt", descending: true)')
  async petitionWarnings(
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read (where warnings were raised); all when omitted.' })
    regions: string[] | null,
    @Arg('filter', () => PetitionWarningFilter, { nullable: true }) filter: PetitionWarningFilter | null,
  ) {
    if (filter?.raisedIn && !/^\d{2,9}$/.test(filter.raisedIn))
      throw badInput('filter.raisedIn', 'must be a jurisdiction code or its leading digits, such as "3304"');
    if (filter?.subjectRegion && !/^\d{6}$/.test(filter.subjectRegion)) throw badInput('filter.subjectRegion', 'must be a 6-digit region code');
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listWarnings(ctx.db, { ...filter, visibleIn: ctx.visible.warnings }, limit, position),
      warningPosition,
      (row) => toWarning(ctx.region, row),
    );
  }

  @Query(() => PetitionWarning, { nullable: true, description: 'One warning by global id.' })
  @Directive('@routeBy(argument: "id")')
  async petitionWarning(@Ctx() ctx: PetitionsContext, @Arg('id', () => ID) id: string) {
    const warning = await ctx.warningById.load(ownLocalId(ctx.region, id));
    if (!warning) throw hubError('NOT_FOUND', `No petition warning ${id}`, { id });
    if (!maySee(ctx.actor!, warning.raisedIn, WARNING_CATEGORIES)) {
      throw notShared('Warning', id, ctx.actor!.jurisdiction);
    }
    return warning;
  }

  @FieldResolver(() => Petition, { nullable: true, description: 'The petition it concerns, if any.' })
  petition(@Root() warning: PetitionWarning, @Ctx() ctx: PetitionsContext) {
    return warning.petitionLocalId ? ctx.petitionById.load(warning.petitionLocalId) : null;
  }

  @FieldResolver(() => [WarningEvent], { description: 'Who raised, acknowledged, escalated and resolved it, and when; oldest first.' })
  timeline(@Root() warning: PetitionWarning, @Ctx() ctx: PetitionsContext) {
    return ctx.warningTimeline.load(warning.localId);
  }

  @Mutation(() => PetitionWarning, { description: 'Raises a warning by hand in the region named in the input.' })
  @Directive('@routeBy(argument: "input.region")')
  @Access(PETITION_WORK)
  async raisePetitionWarning(@Ctx() ctx: PetitionsContext, @Arg('input', () => RaiseWarningInput) input: RaiseWarningInput) {
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    const actor = requireActor(ctx.actor);
    const problem = petitionDutyProblem(actor, ctx.region);
    if (problem) throw hubError('FORBIDDEN', problem, { officer: actor.officerId });
    checkLocalJurisdiction(ctx.region, 'input.raisedIn', input.raisedIn);
    const placeProblem = petitionDutyProblem(actor, ctx.region, { jurisdiction: input.raisedIn, what: `a warning raised in ${input.raisedIn}` });
    if (placeProblem) throw hubError('FORBIDDEN', placeProblem, { officer: actor.officerId });
    if (!parseGlobalId(input.subjectId)) throw badInput('input.subjectId', 'must be a global person id such as "320500:17"');
    await checkPersonsExist(ctx.hub, [input.subjectId], () => 'input.subjectId');
    const summary = input.summary.trim();
    if (!summary) throw badInput('input.summary', 'must not be empty');
    if (summary.length > 200) throw badInput('input.summary', 'must be at most 200 characters');
    const petitionLocalId = input.petitionId ? ownLocalId(ctx.region, input.petitionId, 'input.petitionId') : null;
    const row = await auditedChange(
      ctx,
      'raisePetitionWarning',
      async (client) => {
        if (petitionLocalId) {
          const { rowCount } = await client.query('SELECT 1 FROM petitions.petitions WHERE id = $1', [petitionLocalId]);
          if (!rowCount) throw badInput('input.petitionId', `no petition ${input.petitionId} in region ${ctx.region}`);
        }
        return insertWarning(client, { ...input, summary, petitionId: petitionLocalId, raisedBy: actor.officerId });
      },
      (inserted) => auditRecord('PetitionWarning', toGlobalId(ctx.region, inserted!.id)),
    );
    return toWarning(ctx.region, row!);
  }

  @Mutation(() => PetitionWarning, {
    description:
      "Acknowledges a shared warning for the acting officer's region (签收). Each region acknowledges once; the acknowledgement is recorded in the warning's own region.",
  })
  @Directive('@routeBy(argument: "id")')
  @Access(WARNING_ACKNOWLEDGEMENT)
  acknowledgePetitionWarning(
    @Ctx() ctx: PetitionsContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @versionArg() expectedVersion: number | null,
  ) {
    return this.act(ctx, 'acknowledgePetitionWarning', id, WarningAction.ACKNOWLEDGED, { note, expectedVersion }, (status) =>
      status === WarningStatus.RESOLVED ? 'it is already RESOLVED' : null,
    );
  }

  @Mutation(() => PetitionWarning, {
    description:
      'Escalates it (升级): to the level given, or one level up from the version read (then expectedVersion is required: of many escalating at once, one changes it).',
  })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  escalatePetitionWarning(
    @Ctx() ctx: PetitionsContext,
    @Arg('id', () => ID) id: string,
    @Arg('level', () => WarningLevel, { nullable: true }) level: WarningLevel | null,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @versionArg() expectedVersion: number | null,
  ) {
    // "One level up" is relative to what the officer saw: without the version, fifty officers
    // pressing it at once would push a BLUE warning to RED.
    const needsVersion = !level && expectedVersion == null;
    return this.act(
      ctx,
      'escalatePetitionWarning',
      id,
      WarningAction.ESCALATED,
      { note, expectedVersion, needsVersion },
      (status, current) => {
        if (status === WarningStatus.RESOLVED) return 'it is already RESOLVED';
        if (current === WarningLevel.RED && !level) return 'it is already RED, the highest level';
        if (level && LEVEL_RANK[level] <= LEVEL_RANK[current]) return `${level} is not above its level ${current}`;
        return null;
      },
      (current) => level ?? ESCALATION[current],
    );
  }

  @Mutation(() => PetitionWarning, { description: 'Resolves it (化解/处置); a resolved warning takes no further action.' })
  @Directive('@routeBy(argument: "id")')
  @Access(PETITION_WORK)
  resolvePetitionWarning(
    @Ctx() ctx: PetitionsContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @versionArg() expectedVersion: number | null,
  ) {
    return this.act(ctx, 'resolvePetitionWarning', id, WarningAction.RESOLVED, { note, expectedVersion }, (status) =>
      status === WarningStatus.RESOLVED ? 'it is already RESOLVED' : null,
    );
  }

  /**
   * One action on a warning, all or nothing, on the locked row: a second officer waits for the
   * first and then judges the warning as the first left it. An action the warning's state
   * forbids is INVALID_TRANSITION; a stale expectedVersion is CONFLICT, and status and level
   * move with a compare-and-set on the version, as for petitions. An acknowledgement is also
   * unique per (warning, region) in the timeline: a region's second one is CONFLICT.
   */
  private async act(
    ctx: PetitionsContext,
    mutation: string,
    id: string,
    action: WarningAction,
    input: { note: string | null; expectedVersion: number | null; needsVersion?: boolean },
    refusal: (status: WarningStatus, level: WarningLevel) => string | null,
    newLevel?: (current: WarningLevel) => WarningLevel,
  ): Promise<PetitionWarning> {
    const actor = requireActor(ctx.actor);
    // Partners acknowledge; escalating and resolving are the warning's own region's work.
    const problem = action === WarningAction.ACKNOWLEDGED ? acknowledgeDutyProblem(actor, ctx.region) : petitionDutyProblem(actor, ctx.region);
    if (problem) throw hubError('FORBIDDEN', problem, { officer: actor.officerId });
    const localId = ownLocalId(ctx.region, id);
    const { note, expectedVersion } = input;
    if (note && note.length > 2000) throw badInput('note', 'must be at most 2000 characters');
    const row = await auditedChange(
      ctx,
      mutation,
      async (client) => {
        const current = await lockWarning(client, localId);
        if (!current) throw hubError('NOT_FOUND', `No petition warning ${id}`, { id });
        // A change answers with the record's state: it is for those who may see the record.
        if (!maySee(actor, current.raised_in, WARNING_CATEGORIES)) throw notShared('Warning', id, actor.jurisdiction);
        if (action !== WarningAction.ACKNOWLEDGED) {
          const placeProblem = petitionDutyProblem(actor, ctx.region, { jurisdiction: current.raised_in, what: `warning ${id}` });
          if (placeProblem) throw hubError('FORBIDDEN', placeProblem, { officer: actor.officerId });
        }
        if (input.needsVersion)
          throw badInput(
            'expectedVersion',
            `escalating one level up needs the version you read (warning ${id} is at version ${current.version}), or name the level`,
          );
        if (expectedVersion != null && expectedVersion !== current.version) {
          throw hubError('CONFLICT', `warning ${id} is at version ${current.version}, not ${expectedVersion}: someone changed it; reload it and decide again`, {
            id,
            currentVersion: current.version,
            status: current.status,
          });
        }
        const refused = refusal(current.status, current.level);
        if (refused)
          throw hubError('INVALID_TRANSITION', `cannot ${VERB[action]} warning ${id}: ${refused}`, {
            id,
            status: current.status,
            level: current.level,
            currentVersion: current.version,
          });
        try {
          await insertWarningEvent(client, { warningId: localId, action, officerId: actor.officerId, officerRegion: actor.region, note });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw hubError('CONFLICT', `warning ${id} was already acknowledged for region ${actor.region}; each region acknowledges once`, {
            id,
            region: actor.region,
          });
        }
        const updated =
          action === WarningAction.ACKNOWLEDGED
            ? await markAcknowledged(client, localId)
            : await updateWarning(client, localId, current.version, {
                status: action === WarningAction.ESCALATED ? WarningStatus.ESCALATED : WarningStatus.RESOLVED,
                level: newLevel?.(current.level),
              });
        if (!updated) throw hubError('CONFLICT', `warning ${id} was changed by someone else while you acted; reload it and decide again`, { id });
        return updated;
      },
      () => auditRecord('PetitionWarning', toGlobalId(ctx.region, localId)),
    );
    return toWarning(ctx.region, row);
  }
}
