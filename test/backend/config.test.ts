/**
 * Settings are read once and every bad one is reported, each naming itself;
 * README.md documents every setting the backend reads.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { loadConfig, settingNames } from '../../src/backend/config';
import { ConfigError } from '../../src/backend/errors';

const demo = { CDEVENTS_PROXY_AUTH: 'off', CDEVENTS_INGEST_AUTH: 'off' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('uses the documented defaults: port 8080, PGlite under ./.data, instance "default"', () => {
    expect(loadConfig(demo)).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
      dataDir: './.data',
      defaultInstance: 'default',
      proxyAuth: false,
      ingestAuth: false,
      retentionDays: 90,
      retentionMaxEventsPerApp: 0,
    });
  });

  it('reads the cap of events per app', () => {
    expect(loadConfig({ ...demo, CDEVENTS_RETENTION_MAX_EVENTS_PER_APP: '5000' }).retentionMaxEventsPerApp).toBe(5000);
  });

  it('reads the proxy secret and comma-separated ingest tokens', () => {
    const config = loadConfig({
      CDEVENTS_PROXY_SECRET: 'a-proxy-secret-of-some-length',
      CDEVENTS_INGEST_TOKENS: ' token-one-0123456789 , token-two-0123456789 ',
      DATABASE_URL: 'postgres://postgres@db:5432/cdevents',
    });
    expect(config).toMatchObject({
      proxyAuth: true,
      ingestTokens: ['token-one-0123456789', 'token-two-0123456789'],
      databaseUrl: 'postgres://postgres@db:5432/cdevents',
    });
  });

  it('sends reads to CDEVENTS_READ_DATABASE_URL when set, and has none by default', () => {
    const primary = 'postgres://postgres@db:5432/cdevents';
    const replica = 'postgresql://reader@db-replica:5432/cdevents';
    expect(loadConfig({ ...demo, DATABASE_URL: primary }).readDatabaseUrl).toBeUndefined();
    expect(loadConfig({ ...demo, DATABASE_URL: primary, CDEVENTS_READ_DATABASE_URL: replica })).toMatchObject({
      databaseUrl: primary,
      readDatabaseUrl: replica,
    });
  });

  it.each([
    [
      'a read replica URL of another kind',
      { ...demo, DATABASE_URL: 'postgres://db/cdevents', CDEVENTS_READ_DATABASE_URL: 'mysql://replica' },
      /CDEVENTS_READ_DATABASE_URL must start with postgres:\/\//,
    ],
    [
      'a read replica without a PostgreSQL primary (the embedded store has no replicas)',
      { ...demo, CDEVENTS_READ_DATABASE_URL: 'postgres://replica/cdevents' },
      /CDEVENTS_READ_DATABASE_URL needs DATABASE_URL/,
    ],
    [
      'a port that is not a number',
      { ...demo, PORT: 'eighty' },
      /PORT must be an integer from 0 to 65535, got "eighty"/,
    ],
    [
      'a database URL of another kind',
      { ...demo, DATABASE_URL: 'mysql://x' },
      /DATABASE_URL must start with postgres:\/\//,
    ],
    ['no proxy secret with proxy auth on', { CDEVENTS_INGEST_AUTH: 'off' }, /CDEVENTS_PROXY_SECRET is not set/],
    ['a short proxy secret', { ...demo, CDEVENTS_PROXY_AUTH: 'on', CDEVENTS_PROXY_SECRET: 'short' }, /at least 16/],
    ['no ingest tokens with ingest auth on', { CDEVENTS_PROXY_AUTH: 'off' }, /CDEVENTS_INGEST_TOKENS is empty/],
    [
      'an on/off setting that is neither',
      { ...demo, CDEVENTS_PROXY_AUTH: 'maybe', CDEVENTS_PROXY_SECRET: 'a-long-enough-secret' },
      /must be "on" or "off", got "maybe"/,
    ],
    [
      'an instance name with capitals',
      { ...demo, CDEVENTS_DEFAULT_INSTANCE: 'Prod' },
      /CDEVENTS_DEFAULT_INSTANCE must be/,
    ],
    ['an unknown log level', { ...demo, CDEVENTS_LOG_LEVEL: 'loud' }, /CDEVENTS_LOG_LEVEL must be one of/],
    [
      'a negative cap of events per app',
      { ...demo, CDEVENTS_RETENTION_MAX_EVENTS_PER_APP: '-5' },
      /CDEVENTS_RETENTION_MAX_EVENTS_PER_APP must be an integer from 0/,
    ],
  ])('refuses %s with a message naming the setting', (_case, env, message) => {
    expect(problemsOf(env as Record<string, string>)).toEqual([expect.stringMatching(message)]);
  });

  it('reports every bad setting at once, one message each', () => {
    expect(problemsOf({ PORT: '-1', CDEVENTS_LOG_LEVEL: 'loud' })).toHaveLength(4);
  });

  it('is documented in the README: every setting it reads has a row in the Configuration table', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    expect(section.startsWith('## Configuration')).toBe(true);
    const missing = settingNames.filter((name) => !section.includes(`| \`${name}\``));
    expect(missing).toEqual([]);
  });
});
