import { parseEventType } from './eventType';
import type { EmbeddedLink, EventSummary } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The normalised columns of an event, read defensively: an invalid event may lack
 * any of them, and a summary never throws.
 */
export function summarizeEvent(input: unknown): EventSummary {
  const event = isRecord(input) ? input : {};
  const context = isRecord(event.context) ? event.context : undefined;
  const subject = isRecord(event.subject) ? event.subject : undefined;
  const type = stringAt(context, 'type');
  const parsed = parseEventType(type);
  const links = Array.isArray(context?.links) ? (context.links.filter(isRecord) as unknown as EmbeddedLink[]) : [];
  return {
    type,
    subject: parsed?.subject.toLowerCase(),
    predicate: parsed?.predicate.toLowerCase(),
    typeVersion: parsed?.version,
    specVersion: stringAt(context, 'specversion') ?? stringAt(context, 'version'),
    source: stringAt(context, 'source'),
    id: stringAt(context, 'id'),
    timestamp: stringAt(context, 'timestamp'),
    subjectId: stringAt(subject, 'id'),
    chainId: stringAt(context, 'chainId'),
    links,
    custom: parsed?.custom ?? false,
  };
}
