import { ArgumentNode, DirectiveNode, DocumentNode, FieldDefinitionNode, Kind, ObjectTypeDefinitionNode, TypeNode, print, valueFromASTUntyped } from 'graphql';

/**
 * How each root field of a regional subgraph is served, read from the composed directives in
 * the supergraph (see schema/routing-directives.ts). Checked once at start-up, so that a
 * subgraph declaring something the router cannot honour stops the gateway with a message
 * naming the field, instead of failing on the first request.
 */
export type RootFieldRule =
  | {
      kind: 'fanOut';
      subgraph: string;
      sortKey: string;
      descending: boolean;
      /** Value of `first` when the caller gives none (the argument's default in the schema). */
      defaultFirst: number | undefined;
      connectionType: string;
      pageInfoType: string;
      /** Declared types of `first` and `after`, for the variables the router substitutes. */
      firstType: string;
      afterType: string;
    }
  | { kind: 'routeBy'; subgraph: string; argumentPath: string[] };

export type FanOutRule = Extract<RootFieldRule, { kind: 'fanOut' }>;

export interface RoutingRules {
  /** Keyed by "Query.field" / "Mutation.field". */
  rootFields: Map<string, RootFieldRule>;
  /** Entity fields that fan out, keyed by "Type.field". */
  entityFields: Map<string, FanOutRule>;
  /** Fields whose records may live in another region (`@crossRegion`), keyed by "Type.field". */
  crossRegionFields: Map<string, CrossRegionRule>;
  /** The named type every object field returns, keyed by "Type.field": for walking operations. */
  fieldTypes: Map<string, string>;
}

export interface CrossRegionRule {
  subgraph: string;
  /** The entity type the field returns, and the fields of its key in that subgraph. */
  typeName: string;
  keyFields: string[];
}

export class RoutingRulesError extends Error {
  constructor(problems: string[]) {
    super(`The supergraph declares routing the gateway cannot serve:\n  ${problems.join('\n  ')}`);
    this.name = 'RoutingRulesError';
  }
}

const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
const argumentValue = (directive: DirectiveNode, name: string): unknown => {
  const argument = directive.arguments?.find((a: ArgumentNode) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value) : undefined;
};

