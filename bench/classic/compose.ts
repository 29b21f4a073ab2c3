import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { ClassicData } from './data';
import { SUBGRAPH_NAMES, subgraphDefinitions, SubgraphName } from './subgraphs';

/** The classic supergraph, composed at start with @apollo/composition from the subgraphs' SDL and their URLs. */
export function composeClassic(data: ClassicData, urls: Record<SubgraphName, string>): string {
  const definitions = subgraphDefinitions(data);
  const result = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, typeDefs: parse(definitions[name].typeDefs), url: urls[name] })));
  if (result.errors?.length) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl!;
}
