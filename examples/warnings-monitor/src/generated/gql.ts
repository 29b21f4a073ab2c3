/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query RecentWarnings($first: Int!, $regions: [String!]) {\n    petitionWarnings(first: $first, regions: $regions) {\n      edges {\n        node {\n          id\n          region\n          kind\n          level\n          status\n          raisedAt\n          summary\n          subject {\n            id\n            region\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.RecentWarningsDocument,
    "\n  subscription WarningEvents($regions: [String!], $after: String) {\n    petitionWarningEvents(regions: $regions, after: $after) {\n      cursor\n      kind\n      at\n      region\n      officer {\n        id\n      }\n      warning {\n        id\n        kind\n        level\n        status\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.WarningEventsDocument,
};
const documents: Documents = {
    "\n  query RecentWarnings($first: Int!, $regions: [String!]) {\n    petitionWarnings(first: $first, regions: $regions) {\n      edges {\n        node {\n          id\n          region\n          kind\n          level\n          status\n          raisedAt\n          summary\n          subject {\n            id\n            region\n            name\n          }\n        }\n      }\n    }\n  }\n": types.RecentWarningsDocument,
    "\n  subscription WarningEvents($regions: [String!], $after: String) {\n    petitionWarningEvents(regions: $regions, after: $after) {\n      cursor\n      kind\n      at\n      region\n      officer {\n        id\n      }\n      warning {\n        id\n        kind\n        level\n        status\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.WarningEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentWarnings($first: Int!, $regions: [String!]) {\n    petitionWarnings(first: $first, regions: $regions) {\n      edges {\n        node {\n          id\n          region\n          kind\n          level\n          status\n          raisedAt\n          summary\n          subject {\n            id\n            region\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RecentWarningsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WarningEvents($regions: [String!], $after: String) {\n    petitionWarningEvents(regions: $regions, after: $after) {\n      cursor\n      kind\n      at\n      region\n      officer {\n        id\n      }\n      warning {\n        id\n        kind\n        level\n        status\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WarningEventsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
