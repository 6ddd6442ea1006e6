/**
 * What the PostgreSQL benches share: a flag reader and a scratch database on
 * TEST_DATABASE_URL's server, created for one run and dropped after it.
 */
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../test/helpers/testServices';

/** `--name N` from the bench's arguments: a positive integer, else the fallback. */
export function readFlag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Runs one statement on the admin connection (CREATE DATABASE cannot run in a pool's transaction). */
async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database, unless `--keep` was given (then says it was kept). */
  drop(args: string[]): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop(args) {
      if (args.includes('--keep')) console.log(`kept database ${name} (--keep)`);
      else await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
