import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { checkPageSize, decodeCursor, toConnection } from '../shared/pagination';
import type { PetitionsContext } from './context';
import { PetitionRow, petitionPosition, toPetition } from './petition-repository';
import { Person, Petition, PetitionConnection, PetitionWarning, PetitionWarningConnection } from './types';
import { toWarning, warningPosition, WarningRow } from './warning-repository';

/**
 * A person's dossier across the Delta: every region's petitions subgraph answers for the
 * records it holds about the person, and the gateway merges the regions' pages (`@fanOut` on
 * an entity field), exactly as it merges a root list.
 */
@Resolver(() => Person)
export class PersonDossierResolver {
  @FieldResolver(() => PetitionConnection, { description: 'Petitions the person brought, in every region in scope, newest first.' })
  @Directive('@fanOut(sortKey: "registeredAt", descending: true)')
  async petitions(
    @Root() person: Person,
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
  ) {
    const size = checkPageSize(first);
    if (size === 0 || (regions && !regions.includes(ctx.region))) return toConnection<PetitionRow, Petition>([], 0, petitionPosition, (row) => toPetition(ctx.region, row));
    const rows = await ctx.petitionsOfPerson.load({ personId: person.id, limit: size + 1, after: decodeCursor(after) });
    return toConnection(rows, size, petitionPosition, (row) => toPetition(ctx.region, row));
  }

  @FieldResolver(() => PetitionWarningConnection, { description: 'Warnings about the person, raised in every region in scope, newest first.' })
  @Directive('@fanOut(sortKey: "raisedAt", descending: true)')
  async petitionWarnings(
    @Root() person: Person,
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
  ) {
    const size = checkPageSize(first);
    if (size === 0 || (regions && !regions.includes(ctx.region))) return toConnection<WarningRow, PetitionWarning>([], 0, warningPosition, (row) => toWarning(ctx.region, row));
    const rows = await ctx.warningsOfPerson.load({ personId: person.id, limit: size + 1, after: decodeCursor(after) });
    return toConnection(rows, size, warningPosition, (row) => toWarning(ctx.region, row));
  }
}
