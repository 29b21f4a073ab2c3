import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import type { GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode, ResponsePath } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import type { GatewayExecutor, GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema, isCompositeType, Kind, OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { collectFields, fragmentsOf, fragmentTypeApplies, STATIC } from './collect-fields';
import { plannerSupergraphSdl } from './planner-supergraph';
import { MutationReplans } from './mutation-replans';
import { RequiresConflicts } from './requires-conflicts';
import { ResponseShape } from './response-shape';
import { callerPath, PlannerFieldNames, withWireAliases } from './wire-aliases';

/**
 * The hub's query-plan executor. Planning is Apollo's (`@apollo/query-planner`, the same
 * planner stock Apollo Gateway uses, plans cached per operation); executing the plan is ours:
 * fetches go to the same data sources (regional routing, fan-out and cross-region links live
 * there), their answers are merged in place, representations for entity fetches come from
 * selections compiled once per plan, and the answer is shaped by a compiled ResponseShape.
 *
 * Where Apollo's plans answer wrongly, the operation handed to the planner is adjusted first,
 * once per operation: caller fields that would share a response key with the planner's own
 * fields get wire aliases (wire-aliases.ts), and fields whose `@requires` disagree are planned
 * apart (requires-conflicts.ts); the planner's supergraph leaves out keys no plan should go by
 * (planner-supergraph.ts).
 *
 * The data rewrites of `@interfaceObject` (`__typename` set or renamed in representations and
 * answers) are applied with Apollo's own `applyRewrites`, as Apollo's executor does. What this
 * executor does not take on — introspection (`__schema`, `__type`), `@defer`, subscriptions,
 * the rewrites of `@context`, and the
 * `Apollo-Query-Plan-Experimental` debug header — goes to stock Apollo Gateway's executor,
 * which handles it exactly as before.
 */

type Json = Record<string, unknown>;

interface Prepared {
  /** Stock Apollo executes this operation (see above). */
  fallback: boolean;
  /** One plan, or one per group of disagreeing `@requires` (requires-conflicts.ts), run in order into the same data. */
  plans?: QueryPlan[];
  shape?: ResponseShape;
  hasVariables: boolean;
  /** Wire aliases of the planned operation → the caller's response keys (wire-aliases.ts). */
  callerKeys?: ReadonlyMap<string, string>;
  /** Root fields the plan fetches nothing for: answered with an error each (see `unplannedRootKeys`). */
  unreachable?: string[];
}

interface Cursor {
  path: ResponsePath;
  data: unknown;
}

interface Execution {
  requestContext: GatewayGraphQLRequestContext;
  variables: Json;
  errors: Array<GraphQLError | Error>;
  fullResult: Json;
  callerKeys: ReadonlyMap<string, string>;
}

const MAX_PREPARED = 1000;
const hasOwn = Object.prototype.hasOwnProperty;

/** Own-property read: a key like `constructor` must not find Object.prototype's member. */
function own(object: Json, key: string): unknown {
  const value = object[key];
  return typeof value === 'function' || key === '__proto__' ? (hasOwn.call(object, key) ? value : undefined) : value;
}

function setOwn(object: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Apollo's deepMerge (utilities/deepMerge.ts), without its per-key prototype checks on ordinary
 * keys. `for…in` with an own-property check visits what Object.keys lists, in the same order,
 * without allocating the list (Object.keys here was a tenth of the gateway's allocations).
 */
export function deepMerge(target: Json, source: unknown): void {
  if (source === undefined || source === null) return;
  for (const key in source as Json) {
    if (!hasOwn.call(source, key)) continue;
    const incoming = (source as Json)[key];
    if (incoming === undefined) continue;
    const existing = own(target, key);
    if (existing && isObject(incoming)) {
      deepMerge(existing as Json, incoming);
    } else if (Array.isArray(incoming) && Array.isArray(existing) && incoming.length === existing.length) {
      for (let i = 0; i < incoming.length; i++) {
        const into = existing[i];
        const item = incoming[i];
        if (isObject(into) && isObject(item)) deepMerge(into, item);
        else existing[i] = item;
      }
    } else {
      setOwn(target, key, incoming);
    }
  }
}

/** Apollo's flattenResultsAtPath: the values at `path` (`@` = every element of a list), lists flattened. */
export function flattenAt(value: unknown, path: ResponsePath, from = 0): unknown {
  for (let i = from; i < path.length; i++) {
    if (value === undefined || value === null) return value;
    const step = path[i];
    if (step === '@') {
      if (!Array.isArray(value)) throw new Error(`Expected a list at ${path.slice(0, i).join('.')} in the merged result`);
      const flattened: unknown[] = [];
      for (const element of value) flattenInto(element, path, i + 1, flattened);
      return flattened;
    }
    if (Array.isArray(value)) throw new Error(`Unexpected list at ${path.slice(0, i).join('.')} in the merged result`);
    value = own(value as Json, step as string);
  }
  return value;
}

/**
 * Appends to `out` what Apollo's `flatMap` step appends for one element: the element's
 * flattened value spread one level (a null met on the way as itself). Nested `@`s append
 * straight into the one list instead of building a list per element and copying it.
 */
function flattenInto(value: unknown, path: ResponsePath, from: number, out: unknown[]): void {
  for (let i = from; i < path.length; i++) {
    if (value === undefined || value === null) break;
    const step = path[i];
    if (step === '@') {
      if (!Array.isArray(value)) throw new Error(`Expected a list at ${path.slice(0, i).join('.')} in the merged result`);
      for (const element of value) flattenInto(element, path, i + 1, out);
      return;
    }
    if (Array.isArray(value)) throw new Error(`Unexpected list at ${path.slice(0, i).join('.')} in the merged result`);
    value = own(value as Json, step as string);
  }
  if (Array.isArray(value)) for (const item of value) out.push(item);
  else out.push(value);
}

/** Builds an entity's representation from a fetch's `requires` selection; null when a required field is missing. */
type RepresentationBuilder = (entity: Json | null) => Json | null;

export class PlanExecutor {
  private readonly planner: QueryPlanner;
  private readonly apiSchema;
  private readonly prepared = new Map<string, Prepared>();
  private readonly representationBuilders = new WeakMap<FetchNode, RepresentationBuilder>();
  private readonly typeConditionCache = new Map<string, boolean>();
  private readonly supergraphSchema: GraphQLSchema;
  private readonly plannerFieldNames: PlannerFieldNames;
  private readonly requiresConflicts: RequiresConflicts;
  private readonly mutationReplans: MutationReplans;
  /** Operations executed here and operations handed to stock Apollo (for operators, and for tests to know which ran). */
  readonly counts = { executed: 0, delegated: 0 };

  constructor(
    supergraphSdl: string,
    private readonly dataSources: ReadonlyMap<string, GraphQLDataSource>,
    private readonly fallback: GatewayExecutor,
  ) {
    const plannerSdl = plannerSupergraphSdl(supergraphSdl);
    const supergraph = Supergraph.build(plannerSdl);
    this.apiSchema = supergraph.apiSchema();
    this.planner = new QueryPlanner(supergraph);
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.plannerFieldNames = new PlannerFieldNames(this.supergraphSchema, plannerSdl);
    this.requiresConflicts = new RequiresConflicts(plannerSdl);
    this.mutationReplans = new MutationReplans(supergraph, this.apiSchema.toGraphQLJSSchema());
  }

  readonly executor: GatewayExecutor = async (requestContext) => {
    const prepared = this.prepare(requestContext);
    if (prepared.fallback || requestContext.request.http?.headers.get('apollo-query-plan-experimental')) {
      this.counts.delegated++;
      return this.fallback(requestContext);
    }
    this.counts.executed++;
    const variables = (requestContext.request.variables ?? {}) as Json;
    if (prepared.hasVariables) {
      const { errors } = getVariableValues(requestContext.schema, requestContext.operation.variableDefinitions!, variables);
      if (errors?.length) return { errors };
    }
    const execution: Execution = { requestContext, variables, errors: [], fullResult: {}, callerKeys: prepared.callerKeys! };
    const { plans, shape } = prepared;
    for (const plan of plans!) if (plan.node) await this.executeNode(execution, plan.node as PlanNode, { path: [], data: execution.fullResult });
    for (const key of prepared.unreachable ?? []) {
      execution.errors.push(
        new GraphQLError(`No subgraph can answer "${key}": the query planner found no way to resolve its selection`, {
          path: [key],
          extensions: { code: 'UNREACHABLE_FIELD' },
        }),
      );
    }
    // Split plans fetch what the groups share once per plan: the same failure is reported once.
    if (plans!.length > 1 && execution.errors.length > 1) execution.errors = distinctErrors(execution.errors);
    const shapingErrors: GraphQLError[] = [];
    const data = shape!.apply(execution.fullResult, variables, shapingErrors);
    const result: GatewayExecutionResult = { data };
    // As Apollo Gateway does: value-completion problems are reported apart, and only when no fetch failed.
    if (execution.errors.length) (result as { errors: unknown }).errors = execution.errors;
    else if (shapingErrors.length) result.extensions = { valueCompletion: shapingErrors };
    return result;
  };

  private prepare(requestContext: GatewayGraphQLRequestContext): Prepared {
    const operationName = requestContext.request.operationName;
    const key = operationName ? `${requestContext.queryHash}:${operationName}` : requestContext.queryHash;
    let prepared = this.prepared.get(key);
    if (prepared) return prepared;
    prepared = this.plan(requestContext.document, requestContext.operation, requestContext.schema, operationName);
    if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(key, prepared);
    return prepared;
  }

  private plan(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, operationName: string | undefined): Prepared {
    const hasVariables = !!operation.variableDefinitions?.length;
    if (operation.operation === 'subscription' || selectsIntrospection(document, operation)) return { fallback: true, hasVariables };
    let plans: QueryPlan[];
    const { wireKeyOf } = this.plannerFieldNames;
    const wire = withWireAliases(schema, document, wireKeyOf);
    const documents = this.requiresConflicts.split(schema, wire.document) ?? [wire.document];
    const planOf = (planned: DocumentNode) => this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, planned, { operationName }));
    try {
      if (documents.length > 1 && operation.operation === 'mutation') {
        // Run once: the later plans read the mutation's results by key; unsplit where they cannot.
        plans = this.mutationReplans.plans(documents, planOf) ?? [planOf(wire.document)];
      } else plans = documents.map(planOf);
    } catch {
      return { fallback: true, hasVariables }; // stock Apollo reports it exactly as it always has
    }
    if (plans.some((plan) => plan.node && !executable(plan.node as PlanNode))) return { fallback: true, hasVariables };
    const unreachable = plans.every((plan) => !plan.node) ? unplannedRootKeys(document, operation) : [];
    return {
      fallback: false,
      plans,
      shape: new ResponseShape(schema, document, operation, wireKeyOf),
      hasVariables,
      callerKeys: wire.callerKeys,
      ...(unreachable.length ? { unreachable } : {}),
    };
  }

  private async executeNode(execution: Execution, node: PlanNode, cursor: Cursor): Promise<void> {
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await this.executeNode(execution, child, cursor);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => this.executeNode(execution, child, cursor)));
        return;
      case 'Flatten': {
        const data = flattenAt(cursor.data, node.path, 0);
        if (data === undefined || data === null) return;
        await this.executeNode(execution, node.node, { path: cursor.path.concat(node.path), data });
        return;
      }
      case 'Fetch':
        try {
          await this.executeFetch(execution, node, cursor);
        } catch (error) {
          execution.errors.push(error as Error);
        }
        return;
      case 'Condition': {
        const value = execution.variables[node.condition];
        const condition = value === undefined ? conditionDefault(execution.requestContext.operation, node.condition) : value === true;
        const branch = condition ? node.ifClause : node.elseClause;
        if (branch) await this.executeNode(execution, branch, cursor);
        return;
      }
      default:
        throw new Error(`plan node ${node.kind} reached the hub executor`);
    }
  }

  private async executeFetch(execution: Execution, fetch: FetchNode, cursor: Cursor): Promise<void> {
    const service = this.dataSources.get(fetch.serviceName);
    if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
    const entities: Json[] = [];
    if (Array.isArray(cursor.data)) {
      for (const item of cursor.data) if (item !== null && item !== undefined) entities.push(item as Json);
    } else entities.push(cursor.data as Json);
    if (entities.length === 0) return;

    const variables: Json = {};
    const provided = execution.variables;
    for (const name of fetch.variableUsages ?? []) if (hasOwn.call(provided, name) && provided[name] !== undefined) variables[name] = provided[name];

    if (!fetch.requires) {
      const received = await this.send(execution, service, fetch, cursor, variables);
      if (received && fetch.outputRewrites) applyRewrites(this.supergraphSchema, fetch.outputRewrites, received);
      for (const entity of entities) deepMerge(entity, received);
      return;
    }

    const build = this.representationBuilder(fetch);
    const representations: Json[] = [];
    const owners: number[] = [];
    for (let i = 0; i < entities.length; i++) {
      const representation = build(entities[i]);
      if (representation && representation.__typename) {
        if (fetch.inputRewrites) applyRewrites(this.supergraphSchema, fetch.inputRewrites, representation);
        representations.push(representation);
        owners.push(i);
      }
    }
    if (representations.length === 0) return;
    if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
    variables.representations = representations;
    const received = await this.send(execution, service, fetch, cursor, variables);
    if (!received) return;
    const receivedEntities = received._entities;
    if (!Array.isArray(receivedEntities)) throw new Error('Expected "data._entities" in response to be an array');
    if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
    for (let i = 0; i < receivedEntities.length; i++) {
      const receivedEntity = receivedEntities[i] as Json | null;
      const existing = entities[owners[i]];
      if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing.__typename;
      if (receivedEntity && fetch.outputRewrites) applyRewrites(this.supergraphSchema, fetch.outputRewrites, receivedEntity);
      deepMerge(existing, receivedEntity);
    }
  }

  private async send(execution: Execution, service: GraphQLDataSource, fetch: FetchNode, cursor: Cursor, variables: Json): Promise<Json | null | undefined> {
    const { requestContext } = execution;
    const response = await service.process({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request: { query: fetch.operation, variables, operationName: fetch.operationName },
      incomingRequestContext: requestContext,
      context: requestContext.context,
      document: fetch.operationDocumentNode,
      pathInIncomingRequest: cursor.path,
    });
    if (response.errors) {
      let hydrated: Array<Array<string | number>> | undefined;
      for (const error of response.errors) {
        const path = error.path;
        let mapped: ReadonlyArray<string | number> | undefined;
        if (fetch.requires && typeof path?.[1] === 'number') {
          if (!hydrated) generateHydratedPaths([], cursor.path, execution.fullResult, (hydrated = []));
          mapped = [...(hydrated[path[1]] ?? []), ...path.slice(2)];
        } else mapped = path ? [...cursor.path, ...path] : undefined;
        if (mapped && execution.callerKeys.size) mapped = callerPath(mapped, execution.callerKeys);
        execution.errors.push(downstreamError(error, fetch.serviceName, mapped));
      }
    }
    return response.data as Json | null | undefined;
  }

  private representationBuilder(fetch: FetchNode): RepresentationBuilder {
    let build = this.representationBuilders.get(fetch);
    if (!build) {
      build = this.compileSelection(fetch.requires!);
      this.representationBuilders.set(fetch, build);
    }
    return build;
  }

  /** Apollo's executeSelectionSet for `requires`, compiled: fields copied, fragments applied by `__typename`. */
  private compileSelection(selections: readonly QueryPlanSelectionNode[]): RepresentationBuilder {
    const steps = selections.map((selection) => {
      if (selection.kind === 'Field') {
        const key = selection.alias ?? selection.name;
        const inner = selection.selections ? this.compileSelection(selection.selections) : undefined;
        return { kind: 'field' as const, key, inner };
      }
      return { kind: 'fragment' as const, typeCondition: selection.typeCondition, inner: this.compileSelection(selection.selections) };
    });
    const select = (source: Json | null): Json | null => {
      if (source === null) return null;
      const result: Json = {};
      for (const step of steps) {
        if (step.kind === 'field') {
          const value = own(source, step.key);
          if (value === undefined) return null;
          if (Array.isArray(value)) setOwn(result, step.key, step.inner ? value.map((item) => step.inner!(item as Json | null)) : value);
          else setOwn(result, step.key, step.inner ? step.inner(value as Json | null) : value);
        } else if (step.typeCondition && this.isOfType(source, step.typeCondition)) {
          deepMerge(result, step.inner(source));
        }
      }
      return result;
    };
    return select;
  }

  /** dataRewrites.ts' isObjectOfType against the supergraph schema, cached per type pair. */
  private isOfType(object: Json, typeCondition: string): boolean {
    const typename = object.__typename;
    if (typeof typename !== 'string' || !typename) return false;
    if (typename === typeCondition) return true;
    const key = `${typename}\u0000${typeCondition}`;
    let applies = this.typeConditionCache.get(key);
    if (applies === undefined) {
      const type = this.supergraphSchema.getType(typename);
      applies = !!type && isCompositeType(type) && fragmentTypeApplies(this.supergraphSchema, typeCondition, type);
      this.typeConditionCache.set(key, applies);
    }
    return applies;
  }
}

