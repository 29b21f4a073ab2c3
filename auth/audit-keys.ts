import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The secret the audit chains are keyed with, kept in the hub's keys folder (mode 600) beside
 * hub-context.json and never in a database. Each region's chain has a key of its own derived
 * from it (HKDF), so a region's subgraph host is given its own key only, and the hub's own
 * database (the directory's changes) has one too ("hub").
 */
export const AUDIT_CHAIN_SECRET_FILE = 'audit-chain.json';

/** The secret, and whether it was made just now (a hub that has never keyed a chain before). */
export function ensureAuditChainSecret(keysFolder: string): { secret: Buffer; created: boolean } {
  const file = path.join(keysFolder, AUDIT_CHAIN_SECRET_FILE);
  const created = !existsSync(file);
  if (created) {
    mkdirSync(keysFolder, { recursive: true });
    writeFileSync(file, JSON.stringify({ secret: randomBytes(32).toString('base64') }, null, 2), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const { secret } = JSON.parse(readFileSync(file, 'utf8')) as { secret: string };
  return { secret: Buffer.from(secret, 'base64'), created };
}

/** The chain key of `region` (a region code, or "hub"). */
export function chainKeyFor(secret: Buffer, region: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'yrd-hub audit chain', region, 32));
}
