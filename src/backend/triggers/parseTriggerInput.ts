/**
 * Checks what a client sent to create or replace a trigger (TriggerInput), field by field, and
 * returns the normalised rule or every problem keyed by its field path, so the
 * panel can show each sentence at its field. Pure.
 */
import type { InboundMatch } from '../api/triggerContract';
import { parsePreviewSettings } from './previewTemplate';
import { inboundActionIds, momentIds, outcomeValues } from './triggerCatalog';
import type { InboundRule, OutboundRule, TriggerRule } from './triggerDefinition';

export type ParseTriggerResult = { ok: true; rule: TriggerRule } | { ok: false; fields: Record<string, string> };

export const defaultCooldownSeconds = 60;
const maxCooldownSeconds = 7 * 24 * 3600;
const maxText = 500;
/** A Kubernetes annotation key: an optional DNS prefix and a name of up to 63 characters. */
const annotationKeyPattern = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const fieldPathPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

type Fields = Record<string, string>;

function readObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function readOptionalText(value: unknown, field: string, fields: Fields, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    fields[field] = `${what} must be text`;
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed.length > maxText) fields[field] = `${what} must be at most ${maxText} characters`;
  return trimmed === '' ? undefined : trimmed;
}

function readStringList(value: unknown, field: string, fields: Fields, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fields[field] = `${what} must be a list of text values`;
    return [];
  }
  return [...new Set((value as string[]).map((item) => item.trim()).filter((item) => item.length > 0))];
}

function parseMatch(value: unknown, fields: Fields): InboundMatch {
  const raw = readObject(value);
  if (!raw) {
    fields.match = 'say which events fire the rule: at least one event type';
    return { types: [] };
  }
  const types = readStringList(raw.types, 'match.types', fields, 'event types');
  if (types.length === 0 && !fields['match.types']) {
    fields['match.types'] = 'name at least one event type, e.g. dev.cdevents.artifact.published';
  } else if (types.some((type) => !/^dev\.cdevents\.[a-z]+(\.[a-z]+(\.[0-9][0-9A-Za-z.-]*)?)?$/.test(type))) {
    fields['match.types'] =
      'each event type must be a CDEvents type or prefix, e.g. dev.cdevents.artifact.published or dev.cdevents.artifact.published.0.2.0';
  }
  const match: InboundMatch = { types };
  const source = readOptionalText(raw.source, 'match.source', fields, 'the source');
  if (source) match.source = source;
  const subjectId = readOptionalText(raw.subjectId, 'match.subjectId', fields, 'the subject id');
  if (subjectId) match.subjectId = subjectId;
  const artifactPurl = readOptionalText(raw.artifactPurl, 'match.artifactPurl', fields, 'the artifact purl pattern');
  if (artifactPurl) {
    if (!artifactPurl.startsWith('pkg:')) {
      fields['match.artifactPurl'] = 'the artifact purl pattern must start with "pkg:", e.g. pkg:oci/auth*';
    }
    match.artifactPurl = artifactPurl;
  }
  const environment = readOptionalText(raw.environment, 'match.environment', fields, 'the environment');
  if (environment) match.environment = environment;
  const outcome = readOptionalText(raw.outcome, 'match.outcome', fields, 'the outcome');
  if (outcome && !outcomeValues.includes(outcome.toLowerCase())) {
    fields['match.outcome'] =
      `the outcome must be one of ${outcomeValues.join(', ')} (or left empty): "${outcome}" is none`;
  } else if (outcome) match.outcome = outcome.toLowerCase();
  if (raw.customData !== undefined && raw.customData !== null) {
    const customData = readObject(raw.customData);
    const field = readOptionalText(customData?.field, 'match.customData.field', fields, 'the customData field');
    const equals = customData?.equals;
    if (!customData || (!field && (equals === undefined || equals === ''))) {
      // An empty pair from the form means "no customData condition".
    } else if (!field) {
      fields['match.customData.field'] = 'name the customData field, e.g. team or release.channel';
    } else if (!fieldPathPattern.test(field)) {
      fields['match.customData.field'] = 'the customData field is a dotted path of letters, digits, - and _';
    } else if (typeof equals !== 'string' || equals === '') {
      fields['match.customData.equals'] = 'give the value the customData field must equal';
    } else {
      match.customData = { field, equals };
    }
  }
  return match;
}

