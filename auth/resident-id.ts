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
  if (!/^\d{17}[\dX]$/.test(value)) return 'must be 17 digits followed by a digit or X';
  const birth = value.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) {
    return `has an impossible birth date ${birth}`;
  }
  const expected = residentIdCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return `fails the GB 11643 check: the last character should be ${expected}`;
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
