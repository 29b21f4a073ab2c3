import { ConfigError } from '../platform/config-file';
import type { RegionConfig } from '../gateway/region-config';

/**
 * What a reloaded regions.yaml changes in a running hub, checked before anything is applied.
 * Regions reached at a URL may be added, moved, retimed or removed; a region the hub hosts
 * itself (no url) keeps the endpoints the launcher gave it at start, and one that was not
 * hosted at start cannot become hosted (its database and subgraphs are prepared only at start).
 * The regional subgraphs are fixed by the supergraph, so changing them also waits for a restart.
 */

export interface RegionReload {
  /** The configuration to serve, hosted regions' endpoints filled in. */
  config: RegionConfig;
  /** One line per change, for the log ("region 340100 added", …); empty when nothing changed. */
  changes: string[];
}

/** `hosted`: the endpoints of each region the launcher started, by code (a region taken out and listed again is served by them again). */
export function planRegionReload(running: RegionConfig, next: RegionConfig, hosted: ReadonlyMap<string, Record<string, string>>): RegionReload {
  const problems: string[] = [];
  if (next.regionalSubgraphs.join() !== running.regionalSubgraphs.join()) {
    problems.push(
      `regional_subgraphs: ${next.regionalSubgraphs.join(', ')} differ from the running ${running.regionalSubgraphs.join(', ')}; restart the hub to change them`,
    );
  }
  const before = new Map(running.regions.map((region) => [region.code, region]));
  const regions = next.regions.map((region, index) => {
    if (!region.hosted) return region;
    const endpoints = hosted.get(region.code);
    if (!endpoints) {
      problems.push(
        `regions.${index} (${region.code}): has no url, but this hub hosts only the regions it started with; give the region's url or endpoints, or restart the hub to host it`,
      );
      return region;
    }
    return { ...region, endpoints: { ...endpoints } };
  });
  if (problems.length) throw new ConfigError(next.file, problems);

  const changes: string[] = [];
  for (const region of regions) {
    const current = before.get(region.code);
    if (!current) changes.push(`region ${region.code} (${region.name}) added`);
    else {
      if (JSON.stringify(current.endpoints) !== JSON.stringify(region.endpoints))
        changes.push(`region ${region.code} moved to ${Object.values(region.endpoints)[0]?.replace(/\/[^/]+\/graphql$/, '')}`);
      if (current.timeoutMs !== region.timeoutMs) changes.push(`region ${region.code} timeout ${current.timeoutMs} → ${region.timeoutMs} ms`);
      if (current.name !== region.name) changes.push(`region ${region.code} renamed ${region.name}`);
    }
  }
  for (const region of running.regions)
    if (!next.regions.some((candidate) => candidate.code === region.code)) changes.push(`region ${region.code} (${region.name}) removed`);
  if (JSON.stringify(running.breaker) !== JSON.stringify(next.breaker)) changes.push('circuit breaker settings changed');
  return { config: { ...next, regions }, changes };
}
