/**
 * Reads the sink list from CDEVENTS_SINKS (a JSON array) or CDEVENTS_SINKS_FILE
 * (a path to one). Every bad setting gets its own sentence, so a user fixes all
 * of them in one go. Header values may reference environment variables as
 * `${env:NAME}`, so secrets live in Kubernetes Secrets, not in the sink list;
 * the resolved values stay in backend-only SinkSettings.
 */
import { readFileSync } from 'fs';
import type { EmitSpecVersion } from '../../cdevents/types';
import type { SinkSettings } from './types';

export interface SinkSettingsSource {
  /** The value of CDEVENTS_SINKS. */
  json?: string;
  /** The value of CDEVENTS_SINKS_FILE. */
  file?: string;
  /** Where `${env:NAME}` references are looked up. */
  env: Record<string, string | undefined>;
}

export interface ParsedSinkSettings {
  sinks: SinkSettings[];
  /** One sentence per bad setting; empty when all is well. */
  problems: string[];
}

export const sinkDefaults = {
  specVersion: '0.5.1' as EmitSpecVersion,
  maxAttempts: 20,
  timeoutMs: 10_000,
  retryInitialMs: 1_000,
  retryMaxMs: 300_000,
};

const specVersions: readonly EmitSpecVersion[] = ['0.5.1', '0.4.1'];
const commonKeys = [
  'name',
  'kind',
  'url',
  'specVersion',
  'filter',
  'maxAttempts',
  'timeoutMs',
  'retryInitialMs',
  'retryMaxMs',
];
const keysByKind: Record<string, string[]> = {
  http: [...commonKeys, 'headers'],
  nats: [...commonKeys, 'subject', 'stream'],
};
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// NATS subjects are dot-separated tokens; wildcards make no sense for publishing.
const subjectPattern = /^[^\s.*>]+(\.[^\s.*>]+)*$/;
const streamPattern = /^[^\s.*>/\\]{1,255}$/;
const envReference = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Loads and validates the sink list; no sinks configured is an empty list, not a problem. */
export function loadSinkSettings(source: SinkSettingsSource): ParsedSinkSettings {
  if (source.json !== undefined && source.file !== undefined) {
    return { sinks: [], problems: ['set CDEVENTS_SINKS or CDEVENTS_SINKS_FILE, not both'] };
  }
  let text = source.json;
  let label = 'CDEVENTS_SINKS';
  if (source.file !== undefined) {
    label = `CDEVENTS_SINKS_FILE (${source.file})`;
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      return { sinks: [], problems: [`${label} cannot be read: ${(error as Error).message}`] };
    }
  }
  if (text === undefined || text.trim() === '') return { sinks: [], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { sinks: [], problems: [`${label} is not JSON: ${(error as Error).message}`] };
  }
  return parseSinkSettings(parsed, source.env, label);
}

