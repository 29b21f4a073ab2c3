import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  TypeNode,
} from 'graphql';
import { ComplexityEstimator, ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import { collectFields, Fragments, fragmentsOf, isIncluded, responseKey, STATIC } from './collect-fields';

/**
 * Operation limits: how deep, how many aliases, how many root fields and how expensive an
 * operation may be, each refused before anything is planned or sent to a subgraph, with its own
 * `extensions.code` and HTTP 400. Outside development, "Did you mean …?" suggestions are also
 * cut from error messages, so a caller without introspection cannot map the schema by typos.
 *
 * One Apollo Server plugin, checked in `didResolveOperation`: the document is parsed and valid
 * against the API schema (gateway mode included), the chosen operation and the variables are
 * known (so `first: $n` is priced at its value), and execution has not begun. It is not a
 * validation rule because Apollo Server rewrites every validation error's code to
 * GRAPHQL_VALIDATION_FAILED, and validation rules never see variables.
 */

export interface OperationLimits {
  /**
   * Longest chain of nested fields; fragments add no level. 12: the deepest legitimate query of
   * the hub's own schema — warnings → subject → petitions → petitioners, or inspections →
   * participants → task → findings — is 9 fields deep (connections cost two levels each,
   * `edges { node }`), which leaves room for one more hop (three levels) without letting cyclic
   * walks (person → petitions → petitioners → petitions …) go on.
   */
  maxDepth: number;
  /** Aliased fields, counted each time a fragment is used. 30: a screen comparing a few dozen
   * counties with aliases fits; alias-amplified batching (one field asked 1,000 times) does not. */
  maxAliases: number;
  /** Distinct root fields (response keys). 10: a dashboard asks for a handful of lists at once;
   * each root field is at least one subgraph fetch, in every region for fanned-out fields. */
  maxRootFields: number;
  /**
   * Estimated cost: every field costs 1, and a field's selection is multiplied by its list size —
   * the `first`/`last` argument (its schema default, else `defaultPageSize`), or
   * `unpagedListSize` for a plain list. 10,000: the two heaviest legitimate queries of the hub's
   * schema cost 3,521 (warnings with their subjects' petitions, default pages) and 1,901
   * (50 inspections with participants' findings); two nested pages of 100 cost 30,000+.
   */
  maxCost: number;
  /** Page size assumed when a page argument is absent and has no schema default. */
  defaultPageSize: number;
  /** Size assumed for a list without a page argument (petitioners, history, findings: a handful). */
  unpagedListSize: number;
  /** Names of the arguments that set a list's size. */
  pageArguments: string[];
  /** Cut "Did you mean …?" from error messages. */
  hideSuggestions: boolean;
}

export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 10,
  maxCost: 10_000,
  defaultPageSize: 20,
  unpagedListSize: 5,
  pageArguments: ['first', 'last'],
  hideSuggestions: process.env.NODE_ENV !== 'development',
});

export type OperationLimitCode = 'DEPTH_LIMIT_EXCEEDED' | 'ALIAS_LIMIT_EXCEEDED' | 'ROOT_FIELD_LIMIT_EXCEEDED' | 'COST_LIMIT_EXCEEDED';

/** The plugin; list it in `new ApolloServer({ plugins: [...] })`. */
export function operationLimitsPlugin<TContext extends BaseContext>(config: Partial<OperationLimits> = {}): ApolloServerPlugin<TContext> {
  const limits = getValidLimits(config);
  const passed: Passed = new WeakMap();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          checkOperation(request, limits, passed);
        },
        async willSendResponse({ response }) {
          if (!limits.hideSuggestions) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          if (result.errors) result.errors = result.errors.map(withoutSuggestions);
        },
      };
    },
  };
}

function getValidLimits(config: Partial<OperationLimits>): OperationLimits {
  const limits = { ...DEFAULT_OPERATION_LIMITS, ...config };
  for (const key of ['maxDepth', 'maxAliases', 'maxRootFields', 'maxCost', 'defaultPageSize', 'unpagedListSize'] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new TypeError(`Operation limits: ${key} must be a non-negative integer, but got: ${JSON.stringify(value)}`);
    }
  }
  if (!Array.isArray(limits.pageArguments) || !limits.pageArguments.every((name) => typeof name === 'string')) {
    throw new TypeError(`Operation limits: pageArguments must be an array of argument names, but got: ${JSON.stringify(limits.pageArguments)}`);
  }
  return limits;
}

