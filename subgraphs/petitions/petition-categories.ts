/**
 * Which sharing agreements open what of the petitions subgraph: warnings, and petitions (their
 * outline; their details need PETITION_DETAILS). A module of its own, imported by the access
 * rules, the context and the resolvers alike, so that none of them waits on another's cycle.
 */
export const WARNING_CATEGORIES = ['PETITION_WARNINGS'] as const;
export const PETITION_CATEGORIES = ['PETITION_WARNINGS', 'PETITION_DETAILS'] as const;
export const PETITION_DETAIL_CATEGORIES = ['PETITION_DETAILS'] as const;
