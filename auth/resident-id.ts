/**
 * Resident identity numbers (GB 11643): 6-digit area code of registration, 8-digit birth date,
 * 3-digit sequence (odd = male), and a check character over the first 17 digits.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError(`expected 17 digits, got ${JSON.stringify(first17)}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

export interface ResidentIdFacts {
  areaCode: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'MALE' | 'FEMALE';
}

/** Why `value` is not a valid resident id number, or undefined when it is. */
export function residentIdProblem(value: string): string | undefined {
  return diagnoseResidentId(value)?.message;
}

/** Which part of a resident id number is wrong, so that a form can point at it. */
export type ResidentIdDefect = 'LENGTH' | 'CHARACTERS' | 'AREA_CODE' | 'BIRTH_DATE' | 'CHECK_CHARACTER';

export interface ResidentIdDiagnosis {
  defect: ResidentIdDefect;
  message: string;
}

/**
 * Province-level codes of GB/T 2260 that resident id numbers start with; 81, 82 and 83 are the
 * residence permits of Hong Kong, Macao and Taiwan residents, which follow the same layout.
 */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '81',
  '82',
  '83',
]);

/**
 * The first thing wrong with `value`, checked in reading order: length, characters, area code,
 * birth date, check character. The area code is checked for its structure only (a known
 * province, then a city part other than 00, except for the permits' x10000 codes): a full
 * catalogue would refuse the codes of counties abolished since the number was issued, such as
 * 320584 吴江市, which old numbers keep for life. `today` bounds the birth date.
 */
export function diagnoseResidentId(value: string, today: Date = new Date()): ResidentIdDiagnosis | undefined {
  if (value.length !== 18) return { defect: 'LENGTH', message: `must be 18 characters, but has ${value.length}` };
  if (!/^\d{17}[\dX]$/.test(value)) return { defect: 'CHARACTERS', message: 'must be 17 digits followed by a digit or X' };
  const area = value.slice(0, 6);
  const permit = ['81', '82', '83'].includes(area.slice(0, 2));
  if (!PROVINCE_CODES.has(area.slice(0, 2)) || (!permit && area.slice(2, 4) === '00') || (permit && area.slice(2) !== '0000')) {
    return { defect: 'AREA_CODE', message: `has an area code ${area} that is no GB/T 2260 county or city` };
  }
  const birth = value.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) {
    return { defect: 'BIRTH_DATE', message: `has an impossible birth date ${birth}` };
  }
  if (date.getTime() > today.getTime()) return { defect: 'BIRTH_DATE', message: `has a birth date ${birth} in the future` };
  if (date.getUTCFullYear() < 1900) return { defect: 'BIRTH_DATE', message: `has a birth date ${birth} before 1900` };
  const expected = residentIdCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return { defect: 'CHECK_CHARACTER', message: `fails the GB 11643 check: the last character should be ${expected}, not ${value[17]}` };
  }
  return undefined;
}

export function residentIdFacts(value: string): ResidentIdFacts {
  const problem = residentIdProblem(value);
  if (problem) throw new TypeError(`resident id ${problem}`);
  const birth = value.slice(6, 14);
  return {
    areaCode: value.slice(0, 6),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    gender: Number(value[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
  };
}

/** A synthetic, check-valid number for demo data. */
export function makeResidentId(areaCode: string, birthDate: string, sequence: number): string {
  const first17 = `${areaCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}
