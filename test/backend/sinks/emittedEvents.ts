/** Emitted events for sink tests, stored through the same path as ingest (buildNewEvent + insertEvents). */
import { randomUUID } from 'crypto';
import { createEvent } from '../../../src/cdevents';
import type { CDEvent } from '../../../src/cdevents/types';
import { buildNewEvent } from '../../../src/backend/api/buildNewEvent';
import type { EventStore } from '../../../src/backend/store/types';

export const emittedSource = '/argocd/test/argocd';

export function buildEmittedEvent(
  options: { id?: string; type?: 'service.deployed' | 'incident.detected'; source?: string } = {},
): CDEvent {
  const type = options.type ?? 'service.deployed';
  const content =
    type === 'service.deployed'
      ? { environment: { id: 'prod' }, artifactId: 'pkg:oci/auth@sha256%3A0123456789abcdef' }
      : { description: 'auth is degraded', environment: { id: 'prod' } };
  return createEvent({
    type,
    source: options.source ?? emittedSource,
    id: options.id ?? randomUUID(),
    subject: { id: 'argocd/auth', source: options.source ?? emittedSource, content },
  });
}

/** Stores events and returns their seqs, in order. */
export async function storeEvents(store: EventStore, events: unknown[]): Promise<number[]> {
  const outcomes = await store.insertEvents(events.map((event) => buildNewEvent(event)));
  const { rows } = await store.sql.query<{ seq: string }>(
    `SELECT seq::text AS seq FROM events WHERE (source, context_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY seq`,
    [events.map((event) => (event as CDEvent).context.source), events.map((event) => (event as CDEvent).context.id)],
  );
  expect(outcomes.every((outcome) => outcome.status === 'stored')).toBe(true);
  return rows.map((row) => Number(row.seq));
}
