import { contains } from './jurisdiction';

/**
 * Who may make which change, as plain checks over the verified caller (the field rules decide
 * reads; these decide writes). The caller's jurisdiction, agency and roles are the roster's: the
 * gateway lets in only tokens the roster backs (gateway/roster.ts). Each check returns the
 * reason for a refusal, or undefined.
 *
 * One rule of place runs through all of them: an officer works the matters of his own
 * jurisdiction and of what lies within it. A city's officer works the whole city; a county's
 * officer his county only, not the neighbouring county's.
 */

interface Caller {
  officerId: string;
  jurisdiction: string;
  agency: string | null;
  roles: readonly string[];
}

const PETITION_ROLES = ['PETITION_OFFICER', 'SUPERVISOR'];
const ENFORCEMENT_ROLES = ['ENFORCEMENT_OFFICER', 'SUPERVISOR'];
/** The agency that does petition work (信访局, auth/agencies.ts); a SUPERVISOR of another agency does not. */
const PETITION_AGENCY = 'PETITION_BUREAU';

function petitionOfficerProblem(caller: Caller): string | undefined {
  if (!caller.roles.some((role) => PETITION_ROLES.includes(role))) return 'petition work needs the role PETITION_OFFICER or SUPERVISOR';
  if (caller.agency !== PETITION_AGENCY)
    return `petition work is for officers of the petition bureau (${PETITION_AGENCY}); ${caller.officerId} is of ${caller.agency ?? 'no agency'}`;
  return undefined;
}

/**
 * Petition work in a region (registering, each step of a petition, raising, escalating and
 * resolving warnings) is done by that region's petition bureau; on a matter registered or raised
 * in `matter` (a petition's registeredIn, a warning's raisedIn), by officers whose jurisdiction
 * holds it. `what` names the matter in the refusal ("petition 330400:7"), never its place.
 */
export function petitionDutyProblem(caller: Caller, region: string, matter?: { jurisdiction: string; what: string }): string | undefined {
  const problem = petitionOfficerProblem(caller);
  if (problem) return problem;
  if (!contains(region, caller.jurisdiction))
    return `petitions of region ${region} are kept by its own officers; ${caller.officerId} belongs to ${caller.jurisdiction}`;
  if (matter && !contains(caller.jurisdiction, matter.jurisdiction)) {
    return `${matter.what} lies outside ${caller.jurisdiction}, where ${caller.officerId} works: a county's officers work its own matters, a city's the whole city`;
  }
  return undefined;
}

/**
 * Deciding a petition's review (复查) or re-review (复核), which belongs to the agency above
 * (上一级机关): for the region's own officers, as any petition work; from above the region (the
 * province's petition bureau, whose officers are on their own region's roster), only a decision
 * recorded as that officer's jurisdiction's (`body`; undefined while the petition is not read yet),
 * and nothing else in the region.
 */
export function reviewDecisionDutyProblem(
  caller: Caller,
  region: string,
  body: string | null | undefined,
  matter?: { jurisdiction: string; what: string },
): string | undefined {
  const fromAbove = contains(caller.jurisdiction, region) && !contains(region, caller.jurisdiction);
  if (!fromAbove) return petitionDutyProblem(caller, region, matter);
  const problem = petitionOfficerProblem(caller);
  if (problem) return problem;
  if (body !== undefined && body !== caller.jurisdiction) return petitionDutyProblem(caller, region, matter);
  return undefined;
}

/**
 * Acknowledging a shared warning (签收) is a partner region's answer to it: for the petition
 * bureau of a region other than the warning's own (whose officers escalate or resolve it).
 */
export function acknowledgeDutyProblem(caller: Caller, warningRegion: string): string | undefined {
  const problem = petitionOfficerProblem(caller);
  if (problem) return problem;
  if (contains(warningRegion, caller.jurisdiction)) {
    return `a warning is acknowledged by the partner regions it is shared with; region ${warningRegion}'s own officers escalate or resolve it instead`;
  }
  return undefined;
}

/**
 * Enforcement work for `agency` of `jurisdiction` in `region`: an inspection's steps are taken
 * by the lead agency's officers, a task is worked by the participant agency's officers, and an
 * agency joins an inspection by its own officers; each only where the officer's jurisdiction
 * holds the agency's `jurisdiction` (嘉善's ecology bureau is 嘉善's or the city's ecology
 * officers, not 南湖区's). Without `jurisdiction` (not yet known to be valid) the place is not checked.
 */
export function agencyDutyProblem(caller: Caller, region: string, agency: string, what: string, jurisdiction?: string): string | undefined {
  if (!caller.roles.some((role) => ENFORCEMENT_ROLES.includes(role))) return `${what} needs the role ENFORCEMENT_OFFICER or SUPERVISOR`;
  if (!contains(region, caller.jurisdiction)) return `${what} is for officers of region ${region}; ${caller.officerId} belongs to ${caller.jurisdiction}`;
  if (caller.agency !== agency) return `${what} is for officers of ${agency}; ${caller.officerId} is of ${caller.agency ?? 'no agency'}`;
  if (jurisdiction && !contains(caller.jurisdiction, jurisdiction))
    return `${what} is for officers of ${agency} in ${jurisdiction} or its city; ${caller.officerId} works in ${caller.jurisdiction}`;
  return undefined;
}
