import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { DocumentNode, GraphQLError, GraphQLFormattedError, parse, print } from 'graphql';
import { CrossRegionLink, findCrossRegionLinks, keysOnly, linkFetch, linkSlots } from './cross-region-links';
import { regionOfRoutingValue } from '../auth/global-id';
import { CompositeCursor, decodeCompositeCursor } from './composite-cursor';
import { gatewayError, regionUnavailable } from './errors';
import { appendPage, emptyPage, MergeInput, RegionPage, mergedErrorPath, mergeFanOutPlaced, PlacedMerge, probeSize, refillsNeeded } from './fan-out-merge';
import { skeletonEdges } from './merge-skeleton';
import { AnalyzedOperation, analyzeOperation, argumentValue, RootSelection } from './operation-analysis';
import {
  afterVariable,
  entityAfterVariable,
  entityFirstVariable,
  firstVariable,
  printEntitiesFanOutOperation,
  printRegionOperation,
} from './operation-rewrite';
import type { RegionSettings } from './region-config';
import { GatewayContext, RequestRegionBudget } from './request-budget';
import { RegionFetchMetrics, watchCircuit } from './region-metrics';
import type { RoutingRules } from './routing-rules';
import { failSpan, inSpan, SpanKind, tracingOn } from '../platform/tracing';
import { EndpointOptions, EndpointUnavailableError, requestBody, SubgraphEndpoint, SubgraphResponse } from './subgraph-client';

/**
 * The data source behind one regional subgraph (petitions, enforcement, personnel). Apollo's
 * query planner sees a single subgraph; this class knows that every region runs its own
 * instance and routes each fetch the planner makes:
 *
 *  - `_entities`: representations are split by the region in their key, each group goes to
 *    its owner in parallel, and the answers are put back in the original order;
 *  - root fields declared `@routeBy`: to the one region their argument names;
 *  - root fields declared `@fanOut`: to every region in scope, merged into one page;
 *  - entity fields declared `@fanOut` (a person's petitions): the entity fetch goes to every
 *    region and each entity's pages are merged the same way;
 *  - fields declared `@crossRegion` (an inspection's tasks): the answering region gives only
 *    the keys, and the records are fetched from their owners (cross-region-links.ts);
 *  - anything else at the root (`__typename`, `_service`): to whichever region is asked anyway.
 *
 * A region that fails or times out costs only its own part of the answer, reported as an
 * error with code REGION_UNAVAILABLE.
 */

type Json = Record<string, unknown>;
interface Call {
  headers: Record<string, string>;
  budget: RequestRegionBudget;
}
type RegionResult = SubgraphResponse | EndpointUnavailableError;

/** Where one fanned-out field starts and which regions it reads. */
interface PageState {
  /** The field's arguments were refused: it is null in every entity, the rest is served. */
  refused?: boolean;
  targets: string[];
  first: number;
  start: CompositeCursor;
  resumed: boolean;
}

interface FanOutState extends PageState {
  root: RootSelection;
  /** Edges asked of each region in the first round (see probeSize). */
  probe: number;
}

/** What is worked out once per distinct operation text. */
interface PreparedOperation {
  /** The operation as the planner wrote it. */
  document: DocumentNode;
  /** Analysis of what regions receive (cross-region links reduced to keys). */
  analyzed: AnalyzedOperation;
  text: string;
  links: CrossRegionLink[];
}

const MAX_CACHED_OPERATIONS = 2000;
const EMPTY_CURSOR: CompositeCursor = { positions: {}, exhausted: [] };

export class RegionalDataSource implements GraphQLDataSource {
  private regions = new Map<string, { settings: RegionSettings; endpoint: SubgraphEndpoint }>();
  private regionCodes: string[];
  private readonly operations = new Map<string, PreparedOperation>();
  private readonly metrics: RegionFetchMetrics;

  constructor(
    readonly subgraph: string,
    regions: RegionSettings[],
    private readonly rules: RoutingRules,
    private breaker: EndpointOptions['breaker'],
    private readonly headersFor: (subgraph: string, options: GraphQLDataSourceProcessOptions) => Promise<Record<string, string>> = async () => ({}),
  ) {
    this.regionCodes = [];
    this.reconfigure(regions, breaker);
    this.metrics = new RegionFetchMetrics(subgraph);
  }

