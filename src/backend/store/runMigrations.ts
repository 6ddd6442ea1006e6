/**
 * Runs the numbered plain-SQL files of migrations/ (`NNN_name.sql`) in order, each
 * once, recording them in schema_migrations. All pending files run in one
 * transaction under a transaction-scoped advisory lock, so replicas starting
 * together on one PostgreSQL database queue up instead of racing: the second sees
 * what the first applied. A failing file rolls back and applies nothing.
 *
 * The .sql files are read from the `migrations` folder beside this module: under
 * tsx that is src/backend/store/migrations; `npm run build:backend` copies the
 * folder to dist/server/backend/store/migrations.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { SqlExecutor } from './sqlExecutor';

export const defaultMigrationsDir = join(__dirname, 'migrations');

/** An arbitrary constant that names "the migration lock" among this database's advisory locks. */
const migrationLockKey = 4_202_611;

export interface Migration {
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files in numeric order. Throws when two files share a number. */
export function readMigrations(directory: string = defaultMigrationsDir): Migration[] {
  const files = readdirSync(directory)
    .filter((file) => /^\d+_[\w-]+\.sql$/.test(file))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const numbers = files.map((file) => parseInt(file, 10));
  const repeated = numbers.find((number, index) => numbers.indexOf(number) !== index);
  if (repeated !== undefined) throw new Error(`two migrations in ${directory} share the number ${repeated}`);
  return files.map((file) => ({ name: file.replace(/\.sql$/, ''), sql: readFileSync(join(directory, file), 'utf8') }));
}

/** Applies pending migrations; resolves with the names it applied (empty when up to date). */
export async function runMigrations(
  executor: SqlExecutor,
  migrations: Migration[] = readMigrations(),
): Promise<string[]> {
  return executor.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await tx.execScript(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      try {
        await tx.execScript(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      applied.push(migration.name);
    }
    return applied;
  });
}
