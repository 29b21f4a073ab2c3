import { useEffect, useState, useSyncExternalStore } from 'react';
import { liveStore } from './graphql-client';
import { useMutation, useQuery, useSubscription } from 'urql';
import type { CombinedError } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { Deadline, formatTime, LevelBadge, Loading, Refusal, RegionBanner, serverErrors, ServerError, unavailableRegions } from './ui';
import { LEVELS } from './warning-fields';
import { graphql } from './generated';
import type { WarningLevel } from './generated/graphql';

const WARNING = graphql(`
  query WarningDetail($id: ID!) {
    petitionWarning(id: $id) {
      id
      region
      level
      kind
      status
      summary
      raisedAt
      raisedIn
      automatic
      version
      raisedBy {
        id
        name
      }
      subject {
        id
        region
        name
        idNumber
        dataAccess {
          personal
          reason
        }
      }
      petition {
        id
        status
        category
        deadline {
          ...DeadlineFields
        }
      }
      timeline {
        action
        region
        note
        at
        officer {
          id
          name
          jurisdictionName
        }
      }
    }
  }
`);
const EVENTS = graphql(`
  subscription WarningDetailEvents($regions: [String!]) {
    petitionWarningEvents(regions: $regions) {
      cursor
      kind
      warning {
        id
        version
      }
    }
  }
`);
const ACKNOWLEDGE = graphql(`
  mutation Acknowledge($id: ID!, $note: String) {
    acknowledgePetitionWarning(id: $id, note: $note) {
      id
      status
      version
    }
  }
`);
const ESCALATE = graphql(`
  mutation Escalate($id: ID!, $level: WarningLevel, $note: String) {
    escalatePetitionWarning(id: $id, level: $level, note: $note) {
      id
      status
      level
      version
    }
  }
`);
const RESOLVE = graphql(`
  mutation Resolve($id: ID!, $note: String) {
    resolvePetitionWarning(id: $id, note: $note) {
      id
      status
      version
    }
  }
`);

