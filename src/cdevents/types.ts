/**
 * The CDEvents model's public types. Spelled as the spec spells them
 * (context, subject, customData, links, chainId) so that they cross the JSON
 * boundary unchanged.
 */

/** The CDEvents spec releases this model knows. 0.5.0 is known but its three broken schemas are a spec bug. */
export type SpecVersion = '0.3.0' | '0.4.1' | '0.5.0' | '0.5.1';

/** The spec versions we emit in. 0.5.1 is the default; 0.4.1 serves receivers on the older spec (Flux, cdviz). */
export type EmitSpecVersion = '0.5.1' | '0.4.1';

export interface ContextRef {
  contextId?: string;
}

export interface PathLink {
  linkType: 'PATH';
  from: ContextRef & { contextId: string };
  tags?: Record<string, unknown>;
}

export interface RelationLink {
  linkType: 'RELATION';
  /** Free text in the spec; TRIGGER and ARTIFACT are its examples. */
  linkKind: string;
  target: ContextRef;
  tags?: Record<string, unknown>;
}

export interface EndLink {
  linkType: 'END';
  from?: ContextRef & { contextId: string };
  tags?: Record<string, unknown>;
}

export type EmbeddedLink = PathLink | RelationLink | EndLink;

export interface CDEventContext {
  /** From spec 0.5 on. */
  specversion?: string;
  /** Up to spec 0.4. */
  version?: string;
  id: string;
  source: string;
  type: string;
  timestamp: string;
  schemaUri?: string;
  chainId?: string;
  links?: EmbeddedLink[];
}

export interface CDEventSubject<Content = Record<string, unknown>> {
  id: string;
  source?: string;
  /** Up to spec 0.4 only; removed in 0.5. */
  type?: string;
  content: Content;
}

export interface CDEvent<Content = Record<string, unknown>> {
  context: CDEventContext;
  subject: CDEventSubject<Content>;
  customData?: Record<string, unknown> | string;
  customDataContentType?: string;
}

/** A read-only view for code that only reads stored events (backend queries, the UI). */
export type CDEventReader = Readonly<{
  context: Readonly<CDEventContext>;
  subject: Readonly<CDEventSubject<Readonly<Record<string, unknown>>>>;
  customData?: Readonly<Record<string, unknown>> | string;
  customDataContentType?: string;
}>;

/** `dev.cdevents.<subject>.<predicate>.<M.m.p>` or `dev.cdeventsx.<tool>-<subject>.<predicate>.<M.m.p>`. */
export interface ParsedEventType {
  subject: string;
  predicate: string;
  /** The event type's own version, e.g. "0.3.0" (not the spec version). */
  version: string;
  custom: boolean;
  /** For custom events: the tool part of `<tool>-<subject>`. */
  tool?: string;
}

/** One problem found in an event, located by a JSON pointer into it ("" is the whole event). */
export interface Problem {
  pointer: string;
  message: string;
}

export type VerdictStatus = 'valid' | 'invalid' | 'unknown-type';

/** What validation says of an event. An invalid or unknown event is still stored, marked so. */
export type Verdict =
  | {
      status: 'valid';
      specVersion: SpecVersion | string;
      /** Things worth knowing that do not make the event invalid, e.g. a type from another spec line than declared. */
      warnings?: Problem[];
    }
  | { status: 'invalid'; specVersion?: SpecVersion | string; problems: Problem[] }
  | { status: 'unknown-type'; specVersion?: SpecVersion | string; problems: Problem[] };

/**
 * The normalised columns of one event: what a store indexes and a list shows.
 * Fields are undefined where the event does not carry them (an invalid event may lack anything).
 */
export interface EventSummary {
  type?: string;
  subject?: string;
  predicate?: string;
  typeVersion?: string;
  specVersion?: string;
  source?: string;
  id?: string;
  timestamp?: string;
  subjectId?: string;
  chainId?: string;
  links: EmbeddedLink[];
  custom: boolean;
}

/** The CloudEvents HTTP forms real tools send (research/cdevents.md §4). */
export type HttpMode = 'binary' | 'structured' | 'batch' | 'bare' | 'array';

/** One candidate CDEvent taken out of an HTTP request, before validation. */
export interface ReceivedItem {
  /** The CDEvent as found in the body (or in `data`/`data_base64`). */
  event: unknown;
  /** CloudEvents attributes that came with it (ce-* headers or envelope fields), for the record only. */
  cloudEvent?: Record<string, string>;
  /**
   * True when the CDEvent was parsed from a string inside the body (`data` as a string, or
   * `data_base64`): a limit checked on the body's text did not see inside it.
   */
  fromEmbeddedText?: boolean;
}

export interface ParsedHttpRequest {
  mode: HttpMode;
  items: ReceivedItem[];
  /**
   * When the body is the CDEvents themselves (bare, array or binary mode): a JSON array whose
   * elements are the items' events as sent, so a store can keep them without serialising them again.
   */
  eventsJson?: string;
}

export interface HttpMessage {
  headers: Record<string, string>;
  body: string;
}
