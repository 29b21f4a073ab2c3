import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningHub } from '../launcher/hub';
import { RunningGateway, startGateway } from '../gateway/server';
import { sha256 } from '../gateway/trusted-documents';
import { DEVELOPER_ROLE } from '../auth/developer-role';
import { OfficerRole } from '../subgraphs/personnel/officer-role';
import { repoPath } from '../subgraphs/shared/repo-path';
import { runCli } from './support/cli';
import { authHeaders, rosterOfficer, startTestHub, tokenFor } from './support/hub';
import { eventually, subscribeSse, subscribeWs } from './support/live-clients';

/**
 * Trusted documents through the real gateway: an app registers its operations (a manifest as
 * graphql-codegen's client preset writes it) with `yrd-hub documents add`; a hub started with
 * HUB_TRUSTED_DOCUMENTS=require then answers those by id and refuses anything else, except to a
 * developer.
 */

const WARNINGS = 'query Warnings { petitionWarnings(first: 2) { edges { node { id region } } } }';
// 31 root fields (and aliases): over the operation limits, registered or not.
const TOO_MANY_ALIASES = `query Wide { ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const LIVE = 'subscription Live { petitionWarningEvents(regions: ["330400"]) { kind warning { id summary } } }';
const RAISE = 'mutation Raise($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }';
const UNREGISTERED = 'query Other { petitionWarnings(first: 1) { edges { node { id } } } }';

let hub: RunningHub;
let folder: string;

async function post(
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> }> {
  const response = await fetch(hub.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authHeaders(hub.gateway.graphqlUrl, headers)) },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-documents-'));
  hub = await startTestHub('trusted', { trustedDocuments: { mode: 'require' } });
}, 240_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('registering trusted documents', () => {
  it('refuses a manifest whose hash is not its document’s, and registers a good one', async () => {
    const bad = path.join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ [sha256(WARNINGS)]: WARNINGS, [sha256('query X { __typename }')]: UNREGISTERED }));
    const refused = await runCli(['documents', 'add', bad, '--app', 'monitor'], { HUB_DATA_DIR: hub.dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${sha256('query X { __typename }')} is not the SHA-256 hash of its document`);

    const manifest = path.join(folder, 'persisted-documents.json');
    const documents = [WARNINGS, TOO_MANY_ALIASES, LIVE, RAISE];
    writeFileSync(manifest, JSON.stringify(Object.fromEntries(documents.map((document) => [sha256(document), document])), null, 2));
    const added = await runCli(['documents', 'add', manifest, '--app', 'monitor'], { HUB_DATA_DIR: hub.dataDir });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('monitor: 4 new trusted documents, 4 in all');
    // Nothing of the refused manifest was kept.
    expect(Object.keys(JSON.parse(readFileSync(path.join(hub.dataDir, 'trusted-documents', 'monitor.json'), 'utf8')))).toEqual(documents.map(sha256));
  });
});