  /**
   * Serves `regions` from now on (a reloaded regions.yaml): an endpoint whose URL, timeout and
   * breaker settings are unchanged is kept with its circuit's state; the others are made anew,
   * and the rest are shut down (a fetch already sent still gets its answer). A fetch of a
   * request under way goes to the region's endpoint of the moment. Throws, changing nothing, when a region lacks this subgraph.
   */
  reconfigure(regions: readonly RegionSettings[], breaker: EndpointOptions['breaker']): void {
    const missing = regions.find((settings) => !settings.endpoints[this.subgraph]);
    if (missing) throw new Error(`region ${missing.code} has no endpoint for the regional subgraph ${this.subgraph}`);
    const sameBreaker = JSON.stringify(breaker) === JSON.stringify(this.breaker);
    const next = new Map<string, { settings: RegionSettings; endpoint: SubgraphEndpoint }>();
    for (const settings of regions) {
      const url = settings.endpoints[this.subgraph];
      const current = this.regions.get(settings.code);
      if (current && sameBreaker && current.endpoint.url === url && current.settings.timeoutMs === settings.timeoutMs) {
        next.set(settings.code, { settings, endpoint: current.endpoint });
        continue;
      }
      const endpoint = new SubgraphEndpoint(url, { timeoutMs: settings.timeoutMs, breaker });
      watchCircuit(endpoint, settings.code, this.subgraph);
      next.set(settings.code, { settings, endpoint });
    }
    const retired = [...this.regions.values()].filter(({ endpoint }) => ![...next.values()].some((entry) => entry.endpoint === endpoint));
    this.regions = next;
    this.breaker = breaker;
    this.regionCodes = [...next.keys()].sort();
    for (const { endpoint } of retired) endpoint.shutdown();
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const call: Call = {
      headers: await this.headersFor(this.subgraph, options),
      budget: (options.context as GatewayContext | undefined)?.regionBudget ?? new RequestRegionBudget(),
    };
    const document = ('document' in options && options.document) || undefined;
    return this.execute(options.request.query!, document, (options.request.variables ?? {}) as Json, call);
  }

  /** Routes one subgraph operation (the planner's, or one of ours following a cross-region link). */
  private async execute(query: string, document: DocumentNode | undefined, variables: Json, call: Call): Promise<GatewayGraphQLResponse> {
    let prepared = this.operations.get(query);
    if (!prepared) {
      const parsed = document ?? parse(query);
      const links = this.rules.crossRegionFields.size ? findCrossRegionLinks(parsed, this.rules) : [];
      const routed = links.length ? keysOnly(parsed, links) : parsed;
      prepared = { analyzed: analyzeOperation(routed, this.rules), text: links.length ? print(routed) : query, links, document: parsed };
      if (this.operations.size >= MAX_CACHED_OPERATIONS) this.operations.clear();
      this.operations.set(query, prepared);
    }
    const { analyzed, text, links } = prepared;
    const response = analyzed.entityFanOuts.length
      ? await this.fetchEntitiesFanOut(analyzed, variables, call)
      : analyzed.roots.some((root) => root.route.kind === 'entities')
        ? await this.fetchEntities(text, variables, call)
        : await this.fetchRootFields(text, analyzed, variables, call);
    return links.length ? this.followLinks(response, prepared, variables, call) : response;
  }

  /**
   * Replaces each linked record's key in `response` by the record, fetched from its owner with
   * the caller's selection (see cross-region-links.ts); errors keep the caller's paths.
   */
  private async followLinks(response: GatewayGraphQLResponse, prepared: PreparedOperation, variables: Json, call: Call): Promise<GatewayGraphQLResponse> {
    if (!response.data) return response;
    const errors = [...(response.errors ?? [])];
    await Promise.all(
      prepared.links.map(async (link) => {
        const slots = linkSlots(response.data, link.steps);
        if (slots.length === 0) return;
        const fetch = linkFetch(prepared.document, link);
        const representations = slots.map((slot) => ({
          __typename: slot.value.__typename ?? link.rule.typeName,
          ...Object.fromEntries(link.rule.keyFields.map((key) => [key, slot.value[key]])),
        }));
        const linkVariables: Json = { representations };
        for (const name of fetch.variableNames) linkVariables[name] = variables[name];
        const result = await this.execute(fetch.text, undefined, linkVariables, call);
        const entities = (result.data?._entities ?? []) as unknown[];
        slots.forEach((slot, index) => (slot.parent[slot.slot] = entities[index] ?? null));
        for (const error of result.errors ?? []) {
          const path = error.path;
          const slot = path?.[0] === '_entities' && typeof path[1] === 'number' ? slots[path[1]] : undefined;
          errors.push(slot ? { ...error, path: [...slot.path, ...path!.slice(2)] } : error);
        }
      }),
    );
    return { ...response, ...(errors.length ? { errors } : {}) };
  }

