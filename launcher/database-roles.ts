import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { ConfigError } from '../platform/config-file';

/**
 * The two database roles of one hub (one database prefix), made by the administrator that
 * DATABASE_URL or the embedded server names:
 *  - `<prefix>_owner` owns the hub's databases and every table in them; migrations and demo
 *    data run as it (and the launcher's audit checkpointer);
 *  - `<prefix>_subgraphs` is what the subgraphs connect as: it reads and writes the tables of
 *    their schemas, but may only INSERT and SELECT audit rows (no UPDATE, DELETE or TRUNCATE),
 *    may only read the audit checkpoints, and may change no table's definition.
 * Named per prefix, because several hubs (and test suites) may share one server. Their
 * passwords are generated once per data folder and kept in `<data folder>/database-roles.json`
 * (mode 600); every start sets them again, so a role left by an earlier folder is taken over.
 */

export interface DatabaseRole {
  name: string;
  password: string;
}

export interface DatabaseRoles {
  owner: DatabaseRole;
  subgraphs: DatabaseRole;
}

/** Schemas the subgraphs' role gets no general rights on (granted one by one below). */
const GUARDED_SCHEMAS = ['audit', 'audit_witness'];
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

export const PASSWORD_FILE = 'database-roles.json';

function passwordsOf(dataDir: string): { owner: string; subgraphs: string } {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const generated = { owner: randomBytes(24).toString('base64url'), subgraphs: randomBytes(24).toString('base64url') };
    writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return JSON.parse(readFileSync(file, 'utf8')) as { owner: string; subgraphs: string };
}

/** Creates (or takes over) the prefix's two roles on the server `adminUrl` names; idempotent. */
export async function ensureRoles(adminUrl: string, prefix: string, dataDir: string): Promise<DatabaseRoles> {
  const passwords = passwordsOf(dataDir);
  const roles: DatabaseRoles = {
    owner: { name: `${prefix}_owner`, password: passwords.owner },
    subgraphs: { name: `${prefix}_subgraphs`, password: passwords.subgraphs },
  };
  for (const role of Object.values(roles)) {
    if (!ROLE_NAME.test(role.name))
      throw new ConfigError('HUB_DB_PREFIX', [`"${prefix}" makes the role name "${role.name}"; use lowercase letters, digits and _ (at most 40)`]);
  }
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const role of Object.values(roles)) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
      if (!rowCount) {
        await client.query(`CREATE ROLE "${role.name}" LOGIN`).catch((error: { code?: string }) => {
          // Made meanwhile by another hub of the same prefix.
          if (error.code !== '42710' && error.code !== '23505') throw error;
        });
      }
      // Statements take no parameters; the password is base64url (no quotes), the name checked above.
      await client.query(`ALTER ROLE "${role.name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${role.password}'`);
    }
    // The administrator must be able to hand databases over to the owner role.
    await client.query(`GRANT "${roles.owner.name}" TO CURRENT_USER`).catch(() => undefined);
  } finally {
    await client.end();
  }
  return roles;
}

/**
 * Makes `owner` the owner of the database `databaseUrl` names (as its administrator) and of
 * every schema and table in it, including those an earlier version created as the administrator.
 */
export async function handOver(adminDatabaseUrl: string, database: string, owner: DatabaseRole): Promise<void> {
  const client = new Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${database}" OWNER TO "${owner.name}"`);
    await client.query(`
      DO $$ DECLARE item record; BEGIN
        FOR item IN SELECT nspname FROM pg_namespace
                     WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')
                       AND nspowner <> '${owner.name}'::regrole LOOP
          EXECUTE format('ALTER SCHEMA %I OWNER TO %I', item.nspname, '${owner.name}');
        END LOOP;
        FOR item IN SELECT c.oid::regclass AS relation FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                       AND c.relkind IN ('r', 'p') AND c.relowner <> '${owner.name}'::regrole LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO %I', item.relation, '${owner.name}');
        END LOOP;
      END $$`);
  } finally {
    await client.end();
  }
}

/**
 * What the subgraphs' role may do in one database, granted by the owner after migrations (so a
 * table a new migration adds is covered): everything on the rows of the subgraphs' own schemas,
 * reading the migration history, appending to and reading the audit log, reading checkpoints.
 */
export async function grantSubgraphs(ownerPool: Pool, subgraphs: DatabaseRole): Promise<void> {
  const guarded = GUARDED_SCHEMAS.map((schema) => `'${schema}'`).join(', ');
  await ownerPool.query(`
    DO $$ DECLARE item record; BEGIN
      FOR item IN SELECT nspname FROM pg_namespace WHERE nspowner = current_user::regrole AND nspname NOT IN (${guarded}) LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', item.nspname, '${subgraphs.name}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', item.nspname, '${subgraphs.name}');
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', item.nspname, '${subgraphs.name}');
      END LOOP;
      IF to_regclass('public.schema_migrations') IS NOT NULL THEN
        REVOKE ALL ON public.schema_migrations FROM "${subgraphs.name}";
        GRANT SELECT ON public.schema_migrations TO "${subgraphs.name}";
      END IF;
      IF to_regclass('audit.entries') IS NOT NULL THEN
        GRANT USAGE ON SCHEMA audit TO "${subgraphs.name}";
        REVOKE ALL ON audit.entries FROM "${subgraphs.name}";
        GRANT SELECT, INSERT ON audit.entries TO "${subgraphs.name}";
      END IF;
      IF to_regclass('audit_witness.checkpoints') IS NOT NULL THEN
        GRANT USAGE ON SCHEMA audit_witness TO "${subgraphs.name}";
        REVOKE ALL ON audit_witness.checkpoints FROM "${subgraphs.name}";
        GRANT SELECT ON audit_witness.checkpoints TO "${subgraphs.name}";
      END IF;
    END $$`);
}

/** `url` with another user and password. */
export function urlAs(url: string, role: DatabaseRole): string {
  const parsed = new URL(url);
  parsed.username = role.name;
  parsed.password = role.password;
  return parsed.toString();
}
