import { graphql } from './generated';

/** The five steps of 综合查一次, in order. */
export const INSPECTION_STEPS = ['WARNING', 'PLAN', 'DISPATCH', 'INSPECT', 'EVALUATE'] as const;

/** What the inspection's page shows, and what creating one answers with. */
export const INSPECTION_FIELDS = graphql(`
  fragment InspectionFields on Inspection {
    id
    region
    step
    version
    targetName
    targetCreditCode
    plannedAt
    plannedUntil
    leadJurisdiction
    leadAgency
    leadAgencyName
    scenario {
      code
      name
    }
    target {
      name
      creditCode
      address
      jurisdiction
    }
    participants {
      ...ParticipantFields
    }
    leadParticipant {
      ...ParticipantFields
    }
    timeline {
      step
      at
      note
      officer {
        id
        name
      }
    }
    evaluation {
      score
      comment
      evaluatedAt
      evaluatedBy {
        id
        name
      }
    }
  }
`);

/** A participant's row: the lead agency's own part (`leadParticipant`) has one too. */
export const PARTICIPANT_FIELDS = graphql(`
  fragment ParticipantFields on InspectionParticipant {
    id
    region
    jurisdiction
    agency
    agencyName
    taskStatus
    taskStatusAt
    officer {
      id
      name
    }
    task {
      id
      region
      status
      findings {
        severity
        description
      }
    }
  }
`);