  shutdown(): void {
    for (const { endpoint } of this.regions.values()) endpoint.shutdown();
  }

  private regionName(code: string): string {
    return this.regions.get(code)?.settings.name ?? code;
  }

  /**
   * An error `region` reported, as the caller gets it: tagged with the region; a subgraph whose
   * database is unreachable or dropped the connection (DATABASE_UNAVAILABLE, see
   * subgraphs/shared/host.ts) is the region being unavailable, reported as such.
   */
  private regionError(region: string, error: GraphQLFormattedError, path: ReadonlyArray<string | number> | undefined = error.path): GraphQLFormattedError {
    if (error.extensions?.code === 'DATABASE_UNAVAILABLE') return regionUnavailable(region, this.regionName(region), 'its database is unavailable', path);
    return { ...error, ...(path ? { path } : {}), extensions: { ...error.extensions, region } };
  }

  private send(region: string, query: string, variables: Json, call: Call): Promise<RegionResult> {
    if (!tracingOn()) return this.sendToRegion(region, query, variables, call);
    return inSpan(`region fetch ${this.subgraph}`, SpanKind.CLIENT, { 'hub.region': region, 'hub.subgraph': this.subgraph }, async (span) => {
      const result = await this.sendToRegion(region, query, variables, call);
      if (result instanceof EndpointUnavailableError) failSpan(span, result.reason);
      return result;
    });
  }

  private async sendToRegion(region: string, query: string, variables: Json, call: Call): Promise<RegionResult> {
    const served = this.regions.get(region);
    // Taken out by a reload while this request was planned for it.
    if (!served) return new EndpointUnavailableError(region, 'the hub no longer serves this region');
    const { settings, endpoint } = served;
    const earlier = call.budget.failure(region);
    const startedAt = performance.now();
    if (earlier) {
      const skipped = new EndpointUnavailableError(endpoint.url, earlier);
      this.metrics.observe(region, call.budget, startedAt, skipped, false);
      return skipped;
    }
    const wait = call.budget.waitFor(region, settings.timeoutMs);
    try {
      const answer = await endpoint.post(requestBody(query, variables), call.headers, wait.remainingMs, wait.signal);
      this.metrics.observe(region, call.budget, startedAt, answer);
      return answer;
    } catch (error) {
      if (!(error instanceof EndpointUnavailableError)) throw error;
      call.budget.recordFailure(region, error.reason);
      this.metrics.observe(region, call.budget, startedAt, error);
      return error;
    } finally {
      wait.done();
    }
  }

