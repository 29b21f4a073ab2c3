import { buildFederatedSchema } from '../shared/federated-schema';
import { repoPath } from '../shared/repo-path';
import type { SubgraphModule } from '../shared/subgraph-module';
import { createDirectoryContext, DirectoryContext } from './context';
import { SharingAgreementResolver } from './agreement-resolver';
import { AuditCheckpointResolver } from './audit-checkpoint-resolver';
import { JurisdictionResolver, RegionResolver } from './directory-resolver';
import { ResidentIndexResolver } from './resident-index-resolver';
import { DIRECTORY_ACCESS } from './directory-access-rules';
import { seedDirectory } from './seed';
import { withPermissions } from '../shared/permissions';

export const directorySubgraph: SubgraphModule = {
  name: 'directory',
  regional: false,
  migrationsFolder: repoPath('subgraphs', 'directory', 'migrations'),
  buildSchema: async () =>
    withPermissions(
      await buildFederatedSchema(
        { resolvers: [JurisdictionResolver, RegionResolver, SharingAgreementResolver, AuditCheckpointResolver, ResidentIndexResolver] },
        {
          Jurisdiction: {
            __resolveReference: (reference: { code: string }, ctx: DirectoryContext) => ctx.jurisdictionByCode.load(reference.code),
          },
        },
        DIRECTORY_ACCESS,
      ),
      DIRECTORY_ACCESS,
    ),
  createContext: createDirectoryContext,
  seed: seedDirectory,
};
