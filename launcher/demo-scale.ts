import { ConfigError } from '../platform/config-file';
import type { SeedScale } from '../subgraphs/shared/subgraph-module';

/** Demo sizes: the defaults, and `HUB_SCALE`'s per-region overrides (a module of its own, so that `yrd-hub token` loads nothing heavy). */

export const DEFAULT_SCALE: SeedScale = { persons: 2000, petitions: 5000, warnings: 500, inspections: 200, officersPerAgency: 4 };

/**
 * Reads per-region demo sizes such as "330400:petitions=1000000;320500:persons=5000" (the
 * HUB_SCALE variable): a benchmark's large region without touching the others.
 */
export function parseRegionScale(text: string | undefined): Record<string, Partial<SeedScale>> {
  const scales: Record<string, Partial<SeedScale>> = {};
  for (const part of (text ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\d{6}):(.+)$/.exec(part);
    if (!match) throw new ConfigError('HUB_SCALE', [`"${part}" should read REGION:size=N[,size=N], such as 330400:petitions=1000000`]);
    for (const setting of match[2].split(',')) {
      const [key, value] = setting.split('=').map((s) => s.trim());
      if (!(key in DEFAULT_SCALE)) throw new ConfigError('HUB_SCALE', [`"${key}" is not a demo size; sizes are ${Object.keys(DEFAULT_SCALE).join(', ')}`]);
      if (!/^\d+$/.test(value ?? '')) throw new ConfigError('HUB_SCALE', [`${key} must be a whole number, but got "${value}"`]);
      scales[match[1]] = { ...scales[match[1]], [key]: Number(value) };
    }
  }
  return scales;
}
