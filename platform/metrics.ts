import { Gauge, register } from 'prom-client';
import { BoundCounter, BoundHistogram } from './bound-series';
import { metricsSettingOf } from './metrics-setting';
import { collectProcessMetrics } from './process-metrics';

/**
 * Every Prometheus series the hub exports, defined once, in the registry of the thread that
 * loads this module: the gateway's thread, and each worker thread serving regions (each host
 * answers GET /metrics with its own thread's figures; see metrics-endpoint.ts).
 *
 * Labels are all bounded: region codes and subgraph names come from regions.yaml and the
 * supergraph, outcomes and reasons from fixed lists below, and operation names are capped
 * (operationLabel). No id, token or free text ever becomes a label.
 *
 * Counters and histograms are bound-series.ts's, in prom-client's registry (an inc() or
 * observe() on a series is a few additions, where prom-client's own hash a label object each
 * time); gauges, set rarely or read at scrape time, are prom-client's.
 *
 * With HUB_METRICS=off (metrics-setting.ts), read once per thread as this module loads (a worker
 * thread inherits the gateway process's environment), nothing is recorded: every recorder of
 * the hub tests `metricsOn` first and returns, so a request costs no label lookup and no
 * observation; the process collectors (process-metrics.ts) are not started; GET /metrics answers 404 (metrics-endpoint.ts). The series below are still defined
 * (an empty registry costs nothing per request), so that no import has to care.
 */

export const metricsOn: boolean = metricsSettingOf(process.env);

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

if (metricsOn) collectProcessMetrics('yrd_');

export const metricsRegistry = register;

/** How a GraphQL request ended: `ok`, `partial` (data and errors), or the first error's code. */
export const requests = new BoundCounter({
  name: 'yrd_requests_total',
  help: 'GraphQL requests answered, by operation name and outcome (ok, partial, or the first error code)',
  labelNames: ['service', 'operation', 'outcome'] as const,
});

export const requestDuration = new BoundHistogram({
  name: 'yrd_request_duration_seconds',
  help: "Time from a GraphQL request's arrival (its body read; authentication included) to its answer being ready",
  labelNames: ['service', 'operation'] as const,
  buckets: LATENCY_BUCKETS,
});

export const subgraphRequests = new BoundCounter({
  name: 'yrd_subgraph_requests_total',
  help: 'Requests a subgraph host answered, by region, subgraph and outcome (ok, partial, or the first error code)',
  labelNames: ['region', 'subgraph', 'outcome'] as const,
});

export const subgraphRequestDuration = new BoundHistogram({
  name: 'yrd_subgraph_request_duration_seconds',
  help: "Time a subgraph host took from accepting a request's context token to its answer (audit rows written)",
  labelNames: ['region', 'subgraph'] as const,
  buckets: LATENCY_BUCKETS,
});

export const regionFetches = new BoundCounter({
  name: 'yrd_region_fetches_total',
  help: "Fetches the gateway sent to a region's subgraph, by outcome (ok, graphql_errors, unavailable, timeout, circuit_open, skipped)",
  labelNames: ['region', 'subgraph', 'outcome'] as const,
});

export const regionFetchDuration = new BoundHistogram({
  name: 'yrd_region_fetch_duration_seconds',
  help: "Time a region's subgraph took to answer one fetch (or to fail)",
  labelNames: ['region', 'subgraph'] as const,
  buckets: LATENCY_BUCKETS,
});

export const regionErrors = new BoundCounter({
  name: 'yrd_region_errors_total',
  help: 'Errors in region answers: REGION_UNAVAILABLE for no answer, otherwise the code the subgraph gave',
  labelNames: ['region', 'subgraph', 'code'] as const,
});

export const regionTimeouts = new BoundCounter({
  name: 'yrd_region_timeouts_total',
  help: "Fetches to a region that got no answer within the region's timeout",
  labelNames: ['region', 'subgraph'] as const,
});

export const circuitState = new Gauge({
  name: 'yrd_circuit_state',
  help: 'Circuit breaker of a region\'s subgraph (or a hub subgraph, region "hub"): 0 closed, 1 half open, 2 open',
  labelNames: ['region', 'subgraph'] as const,
});

export const circuitTransitions = new BoundCounter({
  name: 'yrd_circuit_transitions_total',
  help: 'Circuit breaker changes, by the state entered (open, half_open, closed)',
  labelNames: ['region', 'subgraph', 'state'] as const,
});

export const partialAnswers = new BoundCounter({
  name: 'yrd_partial_answers_total',
  help: 'Gateway answers that left out at least one region that did not answer (REGION_UNAVAILABLE)',
  labelNames: ['operation'] as const,
});

/** The fixed reasons a caller is refused at the gateway's door. */
export const AUTH_REFUSAL_REASONS = ['no_credentials', 'not_bearer', 'token_rejected', 'roster_refused', 'roster_unavailable', 'bad_purpose'] as const;
export type AuthRefusalReason = (typeof AUTH_REFUSAL_REASONS)[number];

