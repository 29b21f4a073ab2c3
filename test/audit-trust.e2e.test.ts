import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { canonical } from '../auth/audit-chain';
import { signCheckpoint } from '../auth/audit-checkpoint';
import { createKeyPair, SIGNING_ALGORITHM } from '../auth/keys';
import { importJWK, KeyLike } from 'jose';
import type { RunningHub } from '../launcher/hub';
import { runCli } from './support/cli';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub, TEST_SCALE, writeRegionsFile } from './support/hub';

/**
 * The audit trail against someone who can write the region's database (issue 12, finding 7):
 * changes are audited in their own transaction, the subgraphs' connection can only append,
 * and the chain is keyed and checkpointed outside the region's database, so that each of the
 * seven ways of rewriting it is found — by the auditors' query and by `yrd-hub audit verify`.
 */

const JIAXING = '330400';
let hub: RunningHub;
let regionsFile: string;
const admin = (sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get(JIAXING)!, sql, params);
const hubAdmin = (sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get('hub')!, sql, params);
const auditor = () => ({ 'X-Officer': hub.identity.demoOfficer('demo-330400-auditor').id });
const READ = 'query($id: ID!) { person(id: $id) { name idNumber } }';
const RAISE = 'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }';
const warning = (summary: string, extra: object = {}) => ({
  region: JIAXING,
  raisedIn: '330421',
  level: 'RED',
  kind: 'REPEAT',
  subjectId: '330400:4',
  summary,
  ...extra,
});

const verify = async () =>
  (
    await graphql(
      hub.gateway.graphqlUrl,
      `query { auditVerification(region: "${JIAXING}") { intact rows firstBadSeq reason lastCheckpointSeq } }`,
      {},
      auditor(),
    )
  ).data.auditVerification;
// The command signs in as the region's demo auditor; HUB_SCALE tells it this hub's roster size (the gateway lets in rostered officers only).
const cli = () =>
  runCli(['audit', 'verify', '--region', JIAXING, '--url', hub.gateway.graphqlUrl, '--regions', regionsFile], {
    HUB_DATA_DIR: hub.dataDir,
    HUB_SCALE: `${JIAXING}:officersPerAgency=${TEST_SCALE.officersPerAgency}`,
  });
const auditRows = (record: string) => admin('SELECT action, record, officer FROM audit.entries WHERE record = $1 ORDER BY seq', [record]);

beforeAll(async () => {
  regionsFile = writeRegionsFile(DEMO_REGIONS);
  hub = await startTestHub('t_audit_trust', { regionsFile, auditCheckpoints: { everyRows: 4, everyMs: 3_600_000 } });
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
    expect(await auditRows(`PetitionWarning:${id}`)).toEqual([{ action: 'CHANGE:raisePetitionWarning', record: `PetitionWarning:${id}`, officer: '330400:1' }]);
  });

  test('a change whose client did not select id is logged with the record’s id', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { level } }',
      { input: warning('未选id的变更') },
      { 'X-Officer': '330400:1' },
    );
    expect(result.errors).toBeUndefined();
    const [{ id }] = await admin('SELECT id::text FROM petitions.warnings WHERE summary = $1', ['未选id的变更']);
    const record = `PetitionWarning:${JIAXING}:${id}`;
    expect(await auditRows(record)).toEqual([{ action: 'CHANGE:raisePetitionWarning', record, officer: '330400:1' }]);
    expect(await auditRows('raisePetitionWarning')).toEqual([]);
  });

  test('a change whose audit row cannot be written is not made', async () => {
    // The log refuses this request's row (as a full disk or a failing server would).
    await admin("ALTER TABLE audit.entries ADD CONSTRAINT refuse_for_test CHECK (request_id <> 'refuse-audit') NOT VALID");
    try {
      const result = await graphql(
        hub.gateway.graphqlUrl,
        RAISE,
        { input: warning('审计写不进') },
        { 'X-Officer': '330400:1', 'X-Request-Id': 'refuse-audit' },
      );
      expect(result.errors?.[0].extensions?.code).toBe('AUDIT_UNAVAILABLE');
      expect(result.errors?.[0].message).not.toMatch(/constraint|audit\.entries/);
      expect(await admin('SELECT count(*)::int AS n FROM petitions.warnings WHERE summary = $1', ['审计写不进'])).toEqual([{ n: 0 }]);
    } finally {
      await admin('ALTER TABLE audit.entries DROP CONSTRAINT refuse_for_test');
    }
  });

  test('a change that fails leaves no audit row', async () => {
    const [{ n: before }] = await admin('SELECT count(*)::int AS n FROM audit.entries');
    const result = await graphql(
      hub.gateway.graphqlUrl,
      RAISE,
      { input: warning('不存在的信访', { petitionId: '330400:999999' }) },
      { 'X-Officer': '330400:1' },
    );
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
    await expect(
      asSubgraphs(
        JIAXING,
        "BEGIN; INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, request_id, prev_hash, hash) VALUES (999999999, now(), 'x', 'x', 'x', 'x', '{}', 'x', 'x', 'x'); ROLLBACK",
      ),
    ).resolves.toBeDefined();
    await refused(JIAXING, "UPDATE audit.entries SET officer = '330400:2'");
    await refused(JIAXING, 'DELETE FROM audit.entries');
    await refused(JIAXING, 'TRUNCATE audit.entries');
    await refused(JIAXING, 'ALTER TABLE audit.entries DROP CONSTRAINT entries_pkey');
    await refused(JIAXING, 'DROP TABLE audit.entries');
  });

  test('may read the checkpoints in the hub’s database, and do nothing else with them', async () => {
    await expect(asSubgraphs('hub', 'SELECT count(*) FROM audit_witness.checkpoints')).resolves.toBeDefined();
    await refused('hub', "INSERT INTO audit_witness.checkpoints VALUES ('330400', 1, 'x', now(), 'x')");
    await refused('hub', 'UPDATE audit_witness.checkpoints SET seq = 1');
    await refused('hub', 'DELETE FROM audit_witness.checkpoints');
    await refused('hub', 'TRUNCATE audit_witness.checkpoints');
  });
});

