import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useQuery } from 'urql';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { formatTime, LevelBadge, Loading, Refusal, RegionBanner, serverErrors, unavailableRegions } from './ui';
import { PURPOSE_PATTERN, storedToken } from './session';
import { authorizationHeaders } from './graphql-client';
import { graphql } from './generated';
import type { PersonAuditQuery } from './generated/graphql';
import { auditActionWords, auditFieldsWords, purposeWords } from './audit-words';

const PERSON = graphql(`
  query PersonDossier($id: ID!) {
    person(id: $id) {
      id
      region
      name
      gender
      birthDate
      idNumber
      phone
      address
      homeJurisdiction
      homeJurisdictionName
      dataAccess {
        personal
        owner
        reason
      }
      tags {
        category
        note
        taggedAt
      }
      petitions(first: 20) {
        edges {
          node {
            id
            region
            status
            category
            registeredAt
          }
        }
      }
      petitionWarnings(first: 20) {
        edges {
          node {
            id
            region
            kind
            level
            status
            summary
          }
        }
      }
    }
  }
`);
/**
 * Who read the record: the officer as the roster gives them (name and agency are open to every
 * verified caller), fetched from the officer's own region; null for a hub service.
 */
const AUDIT = graphql(`
  query PersonAudit($id: ID!) {
    auditTrail(personId: $id, last: 20) {
      seq
      at
      action
      fields
      purpose
      officerId
      jurisdiction
      officer {
        id
        name
        agencyName
        jurisdictionName
        region
      }
    }
  }
`);

/** Common purposes of use, offered first; any short name the gateway accepts may be typed. */
const PURPOSES = ['petition-handling', 'joint-inspection', 'case-review'];

/**
 * A person as this officer may see them: masks stay masks, with the reason the server gives
 * (`dataAccess.reason`). Revealing asks for the purpose of use first and sends it as X-Purpose;
 * the server writes the read to the person's audit trail, shown below when this officer may read it.
 */
