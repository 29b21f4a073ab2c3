import type { RoutingRules } from '../../gateway/routing-rules';

/** `Query.petitionWarnings` as `@fanOut(sortKey: "raisedAt")` declares it: the routing rules of the fan-out tests that run without a supergraph. */
export const WARNINGS_FAN_OUT_RULES: RoutingRules = {
  rootFields: new Map([
    [
      'Query.petitionWarnings',
      {
        kind: 'fanOut' as const,
        subgraph: 'petitions',
        sortKey: 'raisedAt',
        descending: true,
        defaultFirst: 20,
        connectionType: 'PetitionWarningConnection',
        pageInfoType: 'PageInfo',
        firstType: 'Int',
        afterType: 'String',
      },
    ],
  ]),
  entityFields: new Map(),
  crossRegionFields: new Map(),
  fieldTypes: new Map(),
};
