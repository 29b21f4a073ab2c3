import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../launcher/postgres';

/**
 * One PostgreSQL server for the whole run: DATABASE_URL's when set (any server), else an
 * embedded one in a temporary folder, as on a machine with only Node and npm. Suites read
 * TEST_DATABASE_URL and keep to databases named with their own prefix.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-test-pg-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the user "postgres", who must reach the folder
  const server = await startEmbeddedPostgres(dataDir, () => undefined);
  process.env.TEST_DATABASE_URL = server.urlFor('postgres');
  (globalThis as Record<string, unknown>).__embeddedPostgres = server;
  (globalThis as Record<string, unknown>).__embeddedPostgresDir = dataDir;
}
