import { Arg, Ctx, Directive, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { parseGlobalId } from '../../auth/global-id';
import { requireActor } from '../shared/actor';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import type { PersonnelContext } from './context';
import { checkIdNumber } from './person-input';
import { settleClaimHere } from './resident-claim';

@InputType({ description: "Hub-internal: another region met this region's unconfirmed claim on a resident ID number in the hub's index." })
export class SettleResidentClaimInput {
  @Field(() => String, { description: 'The region holding the claim: this one.' })
  region!: string;

  @Field(() => String)
  idNumber!: string;

  @Field(() => ID, { description: 'The person of this region the claim names.' })
  personId!: string;
}

@ObjectType({ description: 'Hub-internal: the record holding a resident ID number, once its region has confirmed it.' })
export class ResidentClaimHolder {
  @Field(() => String)
  region!: string;

  @Field(() => ID)
  personId!: string;
}

/** The holding region's side of the claim protocol (resident-claim.ts, step 3). */
@Resolver()
export class ResidentClaimMutations {
  @Mutation(() => ResidentClaimHolder, {
    nullable: true,
    description:
      "Hub-internal: settles this region's unconfirmed claim on a resident ID number, once no registration of it is under way here: confirms it and answers the record holding the number, or releases it and answers null when this region keeps no open record of it.",
  })
  @Directive('@routeBy(argument: "input.region")')
  async settleResidentClaim(
    @Ctx() ctx: PersonnelContext,
    @Arg('input', () => SettleResidentClaimInput) input: SettleResidentClaimInput,
  ): Promise<ResidentClaimHolder | null> {
    const actor = requireActor(ctx.actor);
    if (!actor.roles.includes('SERVICE'))
      throw hubError('FORBIDDEN', 'this mutation is sent between regions by the hub itself, not by officers', { officer: actor.officerId });
    if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
    if (parseGlobalId(input.personId)?.region !== ctx.region) throw badInput('input.personId', `must be a person of region ${ctx.region}`);
    const idNumber = checkIdNumber(input.idNumber, 'input.idNumber');
    const holder = await auditedChange(
      ctx,
      'settleResidentClaim',
      (client) => settleClaimHere(ctx, client, idNumber, input.personId),
      () => auditRecord('Person', input.personId),
    );
    return holder && { region: holder.region, personId: holder.personId };
  }
}