export function WarningDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [result, reload] = useQuery({ query: WARNING, variables: { id } });
  const region = id.split(':')[0];
  // Changes made by others (a partner's acknowledgement) arrive as events of the warning's region.
  const [live] = useSubscription({ query: EVENTS, variables: { regions: [region] } }, (version: number = 0, event) => {
    const warning = event?.petitionWarningEvents?.warning;
    return warning?.id === id ? Math.max(version, warning.version) : version;
  });
  // An event of this warning, or a reconnection (events may have passed meanwhile): read it again.
  const { connections } = useSyncExternalStore(liveStore.subscribe, liveStore.get);
  useEffect(() => {
    if (live.data || connections > 1) reload({ requestPolicy: 'network-only' });
  }, [live.data, connections, reload]);

  const warning = result.data?.petitionWarning;
  if (!warning) return result.fetching ? <Loading /> : <Refusal errors={serverErrors(result.error)} />;
  const otherErrors = serverErrors(result.error).filter((e) => e.code !== 'REGION_UNAVAILABLE');
  return (
    <article aria-labelledby="warning-heading" className="detail" data-testid="warning-detail" data-status={warning.status}>
      <p>
        <a href={href('warnings')}>← {t('nav.warnings')}</a>
      </p>
      <h1 id="warning-heading">
        <LevelBadge level={warning.level} /> {warning.summary}
      </h1>
      <RegionBanner regions={unavailableRegions(result.error)} />
      <dl className="facts">
        <dt>{t('kind')}</dt>
        <dd>{t(`kind.${warning.kind}`)}</dd>
        <dt>{t('status')}</dt>
        <dd data-testid="warning-status">{t(`status.${warning.status}`)}</dd>
        <dt>{t('region')}</dt>
        <dd>
          {regions.get(warning.region) ?? warning.region} · {warning.raisedIn}
        </dd>
        <dt>{t('raisedAt')}</dt>
        <dd>
          {formatTime(warning.raisedAt, locale)} · {warning.automatic ? t('byRule') : (warning.raisedBy?.name ?? '—')}
        </dd>
        <dt>{t('subject')}</dt>
        <dd data-testid="subject">
          {warning.subject ? (
            <>
              <a href={href('person', warning.subject.id)}>{warning.subject.name ?? '—'}</a> <span className="mono">{warning.subject.idNumber ?? ''}</span>
              {warning.subject.dataAccess.personal !== 'FULL' && <p className="mask-reason">{warning.subject.dataAccess.reason}</p>}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>{t('petition')}</dt>
        <dd data-testid="warning-petition">
          {warning.petition ? (
            <>
              <a href={href('petition', warning.petition.id)}>
                {warning.petition.id} · {warning.petition.category} · {t(`petitionStatus.${warning.petition.status}`)}
              </a>{' '}
              <Deadline deadline={warning.petition.deadline} />
            </>
          ) : (
            t('noDetails')
          )}
        </dd>
      </dl>
      {otherErrors.length > 0 && (
        <details className="field-errors">
          <summary>{t('someFieldsWithheld', { count: otherErrors.length })}</summary>
          <Refusal errors={otherErrors} />
        </details>
      )}
      <h2>{t('timeline')}</h2>
      <ol className="timeline" data-testid="warning-timeline">
        {warning.timeline.map((entry, i) => (
          <li key={i} data-action={entry.action}>
            <time dateTime={entry.at}>{formatTime(entry.at, locale)}</time> <strong>{t(`action.${entry.action}`)}</strong> ·{' '}
            {entry.region ? (regions.get(entry.region) ?? entry.region) : ''} ·{' '}
            {entry.officer ? `${entry.officer.name}（${entry.officer.jurisdictionName ?? ''}）` : t('byRule')}
            {entry.note && <q>{entry.note}</q>}
          </li>
        ))}
      </ol>
      <WarningActions id={warning.id} level={warning.level} onDone={() => reload({ requestPolicy: 'network-only' })} />
    </article>
  );
}

/** 签收 / 升级 / 化解 with a note; whether this officer may is the server's answer, shown as given. */
export function WarningActions({ id, level, onDone }: { id: string; level: WarningLevel; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [raiseTo, setRaiseTo] = useState<WarningLevel>(LEVELS[Math.max(0, LEVELS.indexOf(level) - 1)]);
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [done, setDone] = useState<string>();
  const [, ack] = useMutation(ACKNOWLEDGE);
  const [, escalate] = useMutation(ESCALATE);
  const [, resolve] = useMutation(RESOLVE);
  const run = async (name: string, action: Promise<{ error?: CombinedError }>) => {
    setErrors([]);
    setDone(undefined);
    const outcome = await action;
    if (outcome.error) return setErrors(serverErrors(outcome.error));
    setDone(name);
    setNote('');
    onDone();
  };
  return (
    <section aria-labelledby="actions-heading" className="actions card">
      <h2 id="actions-heading">{t('actions')}</h2>
      <label>
        {t('note')}
        <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} data-testid="action-note" />
      </label>
      <div className="buttons">
        <button type="button" onClick={() => run('ACKNOWLEDGED', ack({ id, note: note || null }))}>
          {t('acknowledge')}
        </button>
        <label className="inline">
          {t('escalateTo')}
          <select value={raiseTo} onChange={(event) => setRaiseTo(event.target.value as WarningLevel)}>
            {LEVELS.map((value) => (
              <option key={value} value={value}>
                {t(`level.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => run('ESCALATED', escalate({ id, level: raiseTo, note: note || null }))}>
          {t('escalate')}
        </button>
        <button type="button" onClick={() => run('RESOLVED', resolve({ id, note: note || null }))}>
          {t('resolve')}
        </button>
      </div>
      {done && (
        <p role="status" className="banner ok">
          {t(`action.${done}`)} ✓
        </p>
      )}
      <Refusal errors={errors} />
    </section>
  );
}
