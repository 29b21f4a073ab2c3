import { contains } from './jurisdiction';

/**
 * Who may make which change, as plain checks over the verified caller (the field rules decide
 * reads; these decide writes). Each returns the reason for a refusal, or undefined.
 */

interface Caller {
  officerId: string;
  jurisdiction: string;
  agency: string | null;
  roles: readonly string[];
}

const PETITION_ROLES = ['PETITION_OFFICER', 'SUPERVISOR'];
const ENFORCEMENT_ROLES = ['ENFORCEMENT_OFFICER', 'SUPERVISOR'];

/** Petition work in a region is done by that region's petition officers. */
export function petitionDutyProblem(caller: Caller, region: string): string | undefined {
  if (!caller.roles.some((role) => PETITION_ROLES.includes(role))) return 'petition work needs the role PETITION_OFFICER or SUPERVISOR';
  if (!contains(region, caller.jurisdiction)) return `petitions of region ${region} are kept by its own officers; ${caller.officerId} belongs to ${caller.jurisdiction}`;
  return undefined;
}

/** Acknowledging a shared warning: a petition officer of any region (the warning's own or a partner's). */
export function acknowledgeDutyProblem(caller: Caller): string | undefined {
  return caller.roles.some((role) => PETITION_ROLES.includes(role)) ? undefined : 'acknowledging a warning needs the role PETITION_OFFICER or SUPERVISOR';
}

/**
 * A step of an inspection is taken by the lead agency's officers in the lead region; a task is
 * worked by the participant agency's officers in the participant's region.
 */
export function agencyDutyProblem(caller: Caller, region: string, agency: string, what: string): string | undefined {
  if (!caller.roles.some((role) => ENFORCEMENT_ROLES.includes(role))) return `${what} needs the role ENFORCEMENT_OFFICER or SUPERVISOR`;
  if (!contains(region, caller.jurisdiction)) return `${what} is for officers of region ${region}; ${caller.officerId} belongs to ${caller.jurisdiction}`;
  if (caller.agency !== agency) return `${what} is for officers of ${agency}; ${caller.officerId} is of ${caller.agency ?? 'no agency'}`;
  return undefined;
}
