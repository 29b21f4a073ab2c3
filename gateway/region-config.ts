import { z } from 'zod';
import { ConfigError, readConfigFile } from '../platform/config-file';
import { BreakerSettings, DEFAULT_BREAKER } from './subgraph-client';

/**
 * regions.yaml: the cities the hub federates. Adding a city is one entry here (and a restart for
 * one the hub hosts itself; launcher/region-reload.ts says what a running hub takes on).
 * A region without `url` or `endpoints` is hosted by `yrd-hub start` itself, over a database of
 * its own on the configured server.
 */

const regionCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit region code (GB/T 2260), quoted as a string');
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const positiveMs = z.number().int().positive().max(600_000);

const regionSchema = z
  .object({
    code: regionCode,
    name: z.string().min(1),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL database name')
      .optional(),
    url: httpUrl.optional().describe('base URL; subgraphs answer at URL/<subgraph>/graphql'),
    endpoints: z.record(z.string(), httpUrl).optional(),
    timeout_ms: positiveMs.optional(),
  })
  .strict();

const BREAKER_DEFAULTS = {
  failure_threshold: DEFAULT_BREAKER.failureThreshold,
  failure_rate_percent: DEFAULT_BREAKER.failureRatePercent,
  minimum_requests: DEFAULT_BREAKER.minimumRequests,
  window_ms: DEFAULT_BREAKER.windowMs,
  reset_after_ms: DEFAULT_BREAKER.resetAfterMs,
};

const configSchema = z
  .object({
    regional_subgraphs: z.array(z.string().min(1)).min(1),
    defaults: z
      .object({
        timeout_ms: positiveMs.default(3000),
        circuit_breaker: z
          .object({
            failure_threshold: z.number().int().min(1).default(DEFAULT_BREAKER.failureThreshold),
            failure_rate_percent: z.number().int().min(1).max(99).default(DEFAULT_BREAKER.failureRatePercent),
            minimum_requests: z.number().int().min(1).default(DEFAULT_BREAKER.minimumRequests),
            window_ms: positiveMs.default(DEFAULT_BREAKER.windowMs),
            reset_after_ms: positiveMs.default(DEFAULT_BREAKER.resetAfterMs),
          })
          .strict()
          .default(BREAKER_DEFAULTS),
      })
      .strict()
      .default({ timeout_ms: 3000, circuit_breaker: BREAKER_DEFAULTS }),
    regions: z.array(regionSchema).min(1, 'lists no region'),
  })
  .strict();

export interface RegionSettings {
  code: string;
  name: string;
  /** Database name on the hub's PostgreSQL server when the launcher hosts the region (default <prefix>_<code>). */
  database?: string;
  timeoutMs: number;
  /** Subgraph name → GraphQL endpoint; empty until the launcher has started the region's subgraphs. */
  endpoints: Record<string, string>;
  /** True when the launcher starts this region's subgraphs itself. */
  hosted: boolean;
}

export interface RegionConfig {
  file: string;
  regionalSubgraphs: string[];
  breaker: BreakerSettings;
  regions: RegionSettings[];
}

export function loadRegionConfig(file: string): RegionConfig {
  const raw = readConfigFile(file, configSchema);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  raw.regions.forEach((region, index) => {
    const earlier = seen.get(region.code);
    if (earlier !== undefined) problems.push(`regions.${index}.code: ${region.code} is already regions.${earlier}.code`);
    seen.set(region.code, index);
    if (region.url && region.endpoints) problems.push(`regions.${index}: give url or endpoints, not both`);
    for (const subgraph of Object.keys(region.endpoints ?? {})) {
      if (!raw.regional_subgraphs.includes(subgraph)) {
        problems.push(`regions.${index}.endpoints.${subgraph}: not one of regional_subgraphs (${raw.regional_subgraphs.join(', ')})`);
      }
    }
    if (region.endpoints) {
      const missing = raw.regional_subgraphs.filter((s) => !region.endpoints![s]);
      if (missing.length) problems.push(`regions.${index}.endpoints: missing ${missing.join(', ')}`);
    }
  });
  if (problems.length) throw new ConfigError(file, problems);

  return {
    file,
    regionalSubgraphs: raw.regional_subgraphs,
    breaker: {
      failureThreshold: raw.defaults.circuit_breaker.failure_threshold,
      failureRatePercent: raw.defaults.circuit_breaker.failure_rate_percent,
      minimumRequests: raw.defaults.circuit_breaker.minimum_requests,
      windowMs: raw.defaults.circuit_breaker.window_ms,
      resetAfterMs: raw.defaults.circuit_breaker.reset_after_ms,
    },
    regions: raw.regions.map((region) => ({
      code: region.code,
      name: region.name,
      database: region.database,
      timeoutMs: region.timeout_ms ?? raw.defaults.timeout_ms,
      endpoints: region.endpoints
        ? { ...region.endpoints }
        : region.url
          ? Object.fromEntries(raw.regional_subgraphs.map((s) => [s, `${region.url!.replace(/\/$/, '')}/${s}/graphql`]))
          : {},
      hosted: !region.url && !region.endpoints,
    })),
  };
}
