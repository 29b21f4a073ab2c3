import { registerEnumType } from 'type-graphql';
import { AGENCY_KINDS } from '../../auth/agencies';

/** The agency catalogue as a GraphQL enum; every subgraph registers the same one. */
export const AgencyKind = Object.fromEntries(Object.keys(AGENCY_KINDS).map((kind) => [kind, kind])) as {
  [K in keyof typeof AGENCY_KINDS]: K;
};
export type AgencyKind = keyof typeof AGENCY_KINDS;

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: `Kind of government department, named as in a city: ${Object.entries(AGENCY_KINDS)
    .map(([kind, name]) => `${kind} ${name}`)
    .join(
      ', ',
    )}. In a county the fire and rescue unit is a 消防救援大队 and health a 卫生健康局; in a province-level municipality fire and rescue is a 消防救援总队.`,
});
