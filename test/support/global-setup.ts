import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../launcher/postgres';

/**
 * One PostgreSQL server for the whole run: DATABASE_URL's when set (any server), else an
 * embedded one, as on a machine with only Node and npm. Suites read TEST_DATABASE_URL and keep to
 * databases named with their own prefix.
 *
 * Everything a run writes to the temporary folder (the embedded cluster, hubs' data folders,
 * regions files, the CLI's folders) goes into one folder of its own: TMPDIR points there for the
 * test workers and every process they start, and the teardown removes it.
 */
export default async function globalSetup(): Promise<void> {
  const runFolder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-test-'));
  chmodSync(runFolder, 0o755); // as root, PostgreSQL runs as the user "postgres", who must reach its folder
  process.env.YRD_TEST_RUN_FOLDER = runFolder;
  process.env.TMPDIR = runFolder;
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = path.join(runFolder, 'postgres-server');
  mkdirSync(dataDir, { mode: 0o755 });
  const server = await startEmbeddedPostgres(dataDir, () => undefined);
  process.env.TEST_DATABASE_URL = server.urlFor('postgres');
  (globalThis as Record<string, unknown>).__embeddedPostgres = server;
}
