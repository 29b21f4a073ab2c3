import type { ApolloServerPlugin } from '@apollo/server';
import {
  ArgumentNode,
  DocumentNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLSchema,
  isCompositeType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { collectFields, CollectOptions, fragmentsOf, STATIC } from './collect-fields';
import type { GatewayContext } from './request-budget';

/**
 * Early refusal: fields whose `@access` directive names roles (schema/routing-directives.ts)
 * are refused before planning when the caller holds none of them — no subgraph is asked for an
 * answer the caller could never get. Every other rule is the owning subgraph's, per record.
 */

/** "Type.field" → the roles of which a caller needs one, read from the supergraph. */
export function readRoleRules(supergraph: DocumentNode): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const access = field.directives?.find((d) => d.name.value === 'access');
      const roles = access?.arguments?.find((a: ArgumentNode) => a.name.value === 'roles');
      if (!roles) continue;
      const value = valueFromASTUntyped(roles.value) as string[] | null;
      if (value?.length) rules.set(`${definition.name.value}.${field.name.value}`, value);
    }
  }
  return rules;
}

export function earlyAccessPlugin(rules: Map<string, string[]>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          const caller = contextValue.auth?.caller;
          if (!caller || !operation || rules.size === 0) return;
          const refused = new Set<string>();
          for (const coordinate of selectedCoordinates(schema, document, operation)) {
            const roles = rules.get(coordinate);
            if (roles && !roles.some((role) => caller.roles.includes(role))) refused.add(`${coordinate} (needs ${roles.join(' or ')})`);
          }
          if (refused.size) {
            throw new GraphQLError(`This operation selects ${[...refused].join(', ')}; you hold ${caller.roles.join(', ') || 'no role'}`, {
              extensions: { code: 'FORBIDDEN', http: { status: 403 }, fields: [...refused].map((f) => f.split(' ')[0]) },
            });
          }
        },
      };
    },
  };
}

/** Per parsed document (Apollo keeps one per query text) and operation: the coordinates it selects. */
const coordinatesByDocument = new WeakMap<DocumentNode, { schema: GraphQLSchema; perOperation: Map<OperationDefinitionNode, string[]> }>();

/**
 * Every "Type.field" an operation may select, in order, whatever its variables (collect-fields.ts,
 * a static walk: a field left out by a literal `@skip`/`@include` is not selected, one behind a
 * variable is). Each field's selection set is walked once per type it is met on, so fragments
 * spread in many places cost no more than once each.
 */
export function selectedCoordinates(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string[] {
  let cached = coordinatesByDocument.get(document);
  if (!cached || cached.schema !== schema) coordinatesByDocument.set(document, (cached = { schema, perOperation: new Map() }));
  const { perOperation } = cached;
  const known = perOperation.get(operation);
  if (known) return known;
  const options: CollectOptions = { fragments: fragmentsOf(document), variables: STATIC };
  const coordinates = new Set<string>();
  const walked = new Set<string>();
  const walkedIds = new Map<SelectionSetNode, number>();
  let nextId = 0;
  const walk = (selectionSets: readonly SelectionSetNode[], type: GraphQLCompositeType) => {
    for (const fields of collectFields(selectionSets, type.name, options).values()) {
      for (const { node, parentType } of fields) {
        const writtenOn = parentType === type.name ? type : schema.getType(parentType);
        if (!writtenOn || !isCompositeType(writtenOn)) continue;
        coordinates.add(`${writtenOn.name}.${node.name.value}`);
        if (!node.selectionSet || isUnionType(writtenOn)) continue;
        const definition = writtenOn.getFields()[node.name.value];
        const inner = definition && getNamedType(definition.type);
        if (!inner || !isCompositeType(inner)) continue;
        let id = walkedIds.get(node.selectionSet);
        if (id === undefined) walkedIds.set(node.selectionSet, (id = nextId++));
        const key = `${inner.name}\u0000${id}`;
        if (walked.has(key)) continue;
        walked.add(key);
        walk([node.selectionSet], inner);
      }
    }
  };
  const rootType = schema.getRootType(operation.operation);
  if (rootType) walk([operation.selectionSet], rootType);
  const result = [...coordinates];
  perOperation.set(operation, result);
  return result;
}
