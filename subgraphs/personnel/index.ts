import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { AuditResolver } from './audit-resolver';
import { createPersonnelContext, PersonnelContext } from './context';
import { localIdIfOwn } from '../shared/local-id';
import { OfficerMutations } from './officer-mutations';
import { OfficerResolver } from './officer-resolver';
import { PersonMoveMutations } from './person-move-mutations';
import { ResidentClaimMutations } from './resident-claim-mutations';
import { indexEarlierPersons } from './resident-index-link';
import { settleStalePendingMoves } from './move-settlement';
import { runPeriodically } from '../shared/periodic';
import type { RegionContext } from '../shared/context';
import { PersonMutations } from './person-mutations';
import { PersonResolver } from './person-resolver';
import { personMasking } from './person-permissions';
import { PERSON_PERSONAL, PERSONNEL_ACCESS } from './person-access-rules';
import { seedPersonnel } from './seed';
import { withPermissions } from '../shared/permissions';

export const personnelSubgraph: SubgraphModule = {
  name: 'personnel',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'personnel', 'migrations'),
  buildSchema: async () => {
    const schema = await buildFederatedSchema(
      { resolvers: [PersonResolver, PersonMutations, PersonMoveMutations, ResidentClaimMutations, OfficerResolver, OfficerMutations, AuditResolver] },
      {
        // Through loaders: an `_entities` request for 1 or 50 references costs one statement.
        Person: {
          __resolveReference: (reference: { id: string }, ctx: PersonnelContext) => {
            const localId = localIdIfOwn(ctx.region, reference.id);
            return localId ? ctx.personById.load(localId) : null;
          },
        },
        Officer: {
          __resolveReference: (reference: { id: string }, ctx: PersonnelContext) => {
            const localId = localIdIfOwn(ctx.region, reference.id);
            return localId ? ctx.officerById.load(localId) : null;
          },
        },
      },
      PERSONNEL_ACCESS,
    );
    return withPermissions(schema, PERSONNEL_ACCESS, personMasking(schema, PERSON_PERSONAL.name));
  },
  createContext: createPersonnelContext,
  // Records older than the hub's resident index (demo data among them) are entered in it, and
  // records moved here whose old region's word on the move was lost are settled by asking it.
  startBackground: (context, { intervalMs }) =>
    runPeriodically('personnel resident index', intervalMs, async () => {
      try {
        await indexEarlierPersons(context as RegionContext);
      } finally {
        await settleStalePendingMoves(context as RegionContext);
      }
    }),
  seed: seedPersonnel,
};
