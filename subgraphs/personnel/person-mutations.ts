import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import { toGlobalId } from '../../auth/global-id';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { hubError } from '../shared/errors';
import { actingOfficerId } from './acting-officer';
import { ownLocalId } from '../shared/local-id';
import type { PersonnelContext } from './context';
import { checkNote, checkRegistration, RegisterPersonInput } from './person-input';
import { findPendingMoveOf, findPersons, findPersonsByIdNumber, insertPerson, lockIdNumber, toPerson } from './person-repository';
import { KeyPersonCategory, Person } from './person-types';
import { claimResidentRecord, confirmResidentRecord } from './resident-claim';
import { addTag, removeTag, TagChange } from './tag-repository';

/** Every change is one transaction: a refused change leaves nothing behind. */
@Resolver(() => Person)
export class PersonMutations {
  @Mutation(() => Person, {
    description:
      "Registers a person in their home region (户籍登记); refused with CONFLICT naming the existing person when the id number is registered already, in this region or, by the hub's index of id numbers, in another (one person, one record).",
  })
  @Directive('@routeBy(argument: "input.region")')
  async registerPerson(@Ctx() ctx: PersonnelContext, @Arg('input', () => RegisterPersonInput) input: RegisterPersonInput) {
    const officerId = await actingOfficerId(ctx);
    const registration = checkRegistration(ctx.region, input);
    const row = await auditedChange(
      ctx,
      'registerPerson',
      async (client) => {
        // Held until the commit: the region then answers for its claim on the number only once this is over (resident-claim.ts).
        await lockIdNumber(client, registration.idNumber);
        const inserted = await insertPerson(client, { ...registration, registeredBy: officerId });
        if (!inserted) {
          const [existing] = await findPersonsByIdNumber(client, [registration.idNumber]);
          if (!existing) {
            const movedFrom = await findPendingMoveOf(client, registration.idNumber);
            throw hubError(
              'CONFLICT',
              `input.idNumber: the record of this id number is being moved here from region ${movedFrom?.split(':')[0]} (户籍迁入); once that move has ended it is a person of this region or stays there, retry then`,
              { field: 'input.idNumber', existingId: movedFrom },
            );
          }
          const existingId = toGlobalId(ctx.region, existing.id);
          throw hubError('CONFLICT', `input.idNumber: this id number is already registered in region ${ctx.region} as person ${existingId}`, {
            field: 'input.idNumber',
            existingId,
          });
        }
        for (const category of registration.categories) {
          await addTag(client, { personId: inserted.id, category, officerId, note: registration.note });
        }
        // Last, so that a refusal here rolls the whole registration back: the hub's index says
        // whether another region holds the number. The claim stays unconfirmed until the commit.
        await claimResidentRecord(ctx, registration.idNumber, toGlobalId(ctx.region, inserted.id));
        return inserted;
      },
      (inserted) => auditRecord('Person', toGlobalId(ctx.region, inserted.id)),
    );
    await confirmResidentRecord(ctx, registration.idNumber, row.id);
    return toPerson(ctx.region, row);
  }

  @Mutation(() => Person, { description: 'Gives a person a key-person category (标记重点人员), recording who and when.' })
  @Directive('@routeBy(argument: "id")')
  tagPerson(
    @Ctx() ctx: PersonnelContext,
    @Arg('id', () => ID) id: string,
    @Arg('category', () => KeyPersonCategory) category: KeyPersonCategory,
    @Arg('note', () => String, { nullable: true, description: 'Why.' }) note: string | null,
  ) {
    return this.changeTag(ctx, 'tagPerson', id, category, note, addTag, 'already holds');
  }

  @Mutation(() => Person, { description: 'Takes a key-person category away (撤销标记), recording who, when and why; the history keeps it.' })
  @Directive('@routeBy(argument: "id")')
  untagPerson(
    @Ctx() ctx: PersonnelContext,
    @Arg('id', () => ID) id: string,
    @Arg('category', () => KeyPersonCategory) category: KeyPersonCategory,
    @Arg('note', () => String, { nullable: true, description: 'Why.' }) note: string | null,
  ) {
    return this.changeTag(ctx, 'untagPerson', id, category, note, removeTag, 'does not hold');
  }

  /**
   * A category changes only if the person's current state allows it: of two officers making
   * the same change at once, one succeeds and the other gets CONFLICT (see tag-repository.ts).
   */
  private async changeTag(
    ctx: PersonnelContext,
    mutation: string,
    id: string,
    category: KeyPersonCategory,
    rawNote: string | null,
    change: (client: Parameters<typeof addTag>[0], change: TagChange) => Promise<boolean>,
    refusal: string,
  ): Promise<Person> {
    const officerId = await actingOfficerId(ctx);
    const personId = ownLocalId(ctx.region, id);
    const note = checkNote(rawNote, 'note');
    const row = await auditedChange(
      ctx,
      mutation,
      async (client) => {
        const [person] = await findPersons(client, [personId]);
        if (!person) throw hubError('NOT_FOUND', `No person ${id}`, { id });
        if (person.moved_to) {
          throw hubError(
            'INVALID_TRANSITION',
            `person ${id} moved to ${person.moved_to} with their household registration; this record is closed — change the record there`,
            { id, movedTo: person.moved_to },
          );
        }
        if (!(await change(client, { personId, category, officerId, note }))) {
          throw hubError('CONFLICT', `person ${id} ${refusal} the category ${category}`, { id, category });
        }
        return person;
      },
      () => auditRecord('Person', toGlobalId(ctx.region, personId)),
    );
    return toPerson(ctx.region, row);
  }
}