// graphql-js appends ` Did you mean "a", "b" or "c"?` (or `… the enum value "X"?`) to the message.
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = error.message.replace(SUGGESTION, '');
  return message === error.message ? error : { ...error, message };
}

// ---------------------------------------------------------------------------------------------

/**
 * Operations already found within the limits, per parsed document (the server keeps one per
 * query text) and the variables that can change the verdict: a live subscription asks the same
 * per-event query for every event and subscriber, differing only in the ids it names.
 */
type Passed = WeakMap<DocumentNode, Set<string>>;

/** The operation and the variables its cost can depend on: an `ID` never sizes a list, so ids are left out. */
function verdictKey(operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  const sizing = (operation.variableDefinitions ?? []).filter((definition) => getNamedTypeName(definition.type) !== 'ID');
  return JSON.stringify([operation.name?.value ?? '', sizing.map((definition) => variables[definition.variable.name.value] ?? null)]);
}

function getNamedTypeName(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : getNamedTypeName(type.type);
}

function checkOperation(request: GraphQLRequestContext<BaseContext>, limits: OperationLimits, passed: Passed): void {
  const operation = request.operation;
  const document = request.document;
  if (!operation || !document) return;
  const copies = (request.contextValue as { liveEvents?: number }).liveEvents ?? 1;
  // A verdict under the limits of many copies is no verdict for a client sending the same text.
  const key = `${copies} ${verdictKey(operation, request.request.variables ?? {})}`;
  let known = passed.get(document);
  if (known?.has(key)) return;
  checkOperationNow(request, operation, document, limitsOfCopies(limits, copies));
  if (!known) passed.set(document, (known = new Set()));
  if (known.size < 1000) known.add(key);
}

/**
 * The limits of an operation made of `copies` copies of one operation, side by side under
 * aliases of their own (the gateway's batch of live events' per-event queries,
 * gateway/live/batched-event-query.ts): each copy is held to the limits, no more and no less.
 * Only the gateway sets it; a client's operation is always one.
 */
function limitsOfCopies(limits: OperationLimits, copies: number): OperationLimits {
  if (copies <= 1) return limits;
  return { ...limits, maxAliases: limits.maxAliases * copies, maxRootFields: limits.maxRootFields * copies, maxCost: limits.maxCost * copies };
}

function checkOperationNow(
  request: GraphQLRequestContext<BaseContext>,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  limits: OperationLimits,
): void {
  const fragments = fragmentsOf(document);
  const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';

  const roots = rootFields(operation, fragments);
  if (roots.size > limits.maxRootFields) {
    const keys = [...roots.keys()];
    throw limitError(
      'ROOT_FIELD_LIMIT_EXCEEDED',
      `${name} selects ${roots.size} root fields (${listed(keys)}); the limit is ${limits.maxRootFields}. Split it into several operations.`,
      limits.maxRootFields,
      roots.size,
      [...roots.values()].slice(limits.maxRootFields, limits.maxRootFields + 5),
    );
  }

  let shape: Shape;
  try {
    shape = measure(operation.selectionSet, fragments);
  } catch (error) {
    // Deep enough to exhaust the stack here (graphql's own parser allows a few thousand levels).
    if (error instanceof RangeError) {
      throw limitError(
        'DEPTH_LIMIT_EXCEEDED',
        `${name} is nested too deeply to measure; the depth limit is ${limits.maxDepth}.`,
        limits.maxDepth,
        Infinity,
        [],
      );
    }
    throw error;
  }

  if (shape.cycle) {
    // Validation refuses this first (NoFragmentCycles); here only if validation is turned off.
    throw limitError(
      'DEPTH_LIMIT_EXCEEDED',
      `${name} has no bounded depth: fragment ${shape.cycle} spreads itself. The limit is ${limits.maxDepth}.`,
      limits.maxDepth,
      Infinity,
      [],
    );
  }

  if (shape.aliases > limits.maxAliases) {
    const examples = shape.aliasExamples.map((field) => `"${field.alias!.value}" at ${where(field)}`);
    throw limitError(
      'ALIAS_LIMIT_EXCEEDED',
      `${name} uses ${shape.aliases} aliases (counting each use of a fragment), e.g. ${examples.join(', ')}; the limit is ${limits.maxAliases}. ` +
        'Ask for a field once and filter in the client, or split the operation.',
      limits.maxAliases,
      shape.aliases,
      shape.aliasExamples,
    );
  }

  if (shape.depth > limits.maxDepth) {
    const path = deepestPath(shape);
    const deepest = path[path.length - 1];
    throw limitError(
      'DEPTH_LIMIT_EXCEEDED',
      `${name} is ${shape.depth} fields deep at ${path.map(responseKey).join('.')} (${where(deepest)}); the limit is ${limits.maxDepth}. ` +
        'Fetch the deeper part with a separate query by id.',
      limits.maxDepth,
      shape.depth,
      [deepest],
    );
  }

  checkCost(request, operation, document, roots, limits, name);
}

