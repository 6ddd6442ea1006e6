import {
  HttpParseError,
  createEvent,
  parseHttpRequest,
  summarizeEvent,
  toHttpBinary,
  validateEvent,
} from '../../src/cdevents';
import { listConformanceFiles } from './specOracle';

const event = createEvent(
  {
    type: 'service.deployed',
    source: '/argocd/prod',
    subject: { id: 'argocd/guestbook', content: { environment: { id: 'prod' }, artifactId: 'pkg:git/guestbook@abc' } },
  },
  { now: () => new Date('2026-05-01T10:00:00Z'), newId: () => 'body-id' },
);
const json = JSON.stringify(event);

function parseError(request: Parameters<typeof parseHttpRequest>[0]): HttpParseError {
  try {
    parseHttpRequest(request);
  } catch (error) {
    if (error instanceof HttpParseError) return error;
    throw error;
  }
  throw new Error('expected an HttpParseError');
}

describe('parseHttpRequest accepts every form real tools send', () => {
  it("binary mode with sdk-java's random ce-id: identity still comes from the body", () => {
    const parsed = parseHttpRequest({
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'f3b5c0a2-random-from-sdk-java',
        'ce-source': '/argocd/prod',
        'ce-type': event.context.type,
      },
      body: Buffer.from(json),
    });
    expect(parsed.mode).toBe('binary');
    expect(parsed.items).toHaveLength(1);
    expect(summarizeEvent(parsed.items[0].event)).toMatchObject({ id: 'body-id', source: '/argocd/prod' });
    expect(parsed.items[0].cloudEvent).toMatchObject({ id: 'f3b5c0a2-random-from-sdk-java', specversion: '1.0' });
  });

  it('structured mode with the CDEvent in data', () => {
    const parsed = parseHttpRequest({
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'ce-1',
        source: '/x',
        type: event.context.type,
        datacontenttype: 'application/json',
        data: event,
      }),
    });
    expect(parsed).toEqual({
      mode: 'structured',
      items: [
        {
          event,
          cloudEvent: {
            specversion: '1.0',
            id: 'ce-1',
            source: '/x',
            type: event.context.type,
            datacontenttype: 'application/json',
          },
        },
      ],
    });
  });

  it('structured mode with the CDEvent as a JSON string in data', () => {
    const parsed = parseHttpRequest({
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'ce-1', source: '/x', type: 't', data: json }),
    });
    expect(parsed.items[0].event).toEqual(event);
  });

  it('structured mode with the CDEvent in data_base64', () => {
    const parsed = parseHttpRequest({
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'ce-1',
        source: '/x',
        type: 't',
        data_base64: Buffer.from(json).toString('base64'),
      }),
    });
    expect(parsed.items[0].event).toEqual(event);
  });

  it('a batch of structured envelopes', () => {
    const envelope = { specversion: '1.0', id: 'ce-1', source: '/x', type: 't', data: event };
    const parsed = parseHttpRequest({
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify([envelope, { ...envelope, id: 'ce-2' }]),
    });
    expect(parsed.mode).toBe('batch');
    expect(parsed.items.map((item) => item.cloudEvent?.id)).toEqual(['ce-1', 'ce-2']);
  });

  it("a bare CDEvent (cdviz-collector's http sink)", () => {
    expect(parseHttpRequest({ headers: { 'content-type': 'application/json' }, body: json })).toEqual({
      mode: 'bare',
      items: [{ event }],
      eventsJson: `[${json}]`,
    });
  });

  it('a JSON array of CDEvents, every conformance file in one request', () => {
    const events = listConformanceFiles().map((file) => file.event);
    const body = JSON.stringify(events);
    const parsed = parseHttpRequest({ headers: { 'content-type': 'application/json' }, body });
    expect(parsed.mode).toBe('array');
    expect(parsed.items.map((item) => item.event)).toEqual(events);
    // The body is the events as sent, so a store can keep that text.
    expect(parsed.eventsJson).toBe(body);
  });

  it('a body without content type, read as JSON', () => {
    expect(parseHttpRequest({ headers: {}, body: json }).mode).toBe('bare');
  });

  it('a structured envelope posted as application/json (a Kinesis or Syslog relay)', () => {
    const parsed = parseHttpRequest({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ specversion: '1.0', id: 'ce', source: '/x', type: 't', data: event }),
    });
    expect(parsed).toMatchObject({ mode: 'structured', items: [{ event }] });
  });
});

