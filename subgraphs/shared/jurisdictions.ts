import { countiesOf, DELTA_JURISDICTIONS } from '../../auth/delta-jurisdictions';
import { contains, isJurisdictionCode, levelOf } from '../../auth/jurisdiction';

/**
 * Which jurisdiction codes a region's records may carry (a household registration, where a
 * petition or warning was registered, an agency). The hub's catalogue
 * (auth/delta-jurisdictions.ts) lists the counties of every Delta city; for a region outside it,
 * any well-formed county or street code inside the region is accepted.
 */

const NAMES = new Map(DELTA_JURISDICTIONS.map((record) => [record.code, record.name]));

/** "330421" → "嘉善县"; a street or uncatalogued code has no name here. */
export function jurisdictionName(code: string): string | undefined {
  return NAMES.get(code);
}

/**
 * Why `code` cannot be a jurisdiction of region `region`, or undefined. `cityLevel` admits the
 * region's own code (an officer of the city government); a household registration is always
 * at county level or below.
 */
export function jurisdictionProblem(region: string, code: string, options: { cityLevel: boolean }): string | undefined {
  if (!isJurisdictionCode(code)) return `must be a GB/T 2260 code of 6 digits (9 for a street), but got ${JSON.stringify(code)}`;
  if (!contains(region, code)) return `${code} is not inside region ${region} (${jurisdictionName(region) ?? region})`;
  if (code === region) return options.cityLevel ? undefined : `must name a county or street of ${jurisdictionName(region) ?? region}, not the city itself`;
  if (levelOf(code) !== 'COUNTY' && levelOf(code) !== 'STREET') return `${code} is not a county or street code`;
  const counties = countiesOf(region).filter((county) => county !== region);
  if (counties.length && !counties.includes(code.slice(0, 6))) {
    return `${code.slice(0, 6)} is not a county of ${jurisdictionName(region) ?? region}; its counties are ${counties.map((c) => `${c} ${jurisdictionName(c)}`).join(', ')}`;
  }
  return undefined;
}
