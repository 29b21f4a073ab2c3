import { Client } from 'pg';
import type { RunningHub } from '../launcher/hub';
import type { RunningGateway } from '../gateway/server';
import type { BreakerSettings } from '../gateway/subgraph-client';
import { DEMO_REGIONS, graphql, GraphQLResult, queryDatabase, startTestHub, writeRegionsFile } from './support/hub';
import { startGatewayOverHub } from './support/gateway-over-hub';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Faults in one region cost only that region's part of an answer (README, "Regional routing"):
 * a hung region spends its own budget only, the circuit opens after a bounded number of
 * failures and probes again, a region whose database is lost or refuses connections is
 * REGION_UNAVAILABLE naming it with the rest complete, and errors inside a merged list point at
 * the rows the caller sees. Real hub, real PostgreSQL, signed tokens; faults are made in
 * PostgreSQL itself (locks, pg_terminate_backend, a connection limit) or on the TCP link.
 */

const WARNINGS = /* GraphQL */ `
  query Warnings($first: Int) {
    petitionWarnings(first: $first) {
      edges {
        node {
          id
          region
          subject {
            id
            region
            name
          }
        }
      }
    }
  }
`;
/** A Jiaxing officer with a purpose: the Jiaxing–Suzhou agreement shows Suzhou residents' names. */
const JIAXING_OFFICER = { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' };
const PREFIX = 't_faults';
const TIMEOUT_MS = 4000;

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub(PREFIX, { regionsFile: writeRegionsFile(DEMO_REGIONS.map((region) => ({ ...region, timeout_ms: TIMEOUT_MS }))) });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
});

const codesOf = (result: GraphQLResult) => (result.errors ?? []).map((error) => `${error.extensions?.code}:${error.extensions?.region ?? ''}`);

/** Holds an exclusive lock on `table` of `region`'s database until released: its readers wait (a hung region). */
async function lockTable(region: string, table: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: hub.databaseUrls.get(region)! });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  };
}

