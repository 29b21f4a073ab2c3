import { printSubgraphSchema } from '@apollo/subgraph';
import { directorySubgraph } from '../subgraphs/directory';
import { enforcementSubgraph } from '../subgraphs/enforcement';
import { personnelSubgraph } from '../subgraphs/personnel';
import { petitionsSubgraph } from '../subgraphs/petitions';
import { dossierSubgraph } from '../subgraphs/petitions/dossier';
import { repoPath } from '../subgraphs/shared/repo-path';
import type { SubgraphModule } from '../subgraphs/shared/subgraph-module';

/** The subgraphs this repository ships. The hub-owned directory comes first. */
export const BUILTIN_SUBGRAPHS: readonly SubgraphModule[] = [directorySubgraph, petitionsSubgraph, dossierSubgraph, enforcementSubgraph, personnelSubgraph];

export function subgraphSdlFile(module: SubgraphModule): string {
  return module.schemaFile ?? repoPath('subgraphs', module.name, 'schema.graphql');
}

/** The SDL a subgraph's code declares, as `supergraph.yaml` expects to find it in its schema file. */
export async function printBuiltinSdl(module: SubgraphModule): Promise<string> {
  return `# Generated from the code by \`yrd-hub compose\`; do not edit.\n${printSubgraphSchema(await module.buildSchema())}\n`;
}
