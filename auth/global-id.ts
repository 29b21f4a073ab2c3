/**
 * Global record ids carry the region that owns the record: "330400:1234" is record 1234 of
 * Jiaxing's database. The gateway routes entity fetches by that prefix without asking anyone,
 * and a reference such as a warning's subject can point into another region's database.
 */

const GLOBAL_ID = /^(\d{6}):([1-9]\d{0,17})$/;

export interface GlobalIdParts {
  region: string;
  localId: string;
}

export function toGlobalId(region: string, localId: string | number | bigint): string {
  return `${region}:${localId}`;
}

/** Splits a global id, or returns undefined when `value` is not one. */
export function parseGlobalId(value: unknown): GlobalIdParts | undefined {
  if (typeof value !== 'string') return undefined;
  const match = GLOBAL_ID.exec(value);
  return match ? { region: match[1], localId: match[2] } : undefined;
}

/** The region a routing value names: a region code itself, or the owner prefix of a global id. */
export function regionOfRoutingValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{6}$/.test(value)) return value;
  return parseGlobalId(value)?.region;
}
