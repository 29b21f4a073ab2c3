import type { FormattedExecutionResult } from 'graphql';
import { metricsOn, subgraphRequestDuration, subgraphRequests } from '../../platform/metrics';
import type { HubContext } from './context';

/**
 * Requests a subgraph host answers, whether by Apollo Server or directly (direct-execution.ts):
 * begun when the context is made (the token accepted), counted once the answer is settled
 * (its audit rows written, or AUDIT_UNAVAILABLE). Requests refused for their token are the
 * gateway's to count: only the gateway calls subgraphs. With metrics off, nothing is marked
 * and so nothing counted.
 */

/** When a request began, kept on its context itself: a WeakMap entry per request cost as much as all that is recorded of it. */
const BEGAN = Symbol('request began');
type Marked = { [BEGAN]?: number };

/** Marks `context` as a request begun now. */
export function requestBegun<T extends object>(context: T): T {
  if (metricsOn) (context as Marked)[BEGAN] = performance.now();
  return context;
}

const outcomeOf = (result: FormattedExecutionResult): string => {
  if (!result.errors?.length) return 'ok';
  if (result.data !== null && result.data !== undefined) return 'partial';
  const code = result.errors[0].extensions?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : 'ERROR';
};

export function requestSettled(subgraph: string, context: HubContext, result: FormattedExecutionResult): void {
  if (!metricsOn) return;
  const began = (context as Marked)[BEGAN];
  if (began === undefined) return;
  (context as Marked)[BEGAN] = undefined;
  const region = (context as { region?: string }).region ?? 'hub';
  subgraphRequests.labels(region, subgraph, outcomeOf(result)).inc();
  subgraphRequestDuration.labels(region, subgraph).observe((performance.now() - began) / 1000);
}