/** The subgraphs' connections to `region`'s database, or only those waiting for a lock. */
async function subgraphBackends(region: string, waitingOnLock = false): Promise<number[]> {
  const rows = await queryDatabase<{ pid: number }>(
    hub.databaseUrls.get('hub')!,
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND usename = $2 ${waitingOnLock ? "AND wait_event_type = 'Lock'" : ''}`,
    [`${PREFIX}_${region}`, `${PREFIX}_subgraphs`],
  );
  return rows.map((row) => row.pid);
}

async function terminate(pids: number[]): Promise<void> {
  if (pids.length) await queryDatabase(hub.databaseUrls.get('hub')!, 'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, attempts = 200): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('a hung region spends its own budget only', () => {
  test('Hefei hangs for its whole timeout in the first stage; the later subject fetch to Suzhou still answers', async () => {
    const release = await lockTable('340100', 'petitions.warnings');
    let result: GraphQLResult;
    try {
      result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 40 }, JIAXING_OFFICER);
    } finally {
      await release();
    }
    // Hefei's warnings and Hefei's residents are missing; every other region, Suzhou's subjects included, answered.
    expect(new Set(codesOf(result))).toEqual(new Set(['REGION_UNAVAILABLE:340100']));
    expect(result.errors![0].path).toEqual(['petitionWarnings']);
    const nodes = result.data.petitionWarnings.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(40);
    expect(new Set(nodes.map((node: any) => node.region))).toEqual(new Set(['310000', '320500', '330400']));
    const suzhouSubjects = nodes.filter((node: any) => node.subject?.region === '320500');
    expect(suzhouSubjects.length).toBeGreaterThan(0);
    for (const node of nodes) {
      if (node.subject !== null) {
        expect(typeof node.subject.name).toBe('string');
        continue;
      }
      // A null subject is a Hefei resident (Hefei failed once in this request: it is not asked again).
      const [region, localId] = node.id.split(':');
      const [{ subject_region }] = await queryDatabase(hub.databaseUrls.get(region)!, 'SELECT subject_region FROM petitions.warnings WHERE id = $1', [localId]);
      expect(subject_region).toBe('340100');
    }
  });
});

describe('a region whose database fails', () => {
  test('its connections terminated mid-query (pg_terminate_backend): REGION_UNAVAILABLE naming it, the other regions complete', async () => {
    const release = await lockTable('330400', 'petitions.warnings');
    try {
      const answer = graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 30 });
      const waiting = await until('a Jiaxing query waiting on the lock', async () => {
        const pids = await subgraphBackends('330400', true);
        return pids.length ? pids : undefined;
      });
      await terminate(waiting);
      const result = await answer;
      expect(codesOf(result)).toEqual(['REGION_UNAVAILABLE:330400']);
      expect(result.errors![0].path).toEqual(['petitionWarnings']);
      expect(result.errors![0].message).toMatch(/^Region 330400 \(嘉兴市\) did not answer: its database is unavailable\./);
      expect(JSON.stringify(result.errors)).not.toMatch(/terminating|administrator|127\.0\.0\.1|:\d{4,5}\b/);
      const nodes = result.data.petitionWarnings.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(30);
      expect(new Set(nodes.map((node: any) => node.region))).toEqual(new Set(['310000', '320500', '340100']));
      expect(nodes.every((node: any) => node.subject !== null)).toBe(true);
    } finally {
      await release();
    }
    // The next request finds the region again, without a restart.
    const after = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 30 });
    expect(after.errors).toBeUndefined();
  });

  test('a write in flight when its connection is terminated: REGION_UNAVAILABLE and nothing of it is kept; the next write succeeds', async () => {
    const jiaxing = hub.databaseUrls.get('330400')!;
    const raise = (summary: string) =>
      graphql(
        hub.gateway.graphqlUrl,
        `
          mutation ($input: RaiseWarningInput!) {
            raisePetitionWarning(input: $input) {
              id
              region
            }
          }
        `,
        { input: { region: '330400', raisedIn: '330402', level: 'ORANGE', kind: 'GROUP_VISIT', subjectId: '330400:3', summary } },
        { 'X-Officer': '330400:1' },
      );
    const stored = async (summary: string) =>
      (await queryDatabase(jiaxing, 'SELECT count(*)::int AS n FROM petitions.warnings WHERE summary = $1', [summary]))[0].n;
    const release = await lockTable('330400', 'petitions.warnings');
    try {
      const answer = raise('断连期间');
      await terminate(
        await until('the write waiting on the lock', async () => {
          const pids = await subgraphBackends('330400', true);
          return pids.length ? pids : undefined;
        }),
      );
      const write = await answer;
      expect(write.data).toBeNull();
      expect(codesOf(write)).toEqual(['REGION_UNAVAILABLE:330400']);
      expect(write.errors![0].path).toEqual(['raisePetitionWarning']);
    } finally {
      await release();
    }
    expect(await stored('断连期间')).toBe(0);
    const write = await raise('恢复之后');
    expect(write.errors).toBeUndefined();
    expect(await stored('恢复之后')).toBe(1);
  });

  test('refusing new connections: REGION_UNAVAILABLE naming it, the rest complete, and it recovers without a restart', async () => {
    const jiaxing = hub.databaseUrls.get('330400')!;
    await queryDatabase(jiaxing, `ALTER DATABASE ${PREFIX}_330400 CONNECTION LIMIT 0`);
    try {
      await terminate(await subgraphBackends('330400'));
      await until('the subgraphs to lose their Jiaxing connections', async () => ((await subgraphBackends('330400')).length === 0 ? true : undefined));
      // Asked by a Shanghai officer: a Jiaxing officer could not be checked against Jiaxing's roster (ROSTER_UNAVAILABLE).
      const read = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 30 });
      expect(new Set(codesOf(read))).toEqual(new Set(['REGION_UNAVAILABLE:330400']));
      const nodes = read.data.petitionWarnings.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(30);
      expect(new Set(nodes.map((node: any) => node.region))).toEqual(new Set(['310000', '320500', '340100']));
      // Subjects living in Jiaxing are null, each with its error; every other subject is there.
      const missing = nodes.flatMap((node: any, index: number) => (node.subject === null ? [index] : []));
      expect(read.errors!.filter((error) => error.path?.length === 1)).toHaveLength(1);
      expect(read.errors!.length).toBe(1 + missing.length);
      expect(nodes.filter((node: any) => node.subject !== null).every((node: any) => node.subject.region !== '330400')).toBe(true);
    } finally {
      await queryDatabase(jiaxing, `ALTER DATABASE ${PREFIX}_330400 CONNECTION LIMIT -1`);
    }
    const read = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 30 });
    expect(read.errors).toBeUndefined();
  });
});

test('the directory’s database refusing connections: DATABASE_UNAVAILABLE naming the service, nothing of PostgreSQL’s words; then it recovers', async () => {
  const directory = hub.databaseUrls.get('hub')!;
  const AGREEMENTS = `{ sharingAgreements { edges { node { id } } } }`;
  await queryDatabase(directory, `ALTER DATABASE ${PREFIX}_hub CONNECTION LIMIT 0`);
  try {
    const backends = await queryDatabase<{ pid: number }>(directory, 'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND usename = $2', [
      `${PREFIX}_hub`,
      `${PREFIX}_subgraphs`,
    ]);
    await terminate(backends.map((row) => row.pid));
    const result = await graphql(hub.gateway.graphqlUrl, AGREEMENTS);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    expect(result.errors![0].extensions?.serviceName).toBe('directory');
    expect(JSON.stringify(result.errors)).not.toMatch(/too many connections|t_faults|127\.0\.0\.1|:\d{4,5}\b/);
  } finally {
    await queryDatabase(directory, `ALTER DATABASE ${PREFIX}_hub CONNECTION LIMIT -1`);
  }
  expect((await graphql(hub.gateway.graphqlUrl, AGREEMENTS)).errors).toBeUndefined();
});

describe('errors inside a merged list', () => {
  const PERSONS = `query($first: Int) { persons(first: $first, regions: ["320500", "330400"]) { edges { node { id tags { category } } } } }`;

  test('point at the merged row, and rows the page drops bring no error', async () => {
    // A Jiaxing officer may not read Suzhou residents' tags (owner-only): FORBIDDEN on every Suzhou row.
    const result = await graphql(hub.gateway.graphqlUrl, PERSONS, { first: 12 }, { 'X-Officer': '330400:1' });
    if (!result.data) throw new Error(JSON.stringify(result));
    const edges = result.data.persons.edges;
    expect(edges).toHaveLength(12);
    const suzhouRows = edges.flatMap((edge: any, index: number) => (edge.node.id.startsWith('320500:') ? [index] : []));
    // Both regions in the page: each region returned 12 rows, so the page dropped some of Suzhou's.
    expect(suzhouRows.length).toBeGreaterThan(0);
    expect(suzhouRows.length).toBeLessThan(12);
    const forbidden = (result.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN');
    expect(forbidden.map((error) => error.path)).toEqual(suzhouRows.map((index: number) => ['persons', 'edges', index, 'node', 'tags']));
    expect(forbidden.every((error) => error.extensions?.region === '320500')).toBe(true);
    for (const index of suzhouRows) expect(edges[index].node.tags).toBeNull();
  });
});

describe('the circuit breaker', () => {
  /** A gateway over the hub whose Hefei is reached through `proxy`. */
  async function gatewayThrough(proxy: TcpProxy, breaker: BreakerSettings, timeoutMs: number): Promise<RunningGateway> {
    const regions = structuredClone(hub.regions);
    const hefei = regions.regions.find((region) => region.code === '340100')!;
    hefei.timeoutMs = timeoutMs;
    hefei.endpoints = Object.fromEntries(regions.regionalSubgraphs.map((name) => [name, `${proxy.url}/${name}/graphql`]));
    regions.breaker = breaker;
    return startGatewayOverHub(hub, regions);
  }
  const hefeiServer = () => {
    const url = new URL(hub.regionServers.get('340100')!.url);
    return { host: url.hostname, port: Number(url.port) };
  };
  const QUERY = `{ persons(first: 3, regions: ["330400", "340100"]) { edges { node { id } } } }`;
  const hefeiError = (result: GraphQLResult) => result.errors?.find((error) => error.extensions?.region === '340100');

  test('under load, a hung region is called at most failure_threshold times more once the first calls fail', async () => {
    const proxy = await TcpProxy.start(hefeiServer());
    const gateway = await gatewayThrough(proxy, { failureThreshold: 5, resetAfterMs: 600_000 }, 800);
    try {
      // A healthy history first: answers in the window kept a rate-only breaker closed long after the region hung.
      for (let i = 0; i < 30; i++) expect((await graphql(gateway.graphqlUrl, QUERY)).errors).toBeUndefined();
      proxy.hang();
      const before = proxy.requests;
      const clients = 16;
      const rounds = 4;
      const results = (
        await Promise.all(
          Array.from({ length: clients }, async () => {
            const mine: GraphQLResult[] = [];
            for (let round = 0; round < rounds; round++) mine.push(await graphql(gateway.graphqlUrl, QUERY));
            return mine;
          }),
        )
      ).flat();
      // The 16 first calls are all waiting when the first of them fails; by the 5th failure the
      // circuit is open, so at most 4 clients have sent one more. (A 50 % rate over a 10 s window
      // alone waited for the failures to outnumber the answers still in it.)
      const sent = proxy.requests - before;
      expect(sent).toBeGreaterThanOrEqual(clients);
      expect(sent).toBeLessThanOrEqual(clients + 4);
      expect(results.every((result) => hefeiError(result)?.extensions?.code === 'REGION_UNAVAILABLE')).toBe(true);
      const skipped = results.filter((result) => /stopped calling it/.test(hefeiError(result)!.message));
      expect(skipped.length).toBeGreaterThanOrEqual(clients * rounds - sent);
      // Jiaxing's part is complete in every answer.
      for (const result of results) expect(result.data.persons.edges.map((edge: any) => edge.node.id.split(':')[0])).toEqual(['330400', '330400', '330400']);
    } finally {
      await gateway.stop();
      await proxy.stop();
    }
  });

  test('open, it sends one trial call after reset_after_ms; a failed trial opens it again, an answered one closes it', async () => {
    const proxy = await TcpProxy.start(hefeiServer());
    proxy.hang();
    const gateway = await gatewayThrough(proxy, { failureThreshold: 2, resetAfterMs: 1000 }, 500);
    try {
      for (let i = 0; i < 2; i++) await graphql(gateway.graphqlUrl, QUERY);
      expect(proxy.requests).toBe(2);
      const open = await graphql(gateway.graphqlUrl, QUERY);
      expect(hefeiError(open)?.message).toMatch(/stopped calling it for 1 s/);
      expect(proxy.requests).toBe(2);
      // Half-open: the first request after the pause is the trial; it hangs, fails, and the circuit opens again.
      await until('the trial call', async () => {
        await graphql(gateway.graphqlUrl, QUERY);
        return proxy.requests > 2 ? true : undefined;
      });
      expect(proxy.requests).toBe(3);
      const reopened = await graphql(gateway.graphqlUrl, QUERY);
      expect(hefeiError(reopened)?.message).toMatch(/stopped calling it/);
      expect(proxy.requests).toBe(3);
      // Hefei answers again: the next trial closes the circuit and answers are complete.
      proxy.forward();
      const healed = await until('a complete answer', async () => {
        const result = await graphql(gateway.graphqlUrl, QUERY);
        return result.errors ? undefined : result;
      });
      expect(healed.data.persons.edges).toHaveLength(3);
      const closed = await graphql(gateway.graphqlUrl, QUERY);
      expect(closed.errors).toBeUndefined();
    } finally {
      await gateway.stop();
      await proxy.stop();
    }
  });
});
