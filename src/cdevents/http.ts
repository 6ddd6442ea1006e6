import { HttpParseError } from './errors';
import type { CDEvent, EmitSpecVersion, HttpMessage, ParsedHttpRequest } from './types';

export interface HttpRequestLike {
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

/**
 * STUB, to be completed: binary, structured, batch, bare and array forms.
 * Throws HttpParseError (400 malformed, 415 unsupported content type).
 */
export function parseHttpRequest(request: HttpRequestLike): ParsedHttpRequest {
  const text = typeof request.body === 'string' ? request.body : request.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpParseError(`body is not JSON: ${(error as Error).message}`, 400, { cause: error });
  }
  if (Array.isArray(parsed)) return { mode: 'array', items: parsed.map((event) => ({ event })) };
  return { mode: 'bare', items: [{ event: parsed }] };
}

/** STUB: a CDEvent as a CloudEvents binary-mode HTTP request. */
export function toHttpBinary(event: CDEvent, _specVersion: EmitSpecVersion = '0.5.1'): HttpMessage {
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.context.id,
      'ce-source': event.context.source,
      'ce-type': event.context.type,
      'ce-subject': event.subject.id,
      'ce-time': event.context.timestamp,
    },
    body: JSON.stringify(event),
  };
}
