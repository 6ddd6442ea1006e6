import { loadConfig } from '../../../src/backend/config';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadSinkSettings, parseSinkSettings, sinkDefaults } from '../../../src/backend/sinks/parseSinkSettings';

const http = { name: 'cdviz', kind: 'http', url: 'http://cdviz-collector:8080/webhook/argocd' };
const nats = { name: 'bus', kind: 'nats', url: 'nats://nats:4222', subject: 'cdevents.argocd', stream: 'CDEVENTS' };

describe('valid sink lists', () => {
  it('fills the defaults: spec 0.5.1, retry policy and timeout', () => {
    expect(parseSinkSettings([http, nats], {})).toEqual({
      problems: [],
      sinks: [
        { ...http, headers: {}, ...sinkDefaults },
        { ...nats, ...sinkDefaults },
      ],
    });
  });

  it('takes 0.4.1, a filter and a retry policy per sink', () => {
    const flux = {
      ...http,
      name: 'flux',
      specVersion: '0.4.1',
      filter: ['dev.cdevents.service.'],
      maxAttempts: 3,
      timeoutMs: 500,
      retryInitialMs: 10,
      retryMaxMs: 100,
    };
    expect(parseSinkSettings([flux], {}).sinks).toEqual([{ ...flux, headers: {} }]);
  });

  it('resolves ${env:NAME} in header values from the environment', () => {
    const result = parseSinkSettings([{ ...http, headers: { Authorization: 'Bearer ${env:CDVIZ_TOKEN}' } }], {
      CDVIZ_TOKEN: 's3cr3t',
    });
    expect(result.sinks[0]).toMatchObject({ headers: { Authorization: 'Bearer s3cr3t' } });
  });

  it('reads the list from CDEVENTS_SINKS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinks-'));
    try {
      const file = join(dir, 'sinks.json');
      writeFileSync(file, JSON.stringify([nats]));
      expect(loadSinkSettings({ file, env: {} }).sinks).toEqual([{ ...nats, ...sinkDefaults }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats an unset or empty CDEVENTS_SINKS as no sinks', () => {
    expect(loadSinkSettings({ env: {} })).toEqual({ sinks: [], problems: [] });
    expect(loadSinkSettings({ json: ' ', env: {} })).toEqual({ sinks: [], problems: [] });
  });
});

