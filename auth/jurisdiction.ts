/**
 * Jurisdiction codes (GB/T 2260): 6 digits for province, city and county, 9 for streets.
 * They nest by prefix: a province is its first 2 digits (33), a city its first 4 (3304),
 * a county all 6 (330421). "330400 contains 330421" is therefore a prefix test on the
 * significant digits, which is all the hub ever needs to decide who is inside whom.
 */

export type JurisdictionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'STREET';

const CODE_PATTERN = /^\d{6}(\d{3})?$/;

export function isJurisdictionCode(value: unknown): value is string {
  return typeof value === 'string' && CODE_PATTERN.test(value);
}

const prefixes = new Map<string, string>();
const MAX_REMEMBERED_PREFIXES = 20_000;

/** The digits that identify a jurisdiction: 330000 → "33", 330400 → "3304", 330421 → "330421". */
export function significantPrefix(code: string): string {
  // Asked for every field of every record a rule guards; the codes in use are few.
  let prefix = prefixes.get(code);
  if (prefix === undefined) {
    prefix = prefixOf(code);
    if (prefixes.size >= MAX_REMEMBERED_PREFIXES) prefixes.clear();
    prefixes.set(code, prefix);
  }
  return prefix;
}

function prefixOf(code: string): string {
  if (!isJurisdictionCode(code)) {
    throw new TypeError(`A jurisdiction code has 6 or 9 digits (GB/T 2260), but got: ${JSON.stringify(code)}`);
  }
  if (code.length === 9) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function levelOf(code: string): JurisdictionLevel {
  const prefix = significantPrefix(code);
  switch (prefix.length) {
    case 2:
      return 'PROVINCE';
    case 4:
      return 'CITY';
    case 6:
      return 'COUNTY';
    default:
      return 'STREET';
  }
}

/** True when `inner` lies within `outer` (or is it). */
export function contains(outer: string, inner: string): boolean {
  return significantPrefix(inner).startsWith(significantPrefix(outer));
}

/** The province a code belongs to: 330421 → 330000. */
export function provinceOf(code: string): string {
  return significantPrefix(code).slice(0, 2) + '0000';
}

/**
 * The region (one of `regionCodes`) that owns `code`: the most specific region containing it.
 * Shanghai's region is 310000 itself, so 310118 (Qingpu) belongs to it; 330421 belongs to 330400.
 */
export function owningRegion(code: string, regionCodes: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const region of regionCodes) {
    if (contains(region, code) && (best === undefined || significantPrefix(region).length > significantPrefix(best).length)) {
      best = region;
    }
  }
  return best;
}
