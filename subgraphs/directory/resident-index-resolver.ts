import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { parseGlobalId } from '../../auth/global-id';
import { Access } from '../shared/access';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { requireActor } from '../shared/actor';
import { badInput, hubError } from '../shared/errors';
import type { DirectoryContext } from './context';
import { RESIDENT_INDEX_SERVICE } from './directory-access-rules';
import { claimResident, idNumberHash, moveResident, releaseResident, residentIndexKey } from './resident-index';

@ObjectType({ description: 'Hub-internal: the region and person holding the record of a resident ID number.' })
export class ResidentHolding {
  @Field(() => String)
  region!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => Boolean, {
    description: 'True once the holding region has committed the record; false while the registration that claimed it has not (or never will).',
  })
  confirmed!: boolean;
}

@InputType({ description: 'Hub-internal: a region claims the record of a resident ID number for one of its persons.' })
export class ClaimResidentInput {
  @Field(() => String, { description: 'The resident ID number; only its keyed HMAC is kept.' })
  idNumber!: string;

  @Field(() => ID, { description: "The person in the claiming region (the caller's)." })
  personId!: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'True when the record is committed in the region; false (the default) from inside the registration, before its commit.',
  })
  confirmed!: boolean;
}

@InputType({ description: 'Hub-internal: a region drops its claim on a resident ID number: it keeps no record of it (the registration never committed).' })
export class ReleaseResidentInput {
  @Field(() => String)
  idNumber!: string;

  @Field(() => ID, { description: "The person in the caller's region the claim names." })
  personId!: string;
}

@InputType({ description: 'Hub-internal: the region holding a record hands it to the new home region (change of household registration).' })
export class MoveResidentInput {
  @Field(() => String)
  idNumber!: string;

  @Field(() => ID, { description: "The person in the caller's region that holds the number now." })
  fromPersonId!: string;

  @Field(() => ID, { description: 'The record in the new home region.' })
  toPersonId!: string;
}

const CLAIM_BATCH = 500;

/** The person id must be one of the calling region's hub service: a region claims only for itself. */
function ownPerson(ctx: DirectoryContext, personId: string, field: string) {
  const actor = requireActor(ctx.actor);
  const parts = parseGlobalId(personId);
  if (!parts) throw badInput(field, `${JSON.stringify(personId)} is not a person id`);
  if (parts.region !== actor.region)
    throw hubError('FORBIDDEN', `the hub service of ${actor.region} claims records of its own region only, not of ${parts.region}`);
  return { region: parts.region, personId };
}

function hashOf(ctx: DirectoryContext, idNumber: string): Buffer {
  if (!/^\d{17}[\dX]$/i.test(idNumber)) throw badInput('input.idNumber', 'must be an 18-character resident ID number');
  return idNumberHash(residentIndexKey(Buffer.from(ctx.auditChain.key)), idNumber);
}

/**
 * One person, one record, across regions: each region's personnel subgraph claims the number
 * here (through the gateway, as its hub service) before a registration commits, confirms the
 * claim once it has, and is told who holds it when another region does. An unconfirmed claim of
 * another region is settled by asking that region (subgraphs/personnel/resident-claim.ts),
 * which confirms or releases it here.
 */
@Resolver()
export class ResidentIndexResolver {
  @Mutation(() => ResidentHolding, {
    description:
      'Hub-internal: claims a resident ID number for a person of the calling region; answers the holder, which is another region when the number is registered there.',
  })
  @Access(RESIDENT_INDEX_SERVICE)
  async claimResidentRecord(@Ctx() ctx: DirectoryContext, @Arg('input', () => ClaimResidentInput) input: ClaimResidentInput): Promise<ResidentHolding> {
    const holder = ownPerson(ctx, input.personId, 'input.personId');
    const hash = hashOf(ctx, input.idNumber);
    return auditedChange(
      ctx,
      'claimResidentRecord',
      (client) => claimResident(client, hash, holder, input.confirmed),
      () => auditRecord('Person', input.personId),
    );
  }

  @Mutation(() => [ResidentHolding], {
    description: `Hub-internal: claims up to ${CLAIM_BATCH} numbers at once (records older than the index), in one transaction; answers each holder, in order.`,
  })
  @Access(RESIDENT_INDEX_SERVICE)
  async claimResidentRecords(
    @Ctx() ctx: DirectoryContext,
    @Arg('inputs', () => [ClaimResidentInput]) inputs: ClaimResidentInput[],
  ): Promise<ResidentHolding[]> {
    if (inputs.length === 0 || inputs.length > CLAIM_BATCH) throw badInput('inputs', `must hold 1 to ${CLAIM_BATCH} claims, but holds ${inputs.length}`);
    const claims = inputs.map((input, index) => ({
      holder: ownPerson(ctx, input.personId, `inputs[${index}].personId`),
      hash: hashOf(ctx, input.idNumber),
      confirmed: input.confirmed,
    }));
    return auditedChange(
      ctx,
      'claimResidentRecords',
      async (client) => {
        const holders: ResidentHolding[] = [];
        for (const claim of claims) holders.push(await claimResident(client, claim.hash, claim.holder, claim.confirmed));
        return holders;
      },
      () => auditRecord('ResidentHolding', `${claims[0].holder.region}:resident-index`),
    );
  }

  @Mutation(() => Boolean, {
    description:
      "Hub-internal: drops the calling region's claim on a resident ID number for one of its persons, when it keeps no record of the number; false when it held no such claim.",
  })
  @Access(RESIDENT_INDEX_SERVICE)
  async releaseResidentRecord(@Ctx() ctx: DirectoryContext, @Arg('input', () => ReleaseResidentInput) input: ReleaseResidentInput): Promise<boolean> {
    const holder = ownPerson(ctx, input.personId, 'input.personId');
    const hash = hashOf(ctx, input.idNumber);
    return auditedChange(
      ctx,
      'releaseResidentRecord',
      (client) => releaseResident(client, hash, holder),
      () => auditRecord('Person', input.personId),
    );
  }

  @Mutation(() => Boolean, {
    description:
      'Hub-internal: hands the record of a resident ID number from the calling region to the new home region; false when the caller does not hold it.',
  })
  @Access(RESIDENT_INDEX_SERVICE)
  async moveResidentRecord(@Ctx() ctx: DirectoryContext, @Arg('input', () => MoveResidentInput) input: MoveResidentInput): Promise<boolean> {
    const from = ownPerson(ctx, input.fromPersonId, 'input.fromPersonId');
    const to = parseGlobalId(input.toPersonId);
    if (!to) throw badInput('input.toPersonId', `${JSON.stringify(input.toPersonId)} is not a person id`);
    const hash = hashOf(ctx, input.idNumber);
    return auditedChange(
      ctx,
      'moveResidentRecord',
      (client) => moveResident(client, hash, from, { region: to.region, personId: input.toPersonId }),
      () => auditRecord('Person', input.fromPersonId),
    );
  }
}
