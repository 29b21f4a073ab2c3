import { ConstDirectiveNode, DocumentNode, Kind, parse, print, visit } from 'graphql';

/**
 * The supergraph as the hub's query planner sees it. Apollo's planner may return to a subgraph
 * (for a `@requires` input, say) through a key that subgraph declares with `resolvable: false`;
 * the subgraph then cannot find the entity and the answer is lost ("Cannot return null for
 * non-nullable field"). Where the subgraph also has a resolvable key for the type, its
 * non-resolvable keys add nothing the planner needs (jumps out of it go by the other
 * subgraphs' resolvable keys), so they are left out here and the planner can only use the
 * resolvable one. A type whose keys in a subgraph are all non-resolvable keeps them: they are
 * what makes it an entity reference there.
 */
export function plannerSupergraphSdl(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  let changed = false;
  const edited = visit(document, {
    enter(node) {
      if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.INTERFACE_TYPE_DEFINITION) return undefined;
      const directives = node.directives ?? [];
      const resolvableIn = new Set<string>();
      for (const directive of directives) if (isKey(directive) && resolvable(directive)) resolvableIn.add(graphOf(directive));
      const kept = directives.filter((directive) => !(isKey(directive) && !resolvable(directive) && resolvableIn.has(graphOf(directive))));
      if (kept.length === directives.length) return false;
      changed = true;
      return { ...node, directives: kept };
    },
  }) as DocumentNode;
  return changed ? print(edited) : supergraphSdl;
}

const argument = (directive: ConstDirectiveNode, name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
const isKey = (directive: ConstDirectiveNode) => directive.name.value === 'join__type' && argument(directive, 'key') !== undefined;
const resolvable = (directive: ConstDirectiveNode) => {
  const value = argument(directive, 'resolvable');
  return !(value?.kind === Kind.BOOLEAN && value.value === false);
};
const graphOf = (directive: ConstDirectiveNode) => {
  const value = argument(directive, 'graph');
  return value?.kind === Kind.ENUM ? value.value : '';
};
