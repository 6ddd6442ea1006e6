import { mkdirSync } from 'fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlExecutor, SqlQueryable } from './sqlExecutor';

/**
 * A SqlExecutor over an embedded PGlite whose files live in `dataDir`.
 * PGlite runs one query at a time; its own mutex queues concurrent callers.
 * relaxedDurability stays off so every commit reaches the files before the
 * query resolves: an acknowledged event survives kill -9.
 */
export async function createPgliteExecutor(options: { dataDir: string }): Promise<SqlExecutor> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, { relaxedDurability: false });
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): SqlQueryable => ({
    async query<Row>(sql: string, params: unknown[] = []): Promise<{ rows: Row[] }> {
      const result = await target.query<Row>(sql, params);
      return { rows: result.rows };
    },
    async execScript(sql: string): Promise<void> {
      await target.exec(sql);
    },
  });
  const direct = wrap(db);
  return {
    kind: 'pglite',
    query: direct.query,
    execScript: direct.execScript,
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> => db.transaction((tx) => work(wrap(tx))),
    session: <T>(work: (connection: SqlQueryable) => Promise<T>): Promise<T> => work(direct),
    close: () => db.close(),
  };
}
