import { AggregatorRegistry, MetricObjectWithValues, MetricValue, register } from 'prom-client';

/**
 * /metrics across worker threads. Each region worker thread has a registry of its own (its
 * regions' subgraph, pool and query series); the gateway's thread asks each for its series over
 * the thread's message port at scrape time and merges them with its own, so that one scrape of
 * the gateway shows every hosted region. prom-client's AggregatorRegistry is made for cluster
 * workers (it asks them over IPC itself); only its `aggregate` is used here, which sums
 * counters, histograms and gauges by label set — right, since each region's series are on one
 * thread only.
 */

export type ThreadSeries = Array<MetricObjectWithValues<MetricValue<string>>>;

/**
 * Process-wide figures (CPU, memory, file descriptors, event loop of the process' main thread):
 * every thread reports the same process, so summing them would count it once per thread.
 */
const PROCESS_WIDE = /^yrd_(process|nodejs)_/;

/** This thread's series, without the process-wide ones (what a worker sends). */
export async function threadSeries(): Promise<ThreadSeries> {
  return (await register.getMetricsAsJSON()).filter((metric) => !PROCESS_WIDE.test(metric.name)) as ThreadSeries;
}

const sources = new Set<() => Promise<ThreadSeries[]>>();

/** Adds other threads' series to this thread's /metrics; returns the way to take them out again. */
export function addThreadMetrics(source: () => Promise<ThreadSeries[]>): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

/** This thread's metrics and those of the threads added, in Prometheus' text format. */
export async function metricsText(): Promise<string> {
  if (sources.size === 0) return register.metrics();
  const [own, others] = await Promise.all([register.getMetricsAsJSON() as Promise<ThreadSeries>, Promise.all([...sources].map((source) => source()))]);
  const merged = await AggregatorRegistry.aggregate([own.filter((metric) => !PROCESS_WIDE.test(metric.name)), ...others.flat()]).metrics();
  // This thread's process-wide figures as they are (aggregate would drop or average some of them).
  const processWide = await Promise.all(own.filter((metric) => PROCESS_WIDE.test(metric.name)).map((metric) => register.getSingleMetricAsString(metric.name)));
  return `${merged.replace(/\n*$/, '\n')}${processWide.map((text) => `${text.replace(/\n*$/, '')}\n`).join('')}`;
}
