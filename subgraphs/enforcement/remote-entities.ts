import DataLoader from 'dataloader';
import {
  ASTNode,
  defaultFieldResolver,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLResolveInfo,
  GraphQLSchema,
  isObjectType,
  Kind,
  print,
  SelectionSetNode,
  visit,
} from 'graphql';
import { parseGlobalId } from '../../auth/global-id';
import { hubError } from '../shared/errors';
import type { HubLink } from '../shared/hub-link';

/**
 * References between records of this subgraph in different regions: a participant's task in
 * the participant's region, a task's inspection in the lead region.
 *
 * Why this exists: the query planner sees one enforcement subgraph, so it never leaves it to
 * resolve `participants { task { … } }` — it asks the lead region for the whole selection. The
 * lead region therefore forwards the selection under such a field, as it received it, to the
 * region that owns the record, through the gateway (the only road between regions), and
 * returns that region's answer. All references of one request with the same selection go in one
 * operation, one root field per owning region, so the cost does not grow with the list.
 *
 * The answer is already resolved, field by field, under the caller's response keys;
 * `answerFromOwners` makes every resolver of the schema hand those values back instead of
 * computing them again from a database that does not hold the record.
 */

const OWNER_ANSWER = Symbol('resolved by the owning region');

function markOwnerAnswer<T>(value: T): T {
  if (Array.isArray(value)) value.forEach(markOwnerAnswer);
  else if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(markOwnerAnswer);
    Object.defineProperty(value, OWNER_ANSWER, { value: true });
  }
  return value;
}

/**
 * Wraps every field resolver of `schema`: a field of a record resolved by its owning region is
 * read from that answer, under its response key. A plain synchronous check, so that fields of
 * local records cost no more than before.
 */
export function answerFromOwners(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (root, args, context, info) =>
        root !== null && typeof root === 'object' && (root as Record<symbol, unknown>)[OWNER_ANSWER]
          ? (root as Record<string, unknown>)[info.path.key as string]
          : resolve(root, args, context, info);
    }
  }
  return schema;
}

/** The part of a selection that depends on the document only, cached per field of a parsed document. */
interface ForwardedShape {
  selection: string;
  fragments: string;
  variableDefinitions: string[];
  variableNames: string[];
}

interface Forwarded extends ForwardedShape {
  variables: Record<string, unknown>;
  key: string;
}

const shapes = new WeakMap<readonly FieldNode[], ForwardedShape>();

function shapeOf(info: GraphQLResolveInfo): ForwardedShape {
  const cached = shapes.get(info.fieldNodes);
  if (cached) return cached;
  const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []) };
  const fragments = new Map<string, FragmentDefinitionNode>();
  const variables = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = info.fragments[spread.name.value];
        if (fragment && !fragments.has(spread.name.value)) {
          fragments.set(spread.name.value, fragment);
          collect(fragment);
        }
      },
      Variable(variable) {
        variables.add(variable.name.value);
      },
    });
  collect(selectionSet);
  const definitions = (info.operation.variableDefinitions ?? []).filter((definition) => variables.has(definition.variable.name.value));
  const shape = {
    selection: print(selectionSet),
    fragments: [...fragments.values()].map((fragment) => print(fragment)).join('\n'),
    variableDefinitions: definitions.map((definition) => print(definition)),
    variableNames: definitions.map((definition) => definition.variable.name.value),
  };
  shapes.set(info.fieldNodes, shape);
  return shape;
}

function forwarded(info: GraphQLResolveInfo): Forwarded {
  const shape = shapeOf(info);
  const variables = Object.fromEntries(shape.variableNames.map((name) => [name, info.variableValues[name]]));
  return { ...shape, variables, key: `${shape.selection}\n${shape.fragments}\n${JSON.stringify(variables)}` };
}

interface RemoteKey {
  id: string;
  forwarded: Forwarded;
}

type Answer = object | null | GraphQLError;

const READ_TIMEOUT_MS = 2500;

/**
 * Loads records of other regions through `rootField(region: String!, ids: [ID!]!)`, a field
 * routed by region that returns the records in the order asked.
 */
export function remoteEntityLoader(hub: HubLink, rootField: string, headers: Record<string, string>) {
  const cacheKey = (key: RemoteKey) => `${key.id}\n${key.forwarded.key}`;
  const loader = new DataLoader<RemoteKey, Answer, string>(
    async (keys) => {
      const answers = new Map<string, Answer>();
      const groups = new Map<string, RemoteKey[]>();
      for (const key of keys) groups.set(key.forwarded.key, [...(groups.get(key.forwarded.key) ?? []), key]);
      await Promise.all([...groups.values()].map((group) => fetchGroup(hub, rootField, headers, group, answers, cacheKey)));
      return keys.map((key) => answers.get(cacheKey(key)) ?? null);
    },
    { cacheKeyFn: cacheKey },
  );
  return {
    /** The record `id` (another region's) with the selection of the field being resolved. */
    load: async (id: string, info: GraphQLResolveInfo): Promise<object | null> => {
      const answer = await loader.load({ id, forwarded: forwarded(info) });
      if (answer instanceof GraphQLError) throw answer;
      return answer;
    },
  };
}

async function fetchGroup(
  hub: HubLink,
  rootField: string,
  headers: Record<string, string>,
  group: RemoteKey[],
  answers: Map<string, Answer>,
  cacheKey: (key: RemoteKey) => string,
): Promise<void> {
  const { forwarded: selection } = group[0];
  const idsByRegion = new Map<string, string[]>();
  for (const { id } of group) {
    const region = parseGlobalId(id)!.region;
    const ids = idsByRegion.get(region) ?? [];
    if (!ids.includes(id)) ids.push(id);
    idsByRegion.set(region, ids);
  }
  const regions = [...idsByRegion.keys()];
  const query = [
    `query RemoteRecords(${[...regions.map((region) => `$ids${region}: [ID!]!`), ...selection.variableDefinitions].join(', ')}) {`,
    ...regions.map((region) => `  r${region}: ${rootField}(region: "${region}", ids: $ids${region}) ${selection.selection}`),
    '}',
    selection.fragments,
  ].join('\n');
  const variables = { ...selection.variables, ...Object.fromEntries(regions.map((region) => [`ids${region}`, idsByRegion.get(region)])) };

  let result: Awaited<ReturnType<HubLink['execute']>>;
  try {
    result = await hub.execute(query, variables, headers, READ_TIMEOUT_MS);
  } catch (error) {
    const failure = hubError('REGION_UNAVAILABLE', `the hub gateway could not be reached for records of ${regions.join(', ')}: ${(error as Error).message}`, { regions });
    for (const key of group) answers.set(cacheKey(key), failure);
    return;
  }
  markOwnerAnswer(result.data);
  for (const key of group) {
    const region = parseGlobalId(key.id)!.region;
    const responseKey = `r${region}`;
    const index = idsByRegion.get(region)!.indexOf(key.id);
    const record = (((result.data as Record<string, unknown> | null | undefined)?.[responseKey] as unknown[] | null | undefined) ?? [])[index] ?? null;
    if (record) {
      answers.set(cacheKey(key), record as object);
      continue;
    }
    // Why it is missing: an error about this record, about its whole region, or about the operation.
    const errors = (result.errors ?? []) as Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    const error = errors.find((e) => !e.path || (e.path[0] === responseKey && (e.path.length === 1 || e.path[1] === index)));
    answers.set(cacheKey(key), error ? new GraphQLError(error.message, { extensions: { ...error.extensions } }) : null);
  }
}
