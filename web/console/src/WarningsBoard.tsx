import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import { liveStore } from './graphql-client';
import { useI18n } from './i18n';
import { useRegions } from './regions';
import { href } from './route';
import { formatTime, LevelBadge, Loading, RegionBanner, unavailableRegions } from './ui';
import { WarningActions } from './WarningDetail';
import { apiFilter, BoardFilter, EMPTY_FILTER, KINDS, LEVELS, STATUSES, WarningRow } from './warning-fields';
import { graphql } from './generated';
import type { BoardWarningsQuery, PetitionWarningFilter } from './generated/graphql';

const PAGE = 100;
const LIST = graphql(`
  query BoardWarnings($first: Int, $after: String, $filter: PetitionWarningFilter) {
    petitionWarnings(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          ...WarningRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
const EVENTS = graphql(`
  subscription BoardEvents($filter: PetitionWarningFilter, $after: String) {
    petitionWarningEvents(filter: $filter, after: $after) {
      cursor
      kind
      at
      region
      warning {
        ...WarningRow
      }
    }
  }
`);

interface LiveRows {
  filterKey: string;
  rows: Map<string, WarningRow>;
}
const NO_ROWS = new Map<string, WarningRow>();

/** Newest first; a warning seen again (a later event) replaces its earlier row. */
export function mergeWarnings(listed: WarningRow[], live: Map<string, WarningRow>): WarningRow[] {
  const byId = new Map(listed.map((row) => [row.id, row]));
  for (const [id, row] of live) byId.set(id, row);
  return [...byId.values()].sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : b.id.localeCompare(a.id)));
}

export function WarningsBoard() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<BoardFilter>(EMPTY_FILTER);
  const variables = useMemo(() => ({ first: PAGE, filter: apiFilter(filter) }), [filter]);
  const [list] = useQuery({ query: LIST, variables });
  const filterKey = JSON.stringify(variables.filter);
  const live$ = useSyncExternalStore(liveStore.subscribe, liveStore.get);
  const liveState = live$.state;
  // After a lost connection the board subscribes again from the last event it received, so that
  // nothing raised in between is missed (the cursor holds every region's position).
  const lastCursor = useRef<{ filterKey: string; cursor: string }>(undefined);
  const [resume, setResume] = useState<{ filterKey: string; after: string }>();
  const firstConnection = useRef(0);
  useEffect(() => {
    if (live$.state !== 'connected') return;
    if (!firstConnection.current) firstConnection.current = live$.connections;
    else if (live$.connections > firstConnection.current && lastCursor.current?.filterKey === filterKey)
      setResume({ filterKey, after: lastCursor.current.cursor });
  }, [live$, filterKey]);
  const after = resume?.filterKey === filterKey ? resume.after : null;
  // Live rows since the board opened, for the filter in force (rows heard under another filter are dropped).
  const [live] = useSubscription({ query: EVENTS, variables: { filter: variables.filter, after } }, (seen: LiveRows | undefined, event) => {
    const heard = event?.petitionWarningEvents;
    const rows = seen?.filterKey === filterKey ? seen.rows : new Map<string, WarningRow>();
    if (!heard?.warning) return { filterKey, rows };
    lastCursor.current = { filterKey, cursor: heard.cursor };
    return { filterKey, rows: new Map(rows).set(heard.warning.id, heard.warning) };
  });
  // Pages after the first, fetched as the officer asks for more; they belong to the filter they were read for.
  const [more, setMore] = useState<{ filterKey: string; rows: WarningRow[]; pageInfo: BoardPageInfo }>();
  const firstPage = list.data?.petitionWarnings;
  const extra = more?.filterKey === filterKey ? more : undefined;
  const listed: WarningRow[] = useMemo(() => [...(firstPage?.edges ?? []).map((edge) => edge.node), ...(extra?.rows ?? [])], [firstPage, extra]);
  const pageInfo: BoardPageInfo | undefined = extra?.pageInfo ?? firstPage?.pageInfo;
  const liveRows = live.data?.filterKey === filterKey ? live.data.rows : NO_ROWS;
  const rows = useMemo(() => mergeWarnings(listed, liveRows), [listed, liveRows]);
  // The warning whose actions are open above the list (its row's latest state, live events included).
  const [selectedId, setSelectedId] = useState<string>();
  const selected = selectedId ? rows.find((row) => row.id === selectedId) : undefined;
  const missing = [...new Set([...unavailableRegions(list.error), ...unavailableRegions(live.error)])];

  return (
    <section aria-labelledby="board-heading" className="board">
      <div className="heading-row">
        <h1 id="board-heading">{t('nav.warnings')}</h1>
        <span className={`live live-${liveState}`} data-testid="live-state" data-state={liveState} role="status">
          {t(`live.${liveState}`)}
        </span>
      </div>
      <RegionBanner regions={missing} />
      <Filters filter={filter} onChange={setFilter} />
      <RegionCounts rows={rows} />
      {selected && (
        <div className="selected" data-testid="board-actions">
          <p>
            <LevelBadge level={selected.level} /> <a href={href('warning', selected.id)}>{selected.summary}</a> · {t(`status.${selected.status}`)}{' '}
            <button type="button" className="link" onClick={() => setSelectedId(undefined)}>
              {t('cancel')}
            </button>
          </p>
          <WarningActions key={selected.id} id={selected.id} level={selected.level} onDone={() => undefined} />
        </div>
      )}
      {!list.data && !list.error ? <Loading /> : <WarningTable rows={rows} onSelect={setSelectedId} />}
      {pageInfo?.hasNextPage && pageInfo.endCursor && (
        <LoadMore
          filter={variables.filter}
          cursor={pageInfo.endCursor}
          onPage={(rows, next) => setMore({ filterKey, rows: [...(extra?.rows ?? []), ...rows], pageInfo: next })}
        />
      )}
    </section>
  );
}

type BoardPageInfo = BoardWarningsQuery['petitionWarnings']['pageInfo'];

function LoadMore({
  filter,
  cursor,
  onPage,
}: {
  filter: PetitionWarningFilter;
  cursor: string;
  onPage: (rows: WarningRow[], pageInfo: BoardPageInfo) => void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      data-testid="load-more"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const result = await client.query(LIST, { first: PAGE, after: cursor, filter }, { requestPolicy: 'network-only' }).toPromise();
        setBusy(false);
        const page = result.data?.petitionWarnings;
        if (page)
          onPage(
            page.edges.map((edge) => edge.node),
            page.pageInfo,
          );
      }}
    >
      {busy ? t('loading') : t('loadMore')}
    </button>
  );
}

function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

function Filters({ filter, onChange }: { filter: BoardFilter; onChange: (filter: BoardFilter) => void }) {
  const { t } = useI18n();
  const regions = useRegions();
  const group = <V extends string>(
    name: 'levels' | 'kinds' | 'statuses',
    values: readonly V[],
    selected: V[],
    select: (values: V[]) => BoardFilter,
    prefix: string,
  ) => (
    <fieldset>
      <legend>{t(`filter.${name}`)}</legend>
      {values.map((value) => (
        <label key={value} className="check">
          <input type="checkbox" checked={selected.includes(value)} onChange={() => onChange(select(toggle(selected, value)))} />
          {t(`${prefix}.${value}`)}
        </label>
      ))}
    </fieldset>
  );
  return (
    <form className="filters" aria-label={t('filter.label')} onSubmit={(event) => event.preventDefault()}>
      {group('levels', LEVELS, filter.levels, (levels) => ({ ...filter, levels }), 'level')}
      {group('kinds', KINDS, filter.kinds, (kinds) => ({ ...filter, kinds }), 'kind')}
      {group('statuses', STATUSES, filter.statuses, (statuses) => ({ ...filter, statuses }), 'status')}
      <fieldset>
        <legend>{t('filter.where')}</legend>
        <label>
          {t('filter.raisedIn')}
          <input
            value={filter.raisedIn}
            inputMode="numeric"
            pattern="\d{2,12}"
            placeholder="3304"
            onChange={(event) => onChange({ ...filter, raisedIn: event.target.value })}
          />
        </label>
        <label>
          {t('filter.subjectRegion')}
          <select value={filter.subjectRegion} onChange={(event) => onChange({ ...filter, subjectRegion: event.target.value })}>
            <option value="">{t('all')}</option>
            {[...regions].map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.from')}
          <input type="date" value={filter.raisedFrom} onChange={(event) => onChange({ ...filter, raisedFrom: event.target.value })} />
        </label>
        <label>
          {t('filter.until')}
          <input type="date" value={filter.raisedUntil} onChange={(event) => onChange({ ...filter, raisedUntil: event.target.value })} />
        </label>
      </fieldset>
      <button type="button" className="link" onClick={() => onChange(EMPTY_FILTER)}>
        {t('filter.clear')}
      </button>
    </form>
  );
}

function RegionCounts({ rows }: { rows: WarningRow[] }) {
  const { t } = useI18n();
  const regions = useRegions();
  const counts = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const entry = counts.get(row.region) ?? { total: 0 };
    entry.total += 1;
    entry[row.level] = (entry[row.level] ?? 0) + 1;
    counts.set(row.region, entry);
  }
  return (
    <table className="counts" aria-label={t('countsPerRegion')} data-testid="region-counts">
      <thead>
        <tr>
          <th scope="col">{t('region')}</th>
          {LEVELS.map((level) => (
            <th key={level} scope="col">
              <LevelBadge level={level} />
            </th>
          ))}
          <th scope="col">{t('total')}</th>
        </tr>
      </thead>
      <tbody>
        {[...regions.keys()].map((code) => (
          <tr key={code} data-region={code}>
            <th scope="row">{regions.get(code)}</th>
            {LEVELS.map((level) => (
              <td key={level}>{counts.get(code)?.[level] ?? 0}</td>
            ))}
            <td>{counts.get(code)?.total ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The list itself; memoised rows, so that an event re-renders one row's worth of work, not the board. */
/**
 * The list itself: ARIA table semantics on a CSS grid, so that rows off screen skip layout and
 * paint (`content-visibility`, which table rows cannot have); memoised rows, so that an event
 * re-renders one row's worth of work, not the board.
 */
export const WarningTable = memo(function WarningTable({ rows, onSelect }: { rows: WarningRow[]; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  if (!rows.length) return <p>{t('noWarnings')}</p>;
  return (
    <div role="table" className="warnings" aria-label={t('nav.warnings')} aria-rowcount={rows.length + 1} data-testid="warnings">
      <div role="rowgroup">
        <div role="row" className="warning-row head">
          {(['level', 'kind', 'summary', 'subject', 'region', 'status', 'raisedAt', 'actions'] as const).map((column) => (
            <span role="columnheader" key={column}>
              {t(column)}
            </span>
          ))}
        </div>
      </div>
      <div role="rowgroup">
        {rows.map((row) => (
          <WarningTableRow key={row.id} row={row} onSelect={onSelect} />
        ))}
      </div>
    </div>
  );
});

const WarningTableRow = memo(function WarningTableRow({ row, onSelect }: { row: WarningRow; onSelect: (id: string) => void }) {
  const { t, locale } = useI18n();
  const regions = useRegions();
  return (
    <div role="row" className="warning-row" data-warning={row.id} data-status={row.status}>
      <span role="cell">
        <LevelBadge level={row.level} />
      </span>
      <span role="cell">{t(`kind.${row.kind}`)}</span>
      <span role="cell">
        <a href={href('warning', row.id)}>{row.summary}</a>
      </span>
      <span role="cell">{row.subject ? <a href={href('person', row.subject.id)}>{row.subject.name ?? row.subject.id}</a> : '—'}</span>
      <span role="cell">
        {regions.get(row.region) ?? row.region} <small>{row.raisedIn}</small>
      </span>
      <span role="cell">{t(`status.${row.status}`)}</span>
      <span role="cell">
        <time dateTime={row.raisedAt}>{formatTime(row.raisedAt, locale)}</time>
      </span>
      <span role="cell">
        <button type="button" className="link" onClick={() => onSelect(row.id)} aria-label={`${t('actions')}: ${row.summary}`}>
          {t('handle')}
        </button>
      </span>
    </div>
  );
});
