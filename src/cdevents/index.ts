/**
 * src/cdevents: the CDEvents model, shared by the backend and the UI. No I/O here.
 *
 * The public surface (signatures are a contract other areas rely on):
 * - validateEvent(input): Verdict
 * - parseEventType(type): ParsedEventType | undefined
 * - summarizeEvent(input): EventSummary
 * - parseHttpRequest({contentType, headers, body}): ParsedHttpRequest, throws HttpParseError
 * - createEvent(spec, options): CDEvent (typed builder, validated before it returns)
 * - toHttpBinary(event, specVersion): HttpMessage
 * - convertEvent(event, specVersion): CDEvent
 */
export * from './types';
export * from './errors';
export * from './eventType';
export * from './summary';
export * from './validate';
export * from './http';
export * from './builders';
export * from './convert';
