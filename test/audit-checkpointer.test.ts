import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK, KeyLike } from 'jose';
import { AUDIT_CHAIN_SECRET_FILE, chainKeyFor, ensureAuditChainSecret } from '../auth/audit-keys';
import { Pool } from 'pg';
import { GENESIS_HASH, verifyChain } from '../auth/audit-chain';
import { createKeyPair, SIGNING_ALGORITHM } from '../auth/keys';
import { legacyChainHash } from '../auth/legacy-audit-chain';
import { AuditCheckpointer } from '../launcher/audit-checkpointer';
import { AUDIT_MIGRATIONS, AUDIT_WITNESS_MIGRATIONS, readChain } from '../subgraphs/shared/audit-log';
import { migrate, readMigrations } from '../subgraphs/shared/migrations';
import { dropDatabases, testDatabaseUrl } from './support/hub';

/**
 * The launcher's checkpointer on a real database (here one database plays both the region's
 * and the hub's): a log an earlier version wrote unkeyed is keyed once and checkpointed; a
 * chain with a row that does not verify is never vouched for.
 */

const REGION = '330400';
const KEY = Buffer.alloc(32, 3);
let pool: Pool;
let log: string[];

async function checkpointer(): Promise<AuditCheckpointer> {
  const { privateJwk, publicJwk } = await createKeyPair();
  const signingKey = { kid: privateJwk.kid!, privateKey: (await importJWK(privateJwk, SIGNING_ALGORITHM)) as KeyLike, publicJwk };
  return new AuditCheckpointer({
    hub: pool,
    regions: new Map([[REGION, pool]]),
    chainKey: () => KEY,
    signingKey,
    schedule: { everyRows: 1000, everyMs: 3_600_000 },
    log: (line) => log.push(line),
  });
}

/** Rows as an earlier version wrote them: sha256, no key. */
async function appendLegacy(count: number): Promise<void> {
  const { rows } = await pool.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit.entries ORDER BY seq DESC LIMIT 1');
  let seq = rows.length ? Number(rows[0].seq) : 0;
  let prevHash = rows[0]?.hash ?? GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    seq += 1;
    const row = {
      seq,
      at: new Date(Date.UTC(2026, 10, 1, 8, 0, seq)).toISOString(),
      officer: '330400:1',
      jurisdiction: '330400',
      action: 'READ',
      record: `330400:${seq}`,
      fields: ['idNumber'],
      purpose: 'petition-handling',
      requestId: `r${seq}`,
      prevHash,
      hash: '',
    };
    row.hash = legacyChainHash(prevHash, row);
    await pool.query(
      'INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, purpose, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [row.seq, row.at, row.officer, row.jurisdiction, row.action, row.record, row.fields, row.purpose, row.requestId, row.prevHash, row.hash],
    );
    prevHash = row.hash;
  }
}

beforeEach(async () => {
  await dropDatabases('t_checkpointer');
  const admin = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
  await admin.query('CREATE DATABASE t_checkpointer_db');
  await admin.end();
  pool = new Pool({ connectionString: Object.assign(new URL(testDatabaseUrl()), { pathname: '/t_checkpointer_db' }).toString(), max: 2 });
  await migrate(pool, 'audit', readMigrations(AUDIT_MIGRATIONS));
  await migrate(pool, 'audit-witness', readMigrations(AUDIT_WITNESS_MIGRATIONS));
  log = [];
});

afterEach(async () => {
  await pool.end();
  await dropDatabases('t_checkpointer');
});

test('a log an earlier version wrote is keyed once, checkpointed, and never again', async () => {
  await appendLegacy(3);
  expect(verifyChain(await readChain(pool), KEY)).toMatchObject({ ok: false, firstBadSeq: 1 });
  const launcher = await checkpointer();
  expect(await launcher.keyLegacyLog(REGION)).toBe(3);
  expect(verifyChain(await readChain(pool), KEY)).toEqual({ ok: true, rows: 3, lastCheckpointSeq: null });
  expect((await pool.query('SELECT region, seq::int FROM audit_witness.checkpoints')).rows).toEqual([{ region: REGION, seq: 3 }]);
  expect(log.join('\n')).toMatch(/3 rows written before the chain was keyed are keyed now/);

  // Once checkpointed, rows that look like the old chain are a forgery, not history.
  await appendLegacy(1);
  expect(await (await checkpointer()).keyLegacyLog(REGION)).toBe(0);
  expect(verifyChain(await readChain(pool), KEY)).toMatchObject({ ok: false, firstBadSeq: 4 });
});

test('a legacy log that was already tampered with is not keyed', async () => {
  await appendLegacy(3);
  await pool.query("UPDATE audit.entries SET officer = '330400:2' WHERE seq = 2");
  expect(await (await checkpointer()).keyLegacyLog(REGION)).toBe(0);
  expect((await pool.query('SELECT count(*)::int AS n FROM audit_witness.checkpoints')).rows).toEqual([{ n: 0 }]);
});

test('a chain with a row that does not verify is not checkpointed, and the launcher says so', async () => {
  await appendLegacy(2);
  const launcher = await checkpointer();
  await launcher.keyLegacyLog(REGION);
  await appendLegacy(1); // appended by someone without the key
  await launcher.checkpoint(REGION);
  expect((await pool.query('SELECT seq::int FROM audit_witness.checkpoints ORDER BY seq')).rows).toEqual([{ seq: 2 }]);
  expect(log.join('\n')).toMatch(/audit chain of 330400 does not verify at row 3 .*not checkpointed/);
});

test('the chain secret is made once per keys folder (mode 600): only the start that makes it keys old logs', () => {
  const keys = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-keys-'));
  try {
    const first = ensureAuditChainSecret(keys);
    const again = ensureAuditChainSecret(keys);
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.secret.equals(first.secret)).toBe(true);
    expect(statSync(path.join(keys, AUDIT_CHAIN_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(chainKeyFor(first.secret, '330400').equals(chainKeyFor(first.secret, '320500'))).toBe(false);
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
});
