import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { CombinedError } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { formatTime, Loading, Refusal, serverErrors, ServerError } from './ui';
import { graphql } from './generated';
import type { FindingSeverity } from './generated/graphql';

const TASK = graphql(`
  query TaskDetail($id: ID!) {
    inspectionTask(id: $id) {
      id
      region
      status
      version
      agencyName
      jurisdiction
      targetName
      targetAddress
      plannedAt
      plannedUntil
      conclusion
      scenario {
        name
      }
      inspection {
        id
        step
      }
      findings {
        severity
        description
        recordedAt
        recordedBy {
          name
        }
      }
    }
  }
`);
const ACCEPT = graphql(`
  mutation AcceptTask($id: ID!) {
    acceptInspectionTask(id: $id) {
      id
      status
    }
  }
`);
const FINDING = graphql(`
  mutation RecordFinding($input: RecordFindingInput!) {
    recordInspectionFinding(input: $input) {
      id
      status
    }
  }
`);
const COMPLETE = graphql(`
  mutation CompleteTask($id: ID!, $conclusion: String) {
    completeInspectionTask(id: $id, conclusion: $conclusion) {
      id
      status
    }
  }
`);
const SEVERITIES: FindingSeverity[] = ['NONE', 'MINOR', 'MAJOR'];

/** A participant's task in its own region: accept, record findings, complete. */
export function TaskDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [result, reload] = useQuery({ query: TASK, variables: { id } });
  const [, accept] = useMutation(ACCEPT);
  const [, record] = useMutation(FINDING);
  const [, complete] = useMutation(COMPLETE);
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [severity, setSeverity] = useState<FindingSeverity>('MINOR');
  const [description, setDescription] = useState('');
  const [conclusion, setConclusion] = useState('');
  const task = result.data?.inspectionTask;
  if (!task) return result.fetching ? <Loading /> : <Refusal errors={serverErrors(result.error)} />;
  const finish = (outcome: { error?: CombinedError }) => {
    if (outcome.error) return setErrors(serverErrors(outcome.error));
    setErrors([]);
    reload({ requestPolicy: 'network-only' });
  };
  return (
    <article aria-labelledby="task-heading" className="detail" data-testid="task-detail" data-status={task.status}>
      <h1 id="task-heading">
        {t('task')} · {task.targetName}
      </h1>
      <dl className="facts">
        <dt>{t('status')}</dt>
        <dd>{t(`taskStatus.${task.status}`)}</dd>
        <dt>{t('agency')}</dt>
        <dd>
          {task.agencyName} · {task.jurisdiction} · {regions.get(task.region)}
        </dd>
        <dt>{t('address')}</dt>
        <dd>{task.targetAddress}</dd>
        <dt>{t('plannedAt')}</dt>
        <dd>
          {formatTime(task.plannedAt, locale)} – {formatTime(task.plannedUntil, locale)}
        </dd>
        <dt>{t('inspection')}</dt>
        <dd>{task.inspection ? <a href={href('inspection', task.inspection.id)}>{t(`inspectionStep.${task.inspection.step}`)}</a> : '—'}</dd>
      </dl>
      <h2>{t('findings')}</h2>
      <ul data-testid="findings">
        {task.findings.map((finding, i) => (
          <li key={i}>
            {t(`severity.${finding.severity}`)}: {finding.description} · {finding.recordedBy?.name}
          </li>
        ))}
      </ul>
      <section className="actions card">
        <button type="button" onClick={async () => finish(await accept({ id }))}>
          {t('acceptTask')}
        </button>
        <form
          aria-label={t('recordFinding')}
          onSubmit={async (event) => {
            event.preventDefault();
            finish(await record({ input: { taskId: id, severity, description } }));
            setDescription('');
          }}
        >
          <label>
            {t('severity')}
            <select value={severity} onChange={(event) => setSeverity(event.target.value as FindingSeverity)}>
              {SEVERITIES.map((value) => (
                <option key={value} value={value}>
                  {t(`severity.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('description')}
            <input value={description} onChange={(event) => setDescription(event.target.value)} required data-testid="finding-description" />
          </label>
          <button type="submit">{t('recordFinding')}</button>
        </form>
        <form
          aria-label={t('completeTask')}
          onSubmit={async (event) => {
            event.preventDefault();
            finish(await complete({ id, conclusion: conclusion || null }));
          }}
        >
          <label>
            {t('conclusion')}
            <input value={conclusion} onChange={(event) => setConclusion(event.target.value)} />
          </label>
          <button type="submit">{t('completeTask')}</button>
        </form>
        <Refusal errors={errors} />
      </section>
    </article>
  );
}
