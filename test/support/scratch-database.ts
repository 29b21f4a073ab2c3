import { Client } from 'pg';
import { dropDatabases, testDatabaseUrl } from './hub';

/**
 * An empty database of the suite's own (`<prefix>_<name>`, dropped before and after the suite),
 * for tests that apply migrations step by step; returns its URL.
 */
export function scratchDatabase(prefix: string, name: string): string {
  const database = `${prefix}_${name}`;
  beforeAll(async () => {
    await dropDatabases(prefix);
    const admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  });
  afterAll(async () => {
    await dropDatabases(prefix);
  });
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}
