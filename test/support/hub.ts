import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { HubOptions, RunningHub, startHub } from '../../launcher/hub';
import type { HubIdentity } from '../../launcher/hub-identity';
import { signContextToken } from '../../auth/context-token';
import { repoPath } from '../../subgraphs/shared/repo-path';
import type { SeedScale } from '../../subgraphs/shared/subgraph-module';

export const TEST_SCALE: SeedScale = { persons: 60, petitions: 80, warnings: 40, inspections: 8, officersPerAgency: 2 };
export const DEMO_REGIONS = [
  { code: '310000', name: '上海市' },
  { code: '320500', name: '苏州市' },
  { code: '330400', name: '嘉兴市' },
  { code: '340100', name: '合肥市' },
];

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides a server)');
  return url;
}

/** Drops every database whose name starts with `${prefix}_`, so that a suite starts from nothing. */
export async function dropDatabases(prefix: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%'", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Temporary folders this test file made, removed once its tests are done (hubs hold no files open in them). */
const temporary: string[] = [];
afterAll(() => temporary.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
export const temporaryDir = (prefix: string) => temporary[temporary.push(mkdtempSync(path.join(os.tmpdir(), prefix))) - 1];

/** A temporary folder, removed once this file's tests are done. */
export const testFolder = (prefix: string) => temporaryDir(prefix);

/** Writes a regions.yaml for `regions` to a temporary folder and returns its path. */
export function writeRegionsFile(regions: ReadonlyArray<{ code: string; name: string; url?: string; timeout_ms?: number }>, extra: object = {}): string {
  const dir = temporaryDir('yrd-hub-regions-');
  const file = path.join(dir, 'regions.yaml');
  writeFileSync(file, stringify({ regional_subgraphs: ['petitions', 'dossier', 'enforcement', 'personnel'], ...extra, regions }));
  return file;
}

/** A whole hub on the test server, in databases of its own (`prefix`), with small demo data. */
export async function startTestHub(
  prefix: string,
  options: {
    regionsFile?: string;
    scale?: SeedScale;
    regionScale?: Record<string, Partial<SeedScale>>;
    backgroundIntervalMs?: number;
    /** Worker threads for the regions (as `yrd-hub start` serves them); 0, the default here: the test's own thread. */
    regionThreads?: number;
    /** How often audit chain heads are checkpointed (the hub's default unless given). */
    auditCheckpoints?: { everyRows: number; everyMs: number };
    /** Trusted documents (launcher/hub.ts): mode and extra manifest folders. */
    trustedDocuments?: HubOptions['trustedDocuments'];
    /** The keys folder, shared by hubs that must trust each other's tokens (default: one of its own). */
    dataDir?: string;
    /** Hears the hub's log lines (default: none kept). */
    log?: (line: string) => void;
    /** The supergraph file (default: the repository's schema/supergraph.graphql). */
    supergraphFile?: string;
    /** Reload when regions.yaml changes (HubOptions.watchConfig). */
    watchConfig?: boolean;
  } = {},
): Promise<RunningHub> {
  await dropDatabases(prefix);
  const hub = await startHub({
    regionsFile: options.regionsFile ?? writeRegionsFile(DEMO_REGIONS),
    supergraphFile: options.supergraphFile ?? repoPath('schema', 'supergraph.graphql'),
    // PostgreSQL is the test server; the folder holds this hub's keys (identity providers, context key).
    dataDir: options.dataDir ?? temporaryDir(`yrd-hub-${prefix}-`),
    databaseUrl: testDatabaseUrl(),
    databasePrefix: prefix,
    port: 0,
    backgroundIntervalMs: options.backgroundIntervalMs ?? 0,
    regionThreads: options.regionThreads ?? 0,
    auditCheckpoints: options.auditCheckpoints,
    trustedDocuments: options.trustedDocuments,
    seed: { seed: 7, scale: options.scale ?? TEST_SCALE, regionScale: options.regionScale },
    watchConfig: options.watchConfig,
    log: options.log ?? (() => undefined),
  });
  identities.set(hub.gateway.graphqlUrl, { identity: hub.identity, defaultOfficer: `${hub.regions.regions[0].code}:1`, tokens: new Map() });
  return hub;
}

/** Requests to `gatewayUrl` (another gateway trusting the same providers) sign in as for `hub`. */
export function signInLike(gatewayUrl: string, hub: RunningHub): void {
  identities.set(gatewayUrl, identities.get(hub.gateway.graphqlUrl)!);
}

/** A caller token with any claims, from the demo provider of the jurisdiction's province (for officers the seed does not have). */
export function tokenWithClaims(hub: RunningHub, claims: { id: string; jurisdiction: string; agency?: string | null; roles: string[] }): Promise<string> {
  return hub.identity.demoToken(claims);
}

/**
 * An officer added to a region's roster (its personnel records) for a test, and a caller token
 * for them from their province's provider: the gateway lets in only officers on the roster.
 */
export async function rosterOfficer(
  hub: RunningHub,
  officer: { region: string; jurisdiction: string; agency: string; roles: string[]; active?: boolean },
): Promise<{ id: string; token: string }> {
  const [{ id }] = await queryDatabase<{ id: string }>(
    hub.databaseUrls.get(officer.region)!,
    `INSERT INTO personnel.officers (login, name, agency, jurisdiction, roles, active)
     VALUES ('test-' || md5(random()::text), '测试', $1, $2, $3, $4) RETURNING id::text`,
    [officer.agency, officer.jurisdiction, officer.roles, officer.active ?? true],
  );
  const globalId = `${officer.region}:${id}`;
  return {
    id: globalId,
    token: await hub.identity.demoToken({ id: globalId, jurisdiction: officer.jurisdiction, agency: officer.agency, roles: officer.roles }),
  };
}

/** A context token as the gateway would sign it, for calling a subgraph directly (no purpose and no grants unless given). */
export function contextTokenFor(
  hub: RunningHub,
  subgraph: string,
  officerId: string,
  options: { purpose?: string; grants?: Array<{ category: string; owner: string }> } = {},
): Promise<string> {
  const officer = hub.identity.demoOfficerById(officerId);
  return signContextToken(hub.identity.contextKey, subgraph, {
    officerId,
    jurisdiction: officer.jurisdiction,
    agency: officer.agency,
    roles: officer.roles,
    purpose: options.purpose ?? null,
    grants: options.grants ?? [],
    requestId: 'test',
  });
}

/** Per running test hub: how to sign its callers in. */
const identities = new Map<string, { identity: HubIdentity; defaultOfficer: string; tokens: Map<string, Promise<string>> }>();

/**
 * A caller token for a seeded demo officer ("330400:1") of the hub serving `url`, from the
 * demo identity provider of the officer's province, as a real caller would bring it.
 */
export function tokenFor(url: string, officerId: string): Promise<string> {
  const entry = identities.get(url);
  if (!entry) throw new Error(`no test hub serves ${url}`);
  let token = entry.tokens.get(officerId);
  if (!token) {
    const officer = entry.identity.demoOfficerById(officerId);
    entry.tokens.set(officerId, (token = entry.identity.demoToken({ ...officer, id: officerId })));
  }
  return token;
}

/**
 * The headers a test request sends: `X-Officer: <id>` stands for "signed in as that demo
 * officer" and becomes a bearer token; without it, the hub's first region's demo petition
 * officer asks. An explicit `authorization` header (even empty) is sent as given.
 */
export async function authHeaders(url: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const { 'X-Officer': officer, 'x-officer': lower, ...rest } = headers;
  if (Object.keys(rest).some((name) => name.toLowerCase() === 'authorization')) return rest;
  const entry = identities.get(url);
  if (!entry) return rest;
  return { ...rest, authorization: `Bearer ${await tokenFor(url, officer ?? lower ?? entry.defaultOfficer)}` };
}

export interface GraphQLResult<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authHeaders(url, headers)) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Runs `sql` against a hub database directly, bypassing every hub component. */
export async function queryDatabase<R extends object = any>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
