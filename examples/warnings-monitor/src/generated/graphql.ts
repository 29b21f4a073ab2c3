/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type PetitionWarningEventKind =
  | 'ACKNOWLEDGED'
  | 'ESCALATED'
  | 'RAISED'
  | 'RESOLVED';

/** Why a warning was raised: REPEAT 重复访, GROUP_VISIT 集体访, LEVEL_SKIPPING 越级访, CROSS_REGION 跨区域信访 (the petitioner lives in another region), DEADLINE 期限将至或已过. */
export type WarningKind =
  | 'CROSS_REGION'
  | 'DEADLINE'
  | 'GROUP_VISIT'
  | 'LEVEL_SKIPPING'
  | 'REPEAT';

/** National warning levels (预警级别): RED is level I, the highest; BLUE is level IV. */
export type WarningLevel =
  | 'BLUE'
  | 'ORANGE'
  | 'RED'
  | 'YELLOW';

/** OPEN 待签收, ACKNOWLEDGED 已签收 (by a partner region), ESCALATED 已升级, RESOLVED 已化解. */
export type WarningStatus =
  | 'ACKNOWLEDGED'
  | 'ESCALATED'
  | 'OPEN'
  | 'RESOLVED';

export type RecentWarningsQueryVariables = Exact<{
  first: number;
  regions?: Array<string> | string | null | undefined;
}>;


export type RecentWarningsQuery = { petitionWarnings: { edges: Array<{ node: { id: string, region: string, kind: WarningKind, level: WarningLevel, status: WarningStatus, raisedAt: string, summary: string, subject: { id: string, region: string, name: string | null } | null } }> } };

export type WarningEventsSubscriptionVariables = Exact<{
  regions?: Array<string> | string | null | undefined;
  after?: string | null | undefined;
}>;


export type WarningEventsSubscription = { petitionWarningEvents: { cursor: string, kind: PetitionWarningEventKind, at: string, region: string, officer: { id: string } | null, warning: { id: string, kind: WarningKind, level: WarningLevel, status: WarningStatus, subject: { id: string, name: string | null } | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RecentWarningsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<RecentWarningsQuery, RecentWarningsQueryVariables>;
export const WarningEventsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<WarningEventsSubscription, WarningEventsSubscriptionVariables>;