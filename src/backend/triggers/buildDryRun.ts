/**
 * A dry run: an inbound rule replayed over stored events in the order they
 * happened (their context.timestamp; the receive time when it has none), with
 * the same matching and cooldown as the worker, and nothing done. Not in the
 * order they were received: a tool that sends a backlog at once (a backfill, a
 * replay, the demo) would make every firing but the first fall in the cooldown.
 * Pure: the route fetches the events and the app's source kind.
 */
import type { DryRunItem, DryRunResponse } from '../api/triggerContract';
import type { AppRef } from '../store/types';
import type { AppSourceKind } from './chooseSyncRevision';
import { decideCooldown, describeAction } from './decideFiring';
import { type CandidateEvent, matchInboundEvent } from './matchInboundEvent';
import type { InboundRule } from './triggerDefinition';

export interface HistoryEvent extends CandidateEvent {
  key: string;
  /** When it happened (ISO 8601): context.timestamp, else when it arrived. */
  eventTime: string;
}

function byEventTime(a: HistoryEvent, b: HistoryEvent): number {
  return Date.parse(a.eventTime) - Date.parse(b.eventTime) || a.key.localeCompare(b.key);
}

export function buildDryRun(
  rule: InboundRule,
  app: AppRef,
  events: readonly HistoryEvent[],
  source: AppSourceKind = 'unknown',
): DryRunResponse {
  const ordered = [...events].sort(byEventTime);
  const items: DryRunItem[] = [];
  let lastFiredAt: Date | undefined;
  for (const event of ordered) {
    const match = matchInboundEvent(rule.match, event);
    if (!match.matched) continue;
    const at = new Date(event.eventTime);
    const cooldown = decideCooldown(rule.cooldownSeconds, lastFiredAt, at);
    const summary = { key: event.key, type: event.type, source: event.source, id: event.id, at: event.eventTime };
    if (cooldown.fire) {
      lastFiredAt = at;
      items.push({
        event: summary,
        outcome: 'fire',
        reasons: match.reasons,
        action: describeAction(rule, app, event, source),
      });
    } else {
      items.push({
        event: summary,
        outcome: 'cooldown',
        reasons: [...match.reasons, cooldown.reason],
        action: 'nothing',
      });
    }
  }
  return { evaluated: ordered.length, matched: items.length, items: items.reverse() };
}
