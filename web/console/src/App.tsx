import { useMemo } from 'react';
import { Provider, useQuery } from 'urql';
import { consoleClient } from './graphql-client';
import { useI18n, LanguageSwitch } from './i18n';
import { RegionsContext } from './regions';
import { href, Route, useRoute } from './route';
import { Loading, serverErrors } from './ui';
import { CallerContext, Caller } from './caller';
import { WarningsBoard } from './WarningsBoard';
import { WarningDetail } from './WarningDetail';
import { PetitionDetail } from './PetitionDetail';
import { PersonDossier } from './PersonDossier';
import { Inspections } from './Inspections';
import { InspectionDetail } from './InspectionDetail';
import { TaskDetail } from './TaskDetail';
import { TaskPortal } from './TaskPortal';
import { graphql } from './generated';

const ME = graphql(`
  query ConsoleMe {
    caller {
      id
      jurisdiction
      agency
      roles
    }
    regions {
      code
      name
    }
  }
`);
const OFFICER = graphql(`
  query ConsoleOfficer($id: ID!) {
    officer(id: $id) {
      id
      name
      jurisdictionName
      agencyName
    }
  }
`);

export function SignedIn({ token, onSignOut }: { token: string; onSignOut: (problem?: string) => void }) {
  const { client, close } = useMemo(() => consoleClient(token), [token]);
  return (
    <Provider value={client}>
      <Shell
        onSignOut={(problem) => {
          close();
          onSignOut(problem);
        }}
      />
    </Provider>
  );
}

function Shell({ onSignOut }: { onSignOut: (problem?: string) => void }) {
  const { t } = useI18n();
  const route = useRoute();
  const [me] = useQuery({ query: ME, requestPolicy: 'network-only' });
  const callerId: string | undefined = me.data?.caller?.id;
  const [officer] = useQuery({ query: OFFICER, variables: { id: callerId ?? '' }, pause: !callerId });
  const regions = useMemo(() => new Map<string, string>((me.data?.regions ?? []).map((r) => [r.code, r.name])), [me.data]);
  const refused = serverErrors(me.error).find((e) => e.code === 'UNAUTHENTICATED' || e.code === 'ROSTER_UNAVAILABLE');
  if (refused) {
    queueMicrotask(() => onSignOut(refused.message));
    return <Loading />;
  }
  if (!me.data) return me.error ? <p role="alert">{me.error.message}</p> : <Loading />;
  const caller: Caller = { ...me.data.caller, name: officer.data?.officer?.name ?? null, jurisdictionName: officer.data?.officer?.jurisdictionName ?? null };
  const screens: Array<[Route['screen'], string]> = [
    ['warnings', t('nav.warnings')],
    ['tasks', t('nav.tasks')],
    ['inspections', t('nav.inspections')],
  ];
  return (
    <CallerContext.Provider value={caller}>
      <RegionsContext.Provider value={regions}>
        <header className="top">
          <a className="brand" href={href('warnings')}>
            {t('appTitle')}
          </a>
          <nav aria-label={t('nav.label')}>
            {screens.map(([screen, label]) => (
              <a key={screen} href={href(screen)} aria-current={route.screen === screen ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <div className="officer" data-testid="officer" aria-label={t('signedInAs')}>
            <strong>{caller.name ?? caller.id}</strong>
            <span>
              {caller.jurisdictionName ?? ''} {caller.jurisdiction}
            </span>
            <span>{caller.roles.map((role) => t(`role.${role}`)).join(' · ')}</span>
          </div>
          <LanguageSwitch />
          <button type="button" className="link" onClick={() => onSignOut()}>
            {t('signOut')}
          </button>
        </header>
        <main id="main">
          <Screen route={route} />
        </main>
      </RegionsContext.Provider>
    </CallerContext.Provider>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'warnings':
      return <WarningsBoard />;
    case 'warning':
      return <WarningDetail key={route.id} id={route.id} />;
    case 'petition':
      return <PetitionDetail key={route.id} id={route.id} />;
    case 'person':
      return <PersonDossier key={route.id} id={route.id} />;
    case 'inspections':
      return <Inspections />;
    case 'inspection':
      return <InspectionDetail key={route.id} id={route.id} />;
    case 'task':
      return <TaskDetail key={route.id} id={route.id} />;
    case 'tasks':
      return <TaskPortal />;
  }
}
