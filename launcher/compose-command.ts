import { writeFileSync } from 'node:fs';
import { apiSchemaSdl } from '../schema/api-schema';
import { composeSupergraph, readSupergraphConfig } from '../schema/compose';
import { BUILTIN_SUBGRAPHS, printBuiltinSdl, subgraphSdlFile } from './builtin-subgraphs';

export interface ComposeResult {
  supergraphSdl: string;
  /** The client-facing schema (schema/api.graphql). */
  apiSdl: string;
  subgraphSdls: Map<string, string>;
}

/**
 * Regenerates each built-in subgraph's SDL file from its code, then composes every subgraph
 * listed in the configuration (built-in or not) into one supergraph.
 */
export async function composeFromCode(configFile: string, options: { write: boolean; out?: string; apiOut?: string }): Promise<ComposeResult> {
  const subgraphSdls = new Map<string, string>();
  const printedByName = new Map<string, string>();
  for (const module of BUILTIN_SUBGRAPHS) {
    const sdl = await printBuiltinSdl(module);
    subgraphSdls.set(subgraphSdlFile(module), sdl);
    printedByName.set(module.name, sdl);
  }
  if (options.write) for (const [file, sdl] of subgraphSdls) writeFileSync(file, sdl);
  const { subgraphs } = readSupergraphConfig(configFile);
  // Read the freshly printed SDL even when nothing is written, so a check sees the code's truth.
  for (const subgraph of subgraphs) {
    const printed = printedByName.get(subgraph.name);
    if (printed) subgraph.typeDefs = printed;
  }
  const supergraphSdl = composeSupergraph(subgraphs);
  const apiSdl = apiSchemaSdl(supergraphSdl);
  if (options.write && options.out) writeFileSync(options.out, supergraphSdl);
  if (options.write && options.apiOut) writeFileSync(options.apiOut, apiSdl);
  return { supergraphSdl, apiSdl, subgraphSdls };
}
