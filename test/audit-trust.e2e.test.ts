import { Client } from 'pg';
import type { RunningHub } from '../launcher/hub';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub, writeRegionsFile } from './support/hub';

/**
 * The audit trail against someone who can write the region's database (issue 12, finding 7):
 * changes are audited in their own transaction, and the subgraphs' connection can only append.
 */

const JIAXING = '330400';
let hub: RunningHub;
let regionsFile: string;
const admin = (sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(JIAXING)!, sql, params);
const READ = 'query($id: ID!) { person(id: $id) { name idNumber } }';
const RAISE = 'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }';
const warning = (summary: string, extra: object = {}) => ({ region: JIAXING, raisedIn: '330421', level: 'RED', kind: 'REPEAT', subjectId: '330400:4', summary, ...extra });

const auditRows = (record: string) => admin('SELECT action, record, officer FROM audit.entries WHERE record = $1 ORDER BY seq', [record]);

beforeAll(async () => {
  regionsFile = writeRegionsFile(DEMO_REGIONS);
  hub = await startTestHub('t_audit_trust', { regionsFile });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('a change is audited in its own transaction', () => {
  test('of two mutations in one request whose second fails, the first is committed and audited', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      'mutation($a: RaiseWarningInput!, $b: RaiseWarningInput!) { a: raisePetitionWarning(input: $a) { id } b: raisePetitionWarning(input: $b) { id } }',
      { a: warning('两次变更之一'), b: warning('两次变更之二', { raisedIn: '320500' }) },
      { 'X-Officer': '330400:1' },
    );
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // The fields are non-null, so the second's error nulls the whole answer; the first has committed.
    const committed = await admin('SELECT id::text FROM petitions.warnings WHERE summary = $1', ['两次变更之一']);
    expect(committed).toHaveLength(1);
    const id = `${JIAXING}:${committed[0].id}`;
    expect(await auditRows(id)).toEqual([{ action: 'CHANGE:raisePetitionWarning', record: id, officer: '330400:1' }]);
  });

  test('a change whose client did not select id is logged with the record’s id', async () => {
    const result = await graphql(hub.gateway.graphqlUrl, 'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { level } }', { input: warning('未选id的变更') }, { 'X-Officer': '330400:1' });
    expect(result.errors).toBeUndefined();
    const [{ id }] = await admin('SELECT id::text FROM petitions.warnings WHERE summary = $1', ['未选id的变更']);
    expect(await auditRows(`${JIAXING}:${id}`)).toEqual([{ action: 'CHANGE:raisePetitionWarning', record: `${JIAXING}:${id}`, officer: '330400:1' }]);
    expect(await auditRows('raisePetitionWarning')).toEqual([]);
  });

  test('a change whose audit row cannot be written is not made', async () => {
    // The log refuses this request's row (as a full disk or a failing server would).
    await admin("ALTER TABLE audit.entries ADD CONSTRAINT refuse_for_test CHECK (request_id <> 'refuse-audit') NOT VALID");
    try {
      const result = await graphql(hub.gateway.graphqlUrl, RAISE, { input: warning('审计写不进') }, { 'X-Officer': '330400:1', 'X-Request-Id': 'refuse-audit' });
      expect(result.errors?.[0].extensions?.code).toBe('AUDIT_UNAVAILABLE');
      expect(result.errors?.[0].message).not.toMatch(/constraint|audit\.entries/);
      expect(await admin('SELECT count(*)::int AS n FROM petitions.warnings WHERE summary = $1', ['审计写不进'])).toEqual([{ n: 0 }]);
    } finally {
      await admin('ALTER TABLE audit.entries DROP CONSTRAINT refuse_for_test');
    }
  });

  test('a change that fails leaves no audit row', async () => {
    const [{ n: before }] = await admin('SELECT count(*)::int AS n FROM audit.entries');
    const result = await graphql(hub.gateway.graphqlUrl, RAISE, { input: warning('不存在的信访', { petitionId: '330400:999999' }) }, { 'X-Officer': '330400:1' });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await admin('SELECT count(*)::int AS n FROM audit.entries')).toEqual([{ n: before }]);
  });
});

describe('the subgraphs’ database role', () => {
  const asSubgraphs = async (key: string, sql: string) => {
    const client = new Client({ connectionString: hub.subgraphDatabaseUrls.get(key)! });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const refused = (key: string, sql: string) => expect(asSubgraphs(key, sql)).rejects.toMatchObject({ code: '42501' });

  test('is the prefix’s own, and is what the subgraphs connect as', async () => {
    expect(new URL(hub.subgraphDatabaseUrls.get(JIAXING)!).username).toBe('t_audit_trust_subgraphs');
    await graphql(hub.gateway.graphqlUrl, READ, { id: '330400:3' }, { 'X-Officer': '330400:1' });
    const sessions = await admin("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename LIKE 't\\_audit\\_trust\\_%'");
    expect(sessions.map((row) => row.usename)).toContain('t_audit_trust_subgraphs');
  });

  test('may read and append audit rows, but not change, remove or empty them', async () => {
    await expect(asSubgraphs(JIAXING, 'SELECT count(*) FROM audit.entries')).resolves.toBeDefined();
    await expect(asSubgraphs(JIAXING, "BEGIN; INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, request_id, prev_hash, hash) VALUES (999999999, now(), 'x', 'x', 'x', 'x', '{}', 'x', 'x', 'x'); ROLLBACK")).resolves.toBeDefined();
    await refused(JIAXING, "UPDATE audit.entries SET officer = '330400:2'");
    await refused(JIAXING, 'DELETE FROM audit.entries');
    await refused(JIAXING, 'TRUNCATE audit.entries');
    await refused(JIAXING, 'ALTER TABLE audit.entries DROP CONSTRAINT entries_pkey');
    await refused(JIAXING, 'DROP TABLE audit.entries');
  });
});
