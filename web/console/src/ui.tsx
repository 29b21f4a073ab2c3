import type { CombinedError } from 'urql';
import { graphql } from './generated';
import type { DeadlineFieldsFragment } from './generated/graphql';
import { useI18n } from './i18n';
import { useRegions } from './regions';

/** A GraphQL error as the gateway sends it: a message meant for the user and a code. */
export interface ServerError {
  message: string;
  code?: string;
  extensions: Record<string, unknown>;
}

export function serverErrors(error: CombinedError | undefined): ServerError[] {
  if (!error) return [];
  if (error.networkError && !error.graphQLErrors.length) return [{ message: error.networkError.message, code: 'NETWORK', extensions: {} }];
  return error.graphQLErrors.map((e) => ({
    message: e.message,
    code: e.extensions?.code as string | undefined,
    extensions: (e.extensions ?? {}) as Record<string, unknown>,
  }));
}

/** The regions a partial answer left out (REGION_UNAVAILABLE names each in extensions.region). */
export function unavailableRegions(error: CombinedError | undefined): string[] {
  return [
    ...new Set(
      serverErrors(error)
        .filter((e) => e.code === 'REGION_UNAVAILABLE')
        .map((e) => String(e.extensions.region)),
    ),
  ];
}

export function RegionBanner({ regions }: { regions: string[] }) {
  const { t } = useI18n();
  const names = useRegions();
  if (!regions.length) return null;
  return (
    <div className="banner warn" role="alert" data-testid="region-banner">
      {t('regionsUnavailable')}: {regions.map((code) => names.get(code) ?? code).join('、')}
    </div>
  );
}

/** The server's own words for a refusal, never a client-side guess. */
export function Refusal({ errors, link }: { errors: ServerError[]; link?: (error: ServerError) => React.ReactNode }) {
  if (!errors.length) return null;
  return (
    <div className="banner error" role="alert" data-testid="refusal">
      {errors.map((error, i) => (
        <p key={i}>
          <code>{error.code}</code> {error.message} {link?.(error)}
        </p>
      ))}
    </div>
  );
}

export function LevelBadge({ level }: { level: string }) {
  const { t } = useI18n();
  return <span className={`level level-${level.toLowerCase()}`}>{t(`level.${level}`)}</span>;
}

/** One formatter per locale: making an Intl.DateTimeFormat per call (toLocaleString) dominated rendering a long board. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  let formatter = formatters.get(locale);
  if (!formatter)
    formatters.set(
      locale,
      (formatter = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })),
    );
  return formatter.format(new Date(iso));
}

/** What Deadline shows of a petition's running deadline. */
export const DEADLINE_FIELDS = graphql(`
  fragment DeadlineFields on PetitionDeadline {
    kind
    dueAt
    daysLeft
    overdue
    officersOwe
  }
`);

export function Deadline({ deadline }: { deadline: DeadlineFieldsFragment | null | undefined }) {
  const { t, locale } = useI18n();
  if (!deadline) return <span>{t('noDeadline')}</span>;
  return (
    <span className={deadline.overdue ? 'deadline overdue' : deadline.daysLeft <= 3 ? 'deadline near' : 'deadline'} data-testid="deadline">
      {t(`deadline.${deadline.kind}`)} · {formatTime(deadline.dueAt, locale)} ·{' '}
      {deadline.overdue ? t('overdueBy', { days: -deadline.daysLeft }) : t('daysLeft', { days: deadline.daysLeft })}
    </span>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <p aria-busy="true">{t('loading')}</p>;
}
