import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { checkPageSize, decodeCursor, toConnection } from '../../shared/pagination';
import type { PetitionsContext } from '../context';
import { PetitionRow, petitionPosition } from '../petition-repository';
import { warningPosition, WarningRow } from '../warning-repository';
import { Person, PersonPetitionConnection, PersonPetitionWarningConnection, Petition, PetitionWarning } from './dossier-types';

const toPetitionKey =
  (region: string) =>
  (row: PetitionRow): Petition => ({ id: `${region}:${row.id}`, registeredAt: row.registered_at });
const toWarningKey =
  (region: string) =>
  (row: WarningRow): PetitionWarning => ({ id: `${region}:${row.id}`, raisedAt: row.raised_at });

/**
 * A person's dossier across the Delta: every region answers for the records it holds about
 * the person, and the gateway merges the regions' pages (`@fanOut` on an entity field) exactly
 * as it merges a root list. It is a subgraph of its own so that the query planner always
 * reaches it through `_entities`, which the gateway sends to every region; were these fields
 * in the petitions subgraph, a warning's `subject { petitions }` would be answered by the
 * warning's region alone.
 */
@Resolver(() => Person)
export class PersonDossierResolver {
  @FieldResolver(() => PersonPetitionConnection, {
    nullable: true,
    description:
      'Petitions the person brought, in every region in scope, newest first; only those whose petitioners you may see (a petition detail: its jurisdiction, its city, or PETITION_DETAILS). Null when the arguments are refused or no region answers.',
  })
  @Directive('@fanOut(sortKey: "registeredAt", descending: true)')
  async petitions(
    @Root() person: Person,
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
  ) {
    const size = checkPageSize(first);
    const rows =
      size === 0 || (regions && !regions.includes(ctx.region))
        ? []
        : await ctx.petitionsOfPerson.load({ personId: person.id, limit: size + 1, after: decodeCursor(after) });
    return toConnection(rows, size, petitionPosition, toPetitionKey(ctx.region));
  }

  @FieldResolver(() => PersonPetitionWarningConnection, {
    nullable: true,
    description:
      'Warnings about the person, raised in every region in scope, newest first; only those you may see (their jurisdiction, its city, or PETITION_WARNINGS). Null when the arguments are refused or no region answers.',
  })
  @Directive('@fanOut(sortKey: "raisedAt", descending: true)')
  async petitionWarnings(
    @Root() person: Person,
    @Ctx() ctx: PetitionsContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, at most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regions', () => [String], { nullable: true, description: 'Region codes to read; all when omitted.' }) regions: string[] | null,
  ) {
    const size = checkPageSize(first);
    const rows =
      size === 0 || (regions && !regions.includes(ctx.region))
        ? []
        : await ctx.warningsOfPerson.load({ personId: person.id, limit: size + 1, after: decodeCursor(after) });
    return toConnection(rows, size, warningPosition, toWarningKey(ctx.region));
  }
}
