import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { logger } from '../platform/logger';
import { annotateSpan, tracingOn } from '../platform/tracing';
import { metricsOn, operationLabel, operationLimitRefusals, partialAnswers, requestDuration, requests } from '../platform/metrics';
import type { OperationLimitCode } from './operation-limits';
import { regionsAsked } from './region-metrics';
import type { GatewayContext } from './request-budget';

/**
 * Per GraphQL request at the gateway: the request series (by operation name and outcome), its
 * latency, partial answers and operation-limit refusals, and one info log line with the
 * operation, the caller's id, the regions asked, the duration and the outcome. Requests refused
 * at the door (no valid token) never reach the plugins: see logRefusedRequest. With metrics
 * off (HUB_METRICS=off) only the log line is made.
 */

const SERVICE = 'gateway';

const OPERATION_LIMIT_CODES: ReadonlySet<string> = new Set<OperationLimitCode>([
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'ROOT_FIELD_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
]);

/** `ok`, `partial` (data with errors), or the first error's code (a bounded set: codeOf). */
function outcomeOf(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors?.length) return 'ok';
  if (data !== null && data !== undefined) return 'partial';
  return codeOf(errors[0]);
}

const codeOf = (error: GraphQLFormattedError): string => {
  const code = error.extensions?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : 'ERROR';
};

function count(operation: string, outcome: string, seconds: number): void {
  requests.labels(SERVICE, operation, outcome).inc();
  requestDuration.labels(SERVICE, operation).observe(seconds);
}

/** An answer's series: its request and latency, and whether it was partial or refused for a limit. */
function countAnswer(operation: string, outcome: string, seconds: number, data: unknown, errors: readonly GraphQLFormattedError[] | undefined): void {
  count(operation, outcome, seconds);
  if (errors?.some((error) => error.extensions?.code === 'REGION_UNAVAILABLE') && data) partialAnswers.labels(operation).inc();
  if (errors?.length && !data) {
    const code = errors[0].extensions?.code;
    if (typeof code === 'string' && OPERATION_LIMIT_CODES.has(code)) operationLimitRefusals.labels(code).inc();
  }
}

/** When each request's context began to be made (authentication included), by its budget (one per request). */
const startedAt = new WeakMap<object, number>();

/** Marks `context` as begun at `at` (performance.now()); Apollo's plugins only start after authentication. */
export function requestBegun(context: GatewayContext, at: number): GatewayContext {
  if (context.regionBudget) startedAt.set(context.regionBudget, at);
  return context;
}

export function requestTelemetryPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const began = (contextValue.regionBudget && startedAt.get(contextValue.regionBudget)) ?? performance.now();
      return {
        async willSendResponse(requestContext: GraphQLRequestContext<GatewayContext>) {
          const body = requestContext.response.body;
          const result = !body ? {} : body.kind === 'single' ? body.singleResult : body.initialResult;
          const errors = result.errors as readonly GraphQLFormattedError[] | undefined;
          const outcome = outcomeOf(result.data, errors);
          const seconds = (performance.now() - began) / 1000;
          if (metricsOn) countAnswer(operationLabel(requestContext.operationName), outcome, seconds, result.data, errors);
          if (tracingOn()) annotateSpan({ 'graphql.operation.name': operationLabel(requestContext.operationName), 'hub.outcome': outcome });
          const context = requestContext.contextValue;
          // One line per client request; a subscription's per-event queries (thousands a second
          // under load) only when debugging.
          if (context.liveEvents && !logger.isLevelEnabled('debug')) return;
          (context.liveEvents ? logger.debug : logger.info).call(logger, {
            msg: 'request',
            operation: requestContext.operationName ?? null,
            caller: context.auth?.caller.id ?? null,
            requestId: context.auth?.context.requestId ?? null,
            regions: regionsAsked(context.regionBudget),
            durationMs: Math.round(seconds * 10_000) / 10,
            outcome,
          });
        },
      };
    },
  };
}

/** The log line and request series of a request refused before Apollo Server saw it (authentication). */
export function logRefusedRequest(began: number, error: unknown): void {
  const outcome = codeOf({ message: '', extensions: (error as { extensions?: Record<string, unknown> }).extensions });
  const seconds = (performance.now() - began) / 1000;
  if (metricsOn) count('unknown', outcome, seconds);
  logger.info({ msg: 'request', operation: null, caller: null, requestId: null, regions: [], durationMs: Math.round(seconds * 10_000) / 10, outcome });
}