/** Validates an already-parsed sink list. */
export function parseSinkSettings(
  input: unknown,
  env: Record<string, string | undefined>,
  label = 'CDEVENTS_SINKS',
): ParsedSinkSettings {
  if (!Array.isArray(input)) return { sinks: [], problems: [`${label} must be a JSON array of sinks`] };
  const problems: string[] = [];
  const sinks: SinkSettings[] = [];
  const seen = new Set<string>();
  input.forEach((raw, index) => {
    const at = `${label}[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const entry = raw as Record<string, unknown>;
    const sinkProblems: string[] = [];
    const fail = (message: string) => sinkProblems.push(`${at}${nameSuffix(entry)}: ${message}`);

    const name = entry.name;
    if (typeof name !== 'string' || !namePattern.test(name)) {
      fail('name must be letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit');
    } else if (seen.has(name)) {
      fail(`name "${name}" is used by another sink`);
    } else {
      seen.add(name);
    }

    const kind = entry.kind;
    if (kind !== 'http' && kind !== 'nats') {
      fail(`kind must be "http" or "nats", not ${JSON.stringify(kind)}`);
      problems.push(...sinkProblems);
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!keysByKind[kind].includes(key)) fail(`unknown setting "${key}" for a ${kind} sink`);
    }

    const url = entry.url;
    const protocols = kind === 'http' ? ['http:', 'https:'] : ['nats:', 'tls:', 'ws:', 'wss:'];
    if (typeof url !== 'string' || !isUrlWithProtocol(url, protocols)) {
      fail(`url must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
    }

    const specVersion = entry.specVersion ?? sinkDefaults.specVersion;
    if (!specVersions.includes(specVersion as EmitSpecVersion)) {
      fail(`specVersion must be "0.5.1" or "0.4.1", not ${JSON.stringify(specVersion)}`);
    }

    let filter: string[] | undefined;
    if (entry.filter !== undefined) {
      if (!Array.isArray(entry.filter) || !entry.filter.every((p) => typeof p === 'string' && p.length > 0)) {
        fail('filter must be a list of event type prefixes, e.g. ["dev.cdevents.service."]');
      } else {
        filter = entry.filter as string[];
      }
    }

    const maxAttempts = readInteger(entry, 'maxAttempts', sinkDefaults.maxAttempts, 1, 1000, fail);
    const timeoutMs = readInteger(entry, 'timeoutMs', sinkDefaults.timeoutMs, 1, 300_000, fail);
    const retryInitialMs = readInteger(entry, 'retryInitialMs', sinkDefaults.retryInitialMs, 1, 3_600_000, fail);
    const retryMaxMs = readInteger(entry, 'retryMaxMs', sinkDefaults.retryMaxMs, 1, 86_400_000, fail);
    if (retryMaxMs < retryInitialMs) fail('retryMaxMs must not be smaller than retryInitialMs');

    const base = {
      name: name as string,
      url: url as string,
      specVersion: specVersion as EmitSpecVersion,
      ...(filter ? { filter } : {}),
      maxAttempts,
      timeoutMs,
      retryInitialMs,
      retryMaxMs,
    };
    if (kind === 'http') {
      const headers = resolveHeaders(entry.headers, env, fail);
      if (sinkProblems.length === 0) sinks.push({ ...base, kind, headers });
    } else {
      const subject = entry.subject;
      if (typeof subject !== 'string' || !subjectPattern.test(subject)) {
        fail('subject must be a NATS subject without wildcards, e.g. "cdevents.argocd"');
      }
      const stream = entry.stream;
      if (typeof stream !== 'string' || !streamPattern.test(stream)) {
        fail('stream must be a JetStream stream name (no spaces, ".", "*", ">", "/" or "\\")');
      }
      if (sinkProblems.length === 0)
        sinks.push({ ...base, kind, subject: subject as string, stream: stream as string });
    }
    problems.push(...sinkProblems);
  });
  return { sinks: problems.length === 0 ? sinks : [], problems };
}

function nameSuffix(entry: Record<string, unknown>): string {
  return typeof entry.name === 'string' ? ` (${JSON.stringify(entry.name)})` : '';
}

function isUrlWithProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function readInteger(
  entry: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  fail: (message: string) => void,
): number {
  const value = entry[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
    return fallback;
  }
  return value;
}

function resolveHeaders(
  value: unknown,
  env: Record<string, string | undefined>,
  fail: (message: string) => void,
): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('headers must be an object of header names to string values');
    return {};
  }
  const headers: Record<string, string> = {};
  for (const [header, raw] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
      fail(`headers: "${header}" is not a valid header name`);
      continue;
    }
    if (typeof raw !== 'string') {
      fail(`headers.${header} must be a string`);
      continue;
    }
    // Name only the variable in messages: its value may be a secret.
    headers[header] = raw.replace(envReference, (_match, variable: string) => {
      const resolved = env[variable];
      if (resolved === undefined) fail(`headers.${header} references \${env:${variable}}, which is not set`);
      return resolved ?? '';
    });
  }
  return headers;
}
