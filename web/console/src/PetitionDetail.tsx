import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { Deadline, formatTime, LevelBadge, Loading, Refusal, serverErrors, ServerError } from './ui';
import { graphql } from './generated';
import type { AgencyKind } from './generated/graphql';
import { AgencySelect } from './agency-select';
import { NEXT, petitionEventKey, STEPS, type Step } from './petition-steps';

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
            <time dateTime={entry.at}>{formatTime(entry.at, locale)}</time> <strong>{t(petitionEventKey(entry.action) ?? entry.action)}</strong>{' '}
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
            <AgencySelect name="agency" value={agency} onChange={setAgency} />
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