/** Parses a create or replace body. */
export function parseTriggerInput(body: unknown): ParseTriggerResult {
  const fields: Fields = {};
  const raw = readObject(body);
  if (!raw) return { ok: false, fields: { body: 'send a JSON object describing the trigger' } };
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (name === '') fields.name = 'give the trigger a name';
  else if (name.length > 100) fields.name = 'the name must be at most 100 characters';
  const enabled = raw.enabled === undefined ? true : raw.enabled;
  if (typeof enabled !== 'boolean') fields.enabled = 'enabled must be true or false';
  if (raw.kind !== 'outbound' && raw.kind !== 'inbound') {
    fields.kind = 'kind must be "outbound" (emit this app\'s moments) or "inbound" (act on incoming events)';
    return { ok: false, fields };
  }
  if (raw.kind === 'outbound') {
    const moments = readStringList(raw.moments, 'moments', fields, 'moments');
    const unknown = moments.filter((moment) => !(momentIds as readonly string[]).includes(moment));
    if (unknown.length > 0)
      fields.moments = `unknown moment ${unknown.join(', ')}; choose from ${momentIds.join(', ')}`;
    else if (moments.length === 0 && !fields.moments) fields.moments = 'choose at least one moment to emit';
    const sinks = readStringList(raw.sinks, 'sinks', fields, 'sinks');
    if (Object.keys(fields).length > 0) return { ok: false, fields };
    const rule: OutboundRule = {
      kind: 'outbound',
      name,
      enabled: enabled as boolean,
      moments: momentIds.filter((moment) => moments.includes(moment)),
      sinks,
    };
    return { ok: true, rule };
  }
  const match = parseMatch(raw.match, fields);
  const action = raw.action;
  if (typeof action !== 'string' || !(inboundActionIds as readonly string[]).includes(action)) {
    fields.action = `choose an action: ${inboundActionIds.join(', ')}`;
  }
  let cooldownSeconds = defaultCooldownSeconds;
  if (raw.cooldownSeconds !== undefined && raw.cooldownSeconds !== null && raw.cooldownSeconds !== '') {
    const value = raw.cooldownSeconds;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > maxCooldownSeconds) {
      fields.cooldownSeconds = `the cooldown must be a whole number of seconds from 0 to ${maxCooldownSeconds}`;
    } else cooldownSeconds = value;
  }
  const revisionField = readOptionalText(raw.revisionField, 'revisionField', fields, 'the revision field');
  if (revisionField && !fieldPathPattern.test(revisionField)) {
    fields.revisionField = 'the revision field is a dotted customData path, e.g. git.revision';
  }
  const annotationKey = readOptionalText(raw.annotationKey, 'annotationKey', fields, 'the annotation key');
  if (action === 'annotate') {
    if (!annotationKey) fields.annotationKey = 'name the annotation to set, e.g. cdevents.dev/last-event';
    else if (!annotationKeyPattern.test(annotationKey) || annotationKey.startsWith('notifications.argoproj.io/')) {
      fields.annotationKey =
        'the annotation key must be a Kubernetes annotation name (prefix/name) outside notifications.argoproj.io';
    }
  }
  const preview = action === 'preview' ? parsePreviewSettings(raw.preview, fields) : undefined;
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const rule: InboundRule = {
    kind: 'inbound',
    name,
    enabled: enabled as boolean,
    match,
    action: action as InboundRule['action'],
    cooldownSeconds,
    ...(action === 'sync-revision' && revisionField ? { revisionField } : {}),
    ...(action === 'annotate' && annotationKey ? { annotationKey } : {}),
    ...(preview ? { preview } : {}),
  };
  return { ok: true, rule };
}

/** The first problem as one sentence, for the error message. */
export function summariseFieldErrors(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  const [field, sentence] = entries[0]!;
  const more = entries.length > 1 ? ` (and ${entries.length - 1} more)` : '';
  return `the trigger is not valid: ${field}: ${sentence}${more}`;
}
