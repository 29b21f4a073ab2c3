import { graphql } from './generated';

/** The newest warnings of every region in scope (or of `regions`), each with its subject from the subject's home region. */
export const RecentWarnings = graphql(`
  query RecentWarnings($first: Int!, $regions: [String!]) {
    petitionWarnings(first: $first, regions: $regions) {
      edges {
        node {
          id
          region
          kind
          level
          status
          raisedAt
          summary
          subject {
            id
            region
            name
          }
        }
      }
    }
  }
`);

/** Every change of a warning from now on (or after `after`, a cursor of an earlier event). */
export const WarningEvents = graphql(`
  subscription WarningEvents($regions: [String!], $after: String) {
    petitionWarningEvents(regions: $regions, after: $after) {
      cursor
      kind
      at
      region
      officer {
        id
      }
      warning {
        id
        kind
        level
        status
        subject {
          id
          name
        }
      }
    }
  }
`);
