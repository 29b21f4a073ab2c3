import { AGENCY_KIND_NAMES, AgencyKindName } from '../../auth/agencies';
import { contains, isJurisdictionCode } from '../../auth/jurisdiction';

/**
 * Enforcement certificate numbers (行政执法证号). Provinces number their certificates each in
 * their own way, so the hub uses one synthetic layout that carries what a partner needs to
 * read off a certificate, and a check character that catches a mistyped digit:
 *
 *     ZF 330400 03 00017 4
 *     │  │      │  │     └ check character: ISO 7064 MOD 11-2 over the 13 digits (0–9 or X),
 *     │  │      │  │       the same scheme as the last character of a resident id number
 *     │  │      │  └ serial number within the issuer, 5 digits
 *     │  │      └ agency: position in the agency catalogue (auth/agencies.ts), 01 = PETITION_BUREAU, 03 = MARKET_REGULATION
 *     │  └ issuing jurisdiction (GB/T 2260): the officer's own, or one that contains it
 *     └ 执法 (ZhiFa)
 *
 * The catalogue is append-only, so an agency's two digits never change meaning.
 */

const LAYOUT = /^ZF(\d{6})(\d{2})(\d{5})([\dX])$/;

export function certificateCheckCharacter(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (2 ** (digits.length - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

export function agencyCode(agency: AgencyKindName): string {
  return String(AGENCY_KIND_NAMES.indexOf(agency) + 1).padStart(2, '0');
}

export function makeCertificateNumber(issuer: string, agency: AgencyKindName, serial: number): string {
  const digits = `${issuer}${agencyCode(agency)}${String(serial).padStart(5, '0')}`;
  return `ZF${digits}${certificateCheckCharacter(digits)}`;
}

/** Why `value` cannot be the certificate of an officer of `agency` in `jurisdiction`, or undefined. */
export function certificateNumberProblem(value: string, officer: { agency: AgencyKindName; jurisdiction: string }): string | undefined {
  const match = LAYOUT.exec(value);
  if (!match)
    return `must be ZF, 6 digits of the issuing jurisdiction, 2 of the agency, 5 of the serial number and a check character (such as ${makeCertificateNumber('330400', 'MARKET_REGULATION', 17)}), but got ${JSON.stringify(value)}`;
  const [, issuer, agency, serial, check] = match;
  if (!isJurisdictionCode(issuer) || !contains(issuer, officer.jurisdiction)) {
    return `is issued by ${issuer}, which is not the officer's jurisdiction ${officer.jurisdiction} nor one containing it`;
  }
  if (agency !== agencyCode(officer.agency)) {
    return `carries agency code ${agency}, but ${officer.agency} is ${agencyCode(officer.agency)}`;
  }
  if (serial === '00000') return 'has serial number 00000; serial numbers start at 00001';
  const expected = certificateCheckCharacter(value.slice(2, 15));
  if (check !== expected) return `fails its check: the last character should be ${expected}, not ${check}`;
  return undefined;
}