export function readRoutingRules(supergraph: DocumentNode, regionalSubgraphs: readonly string[]): RoutingRules {
  const objects = new Map<string, ObjectTypeDefinitionNode>();
  const graphNames = new Map<string, string>(); // join__Graph enum value → subgraph name
  const rootTypes: Record<string, string> = { query: 'Query', mutation: 'Mutation' };
  for (const definition of supergraph.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const existing = objects.get(definition.name.value);
      objects.set(definition.name.value, {
        ...(definition as ObjectTypeDefinitionNode),
        kind: Kind.OBJECT_TYPE_DEFINITION,
        fields: [...(existing?.fields ?? []), ...(definition.fields ?? [])],
        directives: [...(existing?.directives ?? []), ...(definition.directives ?? [])],
      });
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        if (graph) graphNames.set(value.name.value, String(argumentValue(graph, 'name')));
      }
    } else if (definition.kind === Kind.SCHEMA_DEFINITION) {
      for (const operation of definition.operationTypes) rootTypes[operation.operation] = operation.type.name.value;
    }
  }

  const problems: string[] = [];
  const rootFields = new Map<string, RootFieldRule>();
  const graphsOf = (type: ObjectTypeDefinitionNode, field: FieldDefinitionNode): string[] => {
    const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
    const source = joins.length ? joins : (type.directives ?? []).filter((d) => d.name.value === 'join__type');
    return source.map((d) => graphNames.get(String(argumentValue(d, 'graph'))) ?? String(argumentValue(d, 'graph')));
  };

  const fanOutRule = (where: string, subgraph: string, field: FieldDefinitionNode, fanOut: DirectiveNode): FanOutRule | undefined => {
    const sortKey = String(argumentValue(fanOut, 'sortKey'));
    const connectionType = named(field.type);
    const connection = objects.get(connectionType);
    const edgesField = connection?.fields?.find((f) => f.name.value === 'edges');
    const pageInfoField = connection?.fields?.find((f) => f.name.value === 'pageInfo');
    const edge = edgesField && objects.get(named(edgesField.type));
    const nodeField = edge?.fields?.find((f) => f.name.value === 'node');
    const node = nodeField && objects.get(named(nodeField.type));
    const firstArgument = field.arguments?.find((a) => a.name.value === 'first');
    if (!edgesField || !pageInfoField || !edge?.fields?.some((f) => f.name.value === 'cursor') || !node) {
      problems.push(
        `${where} (subgraph ${subgraph}): @fanOut needs a connection type with edges { cursor node } and pageInfo, but ${connectionType} is not one`,
      );
    } else if (!node.fields?.some((f) => f.name.value === sortKey)) {
      problems.push(`${where} (subgraph ${subgraph}): @fanOut sortKey "${sortKey}" is not a field of ${node.name.value}`);
    } else if (!firstArgument || !field.arguments?.some((a) => a.name.value === 'after')) {
      problems.push(`${where} (subgraph ${subgraph}): @fanOut needs the arguments first and after`);
    } else {
      const defaultFirst = firstArgument.defaultValue ? Number(valueFromASTUntyped(firstArgument.defaultValue)) : undefined;
      return {
        kind: 'fanOut',
        subgraph,
        sortKey,
        descending: argumentValue(fanOut, 'descending') !== false,
        defaultFirst,
        connectionType,
        pageInfoType: named(pageInfoField.type),
        firstType: print(firstArgument.type),
        afterType: print(field.arguments!.find((a) => a.name.value === 'after')!.type),
      };
    }
    return undefined;
  };

  for (const operation of ['query', 'mutation'] as const) {
    const typeName = rootTypes[operation];
    const type = objects.get(typeName);
    if (!type) continue;
    for (const field of type.fields ?? []) {
      const where = `${typeName}.${field.name.value}`;
      const regional = graphsOf(type, field).filter((graph) => regionalSubgraphs.includes(graph));
      if (regional.length === 0) continue;
      const subgraph = regional[0];
      const fanOut = field.directives?.find((d) => d.name.value === 'fanOut');
      const routeBy = field.directives?.find((d) => d.name.value === 'routeBy');
      if (regional.length > 1) {
        problems.push(`${where} is resolved by several regional subgraphs (${regional.join(', ')}); a root field must have one owner`);
      } else if (fanOut && routeBy) {
        problems.push(`${where} (subgraph ${subgraph}) declares both @fanOut and @routeBy; choose one`);
      } else if (routeBy) {
        const path = String(argumentValue(routeBy, 'argument') ?? '').split('.');
        if (!field.arguments?.some((a) => a.name.value === path[0])) {
          problems.push(`${where} (subgraph ${subgraph}): @routeBy names argument "${path[0]}", which the field does not take`);
        }
        rootFields.set(where, { kind: 'routeBy', subgraph, argumentPath: path });
      } else if (fanOut) {
        if (operation !== 'query') {
          problems.push(`${where} (subgraph ${subgraph}): @fanOut is for queries; a mutation writes to one region (@routeBy)`);
          continue;
        }
        const rule = fanOutRule(where, subgraph, field, fanOut);
        if (rule) rootFields.set(where, rule);
      } else {
        problems.push(`${where} (subgraph ${subgraph}) belongs to a regional subgraph but declares neither @fanOut (ask every region) nor @routeBy (ask one)`);
      }
    }
  }
  // Fields of entity types may fan out too (a person's petitions in every region): the gateway
  // then sends the entity fetch to every region and merges each entity's pages.
  const entityFields = new Map<string, FanOutRule>();
  const crossRegionFields = new Map<string, CrossRegionRule>();
  const fieldTypes = new Map<string, string>();
  const rootTypeNames = new Set(Object.values(rootTypes));
  for (const type of objects.values()) {
    for (const field of type.fields ?? []) fieldTypes.set(`${type.name.value}.${field.name.value}`, named(field.type));
    if (rootTypeNames.has(type.name.value)) continue;
    for (const field of type.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === 'crossRegion')) {
        const where = `${type.name.value}.${field.name.value}`;
        const regional = graphsOf(type, field).filter((graph) => regionalSubgraphs.includes(graph));
        if (regional.length === 0) continue;
        const target = objects.get(named(field.type));
        const graphEnum = [...graphNames].find(([, name]) => name === regional[0])?.[0];
        const join = target?.directives?.find(
          (d) => d.name.value === 'join__type' && String(argumentValue(d, 'graph')) === graphEnum && argumentValue(d, 'key'),
        );
        if (!target || !join) {
          problems.push(`${where} (subgraph ${regional[0]}): @crossRegion needs an entity type with a key in that subgraph, but ${named(field.type)} has none`);
        } else {
          const keyFields = String(argumentValue(join, 'key')).split(/\s+/).filter(Boolean);
          crossRegionFields.set(where, { subgraph: regional[0], typeName: target.name.value, keyFields });
        }
        continue;
      }
      const fanOut = field.directives?.find((d) => d.name.value === 'fanOut');
      if (!fanOut) continue;
      const where = `${type.name.value}.${field.name.value}`;
      const regional = graphsOf(type, field).filter((graph) => regionalSubgraphs.includes(graph));
      if (regional.length === 0) continue; // served as stock Apollo Gateway would: one endpoint, nothing to merge
      if (regional.length > 1) {
        problems.push(`${where} is resolved by several regional subgraphs (${regional.join(', ')}); a fanned-out field must have one owner`);
        continue;
      }
      const rule = fanOutRule(where, regional[0], field, fanOut);
      if (rule) entityFields.set(where, rule);
    }
  }
  if (problems.length) throw new RoutingRulesError(problems);
  return { rootFields, entityFields, crossRegionFields, fieldTypes };
}