  /**
   * `_entities` carries one representation per entity, in an order the planner relies on. Each
   * region receives only its own representations; answers and error paths are mapped back to
   * the original positions.
   */
  private async fetchEntities(query: string, variables: Json, call: Call): Promise<GatewayGraphQLResponse> {
    const representations = (variables.representations ?? []) as Json[];
    const entities: unknown[] = new Array(representations.length).fill(null);
    const errors: GraphQLFormattedError[] = [];
    const byRegion = new Map<string, number[]>();
    representations.forEach((representation, index) => {
      const region = regionOfRoutingValue(representation.region) ?? regionOfRoutingValue(representation.id);
      if (!region || !this.regions.has(region)) {
        errors.push(
          gatewayError(
            'UNKNOWN_REGION',
            `${String(representation.__typename)} ${JSON.stringify(representation.id ?? representation)} names no region this hub serves (${this.regionCodes.join(', ')})`,
            ['_entities', index],
          ),
        );
        return;
      }
      byRegion.set(region, [...(byRegion.get(region) ?? []), index]);
    });

    await Promise.all(
      [...byRegion].map(async ([region, indexes]) => {
        const result = await this.send(region, query, { ...variables, representations: indexes.map((i) => representations[i]) }, call);
        if (result instanceof EndpointUnavailableError) {
          errors.push(regionUnavailable(region, this.regionName(region), result.reason, ['_entities', indexes[0]]));
          return;
        }
        const received = (result.data?._entities ?? []) as unknown[];
        indexes.forEach((original, position) => (entities[original] = received[position] ?? null));
        for (const error of result.errors ?? []) {
          const path =
            error.path?.[0] === '_entities' && typeof error.path[1] === 'number' ? ['_entities', indexes[error.path[1]], ...error.path.slice(2)] : error.path;
          errors.push(this.regionError(region, error, path));
        }
      }),
    );
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }

