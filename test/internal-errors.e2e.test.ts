import { readFileSync } from 'node:fs';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { RunningGateway, startGateway } from '../gateway/server';
import type { RunningHub } from '../launcher/hub';
import { repoPath } from '../subgraphs/shared/repo-path';
import { graphql, queryDatabase, signInLike, startTestHub } from './support/hub';
import { logger } from '../platform/logger';

/**
 * Errors reveal nothing internal (README, "Errors"): a failure no code meant — here a real
 * PostgreSQL error in one region, an unreachable subgraph — reaches the client as
 * INTERNAL_SERVER_ERROR (or REGION_UNAVAILABLE / SERVICE_UNAVAILABLE) with no SQL, no
 * PostgreSQL text, no host or port, and the request id under which the server logged it.
 */

let hub: RunningHub;
let logged: string[];
let restoreLog: () => void;

beforeAll(async () => {
  hub = await startTestHub('t_internal_errors');
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

beforeEach(() => {
  logged = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
  const warn = jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void logged.push(String(line)));
  // The gateway's warnings go through the JSON logger (platform/logger.ts).
  const logWarn = jest.spyOn(logger, 'warn').mockImplementation(((line: unknown) => void logged.push(String(line))) as never);
  const logError = jest.spyOn(logger, 'error').mockImplementation(((line: unknown) => void logged.push(String(line))) as never);
  restoreLog = () => {
    spy.mockRestore();
    warn.mockRestore();
    logWarn.mockRestore();
    logError.mockRestore();
  };
});

afterEach(() => restoreLog());

/** Anything a database or network failure would say: PostgreSQL's words, SQL, an address. */
const INTERNAL_TEXT =
  /does not exist|column|relation|syntax error|\b(SELECT|UPDATE|INSERT|FROM|WHERE)\b|personnel\.|directory\.|id_number|_moved|127\.0\.0\.1|localhost|:\d{2,5}\b|\.js:\d+/;

/** Renames a column in one database for the length of `run`: the queries that name it fail in PostgreSQL. */
async function withColumnRenamed(database: string, table: string, column: string, run: () => Promise<void>) {
  const url = hub.databaseUrls.get(database)!;
  await queryDatabase(url, `ALTER TABLE ${table} RENAME COLUMN ${column} TO ${column}_moved`);
  try {
    await run();
  } finally {
    await queryDatabase(url, `ALTER TABLE ${table} RENAME COLUMN ${column}_moved TO ${column}`);
  }
}

test('a database failure in one region: the client gets INTERNAL_SERVER_ERROR and the request id, the log gets PostgreSQL’s words', async () => {
  const requestId = randomUUID();
  await withColumnRenamed('330400', 'personnel.persons', 'id_number', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        {
          persons(first: 3, regions: ["330400", "340100"]) {
            edges {
              node {
                id
                idNumber
              }
            }
          }
        }
      `,
      {},
      { 'X-Officer': hub.identity.demoOfficer('demo-330400').id, 'x-request-id': requestId },
    );
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors!) {
      expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId, region: '330400' });
      expect(error.message).toContain(requestId);
      expect(error.message).not.toMatch(INTERNAL_TEXT);
      expect(JSON.stringify(error.extensions)).not.toMatch(INTERNAL_TEXT);
      expect(error.extensions).not.toHaveProperty('stacktrace');
    }
    // The other region's part is complete.
    expect(result.data.persons.edges.map((e: any) => e.node.id.split(':')[0])).toEqual(['340100', '340100', '340100']);
  });
  // The server's log holds the full error, under the same request id.
  expect(logged.some((line) => line.includes(requestId) && /id_number/.test(line))).toBe(true);
});

test('a database failure in a mutation (answered by Apollo Server, not the direct path) is hidden the same way', async () => {
  const requestId = randomUUID();
  await withColumnRenamed('hub', 'directory.sharing_agreements', 'title', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation {
          createSharingAgreement(
            input: { title: "试点", provider: "340100", recipient: "330400", categories: [PERSON_BASIC], validUntil: "2030-01-01T00:00:00Z" }
          ) {
            id
          }
        }
      `,
      {},
      { 'X-Officer': hub.identity.demoOfficer('demo-340100-agreements').id, 'x-request-id': requestId },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId });
    expect(result.errors![0].message).not.toMatch(INTERNAL_TEXT);
  });
  expect(logged.some((line) => line.includes(requestId) && /title/.test(line))).toBe(true);
});

test('errors the hub raises on purpose pass unchanged', async () => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    `
      {
        sharingAgreements(jurisdiction: "33") {
          edges {
            node {
              id
            }
          }
        }
      }
    `,
  );
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'jurisdiction' });
  expect(result.errors?.[0].message).toMatch(/^jurisdiction: must be a 6-digit jurisdiction code/);
  const invalid = await graphql(
    hub.gateway.graphqlUrl,
    `
      {
        sharingAgreements {
          nosuchfield
        }
      }
    `,
  );
  expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('with NODE_ENV=development the detail stays in the answer', async () => {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    await withColumnRenamed('330400', 'personnel.persons', 'id_number', async () => {
      const result = await graphql(
        hub.gateway.graphqlUrl,
        `
          {
            persons(first: 1, regions: ["330400"]) {
              edges {
                node {
                  id
                  idNumber
                }
              }
            }
          }
        `,
        {},
        { 'X-Officer': hub.identity.demoOfficer('demo-330400').id },
      );
      expect(result.errors?.[0].message).toMatch(/id_number.*does not exist/);
    });
  } finally {
    process.env.NODE_ENV = before;
  }
});

describe('unreachable subgraphs', () => {
  let gateway: RunningGateway;
  let closedPort: number;

  beforeAll(async () => {
    // A port that refuses connections: bound once, then released.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const regions = structuredClone(hub.regions);
    const hefei = regions.regions.find((r) => r.code === '340100')!;
    hefei.endpoints = Object.fromEntries(regions.regionalSubgraphs.map((s) => [s, `http://127.0.0.1:${closedPort}/${s}/graphql`]));
    gateway = await startGateway({
      supergraphSdl: readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'),
      regions,
      urlOverrides: { directory: `http://127.0.0.1:${closedPort}/directory/graphql` },
      port: 0,
      auth: hub.identity.gatewayAuth(),
    });
    signInLike(gateway.graphqlUrl, hub);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  test('a region that refuses connections: REGION_UNAVAILABLE names the region, not its address', async () => {
    const result = await graphql(
      gateway.graphqlUrl,
      `
        {
          persons(first: 2, regions: ["330400", "340100"]) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    const unavailable = result.errors?.find((e) => e.extensions?.code === 'REGION_UNAVAILABLE');
    expect(unavailable?.extensions?.region).toBe('340100');
    expect(unavailable?.message).toMatch(/340100 \(合肥市\) did not answer: connection failed/);
    expect(unavailable?.message).not.toContain(String(closedPort));
    expect(unavailable?.message).not.toMatch(INTERNAL_TEXT);
  });

  test('the directory unreachable: SERVICE_UNAVAILABLE names the service, not its address', async () => {
    const result = await graphql(
      gateway.graphqlUrl,
      `
        {
          sharingAgreements {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'directory' });
    expect(result.errors?.[0].message).toMatch(/^The directory service did not answer: connection failed/);
    expect(JSON.stringify(result.errors)).not.toContain(String(closedPort));
    expect(JSON.stringify(result.errors)).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(logged.some((line) => line.includes(`127.0.0.1:${closedPort}`))).toBe(true);
  });
});
