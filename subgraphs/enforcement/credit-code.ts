/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter
 * alphabet (no I, O, Z, S, V), the last being a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/**
 * The first character is the registration authority (登记管理部门码): 1 机构编制, 2 外交,
 * 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管（工商）, A 中央军委改革和编制办公室,
 * N 农业, Y 其他. No authority has "0" or any other letter.
 */
const REGISTRATION_AUTHORITIES = '123456789ANY';
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
  if (!REGISTRATION_AUTHORITIES.includes(value[0])) {
    return `begins with ${JSON.stringify(value[0])}, which is no registration authority code of GB 32100 (one of ${REGISTRATION_AUTHORITIES.split('').join(', ')}; enterprises begin with 9)`;
  }
  const expected = creditCodeCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return `fails the GB 32100 check: the last character should be ${expected}`;
  return undefined;
}

/** A synthetic, check-valid code for demo data: enterprise (91), area code, 9-character body. */
export function makeCreditCode(areaCode: string, body: number): string {
  const first17 = `91${areaCode}${body
    .toString(31)
    .toUpperCase()
    .padStart(9, '0')
    .replace(/./g, (c) => ALPHABET[parseInt(c, 31)])}`;
  return first17 + creditCodeCheckCharacter(first17);
}
