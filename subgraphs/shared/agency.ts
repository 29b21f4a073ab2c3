import { registerEnumType } from 'type-graphql';
import { AGENCY_KINDS } from '../../auth/agencies';

/** The agency catalogue as a GraphQL enum; every subgraph registers the same one. */
export const AgencyKind = Object.fromEntries(Object.keys(AGENCY_KINDS).map((kind) => [kind, kind])) as {
  [K in keyof typeof AGENCY_KINDS]: K;
};
export type AgencyKind = keyof typeof AGENCY_KINDS;

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: `Kind of government department: ${Object.entries(AGENCY_KINDS)
    .map(([kind, name]) => `${kind} ${name}`)
    .join(', ')}.`,
});
