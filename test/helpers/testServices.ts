/**
 * The services the suite talks to for real, where they are, and one check per
 * service that answers in a line a user can act on (what did not answer, and
 * how to start it or point the suite elsewhere) instead of a wall of ECONNREFUSED.
 */
import { accessSync, constants } from 'fs';
import { connect } from 'nats';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** undefined when the service answers, else the line to print. */
export type ServiceCheck = () => Promise<string | undefined>;

function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}

export async function checkPostgres(url = TEST_DATABASE_URL): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    return (
      `PostgreSQL does not answer at ${shown} (${reasonOf(error)}): start one that trusts local connections ` +
      `(e.g. \`pg_ctlcluster 15 main start\`, or \`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:17\`), ` +
      `or set TEST_DATABASE_URL to a database the suite may CREATE DATABASE from`
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkNats(url = TEST_NATS_URL): Promise<string | undefined> {
  const howToStart = `start \`nats-server -js\` (or \`docker run -d -p 4222:4222 nats:2 -js\`), or set TEST_NATS_URL`;
  let connection;
  try {
    connection = await connect({ servers: url, timeout: 5_000, reconnect: false });
  } catch (error) {
    return `NATS does not answer at ${url} (${reasonOf(error)}): ${howToStart}`;
  }
  try {
    // The sink and the source use JetStream streams: a plain NATS server is not enough.
    await (await connection.jetstreamManager({ timeout: 5_000 })).getAccountInfo();
    return undefined;
  } catch (error) {
    return `NATS at ${url} answers but JetStream is off (${reasonOf(error)}): ${howToStart}`;
  } finally {
    await connection.close();
  }
}

export async function checkChromium(path = CHROMIUM_PATH): Promise<string | undefined> {
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `Chromium is not at ${path}: install it (\`apt-get install -y chromium\` on Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium or Chrome binary`;
  }
}