export const authRefusals = new BoundCounter({
  name: 'yrd_auth_refusals_total',
  help: 'Callers refused before anything was planned, by reason',
  labelNames: ['reason'] as const,
});

export const operationLimitRefusals = new BoundCounter({
  name: 'yrd_operation_limit_refusals_total',
  help: "Operations refused for their depth, aliases, root fields or cost, by the limit's error code",
  labelNames: ['code'] as const,
});

export const auditFailures = new BoundCounter({
  name: 'yrd_audit_unavailable_total',
  help: 'Answers refused with AUDIT_UNAVAILABLE because their audit rows could not be written, by region and kind (change: a mutation rolled back; read: an answer withheld)',
  labelNames: ['region', 'kind'] as const,
});

/** The pools whose connections are reported, by region code ("hub" for the hub's own database). */
export const observedPools = new Map<string, { totalCount: number; idleCount: number; waitingCount: number }>();

export const poolConnections = new Gauge({
  name: 'yrd_pg_pool_connections',
  help: 'PostgreSQL pool connections per database, by state (total, idle, waiting: callers queued for one)',
  labelNames: ['region', 'state'] as const,
  // Read at scrape time: nothing is done per query.
  collect() {
    for (const [region, pool] of observedPools) {
      this.labels(region, 'total').set(pool.totalCount);
      this.labels(region, 'idle').set(pool.idleCount);
      this.labels(region, 'waiting').set(pool.waitingCount);
    }
  },
});

export const queryDuration = new BoundHistogram({
  name: 'yrd_pg_query_duration_seconds',
  help: 'Time of one SQL statement, from sending it to its result',
  labelNames: ['region'] as const,
  buckets: QUERY_BUCKETS,
});

/** Live warnings (gateway/live/): what subscribers hold and receive, and what resolving their events costs. */
export const liveSubscriptions = new Gauge({
  name: 'yrd_live_subscriptions',
  help: 'Live warning subscriptions this gateway serves now (WebSocket and SSE)',
});

export const liveDeliveries = new BoundCounter({
  name: 'yrd_live_deliveries_total',
  help: 'Warning events handed to subscribers (one per subscriber and event)',
  labelNames: [] as const,
});

export const liveDeliveryLag = new BoundHistogram({
  name: 'yrd_live_delivery_lag_seconds',
  help: "Time from an event's transaction in its region to its hand-over to the subscriber's connection",
  labelNames: [] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

/** The two steps of resolving an event for a subscriber: may it see the warning (probe), then its selection. */
export const LIVE_STAGES = ['probe', 'selection'] as const;
export type LiveStage = (typeof LIVE_STAGES)[number];

export const liveExecutions = new BoundCounter({
  name: 'yrd_live_executions_total',
  help: 'Operations run to resolve live events, by stage (probe, selection); events of one lane asked together run as one (gateway/live/event-batches.ts)',
  labelNames: ['stage'] as const,
});

export const liveExecutedEvents = new BoundCounter({
  name: 'yrd_live_executed_events_total',
  help: 'Events those operations resolved, by stage: divided by yrd_live_executions_total, the events per operation',
  labelNames: ['stage'] as const,
});

export const liveResolvedAgain = new BoundCounter({
  name: 'yrd_live_resolved_again_total',
  help: 'Events resolved ahead while catching up that waited more than a second for their turn and were resolved again (and read again)',
  labelNames: [] as const,
});

/** Why the gateway ended subscriptions: the close codes' names (warning-event-stream.ts LIVE_CLOSE). */
export const LIVE_ENDINGS = ['UNAUTHENTICATED', 'SLOW_SUBSCRIBER', 'CURSOR_EXPIRED', 'EVENTS_UNAVAILABLE'] as const;
export const liveEndings = new BoundCounter({
  name: 'yrd_live_ended_total',
  help: 'Subscriptions the gateway ended, by reason (UNAUTHENTICATED, SLOW_SUBSCRIBER, CURSOR_EXPIRED, EVENTS_UNAVAILABLE)',
  labelNames: ['reason'] as const,
});

// Every counter starts visible at 0 for the fixed reasons, so that rate() works from the start.
if (metricsOn) for (const reason of AUTH_REFUSAL_REASONS) authRefusals.labels(reason).inc(0);

/** The live series at 0, on the thread that serves subscriptions (the gateway's), not on the region threads. */
export function showLiveSeries(): void {
  if (!metricsOn) return;
  for (const stage of LIVE_STAGES) {
    liveExecutions.labels(stage).inc(0);
    liveExecutedEvents.labels(stage).inc(0);
  }
  for (const reason of LIVE_ENDINGS) liveEndings.labels(reason).inc(0);
  liveDeliveries.labels().inc(0);
  liveResolvedAgain.labels().inc(0);
}

/**
 * The operation name a client sent, as a label: the first MAX_OPERATION_NAMES distinct names
 * keep their own series, any later one is "other", and a request without a name is
 * "anonymous". Names are GraphQL names (letters, digits, _), checked by the parser already.
 */
const MAX_OPERATION_NAMES = 100;
const operationNames = new Set<string>();

export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(name);
  return name;
}
