import { Arg, Ctx, Directive, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { owningRegion } from '../../auth/jurisdiction';
import { parseGlobalId, toGlobalId } from '../../auth/global-id';
import { requireActor } from '../shared/actor';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, ErrorCode, hubError } from '../shared/errors';
import { jurisdictionProblem } from '../shared/jurisdictions';
import { ownLocalId } from '../shared/local-id';
import { actingOfficerId } from './acting-officer';
import type { PersonnelContext } from './context';
import { checkNote } from './person-input';
import { lockPerson, markMoved, receiveMovedPerson, toPerson } from './person-repository';
import { appendMoves, listMovesOfPersons } from './person-move-repository';
import { KeyPersonCategory, Person, PersonMove } from './person-types';
import { moveResidentRecord } from './resident-index-link';
import { addTag, listTagsOfPersons } from './tag-repository';
import { settlePendingMove, tellReceivingRegion } from './move-settlement';
import { logger } from '../../platform/logger';

@InputType({ description: 'A change of household registration (户籍迁移) to a jurisdiction of another region.' })
export class MovePersonHomeInput {
  @Field(() => String, { description: 'The new county-level jurisdiction of household registration, in another region of the hub.' })
  homeJurisdiction!: string;

  @Field(() => String, { nullable: true, description: 'The new residential address; the old one is not carried over.' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Why (such as 投靠子女迁入).' })
  note?: string | null;
}

@InputType({ description: 'Hub-internal: a household move the record has been through, as `Person.moves` shows it.' })
export class PersonMoveInput implements PersonMove {
  @Field(() => ID)
  from!: string;

  @Field(() => ID)
  to!: string;

  @Field(() => String)
  fromJurisdiction!: string;

  @Field(() => String)
  toJurisdiction!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@InputType({ description: 'Hub-internal: a record moved here from the region of its old household registration.' })
export class ReceiveMovedPersonInput {
  @Field(() => String, { description: 'The new home region, where the record is now kept.' })
  region!: string;

  @Field(() => ID, { description: 'The record in the old home region; with it, delivery is idempotent.' })
  movedFrom!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  idNumber!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String)
  homeJurisdiction!: string;

  @Field(() => Date, { description: 'When the person was first registered in the hub.' })
  registeredAt!: Date;

  @Field(() => [KeyPersonCategory], { description: 'The key-person categories held at the move; their history stays with the old record.' })
  categories!: KeyPersonCategory[];

  @Field(() => String, { description: 'The home jurisdiction the person moves from.' })
  fromJurisdiction!: string;

  @Field(() => Date, { description: 'When the move is made; the old record is closed at the same moment.' })
  movedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Why (such as 投靠子女迁入).' })
  note?: string | null;

  @Field(() => [PersonMoveInput], { description: "The person's moves before this one, oldest first, as the old record keeps them." })
  earlierMoves!: PersonMoveInput[];
}

@InputType({ description: 'Hub-internal: how the move of a record sent here ended in its old home region (move-settlement.ts).' })
export class SettleMovedPersonInput {
  @Field(() => String, { description: 'The new home region, where the record received is kept pending.' })
  region!: string;

  @Field(() => ID, { description: 'The record in the old home region.' })
  movedFrom!: string;

  @Field(() => Boolean, {
    description: 'True: the move committed there (the record received becomes a person here); false: it failed (the record is withdrawn).',
  })
  moved!: boolean;
}

@InputType({ description: "Hub-internal: the new home region asks whether the old region's record moved to the one it keeps pending." })
export class CheckPersonMoveInput {
  @Field(() => String, { description: 'The old home region: this one.' })
  region!: string;

  @Field(() => ID, { description: 'The record in this region.' })
  personId!: string;

  @Field(() => ID, { description: "The record pending in the caller's region." })
  movedTo!: string;
}

/** Only the hub's own service of a region sends the hub-internal steps of a move; answers that region. */
function requireServiceRegion(ctx: PersonnelContext): string {
  const actor = requireActor(ctx.actor);
  if (!actor.roles.includes('SERVICE'))
    throw hubError('FORBIDDEN', 'this mutation is sent between regions by the hub itself, not by officers', { officer: actor.officerId });
  return actor.region;
}

const RECEIVE = `mutation($input: ReceiveMovedPersonInput!) { receiveMovedPerson(input: $input) { id } }`;

/** Codes of a region that gave no answer of its own (the gateway's, or its database's): the move may simply be made again. */
const NO_ANSWER = new Set(['REGION_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);

/**
 * Sends the record to the new home region. A refusal there (BAD_USER_INPUT, CONFLICT, FORBIDDEN
 * …) reaches the caller with its own code and message, naming the region (`receivingRegion`:
 * the gateway tags `region` with the region that answered the caller); only a region that did
 * not answer is REGION_UNAVAILABLE. Either way the caller's transaction rolls back.
 */
async function askReceivingRegion(ctx: PersonnelContext, target: string, variables: Record<string, unknown>) {
  const unavailable = (why: string) =>
    hubError('REGION_UNAVAILABLE', `region ${target} did not answer (${why}); nothing was moved, retry shortly`, { receivingRegion: target });
  const answer = await ctx.hub
    .execute<{ receiveMovedPerson: { id: string } }>(RECEIVE, variables)
    .catch((error: Error) => Promise.reject(unavailable(error.message)));
  const error = answer.errors?.[0];
  if (!error && answer.data?.receiveMovedPerson) return answer.data;
  const code = String(error?.extensions?.code ?? '');
  if (!error || !code || NO_ANSWER.has(code)) throw unavailable(code || 'no answer');
  // Only the new jurisdiction is the caller's own input among what the region was sent.
  const field = code === 'CONFLICT' || error.extensions?.field === 'input.homeJurisdiction' ? 'input.homeJurisdiction' : undefined;
  const reason = field ? error.message.replace(/^input\.homeJurisdiction: /, '') : error.message;
  throw hubError(code as ErrorCode, `${field ? `${field}: ` : ''}region ${target} refused the record: ${reason}; nothing was moved`, {
    ...error.extensions,
    field,
    receivingRegion: target,
  });
}

/**
 * 户籍迁移 between regions, to a new region or back to one the person left (whose old, closed
 * record stays beside the new one). The old home region drives it, in one transaction of its
 * own: it sends the record, with the moves before it, to the new home region (which stores it
 * once, however often it is sent), hands the id number over in the hub's resident index, and
 * closes its record, naming the new one. If any of these fails, its transaction rolls back and
 * the move can simply be made again.
 */
@Resolver(() => Person)
export class PersonMoveMutations {
  @Mutation(() => Person, {
    description:
      "Moves a person's record to the region of their new household registration (户籍迁移). Answers this (old) record: it stays, closed, with its history, and names the new record in `movedTo`.",
  })
  @Directive('@routeBy(argument: "id")')
  async movePersonHome(
    @Ctx() ctx: PersonnelContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => MovePersonHomeInput) input: MovePersonHomeInput,
  ): Promise<Person> {
    // Only an active officer of the old home region moves its record (the audit row names them).
    await actingOfficerId(ctx);
    const localId = ownLocalId(ctx.region, id);
    const regionCodes = ctx.regions.map((region) => region.code);
    const target = /^\d{6}$/.test(input.homeJurisdiction) ? owningRegion(input.homeJurisdiction, regionCodes) : undefined;
    if (!target)
      throw badInput(
        'input.homeJurisdiction',
        `${JSON.stringify(input.homeJurisdiction)} is not a county-level jurisdiction of a region of this hub (${regionCodes.join(', ')})`,
      );
    if (target === ctx.region)
      throw badInput(
        'input.homeJurisdiction',
        `${input.homeJurisdiction} is in region ${ctx.region}, where the record already is: a move between regions names a jurisdiction of another region`,
      );
    // Whether the jurisdiction is one of the new region's counties is that region's rule: it refuses the record (receiveMovedPerson).
    const address = input.address?.trim() || null;
    if (address && [...address].length > 200) throw badInput('input.address', `must be at most 200 characters, but has ${[...address].length}`);
    const note = checkNote(input.note, 'input.note');

    const moved = await auditedChange(
      ctx,
      'movePersonHome',
      async (client) => {
        const person = await lockPerson(client, localId);
        if (!person) throw hubError('NOT_FOUND', `No person ${id}`, { id });
        if (person.moved_to) throw hubError('CONFLICT', `person ${id} was already moved to ${person.moved_to}`, { id, movedTo: person.moved_to });
        const [[tags], [earlierMoves]] = await Promise.all([listTagsOfPersons(ctx.db, [localId]), listMovesOfPersons(ctx.db, [localId])]);
        const movedAt = new Date();
        const answer = await askReceivingRegion(ctx, target, {
          input: {
            region: target,
            movedFrom: id,
            name: person.name,
            idNumber: person.id_number,
            phone: person.phone,
            address,
            homeJurisdiction: input.homeJurisdiction,
            registeredAt: person.registered_at.toISOString(),
            categories: tags.map((tag) => tag.category),
            fromJurisdiction: person.home_jurisdiction,
            movedAt: movedAt.toISOString(),
            note,
            earlierMoves: earlierMoves.map((move) => ({ ...move, at: move.at.toISOString() })),
          },
        });
        const newId = answer.receiveMovedPerson.id;
        try {
          if (!(await moveResidentRecord(ctx, person.id_number, id, newId))) {
            throw hubError('CONFLICT', `the hub's index names another region's record as holding this id number; nothing was moved`, { id });
          }
          await appendMoves(client, localId, [
            { from: id, to: newId, fromJurisdiction: person.home_jurisdiction, toJurisdiction: input.homeJurisdiction, at: movedAt, note },
          ]);
          return await markMoved(client, localId, newId, movedAt);
        } catch (error) {
          // Still holding the record (no other move of it is under way): the new region withdraws what it received.
          await tellReceivingRegion(ctx, target, id, false).catch((lost: Error) =>
            logger.warn(`[personnel] region ${target} keeps the record of ${id} pending after a failed move (${lost.message}); its background pass settles it`),
          );
          throw error;
        }
      },
      () => auditRecord('Person', id),
    );
    await tellReceivingRegion(ctx, target, id, true).catch((lost: Error) =>
      logger.warn(`[personnel] region ${target} keeps the record moved from ${id} pending (${lost.message}); its background pass completes it`),
    );
    return toPerson(ctx.region, moved);
  }

  @Mutation(() => Person, {
    description: 'Hub-internal: stores a record moved here by the region of the old household registration, once however often it is sent.',
  })
  @Directive('@routeBy(argument: "input.region")')
  async receiveMovedPerson(@Ctx() ctx: PersonnelContext, @Arg('input', () => ReceiveMovedPersonInput) input: ReceiveMovedPersonInput): Promise<Person> {
    const sender = requireServiceRegion(ctx);
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    const from = parseGlobalId(input.movedFrom);
    if (!from || from.region !== sender) throw badInput('input.movedFrom', `must be a person of the sending region ${sender}`);
    const problem = jurisdictionProblem(ctx.region, input.homeJurisdiction, { cityLevel: false });
    if (problem) throw badInput('input.homeJurisdiction', problem);
    const row = await auditedChange(
      ctx,
      'receiveMovedPerson',
      async (client) => {
        const received = await receiveMovedPerson(client, { ...input, phone: input.phone ?? null, address: input.address ?? null });
        if (!received) throw hubError('CONFLICT', `region ${ctx.region} already holds a record of this id number`, { region: ctx.region });
        if (received.written) {
          for (const category of new Set(input.categories)) {
            await addTag(client, { personId: received.row.id, category, officerId: null, note: `随户籍迁入（原记录${input.movedFrom}）` });
          }
          const move: PersonMove = {
            from: input.movedFrom,
            to: toGlobalId(ctx.region, received.row.id),
            fromJurisdiction: input.fromJurisdiction,
            toJurisdiction: input.homeJurisdiction,
            at: input.movedAt,
            note: input.note ?? null,
          };
          await appendMoves(client, received.row.id, [...input.earlierMoves, move]);
        }
        return received.row;
      },
      (result) => auditRecord('Person', toGlobalId(ctx.region, result.id)),
    );
    return toPerson(ctx.region, row);
  }

  @Mutation(() => Boolean, {
    description:
      'Hub-internal: the old home region tells how the move of a record sent here ended: completed (a person of this region from now on) or withdrawn. False when no record of it is pending here.',
  })
  @Directive('@routeBy(argument: "input.region")')
  async settleMovedPerson(@Ctx() ctx: PersonnelContext, @Arg('input', () => SettleMovedPersonInput) input: SettleMovedPersonInput): Promise<boolean> {
    const sender = requireServiceRegion(ctx);
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    if (parseGlobalId(input.movedFrom)?.region !== sender) throw badInput('input.movedFrom', `must be a person of the sending region ${sender}`);
    const settled = await auditedChange(
      ctx,
      'settleMovedPerson',
      (client) => settlePendingMove(ctx, client, input.movedFrom, input.moved),
      // The record changed is this region's pending one, in its trail; with none pending, nothing here changed but the word about movedFrom.
      (record) => auditRecord('Person', record ?? input.movedFrom),
    );
    return settled !== undefined;
  }

  @Mutation(() => Boolean, {
    description:
      "Hub-internal: whether this region's record moved to the caller's pending record, answered once no move of it is under way here (the new region's background pass asks).",
  })
  @Directive('@routeBy(argument: "input.region")')
  async checkPersonMove(@Ctx() ctx: PersonnelContext, @Arg('input', () => CheckPersonMoveInput) input: CheckPersonMoveInput): Promise<boolean> {
    const asker = requireServiceRegion(ctx);
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    if (parseGlobalId(input.movedTo)?.region !== asker) throw badInput('input.movedTo', `must be a person of the asking region ${asker}`);
    const localId = ownLocalId(ctx.region, input.personId, 'input.personId');
    // The record's lock waits for a move of it under way, so the answer is that move's outcome.
    return auditedChange(
      ctx,
      'checkPersonMove',
      async (client) => {
        const { rows } = await client.query<{ moved_to: string | null }>('SELECT moved_to FROM personnel.persons WHERE id = $1 FOR UPDATE', [localId]);
        return rows[0]?.moved_to === input.movedTo;
      },
      () => auditRecord('Person', input.personId),
    );
  }
}
