import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { DemoOfficers, demoOfficers, demoToken } from './demo-sign-in';
import { fetcher } from './fetcher';
import { OfficerPicker } from './officer-picker';
import { requestHeaders } from './request-headers';

/**
 * The hub's explorer: GraphiQL over the gateway's /graphql, with the caller token and purpose in
 * the header editor. Nothing is loaded from elsewhere and nothing is reported anywhere.
 */

const DEFAULT_QUERY = `# Petition warnings of every city this officer may see, newest first.
query CrossRegionWarnings {
  petitionWarnings(first: 5) {
    edges { node { id region level raisedAt subject { id region name } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

async function start() {
  let demo: DemoOfficers | undefined;
  let token: string | undefined;
  try {
    demo = await demoOfficers();
    if (demo) token = await demoToken(demo.default);
  } catch (error) {
    console.warn(`demo sign-in unavailable: ${(error as Error).message}`);
  }
  const headers = requestHeaders(token);
  createRoot(document.getElementById('explorer')!).render(
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      initialHeaders={headers}
      defaultHeaders={headers}
      defaultEditorToolsVisibility="headers"
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <span className="yrd-logo">YRD Hub</span> {demo ? <OfficerPicker demo={demo} initial={demo.default} /> : null}
      </GraphiQL.Logo>
    </GraphiQL>,
  );
}

void start();
