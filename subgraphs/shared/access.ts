import { Directive } from 'type-graphql';

/**
 * `@access` on a field: the rule in words, for app developers reading the schema, and the roles
 * of which a caller needs one, for the gateway to refuse early (schema/routing-directives.ts).
 * The owning subgraph's field rules still decide every request.
 */
export function Access(rule: string, roles?: readonly string[]): MethodDecorator & PropertyDecorator {
  return Directive(`@access(rule: ${JSON.stringify(rule)}${roles?.length ? `, roles: ${JSON.stringify(roles)}` : ''})`) as MethodDecorator & PropertyDecorator;
}

export const PERSONAL_RULE =
  'Personal data: in full for officers of the home jurisdiction and partners holding PERSON_PERSONAL, with a stated purpose (X-Purpose); masked for the same city and partners holding PERSON_BASIC; FORBIDDEN otherwise. Full reads are audited.';
export const BASIC_RULE = 'Basic data: for officers of the home jurisdiction or city and partners holding PERSON_BASIC; FORBIDDEN otherwise.';
export const OWNER_RULE = 'Owner-only: for officers of the home jurisdiction; FORBIDDEN otherwise.';
export const PETITION_DETAILS_RULE = 'Petition detail: for officers of the petition\'s jurisdiction or city and partners holding PETITION_DETAILS; FORBIDDEN otherwise.';
export const PETITION_WORK_ROLES = ['PETITION_OFFICER', 'SUPERVISOR'] as const;
export const ENFORCEMENT_WORK_ROLES = ['ENFORCEMENT_OFFICER', 'SUPERVISOR'] as const;
