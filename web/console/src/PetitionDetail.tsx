import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { Deadline, formatTime, LevelBadge, Loading, Refusal, serverErrors, ServerError } from './ui';

const PETITION = `query PetitionDetail($id: ID!) {
  petition(id: $id) {
    id region status version category channel registeredAt registeredIn groupVisit headcount
    registeredBy { id name }
    deadline { kind dueAt daysLeft overdue officersOwe }
    summary content outcome handlingAgency handlingJurisdiction
    petitioners { id region name }
    history { action at fromStatus toStatus note officer { id name jurisdictionName region } }
    warnings { id level kind status summary }
  }
}`;

/** A lifecycle step: the mutation, and the text the officer gives with it. */
interface Step {
  name: string;
  mutation: string;
  text: 'note' | 'reason' | 'reply' | 'opinion';
  required?: boolean;
  days?: boolean;
  assign?: boolean;
}

const STEPS: Record<string, Step> = {
  assign: { name: 'assign', mutation: 'assignPetition', text: 'note', assign: true },
  decline: { name: 'decline', mutation: 'declinePetition', text: 'reason', required: true },
  accept: { name: 'accept', mutation: 'acceptPetition', text: 'note' },
  startHandling: { name: 'startHandling', mutation: 'startHandlingPetition', text: 'note' },
  extend: { name: 'extend', mutation: 'extendPetitionDeadline', text: 'reason', required: true, days: true },
  reply: { name: 'reply', mutation: 'replyToPetition', text: 'reply', required: true },
  requestReview: { name: 'requestReview', mutation: 'requestPetitionReview', text: 'note' },
  decideReview: { name: 'decideReview', mutation: 'decidePetitionReview', text: 'opinion', required: true },
  requestReReview: { name: 'requestReReview', mutation: 'requestPetitionReReview', text: 'note' },
  decideReReview: { name: 'decideReReview', mutation: 'decidePetitionReReview', text: 'opinion', required: true },
  close: { name: 'close', mutation: 'closePetition', text: 'note' },
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

function stepDocument(step: Step): string {
  const args = ['$id: ID!', '$expectedVersion: Int', `$${step.text}: String${step.required ? '!' : ''}`];
  const pass = ['id: $id', 'expectedVersion: $expectedVersion', `${step.text}: $${step.text}`];
  if (step.days) {
    args.push('$days: Int!');
    pass.push('days: $days');
  }
  if (step.assign) {
    args.push('$agency: AgencyKind!', '$jurisdiction: String!');
    pass.push('agency: $agency', 'jurisdiction: $jurisdiction');
  }
  return `mutation PetitionStep(${args.join(', ')}) { ${step.mutation}(${pass.join(', ')}) { id status version } }`;
}

export function PetitionDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [result, reload] = useQuery<any>({ query: PETITION, variables: { id } });
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
            petition.petitioners.map((person: any) => (
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
            {petition.warnings.map((warning: any) => (
              <li key={warning.id}>
                <LevelBadge level={warning.level} /> <a href={href('warning', warning.id)}>{warning.summary}</a> · {t(`status.${warning.status}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('history')}</h2>
      <ol className="timeline" data-testid="petition-history">
        {(petition.history ?? []).map((entry: any, i: number) => (
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
  const [agency, setAgency] = useState('PETITION_BUREAU');
  const [jurisdiction, setJurisdiction] = useState('');
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [, run] = useMutation(stepDocument(step));
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
          ...(step.days ? { days } : {}),
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
      {step.days && (
        <label>
          {t('days')}
          <input type="number" min={1} max={30} value={days} onChange={(event) => setDays(Number(event.target.value))} />
        </label>
      )}
      {step.assign && (
        <>
          <label>
            {t('agency')}
            <input value={agency} onChange={(event) => setAgency(event.target.value)} required />
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
