import type { Supergraph } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import {
  DocumentNode,
  FieldNode,
  getNamedType,
  getNullableType,
  GraphQLOutputType,
  GraphQLSchema,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import { collectFields, fragmentsOf, STATIC } from './collect-fields';
import { pruneUnusedDefinitions } from './operation-rewrite';

/**
 * A mutation whose requiring fields disagree (requires-conflicts.ts) is planned once per group of
 * agreeing requirements, as a query is, but it must run once. So the first plan runs the
 * mutation, with each root field's record keys added to its selection; in every later plan each
 * root fetch (the mutation again) becomes an entity fetch, by those keys and from the same
 * subgraph, of the same selection, for the records the first plan's mutation returned. The later
 * plans' own fetches then read their group's required values as for a query. Done once per
 * operation, when it is planned; where a root field's records cannot be fetched by key (no
 * object type, no resolvable key in its subgraph), the mutation is planned once, unsplit.
 */

interface RootRecord {
  /** The subgraph that resolves the mutation field, and its key of the returned type there. */
  subgraph: string;
  typeName: string;
  keyFields: readonly SelectionNode[];
  /** Lists around the record (`[Good]` → 1): the path's `@` steps. */
  listDepth: number;
}

const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

export class MutationReplans {
  constructor(
    private readonly supergraph: Supergraph,
    private readonly apiSchema: GraphQLSchema,
  ) {}

  /**
   * The plans of the copies, the first with keys added, the later ones reading by key; undefined
   * when some root field's records cannot be read by key. `planOf` plans one copy.
   */
  plans(copies: readonly DocumentNode[], planOf: (document: DocumentNode) => QueryPlan): QueryPlan[] | undefined {
    const [first, ...later] = copies;
    const operation = first.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const mutationType = this.apiSchema.getMutationType();
    // Keys are added to root fields written as fields (not through fragments), where the first plan puts them.
    if (!operation || !mutationType || operation.selectionSet.selections.some((selection) => selection.kind !== Kind.FIELD)) return undefined;
    const records = new Map<string, RootRecord>();
    for (const [key, fields] of collectFields(operation.selectionSet, mutationType.name, { fragments: fragmentsOf(first), variables: STATIC })) {
      const name = fields[0].node.name.value;
      if (name === '__typename') continue;
      const type = mutationType.getFields()[name]?.type;
      if (type && isLeafType(getNamedType(type))) continue; // a later copy never selects it (nothing there requires)
      const record = this.rootRecord(name, type);
      if (!record) return undefined;
      records.set(key, record);
    }
    const plans = [planOf(withKeys(first, records))];
    for (const copy of later) {
      const plan = planOf(copy);
      const node = plan.node && readByKey(plan.node as PlanNode, records);
      if (node === undefined) return undefined;
      plans.push({ ...plan, node: node ?? undefined });
    }
    return plans;
  }

  private rootRecord(fieldName: string, type: GraphQLOutputType | undefined): RootRecord | undefined {
    let listDepth = 0;
    let inner = type && getNullableType(type);
    while (inner && isListType(inner)) {
      listDepth++;
      inner = getNullableType(inner.ofType);
    }
    if (!inner || !isObjectType(inner)) return undefined;
    for (const subgraph of this.supergraph.subgraphs().values()) {
      if (!subgraph.schema.schemaDefinition.rootType('mutation')?.field(fieldName)) continue;
      const type = subgraph.schema.type(inner.name);
      if (!type) return undefined;
      const key = type
        .appliedDirectivesOf(subgraph.metadata().keyDirective())
        .map((directive) => directive.arguments() as { fields: string; resolvable?: boolean })
        .find((args) => args.resolvable !== false);
      if (!key) return undefined;
      const keyOperation = parse(`{${key.fields}}`).definitions[0] as OperationDefinitionNode;
      return { subgraph: subgraph.name, typeName: inner.name, keyFields: keyOperation.selectionSet.selections, listDepth };
    }
    return undefined;
  }
}

/** The first copy: each root field also selects its record's `__typename` and key. */
function withKeys(document: DocumentNode, records: ReadonlyMap<string, RootRecord>): DocumentNode {
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
      const selections = definition.selectionSet.selections.map((selection) => {
        const record = selection.kind === Kind.FIELD ? records.get(selection.alias?.value ?? selection.name.value) : undefined;
        if (selection.kind !== Kind.FIELD || !record || !selection.selectionSet) return selection;
        return { ...selection, selectionSet: { ...selection.selectionSet, selections: [...selection.selectionSet.selections, typename, ...record.keyFields] } };
      });
      return { ...definition, selectionSet: { ...definition.selectionSet, selections } };
    }),
  };
}

