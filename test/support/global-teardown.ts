import type { PostgresServer } from '../../launcher/postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__embeddedPostgres as PostgresServer | undefined;
  await server?.stop();
}
