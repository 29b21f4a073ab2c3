import type { Pool } from 'pg';
import { observedPools, queryDuration } from '../../platform/metrics';
import { observeQueries } from './db';

/**
 * Reports `pool` under `region` ("hub" for the hub's own database): its connections, read at
 * scrape time, and the duration of every statement sent through it (one histogram
 * observation each, on a label set bound here once).
 */
export function observePool(pool: Pool, region: string): void {
  observedPools.set(region, pool);
  const histogram = queryDuration.labels(region);
  observeQueries(pool, (seconds) => histogram.observe(seconds));
}
