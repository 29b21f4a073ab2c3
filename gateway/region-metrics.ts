import type { GraphQLFormattedError } from 'graphql';
import { circuitState, circuitTransitions, metricsOn, regionErrors, regionFetchDuration, regionFetches, regionTimeouts } from '../platform/metrics';
import type { RequestRegionBudget } from './request-budget';
import { EndpointUnavailableError, SubgraphEndpoint, SubgraphResponse } from './subgraph-client';

/**
 * What the gateway observes of each region's subgraphs: every fetch's outcome and latency,
 * the error codes in their answers, and their circuit breakers; also, per request, which
 * regions it asked (for the request's log line). The per-fetch work is a few additions to
 * series bound once (platform/bound-series.ts); with metrics off
 * (HUB_METRICS=off), only what /ready and the log line read: circuit states and regions asked.
 */

export type CircuitState = 'closed' | 'half_open' | 'open';
const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** Circuit state of every endpoint the gateway calls, by region then subgraph (for /ready). */
const circuits = new Map<string, Map<string, CircuitState>>();

export function circuitStates(): ReadonlyMap<string, ReadonlyMap<string, CircuitState>> {
  return circuits;
}

/** Follows `endpoint`'s breaker into the circuit series and the map /ready reads. */
export function watchCircuit(endpoint: SubgraphEndpoint, region: string, subgraph: string): void {
  const gauge = metricsOn ? circuitState.labels(region, subgraph) : undefined;
  const byRegion = circuits.get(region) ?? circuits.set(region, new Map()).get(region)!;
  const enter = (state: CircuitState, transition: boolean) => {
    byRegion.set(subgraph, state);
    if (!gauge) return;
    gauge.set(STATE_VALUE[state]);
    if (transition) circuitTransitions.labels(region, subgraph, state).inc();
  };
  enter('closed', false);
  endpoint.onCircuitChange((state) => enter(state, true));
}

/** Outcomes of one fetch; `skipped`: not sent, the region already failed in this request. */
type FetchOutcome = 'ok' | 'graphql_errors' | 'unavailable' | 'timeout' | 'circuit_open' | 'skipped';

/**
 * The kind of failure, read from the reason subgraph-client.ts gives callers (the one place
 * that words them): a timeout, an open circuit, or any other missing answer.
 */
function failureOutcome(error: EndpointUnavailableError): FetchOutcome {
  if (error.reason.startsWith('no answer within')) return 'timeout';
  if (error.reason.includes('stopped calling')) return 'circuit_open';
  return 'unavailable';
}

/** Error codes are labels only in their usual form (SCREAMING_CASE), and only so many of them. */
const MAX_ERROR_CODES = 50;
const errorCodes = new Set<string>();
function codeLabel(error: GraphQLFormattedError): string {
  const code = error.extensions?.code;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{0,39}$/.test(code)) return 'OTHER';
  if (errorCodes.has(code)) return code;
  if (errorCodes.size >= MAX_ERROR_CODES) return 'OTHER';
  errorCodes.add(code);
  return code;
}

/** Regions each request asked, kept beside its budget (one object per request). */
const askedByRequest = new WeakMap<RequestRegionBudget, Set<string>>();

export function regionsAsked(budget: RequestRegionBudget | undefined): string[] {
  return budget ? [...(askedByRequest.get(budget) ?? [])].sort() : [];
}

export class RegionFetchMetrics {
  constructor(private readonly subgraph: string) {}

  /** One fetch to `region`, begun at `startedAt` (performance.now()), and what came of it. */
  observe(region: string, budget: RequestRegionBudget, startedAt: number, result: SubgraphResponse | EndpointUnavailableError, sent = true): void {
    let asked = askedByRequest.get(budget);
    if (!asked) askedByRequest.set(budget, (asked = new Set()));
    asked.add(region);
    if (!metricsOn) return;
    let outcome: FetchOutcome;
    if (result instanceof EndpointUnavailableError) {
      outcome = sent ? failureOutcome(result) : 'skipped';
      regionErrors.labels(region, this.subgraph, 'REGION_UNAVAILABLE').inc();
      if (outcome === 'timeout') regionTimeouts.labels(region, this.subgraph).inc();
    } else {
      outcome = result.errors?.length ? 'graphql_errors' : 'ok';
      for (const error of result.errors ?? []) regionErrors.labels(region, this.subgraph, codeLabel(error)).inc();
    }
    if (sent) regionFetchDuration.labels(region, this.subgraph).observe((performance.now() - startedAt) / 1000);
    regionFetches.labels(region, this.subgraph, outcome).inc();
  }
}
