import { readFileSync } from 'node:fs';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The jurisdictions of the Yangtze River Delta the hub knows (GB/T 2260): the four provinces,
 * all 41 prefecture-level cities, and every county-level division of them, read from the
 * committed catalogue `auth/gbt2260-yrd.tsv` (its header names the edition it follows).
 * Shanghai's districts sit directly under 310000.
 */
export interface JurisdictionRecord {
  code: string;
  name: string;
  parent: string | null;
  note?: string;
}

export const CATALOGUE_FILE = repoPath('auth', 'gbt2260-yrd.tsv');

/** Parses the catalogue: `#` comment lines, a header line, then code, name, parent, note by tabs. */
export function parseCatalogue(text: string, file = CATALOGUE_FILE): JurisdictionRecord[] {
  const lines = text.split('\n').map((line, index) => ({ line: line.replace(/\r$/, ''), number: index + 1 }));
  const rows = lines.filter(({ line }) => line.trim() !== '' && !line.startsWith('#'));
  if (rows[0]?.line !== 'code\tname\tparent\tnote')
    throw new Error(`${file}: the first line after the comments must be the header "code<TAB>name<TAB>parent<TAB>note"`);
  return rows.slice(1).map(({ line, number }) => {
    const [code, name, parent, note] = line.split('\t');
    if (!/^\d{6}$/.test(code ?? '') || !name) throw new Error(`${file}:${number}: expected a 6-digit code and a name, separated by a tab`);
    return { code, name, parent: parent || null, ...(note ? { note } : {}) };
  });
}

export const DELTA_JURISDICTIONS: readonly JurisdictionRecord[] = parseCatalogue(readFileSync(CATALOGUE_FILE, 'utf8'));

const PROVINCE_CODES = new Set(DELTA_JURISDICTIONS.filter((record) => record.parent === null).map((record) => record.code));

/** The 41 prefecture-level cities (Shanghai, a province-level municipality, counts as one). */
export const DELTA_CITIES: ReadonlyArray<{ code: string; name: string }> = DELTA_JURISDICTIONS.filter(
  (record) =>
    (record.parent === null && record.code === '310000') || (record.parent !== null && PROVINCE_CODES.has(record.parent) && record.code.endsWith('00')),
).map(({ code, name }) => ({ code, name }));

const countiesByCity = new Map<string, string[]>();
for (const record of DELTA_JURISDICTIONS) {
  if (record.parent === null || record.code.endsWith('00')) continue;
  countiesByCity.set(record.parent, [...(countiesByCity.get(record.parent) ?? []), record.code]);
}

/** County-level codes under a city, in code order; the city's own code when none is known. */
export function countiesOf(regionCode: string): string[] {
  return countiesByCity.get(regionCode) ?? [regionCode];
}
