import { localIdIfOwn } from '../shared/local-id';
import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { RegionContext } from '../shared/context';
import type { SubgraphModule } from '../shared/subgraph-module';
import { createEnforcementContext, EnforcementContext } from './context';
import { FollowUpMutations } from './follow-up-mutations';
import { InspectionMutations } from './inspection-mutations';
import { InspectionResolver } from './inspection-resolver';
import { ParticipantResolver } from './participant-resolver';
import { startRelay } from './relay';
import { seedEnforcement } from './seed';
import { TaskMutations } from './task-mutations';
import { TaskResolver } from './task-resolver';
import { ENFORCEMENT_ACCESS } from './enforcement-access-rules';
import { withPermissions } from '../shared/permissions';

/** Entities resolve only in the region that owns them; any other region answers null. */
const referenceResolvers = {
  Inspection: {
    __resolveReference: async (reference: { id: string }, ctx: EnforcementContext) => {
      const localId = localIdIfOwn(ctx.region, reference.id);
      return localId ? ((await ctx.inspectionById.load(localId)) ?? null) : null;
    },
  },
  InspectionTask: {
    __resolveReference: async (reference: { id: string }, ctx: EnforcementContext) => {
      const localId = localIdIfOwn(ctx.region, reference.id);
      return localId ? ((await ctx.taskById.load(localId)) ?? null) : null;
    },
  },
};

export const enforcementSubgraph: SubgraphModule = {
  name: 'enforcement',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'enforcement', 'migrations'),
  buildSchema: async () => {
    const resolvers = [InspectionResolver, InspectionMutations, FollowUpMutations, ParticipantResolver, TaskResolver, TaskMutations] as const;
    return withPermissions(await buildFederatedSchema({ resolvers }, referenceResolvers, ENFORCEMENT_ACCESS), ENFORCEMENT_ACCESS);
  },
  createContext: createEnforcementContext,
  // Deliveries and status reports that could not be sent when their change committed, and
  // follow-ups of findings whose rectification deadline passed.
  startBackground: (context, { intervalMs }) => startRelay(context as RegionContext, intervalMs),
  seed: seedEnforcement,
};