function checkCost(
  request: GraphQLRequestContext<BaseContext>,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  roots: Map<string, FieldNode>,
  limits: OperationLimits,
  name: string,
): void {
  const schema = request.schema;
  const variables = request.request.variables ?? {};
  // Variables that do not coerce are execution's to report (BAD_USER_INPUT), not a cost question.
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return;

  const fieldCosts = new Map<FieldNode, number>();
  const estimate = costEstimator(schema, limits);
  const estimator: ComplexityEstimator = (args) => {
    const cost = estimate(args);
    fieldCosts.set(args.node, cost);
    return cost;
  };
  // Only the operation being run, with its fragments: a document may hold several operations.
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  // graphql-query-complexity expands fragments without memory; past this many selections the
  // operation is refused as too costly rather than walked further.
  const maxQueryNodes = Math.max(10_000, limits.maxCost);
  let cost: number;
  try {
    cost = getComplexity({ schema, query, variables, estimators: [estimator], maxQueryNodes });
  } catch (error) {
    if (!(error instanceof GraphQLError && error.message.includes('maximum allowed number of nodes'))) throw error;
    throw limitError(
      'COST_LIMIT_EXCEEDED',
      `${name} has more than ${maxQueryNodes} selections once its fragments are expanded; the cost limit is ${limits.maxCost}. Use fewer fragment spreads.`,
      limits.maxCost,
      Infinity,
      [],
    );
  }
  if (cost > limits.maxCost) {
    const [key, field] = [...roots].reduce((a, b) => ((fieldCosts.get(b[1]) ?? 0) > (fieldCosts.get(a[1]) ?? 0) ? b : a));
    throw limitError(
      'COST_LIMIT_EXCEEDED',
      `${name} has an estimated cost of ${cost}; the limit is ${limits.maxCost}. The costliest root field is ${key} ` +
        `(${fieldCosts.get(field) ?? 0}, at ${where(field)}). Each list multiplies the cost of what it selects by its size ` +
        `(${limits.pageArguments.map((a) => `\`${a}\``).join(' or ')}, else ${limits.defaultPageSize}; ${limits.unpagedListSize} for lists without one): ask for smaller pages.`,
      limits.maxCost,
      cost,
      [field],
    );
  }
}

/**
 * Every field costs 1 plus what it selects times its list size. A page argument sets the size of
 * the list the field returns, usually a connection (`{ edges { node } pageInfo }`); the lists
 * inside such a connection type are that page, so they are not multiplied a second time.
 * Introspection (`__schema`, `__type`) is bounded by the schema, not the data: it costs 1.
 */
function costEstimator(schema: GraphQLSchema, limits: OperationLimits): (args: ComplexityEstimatorArgs) => number {
  const pageTypes = pagedReturnTypes(schema, limits.pageArguments);
  return ({ field, args, childComplexity, type }) => {
    if (field.name === '__schema' || field.name === '__type') return 1;
    const pageArgument = limits.pageArguments.find((name) => field.args.some((arg) => arg.name === name));
    let size = 1;
    if (pageArgument) {
      const value = limits.pageArguments.map((name) => args[name]).find((v) => typeof v === 'number');
      size = Math.max(0, value ?? limits.defaultPageSize);
    } else if (isListType(getNullableType(field.type)) && !pageTypes.has(type.name)) {
      size = limits.unpagedListSize;
    }
    return 1 + size * childComplexity;
  };
}

const pagedReturnTypesBySchema = new WeakMap<GraphQLSchema, Set<string>>();

/** Names of the types fields with a page argument return (the connection types). */
function pagedReturnTypes(schema: GraphQLSchema, pageArguments: string[]): Set<string> {
  let names = pagedReturnTypesBySchema.get(schema);
  if (!names) {
    names = new Set();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.args.some((arg) => pageArguments.includes(arg.name))) names.add(getNamedType(field.type).name);
      }
    }
    pagedReturnTypesBySchema.set(schema, names);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------

/** Root fields by response key (collect-fields.ts, statically: whatever the variables), each by its first node. */
function rootFields(operation: OperationDefinitionNode, fragments: Fragments): Map<string, FieldNode> {
  const roots = new Map<string, FieldNode>();
  for (const [key, fields] of collectFields(operation.selectionSet, operation.operation, { fragments, variables: STATIC })) roots.set(key, fields[0].node);
  return roots;
}

/**
 * Depth and aliases of a selection set. Each fragment is measured once and its result reused
 * wherever it is spread, so a document of fragments spreading fragments is measured in linear
 * time while its aliases are still counted once per use. As CollectFields (collect-fields.ts)
 * has it, a fragment spread again in the same selection set (its inline fragments included) is
 * no second use, and what a literal `@skip`/`@include` leaves out is not measured. A fragment
 * spread while it is being measured (a cycle, which validation already refuses) is noted and
 * not followed.
 */
interface Shape {
  depth: number;
  /** The first field of the deepest path, and the shape below it. */
  deepest?: { field: FieldNode; below: Shape };
  aliases: number;
  /** A few aliased fields, for the message. */
  aliasExamples: FieldNode[];
  /** A fragment found spreading itself, directly or not. */
  cycle?: string;
}

const EMPTY: Shape = { depth: 0, aliases: 0, aliasExamples: [] };
const MAX_EXAMPLES = 3;

function measure(root: SelectionSetNode, fragments: Fragments): Shape {
  const measured = new Map<string, Shape | 'measuring'>();

  const ofFragment = (name: string): Shape => {
    const known = measured.get(name);
    if (known === 'measuring') return { ...EMPTY, cycle: name };
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY;
    measured.set(name, 'measuring');
    const shape = ofSet(fragment.selectionSet, new Set([name]));
    measured.set(name, shape);
    return shape;
  };

  /** `spread`: the fragments already used in this selection set (the ones it sits in included), made at its first spread. */
  const ofSet = (set: SelectionSetNode, spread?: Set<string>): Shape => {
    const shape: Shape = { depth: 0, aliases: 0, aliasExamples: [] };
    const add = (part: Shape, field?: FieldNode) => {
      shape.cycle ??= part.cycle;
      shape.aliases += part.aliases;
      for (const example of part.aliasExamples) {
        if (shape.aliasExamples.length < MAX_EXAMPLES && !shape.aliasExamples.includes(example)) shape.aliasExamples.push(example);
      }
      const depth = field ? part.depth + 1 : part.depth;
      if (depth > shape.depth) {
        shape.depth = depth;
        shape.deepest = field ? { field, below: part } : part.deepest;
      }
    };
    for (const selection of set.selections) {
      if (!isIncluded(selection, STATIC)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) add({ ...EMPTY, aliases: 1, aliasExamples: [selection] });
        const below = selection.selectionSet ? ofSet(selection.selectionSet) : EMPTY;
        // Introspection is as deep as the schema's type references (`ofType { ofType { … } }`),
        // whatever the data: its depth is exempt, its aliases are not.
        if (selection.name.value === '__schema' || selection.name.value === '__type') add({ ...below, depth: 0, deepest: undefined });
        else add(below, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        spread ??= new Set();
        add(ofSet(selection.selectionSet, spread));
      } else if (!spread?.has(selection.name.value)) {
        (spread ??= new Set()).add(selection.name.value);
        add(ofFragment(selection.name.value));
      }
    }
    return shape;
  };

  return ofSet(root);
}

function deepestPath(shape: Shape): FieldNode[] {
  const path: FieldNode[] = [];
  for (let step = shape.deepest; step; step = step.below.deepest) path.push(step.field);
  return path;
}

// ---------------------------------------------------------------------------------------------

function limitError(code: OperationLimitCode, message: string, limit: number, value: number, nodes: FieldNode[]): GraphQLError {
  return new GraphQLError(message, {
    nodes: nodes.length ? nodes : undefined,
    extensions: { code, limit, value: Number.isFinite(value) ? value : null, http: { status: 400 } },
  });
}

function where(field: FieldNode): string {
  const start = field.loc?.startToken;
  return start ? `line ${start.line}, column ${start.column}` : `field ${field.name.value}`;
}

function listed(keys: string[]): string {
  return keys.length > 12 ? `${keys.slice(0, 12).join(', ')}, …` : keys.join(', ');
}
