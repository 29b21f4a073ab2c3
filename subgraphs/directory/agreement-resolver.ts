import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { contains } from '../../auth/jurisdiction';
import { Access } from '../shared/access';
import { AGREEMENT_ADMINISTRATION } from './directory-access-rules';
import { auditedChange } from '../shared/audited-change';
import { requireActor } from '../shared/actor';
import { badInput, hubError } from '../shared/errors';
import { checkPageSize, decodeCursor, toConnection } from '../shared/pagination';
import type { DirectoryContext } from './context';
import { agreementPosition, findAgreement, grantsFor, insertAgreement, listAgreements, revokeAgreement, toAgreement } from './agreement-repository';
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
    throw hubError('FORBIDDEN', `an administrator of ${actor.jurisdiction} signs only agreements one of whose parties lies in ${actor.jurisdiction}`, { officer: actor.officerId });
  }
  return actor;
}

@Resolver(() => SharingAgreement)
export class SharingAgreementResolver {
  @Query(() => SharingAgreementConnection, { description: 'Sharing agreements, newest first; `jurisdiction` keeps those it is a party of.' })
  async sharingAgreements(
    @Ctx() ctx: DirectoryContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('jurisdiction', () => String, { nullable: true }) jurisdiction: string | null,
    @Arg('activeOnly', () => Boolean, { nullable: true, defaultValue: false }) activeOnly: boolean,
  ) {
    if (jurisdiction !== null && !/^\d{6}$/.test(jurisdiction)) throw badInput('jurisdiction', 'must be a 6-digit jurisdiction code');
    const size = checkPageSize(first);
    const rows = await listAgreements(ctx.db, { jurisdiction, activeOnly }, size + 1, decodeCursor(after));
    return toConnection(rows, size, agreementPosition, (row) => toAgreement(row));
  }

  @Query(() => [SharingGrant], { description: 'What agreements in force open to officers of `jurisdiction` now. Yours, or any for administrators and the hub.' })
  async sharingGrants(@Ctx() ctx: DirectoryContext, @Arg('jurisdiction', () => String) jurisdiction: string) {
    const actor = requireActor(ctx.actor);
    if (!/^\d{6}$/.test(jurisdiction)) throw badInput('jurisdiction', 'must be a 6-digit jurisdiction code');
    const entitled = actor.roles.includes('SERVICE') || actor.roles.includes('AGREEMENT_ADMIN') || contains(actor.jurisdiction, jurisdiction) || contains(jurisdiction, actor.jurisdiction);
    if (!entitled) throw hubError('FORBIDDEN', `officers of ${actor.jurisdiction} may list the grants of their own jurisdiction only`);
    return grantsFor(ctx.db, jurisdiction);
  }

  @Query(() => Caller, { description: 'Who the hub takes you for in this request, with the grants your jurisdiction holds.' })
  caller(@Ctx() ctx: DirectoryContext): Caller {
    const actor = requireActor(ctx.actor);
    return { id: actor.officerId, jurisdiction: actor.jurisdiction, agency: actor.agency, roles: actor.roles, purpose: actor.purpose, grants: actor.grants as SharingGrant[] };
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  provider(@Root() agreement: SharingAgreement, @Ctx() ctx: DirectoryContext) {
    return ctx.jurisdictionByCode.load(agreement.providerCode);
  }

  @FieldResolver(() => Jurisdiction, { nullable: true })
  recipient(@Root() agreement: SharingAgreement, @Ctx() ctx: DirectoryContext) {
    return ctx.jurisdictionByCode.load(agreement.recipientCode);
  }

  @Mutation(() => SharingAgreement, { description: 'Signs a sharing agreement (agreements administrators). In force for new requests within seconds.' })
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
      throw badInput('input.recipient', 'provider and recipient nest one in the other; officers already see their own jurisdiction\'s data');
    }
    const categories = [...new Set(input.categories)];
    if (categories.length === 0) throw badInput('input.categories', 'name at least one category');
    const validFrom = input.validFrom ?? new Date();
    if (input.validUntil <= validFrom) throw badInput('input.validUntil', 'must be after validFrom');
    if (input.validUntil.getTime() - validFrom.getTime() > 10 * YEAR_MS) throw badInput('input.validUntil', 'an agreement runs at most 10 years; renew it then');
    const row = await auditedChange(ctx, 'createSharingAgreement', (client) => insertAgreement(client, { title, provider: input.provider, recipient: input.recipient, mutual: input.mutual ?? true, categories, validFrom, validUntil: input.validUntil, createdBy: actor.officerId }), (inserted) => String(inserted.id));
    return toAgreement(row);
  }

  @Mutation(() => SharingAgreement, { description: 'Revokes an agreement (agreements administrators). New requests stop seeing what it opened within seconds.' })
  @Access(AGREEMENT_ADMINISTRATION)
  async revokeSharingAgreement(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    if (!/^[1-9]\d{0,17}$/.test(id)) throw badInput('id', 'is not an agreement id');
    const existing = await findAgreement(ctx.db, id);
    if (!existing) throw hubError('NOT_FOUND', `No sharing agreement ${id}`, { id });
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
      () => id,
    );
    return toAgreement(revoked);
  }
}
