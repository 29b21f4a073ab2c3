import { parseGlobalId } from '../../auth/global-id';
import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { createPersonnelContext, PersonnelContext } from './context';
import { PersonResolver } from './person-resolver';
import { seedPersonnel } from './seed';

export const personnelSubgraph: SubgraphModule = {
  name: 'personnel',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'personnel', 'migrations'),
  buildSchema: () =>
    buildFederatedSchema(
      { resolvers: [PersonResolver] },
      {
        Person: {
          __resolveReference: (reference: { id: string }, ctx: PersonnelContext) => {
            const parts = parseGlobalId(reference.id);
            return parts && parts.region === ctx.region ? ctx.personById.load(parts.localId) : null;
          },
        },
      },
    ),
  createContext: createPersonnelContext,
  seed: seedPersonnel,
};
