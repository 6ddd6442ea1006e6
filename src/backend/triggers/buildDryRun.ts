/**
 * A dry run: an inbound rule replayed over stored events, oldest first, with
 * the same matching and cooldown as the worker, and nothing done. Pure: the
 * route fetches the events.
 */
import type { DryRunItem, DryRunResponse } from '../api/triggerContract';
import type { AppRef } from '../store/types';
import { decideCooldown, describeAction } from './decideFiring';
import { type CandidateEvent, matchInboundEvent } from './matchInboundEvent';
import type { InboundRule } from './triggerDefinition';

export interface HistoryEvent extends CandidateEvent {
  key: string;
  /** When it arrived (ISO 8601): what the worker would have seen as "now". */
  receivedAt: string;
}

export function buildDryRun(rule: InboundRule, app: AppRef, events: readonly HistoryEvent[]): DryRunResponse {
  const ordered = [...events].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const items: DryRunItem[] = [];
  let lastFiredAt: Date | undefined;
  for (const event of ordered) {
    const match = matchInboundEvent(rule.match, event);
    if (!match.matched) continue;
    const at = new Date(event.receivedAt);
    const cooldown = decideCooldown(rule.cooldownSeconds, lastFiredAt, at);
    const summary = { key: event.key, type: event.type, source: event.source, id: event.id, at: event.receivedAt };
    if (cooldown.fire) {
      lastFiredAt = at;
      items.push({ event: summary, outcome: 'fire', reasons: match.reasons, action: describeAction(rule, app, event) });
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
