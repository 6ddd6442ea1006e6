/**
 * src/cdevents: the CDEvents model, shared by the backend and the UI. No I/O here (README.md).
 *
 * The public surface (signatures are a contract other areas rely on):
 * - validateEvent(input): Verdict
 * - parseEventType(type): ParsedEventType | undefined
 * - summarizeEvent(input): EventSummary
 * - parseHttpRequest({headers, body}): ParsedHttpRequest, throws HttpParseError
 * - createEvent(spec, options): CDEvent (validated before it returns, throws InvalidEventError)
 * - buildEvent(specVersion, type, input), build.serviceDeployed(input), createBuilders(specVersion),
 *   buildCustomEvent(input): typed builders derived from the spec tables
 * - toHttpBinary(event, specVersion): HttpMessage
 * - convertEvent(event, specVersion): CDEvent
 * - the spec tables themselves (SPEC_LINES, specV0_5_1 …) and their irregularities, for tools and tests
 */
export * from './types';
export * from './eventTypes';
export * from './errors';
export * from './eventType';
export * from './summary';
export * from './validate';
export * from './http';
export * from './builders';
export * from './convert';
export { JsonSyntaxError, parseJson } from './parseJson';
export { describePointer } from './problemMessages';
export {
  SPEC_LINES,
  SPEC_LINE_BY_VERSION,
  findLinesOfType,
  specV0_3_0,
  specV0_4_1,
  specV0_5_0,
  specV0_5_1,
} from './spec/specLines';
export type { SpecLine, EventTypeSpec } from './spec/specLine';
export { SPEC_BUGS, DOC_DISAGREEMENTS, SUBJECT_NAMES } from './spec/irregularities';
