import { useMemo } from 'react';
import { useQuery } from 'urql';
import { useCaller } from './caller';
import { useI18n } from './i18n';
import { href } from './route';
import { Loading, RegionBanner, unavailableRegions } from './ui';
import { graphql } from './generated';
import { GROUPS, groupOf, petitionItem, PortalItem, taskItem } from './task-groups';

const PORTAL = graphql(`
  query TaskPortal($jurisdiction: String) {
    petitions(first: 100, filter: { registeredIn: $jurisdiction }) {
      edges {
        node {
          id
          status
          category
          registeredIn
          deadline {
            daysLeft
            overdue
          }
        }
      }
    }
    inspectionTasks(first: 100) {
      edges {
        node {
          id
          status
          targetName
          jurisdiction
          plannedUntil
        }
      }
    }
  }
`);

/** The petitions and inspection tasks of the officer's jurisdiction, by group, with counts per county. */
export function TaskPortal() {
  const { t } = useI18n();
  const caller = useCaller();
  const [result] = useQuery({ query: PORTAL, variables: { jurisdiction: caller.jurisdiction } });
  const items: PortalItem[] = useMemo(
    () => [
      ...(result.data?.petitions?.edges ?? []).map(({ node }) => petitionItem(node)),
      ...(result.data?.inspectionTasks?.edges ?? []).map(({ node }) => taskItem(node)),
    ],
    [result.data],
  );
  if (!result.data) return <Loading />;
  const counties = [...new Set(items.map((item) => item.county))].sort();
  const count = (county: string, group: string) => items.filter((item) => item.county === county && groupOf(item) === group).length;
  return (
    <section aria-labelledby="portal-heading">
      <h1 id="portal-heading">{t('nav.tasks')}</h1>
      <RegionBanner regions={unavailableRegions(result.error)} />
      <table aria-label={t('countsPerCounty')} data-testid="county-counts">
        <thead>
          <tr>
            <th scope="col">{t('county')}</th>
            {GROUPS.map((group) => (
              <th key={group} scope="col">
                {t(`group.${group}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counties.map((county) => (
            <tr key={county}>
              <th scope="row">{county}</th>
              {GROUPS.map((group) => (
                <td key={group}>{count(county, group)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="groups">
        {GROUPS.map((group) => {
          const members = items.filter((item) => groupOf(item) === group);
          return (
            <section key={group} aria-labelledby={`group-${group}`} className={`group group-${group}`} data-testid={`group-${group}`}>
              <h2 id={`group-${group}`}>
                {t(`group.${group}`)} <span className="count">{members.length}</span>
              </h2>
              <ul>
                {members.slice(0, 50).map((item) => (
                  <li key={item.id}>
                    <a href={href(item.kind, item.id)}>
                      {t(`portal.${item.kind}`)} {item.title}
                    </a>{' '}
                    <small>
                      {item.county} · {item.kind === 'petition' ? t(`petitionStatus.${item.status}`) : t(`taskStatus.${item.status}`)}
                      {item.daysLeft !== null && ` · ${item.overdue ? t('overdueBy', { days: -item.daysLeft }) : t('daysLeft', { days: item.daysLeft })}`}
                    </small>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}
