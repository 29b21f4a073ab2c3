import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Info, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, hubError } from '../shared/errors';
import { regionPage } from '../shared/pagination';
import { ownLocalId } from '../shared/local-id';
import { Access, OPEN } from '../shared/access';
import { accessRuleAt } from '../shared/access-schema';
import { PERSON_OWNER, PERSON_BASIC, PERSON_PERSONAL, PERSONNEL_ACCESS } from './person-access-rules';
import { maskIdNumber } from '../../auth/masking';
import { overlapsAny } from '../../auth/person-policy';
import { significantPrefix } from '../../auth/jurisdiction';
import { requireActor } from '../shared/actor';
import { forbidden } from '../shared/permissions';
import { countIdNumberLookup } from './lookup-rate';
import type { PersonnelContext } from './context';
import { auditRecord, unmatchedIdNumber } from '../shared/audit-record';
import { accessTo } from './person-permissions';
import { Officer } from './officer-types';
import { checkIdNumber } from './person-input';
import { listPersons, personPosition, toPerson } from './person-repository';
import { KeyPersonCategory, Person, PersonConnection, PersonMove, PersonTag, PersonTagEvent, PersonalDataAccess, PersonDataAccess } from './person-types';

@InputType({ description: 'Narrows a list of persons; the filters combine with AND.' })
export class PersonFilter {
  @Field(() => KeyPersonCategory, {
    nullable: true,
    description: 'Only persons holding this key-person category; like `Person.tags`, it matches persons of your own jurisdiction only.',
  })
  @Access(PERSON_OWNER)
  category?: KeyPersonCategory | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Home jurisdiction code or its leading digits ("3304", "330421"). Matches only persons whose home you may see; FORBIDDEN where you may see none.',
  })
  @Access(PERSON_BASIC)
  homeJurisdiction?: string | null;
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person by global id, read from their home region.' })
  @Directive('@routeBy(argument: "id")')
  async person(@Ctx() ctx: PersonnelContext, @Arg('id', () => ID) id: string) {
    const person = await ctx.personById.load(ownLocalId(ctx.region, id));
    if (!person) throw hubError('NOT_FOUND', `No person ${id}`, { id });
    return person;
  }

  @Query(() => Person, {
    nullable: true,
    description:
      'The person registered in `region` under a resident id number (按身份证号查询). The number alone does not say where a person is registered now (its area code is where it was issued), so the caller names the region.',
  })
  @Directive('@routeBy(argument: "region")')
  @Access(PERSON_PERSONAL)
  async personByIdNumber(
    @Ctx() ctx: PersonnelContext,
    @Arg('region', () => String, { description: 'Home region to look in.' }) region: string,
    @Arg('idNumber', () => String, { description: 'The full number. A lookup by it is a full read of it: the same right as seeing it unmasked.' })
    idNumber: string,
    @Info() info: GraphQLResolveInfo,
  ) {
    const actor = requireActor(ctx.actor);
    if (region !== ctx.region) throw badInput('region', `this instance serves region ${ctx.region}, not ${JSON.stringify(region)}`);
    const number = checkIdNumber(idNumber, 'idNumber');
    // Decided from the caller and the region alone, before anything is looked up: these say nothing of any record.
    if (!actor.purpose) {
      throw forbidden('personByIdNumber reads an ID number in full: state the purpose of use (header X-Purpose, for example "petition-handling")', {
        field: 'idNumber',
        reason: 'PURPOSE_REQUIRED',
      });
    }
    // The lookup tests the number, so it obeys the number's rule (@access above): in full, or not at all.
    const numberRule = accessRuleAt(info.schema, 'Query.personByIdNumber', PERSONNEL_ACCESS)!;
    if (!overlapsAny(numberRule.within!(actor), significantPrefix(ctx.region))) {
      throw forbidden(`idNumber: no sharing agreement opens the personal data of region ${ctx.region}'s residents to ${actor.jurisdiction}`, {
        field: 'idNumber',
        reason: 'NO_AGREEMENT',
      });
    }
    await countIdNumberLookup(ctx.region, actor.officerId);
    const person = await ctx.personByIdNumber.load(number);
    // Every lookup leaves a row, found or not: trying numbers shows in the owner's audit log.
    ctx.audit.add('LOOKUP_BY_ID_NUMBER', person ? auditRecord('Person', person.id) : unmatchedIdNumber(maskIdNumber(number)), ['idNumber']);
    // Not there and not yours to see answer alike, so the answer confirms no number.
    if (!person || accessTo(person, ctx).personal !== 'FULL')
      throw hubError('NOT_FOUND', `No person with this id number is registered in region ${region}`, { region });
    return person;
  }

  @Query(() => PersonConnection, { description: 'Persons of every region in scope, most recently registered first (人员库).' })
  @Directive('@fanOut(sortKey: "registeredAt", descending: true)')
  async persons(
    @Ctx() ctx: PersonnelContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Home regions to read; all when omitted.' }) regions: string[] | null,
    @Arg('filter', () => PersonFilter, { nullable: true }) filter: PersonFilter | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    const actor = requireActor(ctx.actor);
    if (filter?.homeJurisdiction && !/^\d{2,9}$/.test(filter.homeJurisdiction)) {
      throw badInput('filter.homeJurisdiction', 'must be a jurisdiction code or its leading digits, such as "3304"');
    }
    // A filter tests a value, so it obeys that value's rule: it matches only records whose value the caller may read.
    const within = (input: 'category' | 'homeJurisdiction') => accessRuleAt(info.schema, `PersonFilter.${input}`, PERSONNEL_ACCESS)!.within!(actor);
    let homeWithin: readonly string[] | null = null;
    if (filter?.homeJurisdiction) {
      homeWithin = within('homeJurisdiction');
      if (!overlapsAny(homeWithin, filter.homeJurisdiction)) {
        throw forbidden(`filter.homeJurisdiction: no sharing agreement opens the persons of ${filter.homeJurisdiction} to ${actor.jurisdiction}`, {
          field: 'filter.homeJurisdiction',
        });
      }
    }
    if (filter?.category) homeWithin = within('category'); // owner-only: within the basic prefixes too
    return regionPage(
      ctx.region,
      { first, after, regions },
      (limit, position) => listPersons(ctx.db, { ...filter, homeWithin }, limit, position),
      personPosition,
      (row) => toPerson(ctx.region, row),
    );
  }

  @FieldResolver(() => [PersonTag], { nullable: true, description: 'Key-person categories held now (重点人员标签). Sensitive personal data.' })
  @Access(PERSON_OWNER)
  async tags(@Root() person: Person, @Ctx() ctx: PersonnelContext): Promise<PersonTag[]> {
    const tags = await ctx.tagsOfPerson.load(person.localId);
    return Promise.all(
      tags.map(async (tag) => ({ ...tag, taggedBy: tag.taggedByLocalId ? ((await ctx.officerById.load(tag.taggedByLocalId)) ?? null) : null })),
    );
  }

  @FieldResolver(() => [PersonTagEvent], { nullable: true, description: 'Every category given or taken, oldest first: who, when and why.' })
  @Access(PERSON_OWNER)
  async tagHistory(@Root() person: Person, @Ctx() ctx: PersonnelContext): Promise<PersonTagEvent[]> {
    const events = await ctx.tagHistoryOfPerson.load(person.localId);
    return Promise.all(
      events.map(async (event) => ({ ...event, officer: event.officerLocalId ? ((await ctx.officerById.load(event.officerLocalId)) ?? null) : null })),
    );
  }

  @FieldResolver(() => [PersonMove], {
    nullable: true,
    description:
      'Every change of household registration between regions (户籍迁移) this record knows, oldest first: those before it came here, and its own move away.',
  })
  @Access(PERSON_OWNER)
  moves(@Root() person: Person, @Ctx() ctx: PersonnelContext): Promise<PersonMove[]> {
    return ctx.movesOfPerson.load(person.localId);
  }

  @FieldResolver(() => PersonDataAccess, { description: 'What you may see of this record and why: personal data FULL, MASKED or NONE.' })
  @Access(OPEN)
  dataAccess(@Root() person: Person, @Ctx() ctx: PersonnelContext): PersonDataAccess {
    const access = accessTo(person, ctx);
    return { personal: access.personal as PersonalDataAccess, owner: access.insider, reason: access.reason };
  }

  @FieldResolver(() => Officer, { nullable: true, description: 'The officer who registered the record; null for records loaded in bulk. Owner-only.' })
  @Access(PERSON_OWNER)
  async registeredBy(@Root() person: Person, @Ctx() ctx: PersonnelContext) {
    return person.registeredByLocalId ? ((await ctx.officerById.load(person.registeredByLocalId)) ?? null) : null;
  }
}