describe('bad settings, one sentence each', () => {
  it.each([
    { case: 'not an array', input: { name: 'x' }, problem: 'CDEVENTS_SINKS must be a JSON array of sinks' },
    { case: 'an entry that is not an object', input: ['http'], problem: 'CDEVENTS_SINKS[0] must be an object' },
    {
      case: 'an unknown kind',
      input: [{ ...http, kind: 'kafka' }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): kind must be "http" or "nats", not "kafka"',
    },
    {
      case: 'a missing name',
      input: [{ kind: 'http', url: http.url }],
      problem:
        'CDEVENTS_SINKS[0]: name must be letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit',
    },
    {
      case: 'a name used twice',
      input: [http, { ...http }],
      problem: 'CDEVENTS_SINKS[1] ("cdviz"): name "cdviz" is used by another sink',
    },
    {
      case: 'a URL of the wrong scheme',
      input: [{ ...http, url: 'ftp://x' }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): url must be a http:// or https:// URL',
    },
    {
      case: 'a NATS sink without a subject',
      input: [{ ...nats, subject: undefined }],
      problem: 'CDEVENTS_SINKS[0] ("bus"): subject must be a NATS subject without wildcards, e.g. "cdevents.argocd"',
    },
    {
      case: 'a NATS subject with a wildcard',
      input: [{ ...nats, subject: 'cdevents.>' }],
      problem: 'CDEVENTS_SINKS[0] ("bus"): subject must be a NATS subject without wildcards, e.g. "cdevents.argocd"',
    },
    {
      case: 'a stream name with a dot',
      input: [{ ...nats, stream: 'cd.events' }],
      problem:
        'CDEVENTS_SINKS[0] ("bus"): stream must be a JetStream stream name (no spaces, ".", "*", ">", "/" or "\\")',
    },
    {
      case: 'an unsupported spec version',
      input: [{ ...http, specVersion: '0.3.0' }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): specVersion must be "0.5.1" or "0.4.1", not "0.3.0"',
    },
    {
      case: 'a misspelt setting',
      input: [{ ...nats, subjet: 'x' }],
      problem: 'CDEVENTS_SINKS[0] ("bus"): unknown setting "subjet" for a nats sink',
    },
    {
      case: 'headers on a NATS sink',
      input: [{ ...nats, headers: {} }],
      problem: 'CDEVENTS_SINKS[0] ("bus"): unknown setting "headers" for a nats sink',
    },
    {
      case: 'maxAttempts of zero',
      input: [{ ...http, maxAttempts: 0 }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): maxAttempts must be a whole number from 1 to 1000, not 0',
    },
    {
      case: 'a timeout given as a string',
      input: [{ ...http, timeoutMs: '5s' }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): timeoutMs must be a whole number from 1 to 300000, not "5s"',
    },
    {
      case: 'a retry cap below the first retry',
      input: [{ ...http, retryInitialMs: 5000, retryMaxMs: 1000 }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): retryMaxMs must not be smaller than retryInitialMs',
    },
    {
      case: 'a filter that is not a list',
      input: [{ ...http, filter: 'dev.cdevents.' }],
      problem:
        'CDEVENTS_SINKS[0] ("cdviz"): filter must be a list of event type prefixes, e.g. ["dev.cdevents.service."]',
    },
    {
      case: 'a header value that is not a string',
      input: [{ ...http, headers: { 'X-Retries': 3 } }],
      problem: 'CDEVENTS_SINKS[0] ("cdviz"): headers.X-Retries must be a string',
    },
  ])('$case', ({ input, problem }) => {
    const result = parseSinkSettings(input, {});
    expect(result.problems).toEqual([problem]);
    expect(result.sinks).toEqual([]);
  });

  it('names a missing environment variable but never a secret value', () => {
    const result = parseSinkSettings(
      [{ ...http, headers: { Authorization: 'Bearer ${env:CDVIZ_TOKEN}', 'X-Other': '${env:SET_ONE}' } }],
      { SET_ONE: 'do-not-print-me' },
    );
    expect(result.problems).toEqual([
      'CDEVENTS_SINKS[0] ("cdviz"): headers.Authorization references ${env:CDVIZ_TOKEN}, which is not set',
    ]);
    expect(JSON.stringify(result)).not.toContain('do-not-print-me');
  });

  it('reports every bad setting of every sink at once', () => {
    const result = parseSinkSettings(
      [
        { ...http, url: 'nope', maxAttempts: -1 },
        { ...nats, stream: '' },
      ],
      {},
    );
    expect(result.problems).toHaveLength(3);
  });

  it('says when the JSON does not parse, and where it came from', () => {
    expect(loadSinkSettings({ json: '[{', env: {} }).problems[0]).toMatch(/^CDEVENTS_SINKS is not JSON: /);
    expect(loadSinkSettings({ file: '/nonexistent/sinks.json', env: {} }).problems[0]).toMatch(
      /^CDEVENTS_SINKS_FILE \(\/nonexistent\/sinks.json\) cannot be read: /,
    );
    expect(loadSinkSettings({ json: '[]', file: '/x', env: {} }).problems).toEqual([
      'set CDEVENTS_SINKS or CDEVENTS_SINKS_FILE, not both',
    ]);
  });
});

describe('CDEVENTS_SINKS in the backend configuration', () => {
  const base = { CDEVENTS_PROXY_SECRET: 'proxy-secret-0123456789', CDEVENTS_INGEST_TOKENS: 'ingest-token-0123456789' };

  it('stops the backend at start with one line per bad sink setting', () => {
    expect(() => loadConfig({ ...base, CDEVENTS_SINKS: JSON.stringify([{ ...http, kind: 'kafka' }]) })).toThrow(
      'CDEVENTS_SINKS[0] ("cdviz"): kind must be "http" or "nats", not "kafka"',
    );
  });

  it('hands main.ts the validated sinks, secrets resolved from the environment', () => {
    const config = loadConfig({
      ...base,
      CDVIZ_TOKEN: 'token-value',
      CDEVENTS_SINKS: JSON.stringify([{ ...http, headers: { Authorization: 'Bearer ${env:CDVIZ_TOKEN}' } }]),
    });
    expect(config.sinks).toEqual([{ ...http, headers: { Authorization: 'Bearer token-value' }, ...sinkDefaults }]);
  });
});
