import { Arg, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, hubError } from '../shared/errors';
import { notShared } from '../shared/permissions';
import { deadlinePassed } from '../shared/beijing-day';
import { ownLocalId } from '../shared/local-id';
import { regionPage } from '../shared/pagination';
import { maySee } from '../../auth/record-policy';
import { Access } from '../shared/access';
import { PETITION_DETAILS } from './petition-access-rules';
import type { PetitionsContext } from './context';
import { PETITION_CATEGORIES, WARNING_CATEGORIES } from './petition-categories';
import { daysLeft, PetitionStatus } from './lifecycle';
import { listPetitions, petitionPosition, toPetition } from './petition-repository';
import { Officer, Person, Petition, PetitionChannel, PetitionConnection, PetitionDeadline, PetitionEvent, PetitionMatter, PetitionWarning } from './types';

@InputType({ description: 'Narrows a list of petitions; every filter is optional.' })
export class PetitionFilter {
  @Field(() => PetitionStatus, { nullable: true })
  status?: PetitionStatus;

  @Field(() => PetitionChannel, { nullable: true })
  channel?: PetitionChannel;

  @Field(() => String, { nullable: true, description: 'Jurisdiction code prefix of where it was registered ("3304", "330421").' })
  registeredIn?: string;

  @Field(() => Date, { nullable: true, description: 'Registered at or after this time.' })
  registeredFrom?: Date;

  @Field(() => Date, { nullable: true, description: 'Registered before this time.' })
  registeredUntil?: Date;

  @Field(() => Boolean, { nullable: true, description: "Only petitions whose officers' deadline has passed (true), or none of them (false)." })
  overdue?: boolean;
}

@Resolver(() => Petition)
export class PetitionResolver {
  @Query(() => PetitionConnection, { description: 'Petitions of every region in scope, newest registration first (信访件).' })
  @Directive('@fanOut(sortKey: "registeredAt", descending: true)')
  async petitions(
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
    @Arg('filter', () => PetitionFilter, { nullable: true }) filter: PetitionFilter | null,
  ) {
    if (filter?.registeredIn && !/^\d{2,9}$/.test(filter.registeredIn))
      throw badInput('filter.registeredIn', 'must be a jurisdiction code or its leading digits, such as "3304"');
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listPetitions(ctx.db, { ...filter, visibleIn: ctx.visible.petitions }, limit, position),
      petitionPosition,
      (row) => toPetition(ctx.region, row),
    );
  }

  @Query(() => Petition, { nullable: true, description: 'One petition by global id.' })
  @Directive('@routeBy(argument: "id")')
  async petition(@Ctx() ctx: PetitionsContext, @Arg('id', () => ID) id: string) {
    const petition = await ctx.petitionById.load(ownLocalId(ctx.region, id));
    if (!petition) throw hubError('NOT_FOUND', `No petition ${id}`, { id });
    if (!maySee(ctx.actor!, petition.registeredIn, PETITION_CATEGORIES)) {
      throw notShared('Petition', id, ctx.actor!.jurisdiction);
    }
    return petition;
  }

  @FieldResolver(() => [Person], {
    nullable: true,
    description: 'The petitioners (at most 5 representatives for a group visit), from their home regions. A detail.',
  })
  @Access(PETITION_DETAILS)
  petitioners(@Root() petition: Petition): Person[] {
    return petition.petitionerIds.map((id) => ({ id }));
  }

  @FieldResolver(() => Officer, { nullable: true, description: 'The officer who registered it.' })
  registeredBy(@Root() petition: Petition): Officer {
    return { id: petition.registeredById };
  }

  @FieldResolver(() => PetitionDeadline, { nullable: true, description: 'The deadline running now; null once closed or not accepted.' })
  deadline(@Root() petition: Petition): PetitionDeadline | null {
    const facts = petition.deadlineFacts;
    if (!facts) return null;
    const now = new Date();
    const left = daysLeft(facts.dueAt, now);
    // Overdue means officers are late; a petitioner's unused window simply lapses.
    return {
      kind: facts.kind,
      dueAt: facts.dueAt,
      daysLeft: left,
      overdue: facts.officersOwe && deadlinePassed(facts.dueAt, now),
      officersOwe: facts.officersOwe,
    };
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the running limit ends (same as deadline.dueAt): 24:00 Beijing time of its last day, the first moment past it.',
  })
  dueAt(@Root() petition: Petition): Date | null {
    return petition.deadlineFacts?.dueAt ?? null;
  }

  @FieldResolver(() => Boolean, { description: "True when the officers' running deadline has passed." })
  overdue(@Root() petition: Petition): boolean {
    const facts = petition.deadlineFacts;
    return Boolean(facts && facts.officersOwe && deadlinePassed(facts.dueAt, new Date()));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Beijing calendar days to the last day of the running limit (same as deadline.daysLeft): 0 on that day, -1 from the first moment after.',
  })
  daysLeft(@Root() petition: Petition): number | null {
    return petition.deadlineFacts ? daysLeft(petition.deadlineFacts.dueAt, new Date()) : null;
  }

  @FieldResolver(() => PetitionMatter, {
    nullable: true,
    description:
      'The matter (信访事项) of this region it belongs to (for a petition received from another region, the one it joined here); null for one registered before matters were kept. A detail.',
  })
  @Access(PETITION_DETAILS)
  matter(@Root() petition: Petition, @Ctx() ctx: PetitionsContext) {
    return petition.matterLocalId ? ctx.matterById.load(petition.matterLocalId) : null;
  }

  @FieldResolver(() => [PetitionEvent], { nullable: true, description: 'Every step taken, oldest first. A detail.' })
  @Access(PETITION_DETAILS)
  history(@Root() petition: Petition, @Ctx() ctx: PetitionsContext) {
    return ctx.petitionHistory.load(petition.localId);
  }

  @FieldResolver(() => [PetitionWarning], {
    description: 'Warnings raised about this petition: those you may see (their jurisdiction, its city, or PETITION_WARNINGS).',
  })
  async warnings(@Root() petition: Petition, @Ctx() ctx: PetitionsContext) {
    // The link from the petition's end obeys the warning's rule, as `PetitionWarning.petition` does from the other.
    return (await ctx.warningsOfPetition.load(petition.localId)).filter((warning) => maySee(ctx.actor!, warning.raisedIn, WARNING_CATEGORIES));
  }
}
