import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { contains } from '../../auth/jurisdiction';
import { Access } from '../shared/access';
import { AGREEMENT_ADMINISTRATION } from './directory-access-rules';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { requireActor } from '../shared/actor';
import { badInput, hubError } from '../shared/errors';
import { checkPageSize, decodeCursor, toConnection } from '../shared/pagination';
import type { DirectoryContext } from './context';
import {
  AgreementRow,
  agreementPosition,
  findAgreement,
  grantsFor,
  insertAgreement,
  listAgreements,
  Party,
  revokeAgreement,
  signAgreement,
  statusOf,
  toAgreement,
} from './agreement-repository';
import { Caller, CreateSharingAgreementInput, SharingAgreement, SharingAgreementConnection, SharingGrant } from './agreement-types';
import { Jurisdiction } from './types';

const YEAR_MS = 365 * 86_400_000;

/**
 * Who may change agreements: an officer with the AGREEMENT_ADMIN role whose jurisdiction holds
 * one of the two parties (a city's administrator signs for the city and its counties).
 */
function requireAdminFor(ctx: DirectoryContext, parties: string[]) {
  const actor = requireActor(ctx.actor);
  if (!actor.roles.includes('AGREEMENT_ADMIN')) {
    throw hubError('FORBIDDEN', 'sharing agreements are made and revoked by agreements administrators (role AGREEMENT_ADMIN)', { officer: actor.officerId });
  }
  if (!parties.some((party) => contains(actor.jurisdiction, party))) {
    throw hubError('FORBIDDEN', `an administrator of ${actor.jurisdiction} signs only agreements one of whose parties lies in ${actor.jurisdiction}`, {
      officer: actor.officerId,
    });
  }
  return actor;
}

/** Administrators and hub services see every jurisdiction's agreements and grants; officers their own (and nested ones). */
function mayListFor(actor: { roles: readonly string[]; jurisdiction: string }, jurisdiction: string): boolean {
  return (
    actor.roles.includes('SERVICE') ||
    actor.roles.includes('AGREEMENT_ADMIN') ||
    contains(actor.jurisdiction, jurisdiction) ||
    contains(jurisdiction, actor.jurisdiction)
  );
}

const PARTIES: readonly Party[] = ['provider', 'recipient'];

function checkId(id: string) {
  if (!/^[1-9]\d{0,17}$/.test(id)) throw badInput('id', 'is not an agreement id');
}

async function existingAgreement(ctx: DirectoryContext, id: string): Promise<AgreementRow> {
  checkId(id);
  const existing = await findAgreement(ctx.db, id);
  if (!existing) throw hubError('NOT_FOUND', `No sharing agreement ${id}`, { id });
  return existing;
}

/** A revoked or expired agreement takes no more signatures. */
function requireSignable(row: AgreementRow) {
  const status = statusOf(row);
  if (status === 'REVOKED' || status === 'EXPIRED') {
    throw hubError('INVALID_TRANSITION', `sharing agreement ${row.id} is ${status.toLowerCase()} and takes no more signatures; propose a new one`, {
      id: row.id,
      status,
    });
  }
}

@Resolver(() => SharingAgreement)
export class SharingAgreementResolver {
  @Query(() => SharingAgreementConnection, {
    description:
      "Sharing agreements (proposals included), newest first, of which `jurisdiction` is a party (either side, codes nesting); without it, your own jurisdiction's. Officers list their own jurisdiction's (and nested ones); agreements administrators and hub services any jurisdiction's.",
  })
  async sharingAgreements(
    @Ctx() ctx: DirectoryContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('jurisdiction', () => String, { nullable: true }) jurisdiction: string | null,
    @Arg('activeOnly', () => Boolean, { nullable: true, defaultValue: false }) activeOnly: boolean,
  ) {
    const actor = requireActor(ctx.actor);
    // An omitted argument arrives as undefined, not null.
    if (jurisdiction != null && !/^\d{6}$/.test(jurisdiction))
      throw badInput('jurisdiction', `must be a 6-digit jurisdiction code, but got ${JSON.stringify(jurisdiction)}`);
    const party = jurisdiction ?? actor.jurisdiction;
    if (!mayListFor(actor, party))
      throw hubError('FORBIDDEN', `officers of ${actor.jurisdiction} may list the agreements of their own jurisdiction only; omit jurisdiction for yours`);
    const size = checkPageSize(first);
    const rows = await listAgreements(ctx.db, { jurisdiction: party, activeOnly }, size + 1, decodeCursor(after));
    return toConnection(rows, size, agreementPosition, (row) => toAgreement(row));
  }

  @Query(() => [SharingGrant], {
    description: 'What agreements in force open to officers of `jurisdiction` now. Yours, or any for administrators and the hub.',
  })
  async sharingGrants(@Ctx() ctx: DirectoryContext, @Arg('jurisdiction', () => String) jurisdiction: string) {
    const actor = requireActor(ctx.actor);
    if (!/^\d{6}$/.test(jurisdiction)) throw badInput('jurisdiction', 'must be a 6-digit jurisdiction code');
    if (!mayListFor(actor, jurisdiction)) throw hubError('FORBIDDEN', `officers of ${actor.jurisdiction} may list the grants of their own jurisdiction only`);
    return grantsFor(ctx.db, jurisdiction);
  }

