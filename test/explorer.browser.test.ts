import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningHub } from '../launcher/hub';
import { RunningGateway, startGateway } from '../gateway/server';
import { repoPath } from '../subgraphs/shared/repo-path';
import { describeWithBrowser, LaunchedBrowser, launchChromium } from './support/browser';
import { graphql, startTestHub } from './support/hub';

/**
 * The offline explorer: GraphiQL served by the gateway itself at GET /graphql for browsers,
 * loading nothing from anywhere but the hub, with the demo officer's token in its header editor.
 */

/** Where the screenshot is kept (README "Explorer"): in dist/, outside the run's temporary folder, which the run removes. */
export const EXPLORER_SCREENSHOT = repoPath('dist', 'screenshots', 'explorer.png');

let hub: RunningHub;
let browser: LaunchedBrowser;

beforeAll(async () => {
  // The explorer's build (skipped when web/explorer/ is unchanged since the last one).
  execFileSync(process.execPath, [repoPath('bin', 'build-web.js')], { stdio: 'inherit' });
  hub = await startTestHub('explorer');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('the explorer over HTTP', () => {
  it('is built from sources that type-check (web/explorer/tsconfig.json: DOM, react-jsx)', () => {
    // Not in the root project (tsc -b leaves web/ out): checked here, as the build does not.
    expect(() =>
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', repoPath('web', 'explorer', 'tsconfig.json')], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('answers a browser at /graphql with the explorer page, and GraphQL clients as before', async () => {
    const page = await fetch(hub.gateway.graphqlUrl, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('YRD Hub explorer');
    expect(html).toMatch(/src="\/explorer\/assets\/[^"]+\.js"/);
    // Apollo's landing page (Sandbox from the internet) is off.
    expect(html).not.toMatch(/apollographql|embeddable-sandbox|https?:\/\//);

    const asset = /src="(\/explorer\/assets\/[^"]+\.js)"/.exec(html)![1];
    const script = await fetch(`${hub.gateway.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');

    const get = await fetch(`${hub.gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(401); // GraphQL over GET still reaches the gateway, which wants a token
    expect(((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('signs demo officers in (demo mode): GET /demo/officers, POST /demo/token', async () => {
    const listing = (await (await fetch(`${hub.gateway.url}/demo/officers`)).json()) as {
      default: string;
      officers: Array<{ login: string; id: string; roles: string[] }>;
    };
    expect(listing.default).toBe('demo-330400');
    expect(listing.officers).toEqual(
      expect.arrayContaining([expect.objectContaining({ login: 'demo-330400', id: '330400:1', roles: ['PETITION_OFFICER', 'SUPERVISOR'] })]),
    );
    expect(listing.officers.some((officer) => officer.login.endsWith('-inactive'))).toBe(false);

    const issued = await fetch(`${hub.gateway.url}/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'demo-320500' }),
    });
    expect(issued.status).toBe(200);
    const { token, id } = (await issued.json()) as { token: string; id: string };
    expect(id).toBe('320500:1');
    const answer = await fetch(hub.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ officer(id: "320500:1") { id } }' }),
    });
    expect(((await answer.json()) as { data: unknown }).data).toEqual({ officer: { id: '320500:1' } });

    const unknown = await fetch(`${hub.gateway.url}/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'demo-999999' }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await fetch(`${hub.gateway.url}/demo/token`)).status).toBe(405);
  });

  it('has no demo sign-in on a gateway without demo providers', async () => {
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGateway({ supergraphSdl: readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'), port: 0, auth: 'insecure-no-auth' });
      expect((await fetch(`${gateway.url}/demo/officers`)).status).toBe(404);
      expect((await fetch(`${gateway.url}/demo/token`, { method: 'POST', body: '{"login":"demo-330400"}' })).status).toBe(404);
      // The explorer is there all the same, for a token the user pastes.
      expect((await fetch(gateway.graphqlUrl, { headers: { accept: 'text/html' } })).status).toBe(200);
    } finally {
      await gateway?.stop();
    }
  });
});

describeWithBrowser('the explorer in a browser', () => {
  it('loads with nothing leaving 127.0.0.1, runs a query with the prefilled token, switches officers and follows a subscription', async () => {
    browser = await launchChromium();
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(hub.gateway.graphqlUrl, { waitUntil: 'load' });

    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await page.waitForFunction(() => /Bearer\s+ey/.test(document.querySelector('.graphiql-editor-tool')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await headers.textContent()).toMatch(/X-Purpose.*petition-handling/);
    await page.getByLabel('Demo officer').waitFor();

    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => /"petitionWarnings"/.test(document.querySelector('.graphiql-response')?.textContent ?? ''), undefined, {
      timeout: 60_000,
    });
    const response = (await page.locator('.graphiql-response').textContent()) ?? '';
    expect(response).toContain('"edges"');
    expect(response).not.toContain('UNAUTHENTICATED');

    mkdirSync(path.dirname(EXPLORER_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: EXPLORER_SCREENSHOT });

    // The picker puts another officer's token in the header editor (another province's provider signs it).
    const before = await headers.textContent();
    await page.getByLabel('Demo officer').selectOption('demo-320500');
    await page.waitForFunction((previous) => [...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')].pop()?.textContent !== previous, before, {
      timeout: 60_000,
    });
    const after = await headers.textContent();
    expect(after).not.toBe(before);
    expect(after).toMatch(/Bearer\s+ey.*X-Purpose.*petition-handling/);
    expect(requested.some((url) => url.endsWith('/demo/token'))).toBe(true);

    // A subscription runs over SSE from the explorer, each event shown as it arrives.
    await page.getByLabel('Demo officer').selectOption('demo-330400');
    await page.waitForFunction((previous) => [...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')].pop()?.textContent !== previous, after, {
      timeout: 60_000,
    });
    await page.locator('.graphiql-query-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('subscription Live { petitionWarningEvents(regions: ["330400"]) { kind warning { id summary } } }');
    await page.locator('.graphiql-execute-button').click();
    // Monaco shows spaces as no-break spaces: the summaries have none. Subscribed once an event raised afterwards shows.
    let heard = false;
    for (let attempt = 0; attempt < 10 && !heard; attempt++) {
      const raised = await graphql(
        hub.gateway.graphqlUrl,
        'mutation Raise($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }',
        { input: { region: '330400', raisedIn: '330400', level: 'YELLOW', kind: 'LEVEL_SKIPPING', subjectId: '330400:5', summary: `浏览器订阅-${attempt}` } },
        { 'X-Officer': '330400:1' },
      );
      expect(raised.errors).toBeUndefined();
      heard = await page
        .waitForFunction((summary) => (document.querySelector('.graphiql-response')?.textContent ?? '').includes(summary), `浏览器订阅-${attempt}`, {
          timeout: 5000,
        })
        .then(
          () => true,
          () => false,
        );
    }
    if (!heard) console.log('RESPONSE', await page.locator('.graphiql-response').textContent());
    expect(heard).toBe(true);
    expect((await page.locator('.graphiql-response').textContent()) ?? '').toContain('"RAISED"');

    expect(requested.length).toBeGreaterThan(3);
    const hosts = new Set(requested.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:')).map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(['127.0.0.1']);
    // The page asked the hub for the demo officers and the token it shows.
    expect(requested.some((url) => url.endsWith('/demo/officers'))).toBe(true);
  }, 180_000);
});
