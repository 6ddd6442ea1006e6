/**
 * Backend-only types of forwarding. Sink settings may hold secrets (resolved
 * header values), so nothing here is imported by the wire contract or the UI.
 */
import type { CDEvent, EmitSpecVersion } from '../../cdevents/types';

export type SinkKind = 'http' | 'nats';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** What every sink shares: retry policy, spec version and which events it takes. */
interface SinkSettingsBase {
  name: string;
  specVersion: EmitSpecVersion;
  /** Type prefixes (e.g. `dev.cdevents.service.`); undefined forwards every emitted event. */
  filter?: string[];
  /** Attempts before a row is dead-lettered (the first send counts). */
  maxAttempts: number;
  /** How long one send may take before it counts as a network error. */
  timeoutMs: number;
  /** Backoff: the first retry waits up to this long (full jitter)… */
  retryInitialMs: number;
  /** …and no retry waits longer than this. */
  retryMaxMs: number;
}

export interface HttpSinkSettings extends SinkSettingsBase {
  kind: 'http';
  url: string;
  /** Extra request headers, `${env:NAME}` references already resolved: may hold secrets. */
  headers: Record<string, string>;
}

export interface NatsSinkSettings extends SinkSettingsBase {
  kind: 'nats';
  url: string;
  subject: string;
  /** JetStream stream that captures `subject`; created when absent. */
  stream: string;
}

export type SinkSettings = HttpSinkSettings | NatsSinkSettings;

/**
 * The result of one send. `statusCode` is the HTTP status (HTTP sinks only);
 * `error` says why a send failed, in words a user can act on.
 */
export type SendResult =
  | { ok: true; statusCode?: number }
  | { ok: false; statusCode?: number; error: string; permanent: boolean; retryAfterMs?: number };

/**
 * One destination. `send` must never throw: every failure is a SendResult, so
 * the delivery code decides retries in one place.
 */
export interface Sink {
  readonly settings: SinkSettings;
  send(event: CDEvent): Promise<SendResult>;
  close(): Promise<void>;
}

/** Injectable time, so tests can drive backoff without waiting. */
export interface Clock {
  now(): Date;
}