  /**
   * An `_entities` fetch that selects fanned-out fields (a person's petitions in every region).
   * Every region in scope receives every representation, with the field's `first`/`after`
   * replaced by that region's own page; each entity's fields are then merged across regions
   * exactly as a fanned-out root list is. Fields that do not fan out come from the entity's
   * owner, as in a plain entity fetch.
   */
  private async fetchEntitiesFanOut(analyzed: AnalyzedOperation, variables: Json, call: Call): Promise<GatewayGraphQLResponse> {
    const representations = (variables.representations ?? []) as Json[];
    const entities: unknown[] = new Array(representations.length).fill(null);
    const errors: GraphQLFormattedError[] = [];
    const homes = representations.map((representation) => regionOfRoutingValue(representation.region) ?? regionOfRoutingValue(representation.id));
    const sent: number[] = [];
    homes.forEach((home, index) => {
      if (home && this.regions.has(home)) sent.push(index);
      else
        errors.push(
          gatewayError(
            'UNKNOWN_REGION',
            `${String(representations[index].__typename)} ${JSON.stringify(representations[index].id)} names no region this hub serves (${this.regionCodes.join(', ')})`,
            ['_entities', index],
          ),
        );
    });

    const states: PageState[] = [];
    for (const fanOut of analyzed.entityFanOuts) {
      const scope = argumentValue(fanOut.field, 'regions', variables) as string[] | null | undefined;
      const unknown = (scope ?? []).filter((code) => !this.regions.has(code));
      const after = argumentValue(fanOut.field, 'after', variables);
      const path = ['_entities', sent[0] ?? 0, fanOut.responseKey];
      const refuse = (error: GraphQLFormattedError) => {
        errors.push(error);
        states.push({ refused: true, targets: [], first: 0, start: EMPTY_CURSOR, resumed: false });
      };
      if (unknown.length) {
        refuse(
          gatewayError(
            'BAD_USER_INPUT',
            `${fanOut.typeName}.${fanOut.field.name.value}: regions ${unknown.join(', ')} not served by this hub; known regions: ${this.regionCodes.join(', ')}`,
            path,
            { field: 'regions' },
          ),
        );
        continue;
      }
      let start = EMPTY_CURSOR;
      if (after !== null && after !== undefined) {
        try {
          start = decodeCompositeCursor(after);
        } catch (error) {
          refuse({ message: (error as GraphQLError).message, path, extensions: (error as GraphQLError).extensions });
          continue;
        }
      }
      const requested = argumentValue(fanOut.field, 'first', variables);
      const first = typeof requested === 'number' ? requested : (fanOut.fanOut.rule.defaultFirst ?? 20);
      const targets = [...new Set((scope ?? this.regionCodes).filter((code) => !start.exhausted.includes(code)))];
      states.push({ targets, first, start, resumed: after !== null && after !== undefined });
    }

    const asked = [...new Set([...sent.map((index) => homes[index]!), ...states.flatMap((state) => state.targets)])].sort();
    const text = printEntitiesFanOutOperation(analyzed);
    const sentRepresentations = sent.map((index) => representations[index]);
    const results = new Map<string, RegionResult>();
    await Promise.all(
      asked.map(async (region) => {
        const regionVariables: Json = { ...variables, representations: sentRepresentations };
        analyzed.entityFanOuts.forEach((fanOut, i) => {
          const state = states[i];
          // A region outside this field's scope still answers other fields: ask it for nothing.
          regionVariables[entityFirstVariable(fanOut)] = state.targets.includes(region) ? state.first : 0;
          regionVariables[entityAfterVariable(fanOut)] = state.targets.includes(region) ? (state.start.positions[region] ?? null) : null;
        });
        results.set(region, await this.send(region, text, regionVariables, call));
      }),
    );

    /** Errors inside a fanned-out field's page, and each entity's merged pages to place them in. */
    const pageErrors: Array<{ region: string; position: number; fanOut: number; error: GraphQLFormattedError }> = [];
    const merges = new Map<string, PlacedMerge>();
    const entityAt = (region: string, position: number): Json | null => {
      const result = results.get(region);
      if (!result || result instanceof EndpointUnavailableError) return null;
      return ((result.data?._entities as Json[] | undefined)?.[position] as Json | null) ?? null;
    };
    for (const region of asked) {
      const result = results.get(region)!;
      if (result instanceof EndpointUnavailableError) {
        errors.push(regionUnavailable(region, this.regionName(region), result.reason, ['_entities', sent[0] ?? 0]));
        continue;
      }
      for (const error of result.errors ?? []) {
        const path = error.path;
        const position = path?.[0] === '_entities' && typeof path[1] === 'number' ? path[1] : undefined;
        if (position === undefined) {
          errors.push(this.regionError(region, error));
          continue;
        }
        const index = sent[position];
        const fromHome = homes[index] === region;
        const fanOut = analyzed.entityFanOuts.findIndex((candidate) => candidate.responseKey === path![2]);
        if (fanOut >= 0 && path!.length > 3) {
          pageErrors.push({ region, position, fanOut, error }); // placed once the pages are merged
          continue;
        }
        if (!fromHome && fanOut < 0) continue; // the owner's answer counts for these
        errors.push(this.regionError(region, error, ['_entities', index, ...path!.slice(2)]));
      }
    }

    sent.forEach((index, position) => {
      const home = homes[index]!;
      const own = entityAt(home, position);
      const any = own ?? asked.map((region) => entityAt(region, position)).find((entity) => entity !== null) ?? null;
      if (!any) return;
      const entity: Json = own ? { ...own } : { __typename: any.__typename };
      analyzed.entityFanOuts.forEach((fanOut, i) => {
        const state = states[i];
        const pages = state.targets.map((region) => ({ region, value: (entityAt(region, position)?.[fanOut.responseKey] as Json | null | undefined) ?? null }));
        entity[fanOut.responseKey] = state.refused
          ? null
          : state.targets.length === 0
            ? emptyPage(fanOut.fanOut, state.start, state.resumed)
            : pages.every((page) => page.value === null)
              ? null
              : this.mergePage(merges, `${position}\n${i}`, { shape: fanOut.fanOut, pages, first: state.first, start: state.start, resumed: state.resumed });
      });
      entities[index] = entity;
    });
    for (const { region, position, fanOut, error } of pageErrors) {
      const merge = merges.get(`${position}\n${fanOut}`);
      const key = analyzed.entityFanOuts[fanOut].responseKey;
      // A region whose page came back null (an error bubbled up to it) is missing from the list as a whole.
      const within =
        merge && entityAt(region, position)?.[key] ? mergedErrorPath(analyzed.entityFanOuts[fanOut].fanOut, merge, region, error.path!.slice(3)) : [];
      if (within) errors.push(this.regionError(region, error, ['_entities', sent[position], key, ...within]));
    }
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }

  /** Merges one fanned-out field's pages, keeping where each region's edges went (for its errors) under `key`. */
  private mergePage(merges: Map<string, PlacedMerge>, key: string, input: MergeInput): Json {
    const merge = mergeFanOutPlaced(input);
    merges.set(key, merge);
    return merge.value;
  }

