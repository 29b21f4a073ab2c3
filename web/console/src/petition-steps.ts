import type { TypedDocumentNode } from 'urql';
import type { FieldNode, OperationDefinitionNode } from 'graphql';
import { graphql } from './generated';
import type { AgencyKind } from './generated/graphql';

/** What a step's form sends: its text under the step's name for it, and the extension or the assignee where the step asks for them. */
export interface StepVariables {
  id: string;
  expectedVersion: number;
  note?: string | null;
  reason?: string | null;
  reply?: string | null;
  opinion?: string | null;
  days?: number;
  approverId?: string;
  agency?: AgencyKind;
  jurisdiction?: string;
}

/**
 * A step's mutation as its form runs it. Codegen checks each document against the API; the form
 * fills the variables by the step's settings (the text under a name the step gives), which
 * TypeScript cannot follow from one document to the next.
 */
const asStep = <Result, Variables>(document: TypedDocumentNode<Result, Variables>) => document as unknown as TypedDocumentNode<unknown, StepVariables>;

/** A lifecycle step: its mutation, and the text the officer gives with it. */
export interface Step {
  name: string;
  document: TypedDocumentNode<unknown, StepVariables>;
  text: 'note' | 'reason' | 'reply' | 'opinion';
  required?: boolean;
  /** An extension: how many days, and the SUPERVISOR of the handling agency who approves it. */
  extension?: boolean;
  assign?: boolean;
}

export const STEPS: Record<string, Step> = {
  assign: {
    name: 'assign',
    document: asStep(
      graphql(`
        mutation AssignPetition($id: ID!, $expectedVersion: Int, $note: String, $agency: AgencyKind!, $jurisdiction: String!) {
          assignPetition(id: $id, expectedVersion: $expectedVersion, note: $note, agency: $agency, jurisdiction: $jurisdiction) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
    assign: true,
  },
  decline: {
    name: 'decline',
    document: asStep(
      graphql(`
        mutation DeclinePetition($id: ID!, $expectedVersion: Int, $reason: String!) {
          declinePetition(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'reason',
    required: true,
  },
  accept: {
    name: 'accept',
    document: asStep(
      graphql(`
        mutation AcceptPetition($id: ID!, $expectedVersion: Int, $note: String) {
          acceptPetition(id: $id, expectedVersion: $expectedVersion, note: $note) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
  },
  startHandling: {
    name: 'startHandling',
    document: asStep(
      graphql(`
        mutation StartHandlingPetition($id: ID!, $expectedVersion: Int, $note: String) {
          startHandlingPetition(id: $id, expectedVersion: $expectedVersion, note: $note) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
  },
  extend: {
    name: 'extend',
    document: asStep(
      graphql(`
        mutation ExtendPetitionDeadline($id: ID!, $expectedVersion: Int, $reason: String!, $days: Int!, $approverId: ID!) {
          extendPetitionDeadline(id: $id, expectedVersion: $expectedVersion, reason: $reason, days: $days, approverId: $approverId) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'reason',
    required: true,
    extension: true,
  },
  reply: {
    name: 'reply',
    document: asStep(
      graphql(`
        mutation ReplyToPetition($id: ID!, $expectedVersion: Int, $reply: String!) {
          replyToPetition(id: $id, expectedVersion: $expectedVersion, reply: $reply) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'reply',
    required: true,
  },
  requestReview: {
    name: 'requestReview',
    document: asStep(
      graphql(`
        mutation RequestPetitionReview($id: ID!, $expectedVersion: Int, $note: String) {
          requestPetitionReview(id: $id, expectedVersion: $expectedVersion, note: $note) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
  },
  decideReview: {
    name: 'decideReview',
    document: asStep(
      graphql(`
        mutation DecidePetitionReview($id: ID!, $expectedVersion: Int, $opinion: String!) {
          decidePetitionReview(id: $id, expectedVersion: $expectedVersion, opinion: $opinion) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'opinion',
    required: true,
  },
  requestReReview: {
    name: 'requestReReview',
    document: asStep(
      graphql(`
        mutation RequestPetitionReReview($id: ID!, $expectedVersion: Int, $note: String) {
          requestPetitionReReview(id: $id, expectedVersion: $expectedVersion, note: $note) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
  },
  decideReReview: {
    name: 'decideReReview',
    document: asStep(
      graphql(`
        mutation DecidePetitionReReview($id: ID!, $expectedVersion: Int, $opinion: String!) {
          decidePetitionReReview(id: $id, expectedVersion: $expectedVersion, opinion: $opinion) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'opinion',
    required: true,
  },
  close: {
    name: 'close',
    document: asStep(
      graphql(`
        mutation ClosePetition($id: ID!, $expectedVersion: Int, $note: String) {
          closePetition(id: $id, expectedVersion: $expectedVersion, note: $note) {
            id
            status
            version
          }
        }
      `),
    ),
    text: 'note',
  },
};

/**
 * The next steps of 信访工作条例's flow from each status (subgraphs/petitions/lifecycle.ts draws
 * it). Which of them this officer may take, and whether the time limits allow it, is the
 * server's to say: a refused step shows its refusal.
 */
export const NEXT: Record<string, string[]> = {
  REGISTERED: ['assign', 'accept', 'decline'],
  ASSIGNED: ['accept', 'decline'],
  ACCEPTED: ['startHandling'],
  HANDLING: ['reply', 'extend'],
  REPLIED: ['requestReview', 'close'],
  REVIEW: ['decideReview', 'requestReReview', 'close'],
  RE_REVIEW: ['decideReReview'],
  NOT_ACCEPTED: [],
  CLOSED: [],
};

/** The step each petition mutation takes, by the mutation's name in the step's own document. */
const STEP_OF_MUTATION = new Map(
  Object.values(STEPS).map((step) => {
    const operation = step.document.definitions[0] as OperationDefinitionNode;
    return [(operation.selectionSet.selections[0] as FieldNode).name.value, step.name];
  }),
);

/** The lifecycle step a mutation such as `acceptPetition` takes (`accept`), or undefined for any other mutation. */
export const stepOfMutation = (mutation: string): string | undefined => STEP_OF_MUTATION.get(mutation);

/**
 * The message key of an action in a petition's history: a lifecycle step by the step's own
 * label; the registration, a petition received from another region, and the receiving region's
 * report that ended it by theirs; undefined for an action the console does not know.
 */
export function petitionEventKey(action: string): string | undefined {
  if (Object.hasOwn(STEPS, action)) return `step.${action}`;
  return new Map([
    ['register', 'registered'],
    ['receive', 'history.receive'],
    ['report', 'history.report'],
  ]).get(action);
}
