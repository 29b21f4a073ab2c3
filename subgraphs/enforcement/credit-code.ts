/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter
 * alphabet (no I, O, Z, S, V), the last being a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new TypeError(`character ${JSON.stringify(first17[i])} is not used in credit codes`);
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why `value` is not a valid credit code, or undefined when it is. */
export function creditCodeProblem(value: string): string | undefined {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) return 'must be 18 characters of digits and capital letters except I, O, Z, S, V';
  const expected = creditCodeCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return `fails the GB 32100 check: the last character should be ${expected}`;
  return undefined;
}

/** A synthetic, check-valid code for demo data: enterprise (91), area code, 9-character body. */
export function makeCreditCode(areaCode: string, body: number): string {
  const first17 = `91${areaCode}${body.toString(31).toUpperCase().padStart(9, '0').replace(/./g, (c) => ALPHABET[parseInt(c, 31)])}`;
  return first17 + creditCodeCheckCharacter(first17);
}