  private async fetchRootFields(query: string, analyzed: AnalyzedOperation, variables: Json, call: Call) {
    const data: Json = {};
    const errors: GraphQLFormattedError[] = [];
    const assigned = new Map<string, RootSelection[]>();
    const routed = new Map<number, string>();
    const fanOuts = new Map<number, FanOutState>();
    const assign = (region: string, root: RootSelection) => assigned.set(region, [...(assigned.get(region) ?? []), root]);
    const refuse = (root: RootSelection, error: GraphQLFormattedError) => {
      data[root.responseKey] = null;
      errors.push(error);
    };

    for (const root of analyzed.roots) {
      const route = root.route;
      const path = [root.responseKey];
      if (route.kind === 'routeBy') {
        const [argument, ...rest] = route.argumentPath;
        const value = rest.reduce<unknown>(
          (v, key) => (v && typeof v === 'object' ? (v as Json)[key] : undefined),
          argumentValue(root.field, argument, variables),
        );
        const region = regionOfRoutingValue(value);
        if (!region) {
          refuse(
            root,
            gatewayError(
              'BAD_USER_INPUT',
              `${route.argumentPath.join('.')}: must be a region code or a global id such as "330400:17", but got ${JSON.stringify(value)}`,
              path,
              { field: route.argumentPath.join('.') },
            ),
          );
        } else if (!this.regions.has(region)) {
          refuse(
            root,
            gatewayError(
              'UNKNOWN_REGION',
              `${route.argumentPath.join('.')}: region ${region} is not served by this hub; known regions: ${this.regionCodes.join(', ')}`,
              path,
              { region },
            ),
          );
        } else {
          routed.set(root.index, region);
          assign(region, root);
        }
      } else if (route.kind === 'fanOut') {
        const scope = argumentValue(root.field, 'regions', variables) as string[] | null | undefined;
        const unknown = (scope ?? []).filter((code) => !this.regions.has(code));
        if (unknown.length) {
          refuse(
            root,
            gatewayError('BAD_USER_INPUT', `regions: ${unknown.join(', ')} not served by this hub; known regions: ${this.regionCodes.join(', ')}`, path, {
              field: 'regions',
            }),
          );
          continue;
        }
        const after = argumentValue(root.field, 'after', variables);
        let start = EMPTY_CURSOR;
        if (after !== null && after !== undefined) {
          try {
            start = decodeCompositeCursor(after);
          } catch (error) {
            refuse(root, { message: (error as GraphQLError).message, path, extensions: (error as GraphQLError).extensions });
            continue;
          }
        }
        const requested = argumentValue(root.field, 'first', variables);
        const first = typeof requested === 'number' ? requested : (route.defaultFirst ?? 20);
        const targets = (scope ?? this.regionCodes).filter((code) => !start.exhausted.includes(code));
        const unique = [...new Set(targets)];
        const state: FanOutState = {
          root,
          targets: unique,
          first,
          probe: probeSize(first, unique.length),
          start,
          resumed: after !== null && after !== undefined,
        };
        fanOuts.set(root.index, state);
        state.targets.forEach((region) => assign(region, root));
      }
    }
    // Fields any region answers alike ride along with a region already being asked.
    const anyRoots = analyzed.roots.filter((root) => root.route.kind === 'any');
    if (anyRoots.length) {
      const region = assigned.keys().next().value ?? this.regionCodes[0];
      anyRoots.forEach((root) => {
        routed.set(root.index, region);
        assign(region, root);
      });
    }

    const results = new Map<string, RegionResult>();
    await Promise.all(
      [...assigned].map(async ([region, roots]) => {
        const untouched = roots.length === analyzed.roots.length && !roots.some((root) => root.fanOut);
        const text = untouched ? query : printRegionOperation(analyzed, roots);
        const regionVariables: Json = { ...variables };
        for (const root of roots) {
          const state = fanOuts.get(root.index);
          if (!state) continue;
          regionVariables[firstVariable(root)] = state.probe;
          regionVariables[afterVariable(root)] = state.start.positions[region] ?? null;
        }
        results.set(region, await this.send(region, text, regionVariables, call));
      }),
    );

    const seenErrors = new Set<string>();
    /** Errors inside a fanned-out field's page (`offset`: edges of the region's page before a refill's), placed once it is merged. */
    const pageErrors: Array<{ root: RootSelection; region: string; error: GraphQLFormattedError; offset: number }> = [];
    const merged = new Map<string, PlacedMerge>();
    const pagesOf = new Map<string, RegionPage[]>();
    /** Regions whose page the gateway left out (its refill failed): none of their rows' errors apply. */
    const withdrawn = new Set<string>();
    const passErrors = (region: string, result: SubgraphResponse, root: RootSelection, offset?: number) => {
      const key = root.responseKey;
      for (const error of result.errors ?? []) {
        if (error.path && error.path[0] !== key) continue;
        if (offset !== undefined && error.path && error.path.length > 1) {
          pageErrors.push({ root, region, error, offset });
          continue;
        }
        if (!error.path && seenErrors.has(`${region}|${error.message}`)) continue;
        seenErrors.add(`${region}|${error.message}`);
        errors.push(this.regionError(region, error));
      }
    };
    const edgeCount = (page: Json | null) => skeletonEdges(page).length;

    const refills: Array<Promise<void>> = [];
    const merges: Array<() => void> = [];
    for (const root of analyzed.roots) {
      const key = root.responseKey;
      if (key in data) continue; // refused above
      const state = fanOuts.get(root.index);
      if (!state) {
        const region = routed.get(root.index)!;
        const result = results.get(region)!;
        if (result instanceof EndpointUnavailableError) {
          refuse(root, regionUnavailable(region, this.regionName(region), result.reason, [key]));
        } else {
          data[key] = result.data?.[key] ?? null;
          passErrors(region, result, root);
        }
        continue;
      }
      if (state.targets.length === 0) {
        data[key] = emptyPage(root.fanOut!, state.start, state.resumed);
        continue;
      }
      const pages = state.targets.map((region) => {
        const result = results.get(region)!;
        if (result instanceof EndpointUnavailableError) {
          errors.push(regionUnavailable(region, this.regionName(region), result.reason, [key]));
          return { region, value: null };
        }
        passErrors(region, result, root, 0);
        return { region, value: (result.data?.[key] as Json | null | undefined) ?? null };
      });
      // Second (and last) round: the regions that may hold more of the page than the probe
      // gave; every fanned-out field's refills go out together, then each field is merged.
      const text = state.probe < state.first ? printRegionOperation(analyzed, [root]) : '';
      refills.push(
        ...(state.probe < state.first ? refillsNeeded(root.fanOut!, pages, state.first) : []).map(async ({ region, after, first }) => {
          const result = await this.send(region, text, { ...variables, [firstVariable(root)]: first, [afterVariable(root)]: after }, call);
          const page = pages.find((candidate) => candidate.region === region)!;
          if (result instanceof EndpointUnavailableError) {
            errors.push(regionUnavailable(region, this.regionName(region), result.reason, [key]));
          } else {
            passErrors(region, result, root, edgeCount(page.value));
          }
          const more = result instanceof EndpointUnavailableError ? undefined : (result.data?.[key] as Json | null | undefined);
          // Half a region would put its later rows on a later page, out of order: without the
          // refill the region counts as not answering (its position is kept for the next page).
          if (more && page.value) appendPage(root.fanOut!, page.value, more);
          else {
            page.value = null;
            withdrawn.add(`${key}\n${region}`);
          }
        }),
      );
      pagesOf.set(key, pages);
      data[key] = null; // keeps the fields in the operation's order until merged
      merges.push(() => {
        data[key] = pages.every((page) => page.value === null)
          ? null
          : this.mergePage(merged, key, { shape: root.fanOut!, pages, first: state.first, start: state.start, resumed: state.resumed });
      });
    }
    await Promise.all(refills);
    for (const merge of merges) merge();
    // A region's error inside its page points at the row's place in the merged page, or goes
    // with the row when the page dropped it.
    for (const { root, region, error, offset } of pageErrors) {
      const key = root.responseKey;
      if (withdrawn.has(`${key}\n${region}`)) continue;
      const merge = merged.get(key);
      // A region whose page came back null (a non-null field's error bubbled up to it) is missing from the list as a whole.
      const page = pagesOf.get(key)?.find((candidate) => candidate.region === region);
      const within = merge && page?.value ? mergedErrorPath(root.fanOut!, merge, region, error.path!.slice(1), offset) : [];
      if (within) errors.push(this.regionError(region, error, [key, ...within]));
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }
}
