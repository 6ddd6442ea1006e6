/**
 * Stores received CDEvents and reports per event what happened: stored,
 * duplicate (same identity, same payload: the stored verdict is reported) or
 * conflict (same identity, another payload: the first is kept). Shared by every
 * route that takes events in (POST /api/v1/events, the Argo CD webhook).
 * Resolves only after the store committed, so a 2xx built from it is durable.
 * A stored deploy another tool reports updates the profile of the app it names
 * (learnReportedDeploys) before this resolves.
 */
import type { IngestItemResult } from './contract';
import { buildNewEvent, type BuildNewEventOptions } from './buildNewEvent';
import type { EventStore } from '../store/types';
import { learnReportedDeploys } from './learnReportedDeploys';

export async function storeEvents(
  store: EventStore,
  events: unknown[],
  options: BuildNewEventOptions & {
    receivedAt?: Date;
    /** `events` as the JSON text they came in (ParsedHttpRequest.eventsJson), stored as sent. */
    eventsJson?: string;
    /** Called when another tool's deploy report changed what an app runs, so cached app profiles are reloaded. */
    onProfileChanged?: () => void;
  } = {},
): Promise<IngestItemResult[]> {
  const newEvents = events.map((event) => buildNewEvent(event, options));
  const outcomes = await store.insertEvents(newEvents, {
    receivedAt: options.receivedAt,
    payloadsJson: options.eventsJson,
  });
  // Newly stored deploys other tools report teach the apps they name what they run (migration 011).
  await learnReportedDeploys(
    store.sql,
    newEvents.filter((_event, index) => outcomes[index]!.status === 'stored'),
    options.onProfileChanged,
  );
  return outcomes.map((outcome, index): IngestItemResult => {
    const event = newEvents[index]!;
    const identity = { key: outcome.key, source: event.source, id: event.id };
    switch (outcome.status) {
      case 'stored':
        return { index, status: 'stored', verdict: event.verdict, problems: event.problems, ...identity };
      case 'duplicate':
        return { index, status: 'duplicate', verdict: outcome.verdict, problems: outcome.problems, ...identity };
      case 'conflict':
        return {
          index,
          status: 'conflict',
          verdict: event.verdict,
          problems: event.problems,
          ...identity,
          message: outcome.message,
        };
    }
  });
}
