/**
 * The checks `npm test` runs before anything slow: against the real PostgreSQL
 * and NATS the suite uses, and against ports nothing listens on, each problem
 * is one line naming what did not answer and how to start it or where to point.
 */
import { closedPort } from '../helpers/closedPort';
import { checkChromium, checkNats, checkPostgres, TEST_DATABASE_URL, TEST_NATS_URL } from '../helpers/testServices';

describe("npm test's service checks", () => {
  it('pass for the PostgreSQL, NATS JetStream and Chromium the suite runs against', async () => {
    expect(await checkPostgres(TEST_DATABASE_URL)).toBeUndefined();
    expect(await checkNats(TEST_NATS_URL)).toBeUndefined();
    expect(await checkChromium()).toBeUndefined();
  });

  it('name a PostgreSQL that does not answer, hide its password, and say how to start one', async () => {
    const port = await closedPort();
    const line = await checkPostgres(`postgres://alice:s3cret@127.0.0.1:${port}/test`);
    expect(line).toMatch(
      new RegExp(
        `^PostgreSQL does not answer at postgres://alice:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test \\(ECONNREFUSED\\): start one`,
      ),
    );
    expect(line).not.toContain('s3cret');
    expect(line).toContain('or set TEST_DATABASE_URL');
    expect(line!.split('\n')).toHaveLength(1);
  });

  it('name a NATS that does not answer and say how to start one with JetStream', async () => {
    const port = await closedPort();
    const line = await checkNats(`nats://127.0.0.1:${port}`);
    expect(line).toMatch(
      new RegExp(`^NATS does not answer at nats://127\\.0\\.0\\.1:${port} \\(\\w+\\): start \`nats-server -js\``),
    );
    expect(line).toContain('or set TEST_NATS_URL');
  });

  it('name a missing Chromium and both ways to provide one', async () => {
    expect(await checkChromium('/nonexistent/chromium')).toBe(
      'Chromium is not at /nonexistent/chromium: install it (`apt-get install -y chromium` on Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  });
});