describe('HUB_TRUSTED_DOCUMENTS=require', () => {
  it('answers a registered document by documentId (prefixed or bare), over POST and GET, and by APQ hash', async () => {
    // The running hub looks at its manifests again on an unknown id (at most every 2 seconds).
    let byId = await post({ documentId: `sha256:${sha256(WARNINGS)}` });
    for (let attempt = 0; byId.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      byId = await post({ documentId: `sha256:${sha256(WARNINGS)}` });
    }
    expect(byId.errors).toBeUndefined();
    expect(byId.data.petitionWarnings.edges).toHaveLength(2);

    const free = await post({ query: WARNINGS });
    expect(free.status).toBe(400);
    expect(free.errors![0].extensions!.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(free.data).toBeUndefined();

    expect((await post({ documentId: sha256(WARNINGS) })).data).toEqual(byId.data);
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(WARNINGS) } } })).data).toEqual(byId.data);
    // The registered document sent with its hash is the registered document.
    expect((await post({ query: WARNINGS, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(WARNINGS) } } })).data).toEqual(byId.data);

    const get = await fetch(`${hub.gateway.graphqlUrl}?documentId=sha256:${sha256(WARNINGS)}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...(await authHeaders(hub.gateway.graphqlUrl, {})) },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual(byId.data);
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND and registers nothing on a miss', async () => {
    const unknown = await post({ documentId: `sha256:${sha256(UNREGISTERED)}` });
    expect(unknown.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.data).toBeUndefined();

    const register = await post({ query: UNREGISTERED, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNREGISTERED) } } });
    expect(register.status).toBe(400);
    expect(register.errors![0].extensions!.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNREGISTERED) } } })).errors![0].extensions!.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it('holds a registered document to the same operation limits as a free-form one', async () => {
    const wide = await post({ documentId: `sha256:${sha256(TOO_MANY_ALIASES)}` });
    expect(wide.status).toBe(400);
    expect(wide.errors![0].extensions!.code).toBe('ROOT_FIELD_LIMIT_EXCEEDED');
    // Word for word what the same text gets free-form (from a developer, who may send it).
    const developer = await rosterOfficer(hub, { region: '330400', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['DEVELOPER'] });
    const free = await post({ query: TOO_MANY_ALIASES }, { authorization: `Bearer ${developer.token}` });
    expect(free.status).toBe(400);
    expect(free.errors).toEqual(wide.errors);
  });

  it('lets a caller holding the role DEVELOPER send free-form operations', async () => {
    expect(OfficerRole.DEVELOPER).toBe(DEVELOPER_ROLE); // the roster's role is the one the gateway checks
    const developer = await rosterOfficer(hub, { region: '330400', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['DEVELOPER'] });
    const free = await post({ query: 'query Probe { __typename }' }, { authorization: `Bearer ${developer.token}` });
    expect(free.errors).toBeUndefined();
    expect(free.data).toEqual({ __typename: 'Query' });
    // The same operation from an officer without the role is refused.
    expect((await post({ query: 'query Probe { __typename }' })).errors![0].extensions!.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });
});

describe('subscriptions under HUB_TRUSTED_DOCUMENTS=require', () => {
  it("runs a registered subscription (and its per-event query, the hub's own) and refuses a free-form one", async () => {
    const token = await tokenFor(hub.gateway.graphqlUrl, '330400:1');
    const free = subscribeSse(hub.gateway.graphqlUrl, token, 'subscription { petitionWarningEvents { kind } }');
    expect(await free.status).toBe(400);
    expect(free.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    await free.stop();

    const live = subscribeWs(hub.gateway.graphqlUrl, token, LIVE, {}, { purpose: 'petition-handling' });
    try {
      const raise = async () => {
        const raised = await post(
          {
            documentId: `sha256:${sha256(RAISE)}`,
            variables: {
              input: { region: '330400', raisedIn: '330400', level: 'YELLOW', kind: 'LEVEL_SKIPPING', subjectId: '330400:5', summary: '受信任文档' },
            },
          },
          { 'X-Officer': '330400:1' },
        );
        expect(raised.errors).toBeUndefined();
        return raised.data.raisePetitionWarning.id as string;
      };
      // Subscribed once an event made afterwards arrives: raise until one does.
      let raisedId = '';
      let heard = false;
      for (let attempt = 0; attempt < 10 && !heard; attempt++) {
        raisedId = await raise();
        heard = await eventually(() => live.events.some((event) => event.warning.id === raisedId), 3);
      }
      expect(heard).toBe(true);
      expect(live.errors).toEqual([]);
      expect(live.events.find((event) => event.warning.id === raisedId)).toMatchObject({ kind: 'RAISED', warning: { summary: '受信任文档' } });
    } finally {
      await live.stop();
    }
  });
});

describe('APQ without require mode', () => {
  let gateway: RunningGateway | undefined;
  afterAll(async () => gateway?.stop());

  it('registers a query on a miss and answers it by hash after', async () => {
    gateway = await startGateway({ supergraphSdl: readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'), port: 0, auth: 'insecure-no-auth' });
    const query = 'query Round { __typename }';
    const apq = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const send = async (body: object) =>
      (
        await fetch(gateway!.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      ).json() as Promise<any>;
    expect((await send({ extensions: apq })).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, extensions: apq })).data).toEqual({ __typename: 'Query' });
    expect((await send({ extensions: apq })).data).toEqual({ __typename: 'Query' });
    expect((await send({ query: 'query Free { __typename }' })).data).toEqual({ __typename: 'Query' });
  });
});
