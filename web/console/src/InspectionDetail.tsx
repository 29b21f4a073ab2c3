import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { CombinedError, TypedDocumentNode } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { formatTime, Loading, Refusal, serverErrors, ServerError } from './ui';
import { INSPECTION_STEPS } from './inspection-fields';
import { graphql } from './generated';
import type { InspectionFieldsFragment } from './generated/graphql';

const QUERY = graphql(`
  query InspectionDetail($id: ID!) {
    inspection(id: $id) {
      ...InspectionFields
    }
  }
`);
const PLAN = graphql(`
  mutation Plan($id: ID!) {
    planInspection(id: $id) {
      id
      step
    }
  }
`);
/** The step that follows each of the first three, taken with the inspection's id alone. */
const NEXT_STEP: Partial<Record<string, TypedDocumentNode<unknown, { id: string }>>> = {
  WARNING: PLAN,
  PLAN: graphql(`
    mutation Dispatch($id: ID!, $note: String) {
      dispatchInspection(id: $id, note: $note) {
        id
        step
      }
    }
  `),
  DISPATCH: graphql(`
    mutation Start($id: ID!, $note: String) {
      startInspection(id: $id, note: $note) {
        id
        step
      }
    }
  `),
};
const EVALUATE = graphql(`
  mutation Evaluate($id: ID!, $input: EvaluateInspectionInput!) {
    evaluateInspection(id: $id, input: $input) {
      id
      step
    }
  }
`);

/** The five steps as a stepper: the current one marked, the next offered to the lead agency. */
export function InspectionDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [result, reload] = useQuery({ query: QUERY, variables: { id } });
  const inspection = result.data?.inspection;
  if (!inspection) return result.fetching ? <Loading /> : <Refusal errors={serverErrors(result.error)} />;
  const current = INSPECTION_STEPS.indexOf(inspection.step);
  const evaluated = Boolean(inspection.evaluation);
  const refresh = () => reload({ requestPolicy: 'network-only' });
  return (
    <article aria-labelledby="inspection-heading" className="detail" data-testid="inspection-detail" data-step={inspection.step}>
      <p>
        <a href={href('inspections')}>← {t('nav.inspections')}</a>
      </p>
      <h1 id="inspection-heading">
        {inspection.targetName} · {inspection.scenario?.name}
      </h1>
      <ol className="stepper" aria-label={t('steps')}>
        {INSPECTION_STEPS.map((step, i) => (
          <li
            key={step}
            className={i < current || (step === 'EVALUATE' && evaluated) ? 'done' : i === current ? 'current' : ''}
            aria-current={i === current ? 'step' : undefined}
          >
            <span className="step-number">{i + 1}</span> {t(`inspectionStep.${step}`)}
          </li>
        ))}
      </ol>
      <dl className="facts">
        <dt>{t('creditCode')}</dt>
        <dd>{inspection.targetCreditCode}</dd>
        <dt>{t('lead')}</dt>
        <dd>
          {inspection.leadAgencyName} · {inspection.leadJurisdiction} · {regions.get(inspection.region)}
        </dd>
        <dt>{t('plannedAt')}</dt>
        <dd>
          {formatTime(inspection.plannedAt, locale)} – {formatTime(inspection.plannedUntil, locale)}
        </dd>
      </dl>
      <h2>{t('participants')}</h2>
      <table aria-label={t('participants')} data-testid="participants">
        <thead>
          <tr>
            <th scope="col">{t('region')}</th>
            <th scope="col">{t('agency')}</th>
            <th scope="col">{t('jurisdiction')}</th>
            <th scope="col">{t('taskStatus')}</th>
            <th scope="col">{t('findings')}</th>
          </tr>
        </thead>
        <tbody>
          {[
            ...(inspection.leadParticipant ? [{ ...inspection.leadParticipant, lead: true }] : []),
            ...inspection.participants.map((participant) => ({ ...participant, lead: false })),
          ].map((participant) => (
            <tr key={participant.id} data-task-status={participant.taskStatus} data-lead={participant.lead ? 'true' : undefined}>
              <td>{regions.get(participant.region) ?? participant.region}</td>
              <td>
                {participant.agencyName}
                {participant.lead ? ` (${t('lead')})` : ''}
              </td>
              <td>{participant.jurisdiction}</td>
              <td>
                {participant.task ? (
                  <a href={href('task', participant.task.id)}>{t(`taskStatus.${participant.taskStatus}`)}</a>
                ) : (
                  t(`taskStatus.${participant.taskStatus}`)
                )}
              </td>
              <td>
                {(participant.task?.findings ?? []).map((finding, i) => (
                  <p key={i}>
                    {t(`severity.${finding.severity}`)}: {finding.description}
                  </p>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {inspection.evaluation ? (
        <section className="card" data-testid="evaluation">
          <h2>{t('inspectionStep.EVALUATE')}</h2>
          <p>
            {t('score')}: <strong>{inspection.evaluation.score}</strong> · {inspection.evaluation.comment} · {inspection.evaluation.evaluatedBy?.name}
          </p>
        </section>
      ) : (
        <NextStep inspection={inspection} onDone={refresh} />
      )}
      <h2>{t('timeline')}</h2>
      <ol className="timeline">
        {inspection.timeline.map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at}>{formatTime(entry.at, locale)}</time> <strong>{t(`inspectionStep.${entry.step}`)}</strong> · {entry.officer?.name ?? ''}{' '}
            {entry.note && <q>{entry.note}</q>}
          </li>
        ))}
      </ol>
    </article>
  );
}

function NextStep({ inspection, onDone }: { inspection: InspectionFieldsFragment; onDone: () => void }) {
  const { t } = useI18n();
  const next = NEXT_STEP[inspection.step];
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [score, setScore] = useState(90);
  const [comment, setComment] = useState('');
  // Hooks run on every render: with no step to take from here, planning stands in (never run).
  const [, runStep] = useMutation(next ?? PLAN);
  const [, evaluate] = useMutation(EVALUATE);
  const finish = (outcome: { error?: CombinedError }) => (outcome.error ? setErrors(serverErrors(outcome.error)) : (setErrors([]), onDone()));
  if (next) {
    const nextName = inspection.step === 'WARNING' ? 'PLAN' : inspection.step === 'PLAN' ? 'DISPATCH' : 'INSPECT';
    return (
      <section className="actions card">
        <button type="button" data-testid="next-step" onClick={async () => finish(await runStep({ id: inspection.id }))}>
          {t('goTo')} {t(`inspectionStep.${nextName}`)}
        </button>
        <Refusal errors={errors} />
      </section>
    );
  }
  return (
    <section className="actions card">
      <form
        aria-label={t('inspectionStep.EVALUATE')}
        onSubmit={async (event) => {
          event.preventDefault();
          finish(await evaluate({ id: inspection.id, input: { score, comment } }));
        }}
      >
        <label>
          {t('score')}
          <input type="number" min={0} max={100} value={score} onChange={(event) => setScore(Number(event.target.value))} />
        </label>
        <label>
          {t('comment')}
          <input value={comment} onChange={(event) => setComment(event.target.value)} required data-testid="evaluation-comment" />
        </label>
        <button type="submit">{t('inspectionStep.EVALUATE')}</button>
      </form>
      <Refusal errors={errors} />
    </section>
  );
}
