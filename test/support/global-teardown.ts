import { rmSync } from 'node:fs';
import type { PostgresServer } from '../../launcher/postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__embeddedPostgres as PostgresServer | undefined;
  await server?.stop();
  const dataDir = (globalThis as Record<string, unknown>).__embeddedPostgresDir as string | undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
