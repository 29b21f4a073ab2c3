import { parseGlobalId } from '../../auth/global-id';
import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { createEnforcementContext, EnforcementContext } from './context';
import { InspectionResolver } from './inspection-resolver';
import { seedEnforcement } from './seed';

export const enforcementSubgraph: SubgraphModule = {
  name: 'enforcement',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'enforcement', 'migrations'),
  buildSchema: () =>
    buildFederatedSchema(
      { resolvers: [InspectionResolver] },
      {
        Inspection: {
          __resolveReference: (reference: { id: string }, ctx: EnforcementContext) => {
            const parts = parseGlobalId(reference.id);
            return parts && parts.region === ctx.region ? ctx.inspectionById.load(parts.localId) : null;
          },
        },
      },
    ),
  createContext: createEnforcementContext,
  seed: seedEnforcement,
};
