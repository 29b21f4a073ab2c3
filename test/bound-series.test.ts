import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../platform/bound-series';

/**
 * The hub's counters and histograms (platform/bound-series.ts) read out exactly as
 * prom-client's own after the same calls: the same text at /metrics, the same JSON a worker
 * thread sends, the same merge of several threads' series.
 */

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0004, 0.001, 0.0099, 0.05, 0.1, 0.7, 3, 12.5];

function both() {
  const theirs = new Registry();
  const ours = new Registry();
  const counterConfig = { name: 'yrd_test_fetches_total', help: 'Fetches "sent", by region\\outcome', labelNames: ['region', 'outcome'] as const };
  const histogramConfig = { name: 'yrd_test_fetch_duration_seconds', help: 'Fetch time', labelNames: ['region'] as const, buckets: BUCKETS };
  return {
    theirs,
    ours,
    counters: [new Counter({ ...counterConfig, registers: [theirs] }), new BoundCounter({ ...counterConfig, registry: ours })] as const,
    histograms: [new Histogram({ ...histogramConfig, registers: [theirs] }), new BoundHistogram({ ...histogramConfig, registry: ours })] as const,
  };
}

/** The same calls on prom-client's metrics and on ours. */
function record({ counters, histograms }: ReturnType<typeof both>, shift = 0): void {
  for (const counter of counters) {
    counter.labels('330400', 'ok').inc();
    counter.labels('310000', 'timeout').inc(0);
    counter.labels('330400', 'ok').inc(2);
    counter.labels('320500', 'graphql_errors').inc();
  }
  for (const histogram of histograms) {
    OBSERVED.forEach((value, i) => histogram.labels(i % 3 === 0 ? '310000' : '340100').observe(value + shift));
    histogram.labels('330400'); // bound, never observed: not shown
  }
}

test('the same calls read out as the same text and JSON as prom-client’s', async () => {
  const metrics = both();
  expect(await metrics.ours.metrics()).toBe(await metrics.theirs.metrics()); // nothing recorded yet
  record(metrics);
  const text = await metrics.ours.metrics();
  expect(text).toBe(await metrics.theirs.metrics());
  expect(text).toMatch(/^yrd_test_fetch_duration_seconds_bucket\{le="0\.01",region="340100"\} 2$/m);
  expect(text).toMatch(/^yrd_test_fetches_total\{region="330400",outcome="ok"\} 3$/m);
  expect(await metrics.ours.getMetricsAsJSON()).toEqual(await metrics.theirs.getMetricsAsJSON());
});

test('several threads’ series merge as prom-client’s do', async () => {
  const threads = [both(), both()];
  threads.forEach((thread, i) => record(thread, i / 100));
  const merged = async (registries: Registry[]) => AggregatorRegistry.aggregate(await Promise.all(registries.map((r) => r.getMetricsAsJSON()))).metrics();
  expect(await merged(threads.map((t) => t.ours))).toBe(await merged(threads.map((t) => t.theirs)));
});

test('labels() gives the same series for the same values, and refuses a wrong number of them', () => {
  const { counters, histograms } = both();
  const [, counter] = counters;
  const [, histogram] = histograms;
  expect(counter.labels('330400', 'ok')).toBe(counter.labels('330400', 'ok'));
  expect(counter.labels('330400', 'ok')).not.toBe(counter.labels('330400', 'timeout'));
  // Values are told apart however they would join.
  expect(counter.labels('33', '0400ok')).not.toBe(counter.labels('330400', 'ok'));
  expect(histogram.labels('330400')).toBe(histogram.labels('330400'));
  expect(() => counter.labels('330400')).toThrow('yrd_test_fetches_total has the labels region, outcome, but got 1 values: 330400');
});