describe('parseHttpRequest refuses what it cannot read, saying why', () => {
  it('malformed JSON is a 400 whose message names line and column', () => {
    const error = parseError({
      headers: { 'content-type': 'application/json' },
      body: '{\n  "context": {\n    "id": ,\n  }\n}',
    });
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/the request body is not valid JSON: .*\(line 3, column 11, position 27\)/s);
  });

  it("Jenkins' Java debug string is a 400 that says what it is", () => {
    const error = parseError({
      headers: { 'content-type': 'application/json' },
      body: "CloudEvent{id='1', source=http://jenkins/job/1, type='dev.cdevents.pipelinerun.started.0.1.1'}",
    });
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('Java CloudEvent.toString()');
    expect(error.message).toContain('line 1, column 1');
  });

  it('a structured envelope without data is a 400', () => {
    const error = parseError({
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"specversion":"1.0","id":"1","source":"/x","type":"t"}',
    });
    expect([error.statusCode, error.message]).toEqual([
      400,
      'the CloudEvent is a structured CloudEvent without data or data_base64; the CDEvent goes in data',
    ]);
  });

  it('a batch that is not an array is a 400', () => {
    const error = parseError({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body: json });
    expect([error.statusCode, error.message]).toEqual([
      400,
      'a application/cloudevents-batch+json body must be a JSON array of CloudEvents',
    ]);
  });

  it('a batch entry that is not an object is a 400 naming its index', () => {
    const error = parseError({
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: '[{"specversion":"1.0","data":{}}, 7]',
    });
    expect(error.message).toBe('batch[1] must be a CloudEvent JSON object');
  });

  it.each([['application/x-www-form-urlencoded'], ['text/plain'], ['application/cloudevents+avro']])(
    '%s is a 415 that lists the accepted types',
    (contentType) => {
      const error = parseError({ headers: { 'content-type': contentType }, body: json });
      expect(error.statusCode).toBe(415);
      expect(error.message).toContain(`unsupported content type ${contentType}`);
      expect(error.message).toContain('application/cloudevents+json');
    },
  );
});

describe('toHttpBinary', () => {
  it('sends spec 0.5.1 in binary mode with every ce-* attribute taken from the event', () => {
    const message = toHttpBinary(event);
    expect(message.headers).toEqual({
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'body-id',
      'ce-source': '/argocd/prod',
      'ce-type': 'dev.cdevents.service.deployed.0.3.0',
      'ce-subject': 'argocd/guestbook',
      'ce-time': '2026-05-01T10:00:00.000Z',
    });
    expect(JSON.parse(message.body)).toEqual(event);
  });

  it('sends spec 0.4.1 for older receivers, with ce-type naming the 0.4.1 type', () => {
    const message = toHttpBinary(event, '0.4.1');
    expect(message.headers['ce-type']).toBe('dev.cdevents.service.deployed.0.2.0');
    expect(validateEvent(JSON.parse(message.body))).toEqual({ status: 'valid', specVersion: '0.4.1' });
  });

  it('round-trips through parseHttpRequest as binary mode', () => {
    const message = toHttpBinary(event);
    const parsed = parseHttpRequest({ headers: message.headers, body: message.body });
    expect(parsed).toEqual({
      mode: 'binary',
      items: [{ event, cloudEvent: expect.objectContaining({ id: 'body-id', subject: 'argocd/guestbook' }) }],
      eventsJson: `[${message.body}]`,
    });
  });
});