export function PersonDossier({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  const [purpose, setPurpose] = useState<string>();
  const [asking, setAsking] = useState(false);
  const context = useMemo(() => (purpose ? { fetchOptions: { headers: authorizationHeaders(storedToken() ?? '', purpose) } } : undefined), [purpose]);
  const [result] = useQuery({ query: PERSON, variables: { id }, context, requestPolicy: purpose ? 'network-only' : 'cache-and-network' });
  const [audit, reloadAudit] = useQuery({ query: AUDIT, variables: { id }, requestPolicy: 'network-only', pause: !result.data });
  // A read in full is written to the trail as it is answered: read the trail again after it.
  useEffect(() => {
    if (purpose && result.data && !result.fetching) reloadAudit({ requestPolicy: 'network-only' });
  }, [purpose, result.data, result.fetching, reloadAudit]);
  const person = result.data?.person;
  if (!person) return result.fetching ? <Loading /> : <Refusal errors={serverErrors(result.error)} />;
  const masked = person.dataAccess.personal !== 'FULL';
  const withheld = serverErrors(result.error).filter((e) => e.code !== 'REGION_UNAVAILABLE');
  const field = (label: string, value: string | null, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd className={masked ? 'masked' : undefined} data-testid={testId}>
        {value ?? '—'}
      </dd>
    </>
  );
  return (
    <article aria-labelledby="person-heading" className="detail" data-testid="person-dossier" data-access={person.dataAccess.personal}>
      <h1 id="person-heading">
        {t('dossier')} · {person.name ?? person.id}
      </h1>
      <RegionBanner regions={unavailableRegions(result.error)} />
      <p className={masked ? 'banner warn' : 'banner ok'} data-testid="access-reason">
        {t(`access.${person.dataAccess.personal}`)}: {person.dataAccess.reason}
      </p>
      {masked && person.dataAccess.personal === 'MASKED' && (
        <button type="button" onClick={() => setAsking(true)} data-testid="reveal">
          {t('reveal')}
        </button>
      )}
      {asking && (
        <PurposeDialog
          onCancel={() => setAsking(false)}
          onConfirm={(value) => {
            setAsking(false);
            setPurpose(value);
          }}
        />
      )}
      <dl className="facts">
        {field(t('name'), person.name, 'person-name')}
        {field(t('idNumber'), person.idNumber, 'person-id-number')}
        {field(t('birthDate'), person.birthDate)}
        {field(t('phone'), person.phone)}
        {field(t('address'), person.address)}
        <dt>{t('gender')}</dt>
        <dd>{person.gender ? t(`gender.${person.gender}`) : '—'}</dd>
        <dt>{t('home')}</dt>
        <dd>
          {person.homeJurisdictionName ?? ''} {person.homeJurisdiction ?? '—'} · {regions.get(person.region) ?? person.region}
        </dd>
        <dt>{t('tags')}</dt>
        <dd>
          {person.tags ? (
            person.tags.map((tag) => (
              <span key={tag.category} className="chip">
                {t(`tag.${tag.category}`)}
              </span>
            ))
          ) : (
            <em>{t('ownerOnly')}</em>
          )}
        </dd>
      </dl>
      {purpose && <p role="status">{t('purposeStated', { purpose: purposeWords(purpose, t) })}</p>}
      {withheld.length > 0 && (
        <details className="field-errors">
          <summary>{t('someFieldsWithheld', { count: withheld.length })}</summary>
          <Refusal errors={withheld} />
        </details>
      )}
      <h2>{t('petitions')}</h2>
      <ul data-testid="person-petitions">
        {(person.petitions?.edges ?? []).map(({ node }) => (
          <li key={node.id}>
            <a href={href('petition', node.id)}>
              {node.id} · {node.category}
            </a>{' '}
            · {t(`petitionStatus.${node.status}`)} · {formatTime(node.registeredAt, locale)}
          </li>
        ))}
      </ul>
      <h2>{t('nav.warnings')}</h2>
      <ul>
        {(person.petitionWarnings?.edges ?? []).map(({ node }) => (
          <li key={node.id}>
            <LevelBadge level={node.level} /> <a href={href('warning', node.id)}>{node.summary}</a> · {t(`status.${node.status}`)}
          </li>
        ))}
      </ul>
      <h2>
        {t('auditTrail')}{' '}
        <button type="button" className="link" onClick={() => reloadAudit({ requestPolicy: 'network-only' })}>
          {t('refresh')}
        </button>
      </h2>
      {audit.data?.auditTrail ? (
        <table data-testid="audit-trail" aria-label={t('auditTrail')}>
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('officer')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('fields')}</th>
              <th scope="col">{t('purpose')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.auditTrail.map((entry) => (
              <tr key={entry.seq} data-purpose={entry.purpose ?? ''}>
                <td>{formatTime(entry.at, locale)}</td>
                <td>
                  <Reader entry={entry} />
                </td>
                <td>{auditActionWords(entry.action, t)}</td>
                <td>{auditFieldsWords(entry.action, entry.fields, t)}</td>
                <td>{entry.purpose ? purposeWords(entry.purpose, t) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Refusal errors={serverErrors(audit.error)} />
      )}
    </article>
  );
}

/**
 * Who read: the officer's name, agency and region; a hub service as such. Where the officer's
 * region did not answer, the id and jurisdiction as the audit row recorded them are all there is.
 */
function Reader({ entry }: { entry: PersonAudit }) {
  const { t } = useI18n();
  const regions = useRegions();
  const { officer } = entry;
  if (officer)
    return (
      <>
        <strong>{officer.name}</strong> · {officer.agencyName} · {regions.get(officer.region) ?? officer.region}
      </>
    );
  const service = /^service:(.*)$/.exec(entry.officerId);
  if (service) return <>{`${t('hubService')} · ${regions.get(service[1]) ?? service[1]}`}</>;
  return (
    <>
      {entry.officerId} ({entry.jurisdiction})
    </>
  );
}

type PersonAudit = PersonAuditQuery['auditTrail'][number];

function PurposeDialog({ onConfirm, onCancel }: { onConfirm: (purpose: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState(PURPOSES[0]);
  const input = useRef<HTMLInputElement>(null);
  const valid = PURPOSE_PATTERN.test(value);
  // Focus goes back where it was (the reveal button) when the dialog closes.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => opener?.focus();
  }, []);
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby="purpose-heading"
      className="dialog"
      data-testid="purpose-dialog"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
        else if (event.key === 'Tab') keepFocusWithin(event);
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) onConfirm(value);
        }}
      >
        <h2 id="purpose-heading">{t('purposeTitle')}</h2>
        <p>{t('purposeHint')}</p>
        <label>
          {t('purpose')}
          <input
            ref={input}
            autoFocus
            list="purposes"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={!valid}
            data-testid="purpose-input"
          />
        </label>
        <datalist id="purposes">
          {PURPOSES.map((purpose) => (
            <option key={purpose} value={purpose} label={purposeWords(purpose, t)} />
          ))}
        </datalist>
        {!valid && <p role="alert">{t('purposeInvalid')}</p>}
        <div className="buttons">
          <button type="submit" disabled={!valid}>
            {t('revealConfirm')}
          </button>
          <button type="button" className="link" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Tab and Shift+Tab cycle through the dialog's own controls: a modal dialog keeps the keyboard until it is answered. */
function keepFocusWithin(event: KeyboardEvent<HTMLElement>): void {
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('input, select, textarea, button:not([disabled]), [href]')];
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const inside = focusable.includes(document.activeElement as HTMLElement);
  if (event.shiftKey && (document.activeElement === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}
