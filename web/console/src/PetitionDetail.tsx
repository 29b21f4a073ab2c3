import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { TypedDocumentNode } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { Deadline, formatTime, LevelBadge, Loading, Refusal, serverErrors, ServerError } from './ui';
import { graphql } from './generated';
import type { AgencyKind } from './generated/graphql';

const PETITION = graphql(`
  query PetitionDetail($id: ID!) {
    petition(id: $id) {
      id
      region
      status
      version
      category
      channel
      registeredAt
      registeredIn
      groupVisit
      headcount
      registeredBy {
        id
        name
      }
      deadline {
        ...DeadlineFields
      }
      summary
      content
      outcome
      handlingAgency
      handlingJurisdiction
      petitioners {
        id
        region
        name
      }
      history {
        action
        at
        fromStatus
        toStatus
        note
        officer {
          id
          name
          jurisdictionName
          region
        }
      }
      warnings {
        id
        level
        kind
        status
        summary
      }
    }
  }
`);

/** What a step's form sends: its text under the step's name for it, and the extension or the assignee where the step asks for them. */
interface StepVariables {
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
interface Step {
  name: string;
  document: TypedDocumentNode<unknown, StepVariables>;
  text: 'note' | 'reason' | 'reply' | 'opinion';
  required?: boolean;
  /** An extension: how many days, and the SUPERVISOR of the handling agency who approves it. */
  extension?: boolean;
  assign?: boolean;
}

const STEPS: Record<string, Step> = {
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
const NEXT: Record<string, string[]> = {
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

export function PetitionDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [result, reload] = useQuery({ query: PETITION, variables: { id } });
  const petition = result.data?.petition;
  if (!petition) return result.fetching ? <Loading /> : <Refusal errors={serverErrors(result.error)} />;
  const withheld = serverErrors(result.error);
  return (
    <article aria-labelledby="petition-heading" className="detail" data-testid="petition-detail" data-status={petition.status}>
      <h1 id="petition-heading">
        {t('petition')} {petition.id} · {petition.category}
      </h1>
      <dl className="facts">
        <dt>{t('status')}</dt>
        <dd data-testid="petition-status">{t(`petitionStatus.${petition.status}`)}</dd>
        <dt>{t('deadline')}</dt>
        <dd>
          <Deadline deadline={petition.deadline} />
        </dd>
        <dt>{t('registered')}</dt>
        <dd>
          {formatTime(petition.registeredAt, locale)} · {regions.get(petition.region) ?? petition.region} {petition.registeredIn} ·{' '}
          {petition.registeredBy?.name ?? ''}
        </dd>
        <dt>{t('channel')}</dt>
        <dd>
          {t(`channel.${petition.channel}`)} {petition.groupVisit ? `· ${t('groupVisit')} ${petition.headcount}` : ''}
        </dd>
        <dt>{t('summary')}</dt>
        <dd data-testid="petition-summary">{petition.summary ?? <em>{t('noDetails')}</em>}</dd>
        <dt>{t('content')}</dt>
        <dd>{petition.content ?? <em>{t('noDetails')}</em>}</dd>
        <dt>{t('petitioners')}</dt>
        <dd>
          {petition.petitioners ? (
            petition.petitioners.map((person) => (
              <a key={person.id} href={href('person', person.id)} className="chip">
                {person.name ?? person.id}
              </a>
            ))
          ) : (
            <em>{t('noDetails')}</em>
          )}
        </dd>
        {petition.outcome && (
          <>
            <dt>{t('outcome')}</dt>
            <dd>{petition.outcome}</dd>
          </>
        )}
      </dl>
      {withheld.length > 0 && (
        <details className="field-errors">
          <summary>{t('someFieldsWithheld', { count: withheld.length })}</summary>
          <Refusal errors={withheld} />
        </details>
      )}
      {petition.warnings.length > 0 && (
        <>
          <h2>{t('nav.warnings')}</h2>
          <ul>
            {petition.warnings.map((warning) => (
              <li key={warning.id}>
                <LevelBadge level={warning.level} /> <a href={href('warning', warning.id)}>{warning.summary}</a> · {t(`status.${warning.status}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('history')}</h2>
      <ol className="timeline" data-testid="petition-history">
        {(petition.history ?? []).map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at}>{formatTime(entry.at, locale)}</time> <strong>{entry.action}</strong>{' '}
            {entry.fromStatus ? `${t(`petitionStatus.${entry.fromStatus}`)} → ` : ''}
            {t(`petitionStatus.${entry.toStatus}`)} ·{' '}
            {entry.officer ? `${entry.officer.name}（${entry.officer.jurisdictionName ?? entry.officer.region}）` : ''}
            {entry.note && <q>{entry.note}</q>}
          </li>
        ))}
      </ol>
      <PetitionSteps id={petition.id} version={petition.version} steps={NEXT[petition.status] ?? []} onDone={() => reload({ requestPolicy: 'network-only' })} />
    </article>
  );
}

function PetitionSteps({ id, version, steps, onDone }: { id: string; version: number; steps: string[]; onDone: () => void }) {
  const { t } = useI18n();
  if (!steps.length) return null;
  return (
    <section aria-labelledby="steps-heading" className="actions card">
      <h2 id="steps-heading">{t('actions')}</h2>
      {steps.map((name) => (
        <StepForm key={name} step={STEPS[name]} id={id} version={version} onDone={onDone} />
      ))}
    </section>
  );
}

function StepForm({ step, id, version, onDone }: { step: Step; id: string; version: number; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [days, setDays] = useState(15);
  const [agency, setAgency] = useState<AgencyKind>('PETITION_BUREAU');
  const [approverId, setApproverId] = useState('');
  const [jurisdiction, setJurisdiction] = useState('');
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [, run] = useMutation(step.document);
  return (
    <form
      className="step-form"
      data-step={step.name}
      onSubmit={async (event) => {
        event.preventDefault();
        setErrors([]);
        const outcome = await run({
          id,
          expectedVersion: version,
          [step.text]: text || null,
          ...(step.extension ? { days, approverId } : {}),
          ...(step.assign ? { agency, jurisdiction } : {}),
        });
        if (outcome.error) return setErrors(serverErrors(outcome.error));
        setText('');
        onDone();
      }}
    >
      <label>
        {t(`text.${step.text}`)}
        <input value={text} onChange={(event) => setText(event.target.value)} required={step.required} />
      </label>
      {step.extension && (
        <>
          <label>
            {t('days')}
            <input type="number" min={1} max={30} value={days} onChange={(event) => setDays(Number(event.target.value))} />
          </label>
          <label>
            {t('approver')}
            <input value={approverId} onChange={(event) => setApproverId(event.target.value)} required placeholder="330400:12" />
          </label>
        </>
      )}
      {step.assign && (
        <>
          <label>
            {t('agency')}
            <input value={agency} onChange={(event) => setAgency(event.target.value as AgencyKind)} required />
          </label>
          <label>
            {t('jurisdiction')}
            <input value={jurisdiction} onChange={(event) => setJurisdiction(event.target.value)} required inputMode="numeric" />
          </label>
        </>
      )}
      <button type="submit">{t(`step.${step.name}`)}</button>
      <Refusal errors={errors} />
    </form>
  );
}
