import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { buildFederatedSchema } from '../shared/federated-schema';
import { createPetitionsContext } from './context';
import { seedPetitions } from './seed';
import { PetitionWarningResolver } from './warning-resolver';
import type { PetitionsContext } from './context';
import { parseGlobalId } from '../../auth/global-id';

export const petitionsSubgraph: SubgraphModule = {
  name: 'petitions',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'petitions', 'migrations'),
  buildSchema: () =>
    buildFederatedSchema(
      { resolvers: [PetitionWarningResolver] },
      {
        PetitionWarning: {
          __resolveReference: (reference: { id: string }, ctx: PetitionsContext) => {
            const parts = parseGlobalId(reference.id);
            return parts && parts.region === ctx.region ? ctx.warningById.load(parts.localId) : null;
          },
        },
      },
    ),
  createContext: createPetitionsContext,
  seed: seedPetitions,
};
