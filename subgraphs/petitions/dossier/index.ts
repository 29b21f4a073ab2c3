import { localIdIfOwn } from '../../shared/local-id';
import { buildFederatedSchema } from '../../shared/federated-schema';
import { repoPath } from '../../shared/repo-path';
import type { SubgraphModule } from '../../shared/subgraph-module';
import { createPetitionsContext, PetitionsContext } from '../context';
import { PersonDossierResolver } from './dossier-resolver';
import { DOSSIER_ACCESS } from '../petition-access-rules';
import { withPermissions } from '../../shared/permissions';
import { Person, Petition, PetitionWarning } from './dossier-types';

/**
 * `dossier`: a person's petitions and warnings in every region. It reads the petitions tables
 * of its region (the petitions subgraph owns and migrates them) and runs beside it.
 */
export const dossierSubgraph: SubgraphModule = {
  name: 'dossier',
  regional: true,
  schemaFile: repoPath('subgraphs', 'petitions', 'dossier', 'schema.graphql'),
  buildSchema: async () =>
    withPermissions(
      await buildFederatedSchema(
        // No root field here: the dossier is entered only through entities, so name its types.
        { resolvers: [PersonDossierResolver], orphanedTypes: [Person, Petition, PetitionWarning] },
        {
          // Every region answers for any person: with the records it holds about them.
          Person: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
          Petition: {
            __resolveReference: async (reference: { id: string }, ctx: PetitionsContext) => {
              const localId = localIdIfOwn(ctx.region, reference.id);
              const petition = localId ? await ctx.petitionById.load(localId) : undefined;
              return petition ? { id: petition.id, registeredAt: petition.registeredAt } : null;
            },
          },
          PetitionWarning: {
            __resolveReference: async (reference: { id: string }, ctx: PetitionsContext) => {
              const localId = localIdIfOwn(ctx.region, reference.id);
              const warning = localId ? await ctx.warningById.load(localId) : undefined;
              return warning ? { id: warning.id, raisedAt: warning.raisedAt } : null;
            },
          },
        },
        DOSSIER_ACCESS,
      ),
      DOSSIER_ACCESS,
    ),
  createContext: createPetitionsContext,
};
