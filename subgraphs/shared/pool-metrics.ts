import type { Pool } from 'pg';
import { metricsOn, observedPools, queryDuration } from '../../platform/metrics';
import { observeQueries } from './db';

/**
 * Reports `pool` under `region` ("hub" for the hub's own database): its connections, read at
 * scrape time, and the duration of every statement sent through it (one histogram
 * observation each, on a label set bound here once). With metrics off, statements go untimed.
 */
export function observePool(pool: Pool, region: string): void {
  if (!metricsOn) return;
  observedPools.set(region, pool);
  const histogram = queryDuration.labels(region);
  observeQueries(pool, (seconds) => histogram.observe(seconds));
}