describe('checkpoints', () => {
  test('are written outside the region’s database every N rows, signed', async () => {
    for (let i = 5; i <= 9; i++)
      await graphql(hub.gateway.graphqlUrl, READ, { id: `330400:${i}` }, { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' });
    let stored: Array<{ seq: number; token: string }> = [];
    for (let attempt = 0; attempt < 100 && !stored.length; attempt++) {
      stored = await hubAdmin("SELECT seq::int, token FROM audit_witness.checkpoints WHERE region = '330400' ORDER BY seq DESC");
      if (!stored.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stored[0].seq).toBeGreaterThanOrEqual(4);
    expect(stored[0].token.split('.')).toHaveLength(3);
    expect(await admin("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'audit_witness'")).toEqual([{ n: 0 }]);
    expect(await verify()).toMatchObject({ intact: true, lastCheckpointSeq: expect.any(Number) });
  });

  test('a checkpoint not signed with the hub’s checkpoint key is refused', async () => {
    const [{ seq, hash }] = await admin('SELECT seq::int, hash FROM audit.entries ORDER BY seq DESC LIMIT 1');
    const { privateJwk } = await createKeyPair();
    const forger = { kid: privateJwk.kid!, privateKey: (await importJWK(privateJwk, SIGNING_ALGORITHM)) as KeyLike, publicJwk: privateJwk };
    const token = await signCheckpoint(forger, { region: JIAXING, seq: seq + 50, hash, at: new Date().toISOString() });
    await hubAdmin('INSERT INTO audit_witness.checkpoints (region, seq, hash, at, token) VALUES ($1, $2, $3, now(), $4)', [JIAXING, seq + 50, hash, token]);
    try {
      expect(await verify()).toMatchObject({ intact: false, reason: expect.stringMatching(/signature/) });
    } finally {
      await hubAdmin('DELETE FROM audit_witness.checkpoints WHERE region = $1 AND seq = $2', [JIAXING, seq + 50]);
    }
  });
});

describe('all seven ways of rewriting the chain are found, by the query and by yrd-hub audit verify', () => {
  let head: number;

  /** What someone with the database but not the key can do: recompute the hashes from `from` on, as the chain's sha256 once was. */
  const rehashFrom = async (from: number) => {
    const rows = await admin('SELECT * FROM audit.entries ORDER BY seq');
    let prevHash = rows.find((row) => Number(row.seq) === from - 1)?.hash ?? '0'.repeat(64);
    for (const row of rows.filter((r) => Number(r.seq) >= from)) {
      const content = {
        seq: Number(row.seq),
        at: row.at.toISOString(),
        officer: row.officer,
        jurisdiction: row.jurisdiction,
        action: row.action,
        record: row.record,
        fields: row.fields,
        purpose: row.purpose,
        requestId: row.request_id,
      };
      const hash = createHash('sha256').update(prevHash).update('\n').update(canonical(content)).digest('hex');
      await admin('UPDATE audit.entries SET prev_hash = $2, hash = $3 WHERE seq = $1', [row.seq, prevHash, hash]);
      prevHash = hash;
    }
  };
  const shiftAfter = async (seq: number, by: number) => {
    await admin('UPDATE audit.entries SET seq = -seq WHERE seq > $1', [seq]);
    await admin('UPDATE audit.entries SET seq = -seq + $1 WHERE seq < 0', [by]);
  };

  beforeAll(async () => {
    for (let i = 10; i <= 14; i++)
      await graphql(hub.gateway.graphqlUrl, READ, { id: `330400:${i}` }, { 'X-Officer': '320500:1', 'X-Purpose': 'joint-handling' });
    await hub.checkpointAudit(JIAXING);
    [{ seq: head }] = await admin('SELECT max(seq)::int AS seq FROM audit.entries');
    expect(await verify()).toMatchObject({ intact: true, lastCheckpointSeq: head });
    await admin('CREATE TABLE public.audit_kept AS SELECT * FROM audit.entries');
  });

  afterEach(async () => {
    await admin('DELETE FROM audit.entries');
    await admin('INSERT INTO audit.entries SELECT * FROM public.audit_kept');
    expect(await verify()).toMatchObject({ intact: true, lastCheckpointSeq: head });
  });

  const forms: Array<[string, () => Promise<number>]> = [
    [
      'an edited row',
      async () => {
        await admin("UPDATE audit.entries SET officer = '330400:2' WHERE seq = $1", [head - 3]);
        return head - 3;
      },
    ],
    [
      'a deleted row',
      async () => {
        await admin('DELETE FROM audit.entries WHERE seq = $1', [head - 3]);
        return head - 2;
      },
    ],
    [
      'an inserted row',
      async () => {
        await shiftAfter(head - 3, 1);
        await admin(
          "INSERT INTO audit.entries SELECT seq + 1, at, '330400:2', jurisdiction, action, record, fields, purpose, 'forged', hash, repeat('0', 64) FROM audit.entries WHERE seq = $1",
          [head - 3],
        );
        return head - 2;
      },
    ],
    [
      'an edit with every later hash recomputed',
      async () => {
        await admin("UPDATE audit.entries SET officer = '330400:2' WHERE seq = $1", [head - 3]);
        await rehashFrom(head - 3);
        return head - 3;
      },
    ],
    [
      'a deletion with the later rows renumbered and rehashed',
      async () => {
        await admin('DELETE FROM audit.entries WHERE seq = $1', [head - 3]);
        await shiftAfter(head - 3, -1);
        await rehashFrom(head - 3);
        return head - 3;
      },
    ],
    [
      'the newest rows cut off',
      async () => {
        await admin('DELETE FROM audit.entries WHERE seq > $1', [head - 2]);
        return head - 1;
      },
    ],
    [
      'a row appended with a correct sha256 hash',
      async () => {
        await admin(
          "INSERT INTO audit.entries SELECT seq + 1, at, officer, jurisdiction, 'READ', '330400:20', fields, purpose, 'appended', hash, 'x' FROM audit.entries WHERE seq = $1",
          [head],
        );
        await rehashFrom(head + 1);
        return head + 1;
      },
    ],
  ];

  test.each(forms)('%s', async (_form, tamper) => {
    const firstBadSeq = await tamper();
    expect(await verify()).toMatchObject({ intact: false, firstBadSeq, lastCheckpointSeq: head });
    const printed = await cli();
    expect(printed.code).toBe(1);
    expect(printed.stdout).toMatch(new RegExp(`${JIAXING}: BROKEN at row ${firstBadSeq}: `));
  });
});

test('a clean stop checkpoints every region’s head: no window is left', async () => {
  await graphql(hub.gateway.graphqlUrl, READ, { id: '330400:21' }, { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' });
  const [{ seq: head }] = await admin('SELECT max(seq)::int AS seq FROM audit.entries');
  await hub.stop();
  expect(await hubAdmin("SELECT max(seq)::int AS seq FROM audit_witness.checkpoints WHERE region = '330400'")).toEqual([{ seq: head }]);
});
