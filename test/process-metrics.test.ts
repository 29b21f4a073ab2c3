import { collectDefaultMetrics, Registry } from 'prom-client';
import { collectProcessMetrics } from '../platform/process-metrics';

/** Metric names a registry holds once its collectors are registered. */
async function namesIn(registry: Registry): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).map((metric) => metric.name).sort();
}

test("the process figures are prom-client's default ones, less the per-collection GC histogram", async () => {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults, prefix: 'x_' });
  const ours = new Registry();
  collectProcessMetrics('x_', ours);
  const expected = (await namesIn(defaults)).filter((name) => name !== 'x_nodejs_gc_duration_seconds');
  expect(await namesIn(ours)).toEqual(expected);
  // The event-loop figures an operator alerts on are there.
  expect(expected).toEqual(expect.arrayContaining(['x_nodejs_eventloop_lag_p99_seconds', 'x_process_cpu_seconds_total', 'x_nodejs_heap_size_used_bytes']));
});
