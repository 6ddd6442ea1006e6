/**
 * The CloudEvents HTTP binding for CDEvents, both ways, with no I/O: parsing a received request
 * into candidate CDEvents, and turning a CDEvent into a binary-mode request to send.
 *
 * Accepted forms (research/cdevents.md §4): binary mode (ce-* headers, the CDEvent as body),
 * structured mode (application/cloudevents+json, the CDEvent in `data` or `data_base64`), batch
 * (application/cloudevents-batch+json), a bare CDEvent, and a JSON array of them. The event's
 * identity is always the body's context.source + context.id: ce-id is kept for the record only,
 * because sdk-java (Jenkins, Spinnaker) sends a random one.
 */
import { convertEvent } from './convert';
import { HttpParseError } from './errors';
import { JsonSyntaxError, parseJson } from './parseJson';
import type { CDEvent, EmitSpecVersion, HttpMessage, ParsedHttpRequest, ReceivedItem } from './types';

export interface HttpRequestLike {
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** A Node Buffer is a Uint8Array, so both runtimes pass bytes the same way. */
  body: Uint8Array | string;
}

const ACCEPTED_TYPES =
  'application/json (a CDEvent, an array of them, or the body of a CloudEvents binary-mode request), ' +
  'application/cloudevents+json (structured mode) and application/cloudevents-batch+json (batch)';

function header(request: HttpRequestLike, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** "Application/JSON; charset=utf-8" → "application/json". */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  const media = contentType?.split(';')[0].trim().toLowerCase();
  return media ? media : undefined;
}

function isJsonMediaType(media: string): boolean {
  return media === 'application/json' || media === 'text/json' || media.endsWith('+json');
}

function decodeBody(body: Uint8Array | string): string {
  return typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonBody(text: string, what: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const start = text.trimStart();
    // The Jenkins cdevents-plugin HTTP sink posts CloudEvent.toString(), a Java debug string.
    const jenkins = start.startsWith('CloudEvent{')
      ? ' It looks like a Java CloudEvent.toString() (the Jenkins cdevents-plugin HTTP sink sends that); send the CloudEvent in binary or structured JSON mode instead.'
      : '';
    throw new HttpParseError(`${what} is not valid JSON: ${error.message}.${jenkins}`, 400, { cause: error });
  }
}

/** The CloudEvents attributes of a structured envelope (all but data), as strings, for the record. */
function envelopeAttributes(envelope: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(envelope)) {
    if (name === 'data' || name === 'data_base64') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[name] = String(value);
  }
  return attributes;
}

function decodeBase64(text: string, where: string): string {
  try {
    const binary = atob(text);
    return new TextDecoder('utf-8').decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch (error) {
    throw new HttpParseError(`${where}.data_base64 is not valid base64`, 400, { cause: error });
  }
}

/** The CDEvent inside one structured-mode envelope. */
function itemFromEnvelope(envelope: unknown, where: string): ReceivedItem {
  if (!isRecord(envelope)) throw new HttpParseError(`${where} must be a CloudEvent JSON object`, 400);
  const contentType = mediaTypeOf(typeof envelope.datacontenttype === 'string' ? envelope.datacontenttype : undefined);
  if (contentType && !isJsonMediaType(contentType)) {
    throw new HttpParseError(
      `${where}.datacontenttype is ${contentType}; a CDEvent is JSON, so it must be application/json`,
      415,
    );
  }
  const cloudEvent = envelopeAttributes(envelope);
  if ('data' in envelope && envelope.data !== undefined && envelope.data !== null) {
    const data = envelope.data;
    if (typeof data !== 'string') return { event: data, cloudEvent };
    return { event: parseJsonBody(data, `${where}.data (a string)`), cloudEvent, fromEmbeddedText: true };
  }
  if (typeof envelope.data_base64 === 'string') {
    const text = decodeBase64(envelope.data_base64, where);
    return { event: parseJsonBody(text, `${where}.data_base64 (decoded)`), cloudEvent, fromEmbeddedText: true };
  }
  throw new HttpParseError(
    `${where} is a structured CloudEvent without data or data_base64; the CDEvent goes in data`,
    400,
  );
}

/** A bare JSON object that is a structured envelope sent as application/json (e.g. a Kinesis or Syslog relay). */
function looksLikeEnvelope(value: Record<string, unknown>): boolean {
  return typeof value.specversion === 'string' && !('context' in value) && ('data' in value || 'data_base64' in value);
}

function binaryAttributes(request: HttpRequestLike): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    if (!name.startsWith('ce-')) continue;
    const value = header(request, name);
    if (value !== undefined) attributes[name.slice(3)] = value;
  }
  return attributes;
}

/**
 * Splits a received HTTP request into candidate CDEvents (not yet validated).
 * @throws HttpParseError 400 for a body that is not JSON (the message gives line, column and
 *   position), a structured envelope without data, or a batch that is not an array;
 *   415 for a content type other than JSON, structured or batch CloudEvents (the message lists
 *   the accepted ones).
 */
export function parseHttpRequest(request: HttpRequestLike): ParsedHttpRequest {
  const contentType = header(request, 'content-type');
  const media = mediaTypeOf(contentType);
  const text = decodeBody(request.body);

  if (media === 'application/cloudevents-batch+json') {
    const batch = parseJsonBody(text, 'the request body');
    if (!Array.isArray(batch)) {
      throw new HttpParseError('a application/cloudevents-batch+json body must be a JSON array of CloudEvents', 400);
    }
    return { mode: 'batch', items: batch.map((envelope, index) => itemFromEnvelope(envelope, `batch[${index}]`)) };
  }
  if (media === 'application/cloudevents+json') {
    return { mode: 'structured', items: [itemFromEnvelope(parseJsonBody(text, 'the request body'), 'the CloudEvent')] };
  }
  // No content type: curl and some relays send none; JSON is the only thing we read, so try it.
  if (media !== undefined && !isJsonMediaType(media)) {
    throw new HttpParseError(`unsupported content type ${media}; accepted: ${ACCEPTED_TYPES}`, 415);
  }
  const body = parseJsonBody(text, 'the request body');
  if (header(request, 'ce-specversion') !== undefined) {
    return {
      mode: 'binary',
      items: [{ event: body, cloudEvent: binaryAttributes(request) }],
      eventsJson: `[${text}]`,
    };
  }
  if (Array.isArray(body)) return { mode: 'array', items: body.map((event) => ({ event })), eventsJson: text };
  if (isRecord(body) && looksLikeEnvelope(body)) {
    return { mode: 'structured', items: [itemFromEnvelope(body, 'the CloudEvent')] };
  }
  return { mode: 'bare', items: [{ event: body }], eventsJson: `[${text}]` };
}

/**
 * A CDEvent as a CloudEvents binary-mode HTTP request (ce-specversion 1.0; ce-id, ce-source,
 * ce-type, ce-subject and ce-time from the event; content-type application/json), in spec
 * 0.5.1 or converted to 0.4.1 for receivers on the older spec.
 * @throws InvalidEventError when the event (after conversion) is not valid.
 */
export function toHttpBinary(event: CDEvent, specVersion: EmitSpecVersion = '0.5.1'): HttpMessage {
  // convertEvent validates its result in the target line, so nothing invalid leaves.
  const converted = convertEvent(event, specVersion);
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': converted.context.id,
      'ce-source': converted.context.source,
      'ce-type': converted.context.type,
      'ce-subject': converted.subject.id,
      'ce-time': converted.context.timestamp,
    },
    body: JSON.stringify(converted),
  };
}
