/**
 * Key-person categories (重点人员类别). Plain data, apart from its GraphQL registration in
 * person-types.ts, so that the seed and the masking rules can read it without loading a schema.
 * The database lists the same values (migrations/003_person_details.sql): a new category is a
 * new migration too.
 */
export enum KeyPersonCategory {
  PETITION_KEY_PERSON = 'PETITION_KEY_PERSON',
  COMMUNITY_CORRECTION = 'COMMUNITY_CORRECTION',
  RELEASED_PRISONER = 'RELEASED_PRISONER',
  SEVERE_MENTAL_DISORDER = 'SEVERE_MENTAL_DISORDER',
  DRUG_REHABILITATION = 'DRUG_REHABILITATION',
  ELDERLY_LIVING_ALONE = 'ELDERLY_LIVING_ALONE',
  LEFT_BEHIND_CHILD = 'LEFT_BEHIND_CHILD',
  LOW_INCOME = 'LOW_INCOME',
}
