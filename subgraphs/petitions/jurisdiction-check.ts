import { contains } from '../../auth/jurisdiction';
import { badInput } from '../shared/errors';
import { jurisdictionProblem } from '../shared/jurisdictions';

/**
 * Where a petition or warning is registered: a county- or city-level code of this region that
 * the catalogue knows (street codes are not kept here; the columns hold 6 digits).
 */
export function checkLocalJurisdiction(region: string, field: string, code: string): void {
  if (!/^\d{6}$/.test(code)) throw badInput(field, `must be a 6-digit county- or city-level code, but got ${JSON.stringify(code)}`);
  const problem = jurisdictionProblem(region, code, { cityLevel: true });
  if (problem) throw badInput(field, problem);
}

/** A handling agency's jurisdiction: 6 digits, and a known one when it lies in this region. */
export function checkAgencyJurisdiction(region: string, field: string, code: string): void {
  if (!/^\d{6}$/.test(code)) throw badInput(field, `must be a 6-digit county- or city-level code, but got ${JSON.stringify(code)}`);
  if (contains(region, code)) checkLocalJurisdiction(region, field, code);
}