/** A subgraph's error as Apollo Gateway reports it: its message, the caller's path, `serviceName`, a code. */
function downstreamError(error: GraphQLFormattedError, serviceName: string, path: ReadonlyArray<string | number> | undefined): GraphQLError {
  const code = (error.extensions?.code as string | undefined) ?? 'DOWNSTREAM_SERVICE_ERROR';
  return new GraphQLError(error.message || `Error while fetching subquery from service "${serviceName}"`, {
    path,
    extensions: { ...error.extensions, serviceName, code },
  });
}

/**
 * The root fields of an operation whose plan is empty, other than `__typename` and fields the
 * operation leaves out with a literal `@skip`/`@include`: the planner found no subgraph that can
 * answer them (an interface none of whose implementations the field's subgraph knows, for one)
 * and plans nothing; Apollo then answers null without an error, where the query must fail. A
 * field with a variable condition would have a Condition node in the plan, so it is never here.
 */
function unplannedRootKeys(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const roots = collectFields(operation.selectionSet, operation.operation, { fragments: fragmentsOf(document), variables: STATIC });
  return [...roots].filter(([, fields]) => fields[0].node.name.value !== '__typename').map(([key]) => key);
}

function distinctErrors(errors: Array<GraphQLError | Error>): Array<GraphQLError | Error> {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.message}\u0000${JSON.stringify((error as GraphQLError).path ?? null)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function conditionDefault(operation: OperationDefinitionNode, name: string): boolean {
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  return definition?.defaultValue?.kind === Kind.BOOLEAN ? definition.defaultValue.value : false;
}

/** Plans made only of fetches, sequences, parallels, flattens and conditions, without `@context` rewrites. */
function executable(node: PlanNode): boolean {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(executable);
    case 'Flatten':
      return executable(node.node);
    case 'Condition':
      return (!node.ifClause || executable(node.ifClause)) && (!node.elseClause || executable(node.elseClause));
    case 'Fetch':
      return !node.contextRewrites?.length && !node.hasDefers;
    default:
      return false;
  }
}

/** Whether the operation reads `__schema` or `__type` (answered by Apollo's introspection path). */
function selectsIntrospection(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const roots = collectFields(operation.selectionSet, operation.operation, { fragments: fragmentsOf(document), variables: STATIC });
  for (const fields of roots.values()) {
    if (fields.some(({ node }) => node.name.value === '__schema' || node.name.value === '__type')) return true;
  }
  return false;
}
