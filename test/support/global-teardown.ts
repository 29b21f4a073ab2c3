import { rmSync } from 'node:fs';
import type { PostgresServer } from '../../launcher/postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__embeddedPostgres as PostgresServer | undefined;
  await server?.stop();
  // The run's own temporary folder (global-setup.ts), with everything the suites left in it.
  const runFolder = process.env.YRD_TEST_RUN_FOLDER;
  if (runFolder) rmSync(runFolder, { recursive: true, force: true });
}
