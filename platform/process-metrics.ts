import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process and event-loop figures (`yrd_process_*`, `yrd_nodejs_*`): prom-client's default
 * collectors, less two costs measured on the 4-region fan-out (BENCHMARKS.md, "what metrics
 * cost: the default collectors"), which were about 4 % of the hub's CPU per request, more than
 * all the hub's own series:
 *
 * - the event-loop monitor samples every 100 ms, not prom-client's 10 ms, which woke every thread
 *   a hundred times a second; a block still shows in full (it delays the next sample by its length);
 * - no per-collection GC histogram (`nodejs_gc_duration_seconds`): observing GC makes Node build
 *   and dispatch an entry for every collection. GC pauses show in the event-loop lag.
 *
 * prom-client has no switch for either, so the collectors are its own modules, called one by one
 * (`metricsList` names them; the package is pinned, and test/process-metrics.test.ts checks
 * that every one but the GC histogram is registered).
 */
export const EVENT_LOOP_SAMPLE_MS = 100;
const LEFT_OUT = new Set(['gc']);

type Collector = (registry: Registry | undefined, config: { prefix: string; eventLoopMonitoringPrecision: number }) => void;

export function collectProcessMetrics(prefix: string, registry?: Registry): void {
  for (const name of collectDefaultMetrics.metricsList) {
    if (LEFT_OUT.has(name)) continue;
    const collect = require(`prom-client/lib/metrics/${name}`) as Collector;
    collect(registry, { prefix, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
}