  @Query(() => Caller, { description: 'Who the hub takes you for in this request, with the grants your jurisdiction holds.' })
  caller(@Ctx() ctx: DirectoryContext): Caller {
    const actor = requireActor(ctx.actor);
    return {
      id: actor.officerId,
      jurisdiction: actor.jurisdiction,
      agency: actor.agency,
      roles: actor.roles,
      purpose: actor.purpose,
      grants: actor.grants as SharingGrant[],
    };
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  provider(@Root() agreement: SharingAgreement, @Ctx() ctx: DirectoryContext) {
    return ctx.jurisdictionByCode.load(agreement.providerCode);
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  recipient(@Root() agreement: SharingAgreement, @Ctx() ctx: DirectoryContext) {
    return ctx.jurisdictionByCode.load(agreement.recipientCode);
  }

  @Mutation(() => SharingAgreement, {
    description:
      'Proposes a sharing agreement, signed for your party (agreements administrators of one of the parties). It takes effect once the other party has countersigned (`signSharingAgreement`); then new requests see it within seconds.',
  })
  @Access(AGREEMENT_ADMINISTRATION)
  async createSharingAgreement(@Ctx() ctx: DirectoryContext, @Arg('input', () => CreateSharingAgreementInput) input: CreateSharingAgreementInput) {
    const actor = requireAdminFor(ctx, [input.provider, input.recipient]);
    const title = input.title.trim();
    if (!title || title.length > 200) throw badInput('input.title', 'must be 1 to 200 characters');
    for (const field of ['provider', 'recipient'] as const) {
      if (!/^\d{6}$/.test(input[field])) throw badInput(`input.${field}`, `must be a 6-digit jurisdiction code, but got ${JSON.stringify(input[field])}`);
      if (!(await ctx.jurisdictionByCode.load(input[field]))) throw badInput(`input.${field}`, `${input[field]} is no jurisdiction the hub knows`);
    }
    if (contains(input.provider, input.recipient) || contains(input.recipient, input.provider)) {
      throw badInput('input.recipient', "provider and recipient nest one in the other; officers already see their own jurisdiction's data");
    }
    const categories = [...new Set(input.categories)];
    if (categories.length === 0) throw badInput('input.categories', 'name at least one category');
    const validFrom = input.validFrom ?? new Date();
    if (input.validUntil <= validFrom) throw badInput('input.validUntil', 'must be after validFrom');
    if (input.validUntil.getTime() - validFrom.getTime() > 10 * YEAR_MS)
      throw badInput('input.validUntil', 'an agreement runs at most 10 years; renew it then');
    // An administrator whose jurisdiction holds both parties (a province's) signs for the provider; the recipient signs itself.
    const signedFor: Party = contains(actor.jurisdiction, input.provider) ? 'provider' : 'recipient';
    const row = await auditedChange(
      ctx,
      'createSharingAgreement',
      (client) =>
        insertAgreement(client, {
          title,
          provider: input.provider,
          recipient: input.recipient,
          mutual: input.mutual ?? true,
          categories,
          validFrom,
          validUntil: input.validUntil,
          createdBy: actor.officerId,
          signedFor,
        }),
      (inserted) => auditRecord('SharingAgreement', String(inserted.id)),
    );
    return toAgreement(row);
  }

  @Mutation(() => SharingAgreement, {
    description:
      'Countersigns a proposed agreement for your party (agreements administrators of the party). FORBIDDEN when you signed it already, or your party has; INVALID_TRANSITION when it is revoked or expired; CONFLICT when another administrator signed for your party at the same moment.',
  })
  @Access(AGREEMENT_ADMINISTRATION)
  async signSharingAgreement(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string) {
    const existing = await existingAgreement(ctx, id);
    const actor = requireAdminFor(ctx, [existing.provider, existing.recipient]);
    requireSignable(existing);
    const mine = PARTIES.filter((party) => contains(actor.jurisdiction, existing[party]));
    const signedByMe = mine.find((party) => existing[`${party}_signed_by`] === actor.officerId);
    if (signedByMe)
      throw hubError('FORBIDDEN', `you signed sharing agreement ${id} already, for ${existing[signedByMe]}; the other party signs for itself`, { id });
    const party = mine.find((p) => !existing[`${p}_signed_at`]);
    if (!party) {
      const awaiting = toAgreement(existing).awaitingSignatureOf;
      const next = awaiting.length ? `it awaits the signature of ${awaiting.join(' and ')}` : 'it needs no more signatures';
      throw hubError('FORBIDDEN', `${mine.map((p) => existing[p]).join(' and ')} signed sharing agreement ${id} already; ${next}`, { id });
    }
    const signed = await auditedChange(
      ctx,
      'signSharingAgreement',
      async (client) => {
        const row = await signAgreement(client, id, party, actor.officerId);
        if (row) return row;
        requireSignable((await findAgreement(client, id))!);
        throw hubError('CONFLICT', `another administrator signed sharing agreement ${id} for ${existing[party]} while you acted; reload it`, { id });
      },
      () => auditRecord('SharingAgreement', id),
    );
    return toAgreement(signed);
  }

  @Mutation(() => SharingAgreement, {
    description:
      'Revokes an agreement, a proposal or one in force (agreements administrators of either party). New requests stop seeing what it opened within seconds.',
  })
  @Access(AGREEMENT_ADMINISTRATION)
  async revokeSharingAgreement(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    const existing = await existingAgreement(ctx, id);
    const actor = requireAdminFor(ctx, [existing.provider, existing.recipient]);
    if (!reason.trim() || reason.length > 500) throw badInput('reason', 'must be 1 to 500 characters');
    const revoked = await auditedChange(
      ctx,
      'revokeSharingAgreement',
      async (client) => {
        const row = await revokeAgreement(client, id, actor.officerId, reason.trim());
        if (!row) throw hubError('CONFLICT', `sharing agreement ${id} was already revoked`, { id });
        return row;
      },
      () => auditRecord('SharingAgreement', id),
    );
    return toAgreement(revoked);
  }
}