/** A later copy's plan with its mutation fetches read by key; undefined when one cannot be. */
function readByKey(node: PlanNode, records: ReadonlyMap<string, RootRecord>): PlanNode | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel': {
      const nodes: PlanNode[] = [];
      for (const child of node.nodes) {
        const replaced = readByKey(child, records);
        if (!replaced) return undefined;
        nodes.push(replaced);
      }
      return { ...node, nodes } as PlanNode;
    }
    case 'Fetch':
      return node.operationKind === OperationTypeNode.MUTATION ? entityFetches(node, records) : node;
    case 'Condition': {
      const ifClause = node.ifClause && readByKey(node.ifClause, records);
      const elseClause = node.elseClause && readByKey(node.elseClause, records);
      if ((node.ifClause && !ifClause) || (node.elseClause && !elseClause)) return undefined;
      return { ...node, ifClause, elseClause };
    }
    default:
      return node; // below the root: the copy's own reads
  }
}

/** One mutation fetch of a later copy as entity fetches, one per root field, of the records the first plan returned. */
function entityFetches(fetch: FetchNode, records: ReadonlyMap<string, RootRecord>): PlanNode | undefined {
  const document = fetch.operationDocumentNode ?? parse(fetch.operation);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return undefined;
  const nodes: PlanNode[] = [];
  for (const [key, fields] of collectFields(operation.selectionSet, 'Mutation', { fragments: fragmentsOf(document), variables: STATIC })) {
    if (fields[0].node.name.value === '__typename') continue;
    const record = records.get(key);
    if (!record || record.subgraph !== fetch.serviceName) return undefined;
    const selections = fields.flatMap(({ node }) => node.selectionSet?.selections ?? []);
    const entities = entitiesOperation(document, operation, record.typeName, { kind: Kind.SELECTION_SET, selections });
    const requires: QueryPlanSelectionNode[] = [
      { kind: 'InlineFragment', typeCondition: record.typeName, selections: [{ kind: 'Field', name: '__typename' }, ...planSelections(record.keyFields)] },
    ];
    const variableUsages = (entities.definitions[0] as OperationDefinitionNode)
      .variableDefinitions!.map((d) => d.variable.name.value)
      .filter((name) => name !== 'representations');
    const read: FetchNode = {
      kind: 'Fetch',
      serviceName: fetch.serviceName,
      variableUsages,
      requires,
      operation: print(entities),
      operationName: undefined,
      operationKind: OperationTypeNode.QUERY,
      operationDocumentNode: entities,
    };
    nodes.push({ kind: 'Flatten', path: [key, ...Array<string>(record.listDepth).fill('@')], node: read });
  }
  return { kind: 'Sequence', nodes };
}

function entitiesOperation(document: DocumentNode, operation: OperationDefinitionNode, typeName: string, selectionSet: SelectionSetNode): DocumentNode {
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    variableDefinitions: [
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: name('representations') },
        type: {
          kind: Kind.NON_NULL_TYPE,
          type: { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('_Any') } } },
        },
      },
      ...(operation.variableDefinitions ?? []),
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          name: name('_entities'),
          arguments: [{ kind: Kind.ARGUMENT, name: name('representations'), value: { kind: Kind.VARIABLE, name: name('representations') } }],
          selectionSet: {
            kind: Kind.SELECTION_SET,
            selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: name(typeName) }, selectionSet }],
          },
        },
      ],
    },
  };
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return pruneUnusedDefinitions({ kind: Kind.DOCUMENT, definitions: [query, ...fragments] });
}

/** A key's field set as the plan's `requires` selections. */
function planSelections(selections: readonly SelectionNode[]): QueryPlanSelectionNode[] {
  return selections.flatMap((selection): QueryPlanSelectionNode[] =>
    selection.kind === Kind.FIELD
      ? [{ kind: 'Field', name: selection.name.value, ...(selection.selectionSet ? { selections: planSelections(selection.selectionSet.selections) } : {}) }]
      : [],
  );
}
