/**
 * HUB_METRICS: whether the hub records metrics at all. `on` (the default, also `1`) or `off`
 * (also `0`). Off exists to measure what metrics cost (the benchmark runs a hub each way) and
 * for a deployment that scrapes nothing. Kept apart from metrics.ts, which reads it as it loads,
 * so that the command line can refuse a bad value with a plain message before anything loads.
 */
export function metricsSettingOf(env: NodeJS.ProcessEnv): boolean {
  const value = env.HUB_METRICS;
  if (value === undefined || value === '' || value === 'on' || value === '1') return true;
  if (value === 'off' || value === '0') return false;
  throw new Error(`HUB_METRICS must be "on" or "off", but got ${JSON.stringify(value)}`);
}
