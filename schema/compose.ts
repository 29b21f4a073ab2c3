import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { z } from 'zod';
import { ConfigError, readConfigFile } from '../platform/config-file';

/** `supergraph.yaml` in Rover's format. */
const supergraphConfigSchema = z.object({
  federation_version: z.union([z.string(), z.number()]).optional(),
  subgraphs: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'subgraph names are letters, digits, - and _'),
      z.object({
        routing_url: z.url({ message: 'must be an http(s) URL' }),
        schema: z.object({ file: z.string().min(1, 'must name an SDL file') }),
      }),
    )
    .refine((subgraphs) => Object.keys(subgraphs).length > 0, 'lists no subgraph'),
});

export type SupergraphConfig = z.infer<typeof supergraphConfigSchema>;

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: string;
}

export function readSupergraphConfig(file: string): { config: SupergraphConfig; subgraphs: SubgraphSource[] } {
  const config = readConfigFile(file, supergraphConfigSchema);
  const subgraphs = Object.entries(config.subgraphs).map(([name, entry]) => {
    const sdlFile = path.resolve(path.dirname(file), entry.schema.file);
    try {
      return { name, url: entry.routing_url, typeDefs: readFileSync(sdlFile, 'utf8') };
    } catch (error) {
      throw new ConfigError(file, [`subgraphs.${name}.schema.file: cannot read ${sdlFile} (${(error as NodeJS.ErrnoException).code})`]);
    }
  });
  return { config, subgraphs };
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Composition failed:\n  ${problems.join('\n  ')}`);
    this.name = 'CompositionError';
  }
}

/** Composes subgraph SDLs into a supergraph SDL, or throws with every problem, each naming its subgraph. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const services = subgraphs.map((subgraph) => {
    try {
      return { name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.typeDefs) };
    } catch (error) {
      throw new CompositionError([`[${subgraph.name}] schema does not parse: ${(error as Error).message}`]);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => {
        const named = services.filter((s) => error.message.includes(`"${s.name}"`)).map((s) => s.name);
        const code = (error.extensions?.code as string | undefined) ?? 'COMPOSITION_ERROR';
        return `${named.length ? `[${named.join(', ')}] ` : ''}${code}: ${error.message}`;
      }),
    );
  }
  return result.supergraphSdl + '\n';
}
