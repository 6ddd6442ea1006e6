/**
 * The backend's PostgreSQL sessions run without JIT (the real PostgreSQL at TEST_DATABASE_URL): over the
 * week partitions the planner's cost estimates pass jit_above_cost, and PostgreSQL 15 then spent about
 * 1.8 s compiling a 5 ms ingest statement. A DATABASE_URL that sets its own `options` keeps them.
 */
import { createPostgresExecutor } from '../../src/backend/store/createPostgresExecutor';
import { TEST_DATABASE_URL } from '../helpers/testServices';

async function settingsOf(connectionString: string): Promise<{ jit: string; application_name: string }> {
  const sql = createPostgresExecutor({ connectionString, maxConnections: 1 });
  try {
    const { rows } = await sql.query<{ jit: string; application_name: string }>(
      "SELECT current_setting('jit') AS jit, current_setting('application_name') AS application_name",
    );
    return rows[0]!;
  } finally {
    await sql.close();
  }
}

test('the pool connects with jit off', async () => {
  expect((await settingsOf(TEST_DATABASE_URL)).jit).toBe('off');
});

test('options in DATABASE_URL are the operator’s and are kept as given', async () => {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', '-c application_name=cdevents-operator');
  expect(await settingsOf(url.toString())).toEqual({ jit: 'on', application_name: 'cdevents-operator' });
});
