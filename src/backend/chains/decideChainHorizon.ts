/**
 * Whether a chain was cut at the retention horizon: events older than
 * CDEVENTS_RETENTION_DAYS are removed (ADR 0011), so a chain that began before
 * the horizon lost its oldest events, and the explicit links its stored events
 * carry (PATH from, RELATION target) name context ids no longer stored.
 *
 * A link to an event we do not have is not always an expired one: a tool that
 * never posts to us leaves the same dangling link. Links point back in time, so
 * a dangling link counts as cut at the horizon only when the event carrying it
 * is itself near the horizon (stored less than `nearHorizonMs` after it, or
 * older, when kept for work in flight): its target was then most likely older
 * than the horizon. A dangling link on a recent event names an event that was
 * never posted, and is not counted.
 */
import type { ChainHorizon } from '../api/contract';

const DAY = 86_400_000;

/** A week: change → build → deploy rarely takes longer, so older targets of an event that near the horizon are past it. */
export const NEAR_HORIZON_MS = 7 * DAY;

/** One context id a chain event links to that no stored event has, with the time of the (oldest) event linking it. */
export interface DanglingLink {
  contextId: string;
  /** Milliseconds since the epoch: the sort time of the oldest chain event carrying the link. */
  linkedFromTime: number;
}

export function computeHorizon(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY);
}

/** Undefined when retention is off (every event is kept, so nothing was cut). */
export function decideChainHorizon(input: {
  now: Date;
  retentionDays: number;
  danglingLinks: readonly DanglingLink[];
  nearHorizonMs?: number;
}): ChainHorizon | undefined {
  if (input.retentionDays <= 0) return undefined;
  const horizon = computeHorizon(input.now, input.retentionDays);
  const nearUntil = horizon.getTime() + (input.nearHorizonMs ?? NEAR_HORIZON_MS);
  const missingLinks = new Set(
    input.danglingLinks.filter((link) => link.linkedFromTime < nearUntil).map((link) => link.contextId),
  ).size;
  return { retentionDays: input.retentionDays, before: horizon.toISOString(), cut: missingLinks > 0, missingLinks };
}
