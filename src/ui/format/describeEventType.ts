import type { EventRecord } from '../../backend/api/contract';

/** "service deployed" for dev.cdevents.service.deployed.0.2.0; the raw type (or "unknown type") otherwise. */
export function describeEventType(event: Pick<EventRecord, 'type' | 'subject' | 'predicate'>): string {
  if (event.subject && event.predicate) return `${event.subject} ${event.predicate}`;
  return event.type ?? 'unknown type';
}

/** The time an event is placed at: its own timestamp, or when we stored it when it has none. */
export function eventTime(event: Pick<EventRecord, 'timestamp' | 'receivedAt'>): string {
  return event.timestamp ?? event.receivedAt;
}
