/**
 * What an officer does in the hub. Plain data, apart from its GraphQL registration in
 * officer-types.ts, so that the demo roster and the authorization rules can read it without
 * loading a schema.
 */
export enum OfficerRole {
  PETITION_OFFICER = 'PETITION_OFFICER',
  ENFORCEMENT_OFFICER = 'ENFORCEMENT_OFFICER',
  SUPERVISOR = 'SUPERVISOR',
  AUDITOR = 'AUDITOR',
  AGREEMENT_ADMIN = 'AGREEMENT_ADMIN',
  /** Builds apps on the hub: may send free-form queries where only trusted documents are answered (the role's rule: auth/developer-role.ts). */
  DEVELOPER = 'DEVELOPER',
}
