import { localIdIfOwn } from '../shared/local-id';
import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { createPetitionsContext, PetitionsContext } from './context';
import { PetitionMutations } from './petition-mutations';
import { ForwardingMutations } from './forwarding-mutations';
import { startPetitionRelay } from './forwarding-relay';
import { PetitionResolver } from './petition-resolver';
import { seedPetitions } from './seed';
import { PetitionWarningResolver } from './warning-resolver';
import { startDeadlineSweeper } from './warning-rules';
import { PETITIONS_ACCESS } from './petition-access-rules';
import { withPermissions } from '../shared/permissions';
import type { RegionContext } from '../shared/context';
import { runPeriodically } from '../shared/periodic';
import { pruneFeed, retentionDays } from './warning-feed';
import { WarningFeedStreams } from './warning-feed-stream';
import { NatsFeedPublisher } from './warning-feed-nats';
import { natsPrefix } from '../../platform/nats-subjects';
import { readOnlyRoute } from '../../platform/apollo-http';

export const petitionsSubgraph: SubgraphModule = {
  name: 'petitions',
  regional: true,
  migrationsFolder: repoPath('subgraphs', 'petitions', 'migrations'),
  buildSchema: async () =>
    withPermissions(
      await buildFederatedSchema(
        { resolvers: [PetitionResolver, PetitionMutations, ForwardingMutations, PetitionWarningResolver] },
        {
          PetitionWarning: {
            __resolveReference: (reference: { id: string }, ctx: PetitionsContext) => {
              const localId = localIdIfOwn(ctx.region, reference.id);
              return localId ? ctx.warningById.load(localId) : null;
            },
          },
          Petition: {
            __resolveReference: (reference: { id: string }, ctx: PetitionsContext) => {
              const localId = localIdIfOwn(ctx.region, reference.id);
              return localId ? ctx.petitionById.load(localId) : null;
            },
          },
        },
        PETITIONS_ACCESS,
      ),
      PETITIONS_ACCESS,
    ),
  createContext: createPetitionsContext,
  startBackground: (context, { intervalMs }) => {
    const sweeper = startDeadlineSweeper(context.db, intervalMs);
    // Forwarded petitions and status reports that could not be sent when their step committed.
    const relay = startPetitionRelay(context, intervalMs);
    const retention = retentionDays();
    const pruner = runPeriodically('petitions warning feed retention', intervalMs, () => pruneFeed(context.db, retention));
    return { stop: async () => void (await Promise.all([sweeper.stop(), pruner.stop(), relay.stop()])) };
  },
  // The gateway relays each region's warning feed to subscribers: it reads it here, over
  // HTTP, and with NATS_URL set hears of new events through NATS JetStream.
  httpRoutes: (context, verifier) => {
    const region = (context as RegionContext).region;
    const streams = new WarningFeedStreams(context.db, region, verifier);
    const publisher = process.env.NATS_URL ? new NatsFeedPublisher(context.db, region, process.env.NATS_URL, natsPrefix()) : undefined;
    publisher?.start();
    return {
      handlers: { '/petitions/warning-feed': readOnlyRoute(streams.handle) },
      stop: async () => void (await Promise.all([streams.stop(), publisher?.stop()])),
    };
  },
  seed: seedPetitions,
};
