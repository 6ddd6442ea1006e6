/**
 * Turns one received CDEvent (parsed JSON, valid or not) into what the store
 * keeps: normalised columns, the validator's verdict, the direction and the apps
 * it is attributed to. Pure: no clock, no database.
 *
 * An event without a usable context.source or context.id cannot be identified
 * the normal way. It is still stored, so nothing a tool sent is lost: under the
 * source `urn:cdevents-backend:no-source` when the source is missing, and the id
 * `sha256:<hash of its canonical JSON>` when the id is missing, marked invalid
 * with a problem saying so. Sending the same body again is then a duplicate.
 */
import { createHash } from 'crypto';
import { summarizeEvent, validateEvent, type Problem, type VerdictStatus } from '../../cdevents';
import { attributeEvent, decideDirection, parseArgoCdSource, type AppAttribution } from '../chains/attribution';
import type { AppProfile } from '../chains/buildAppProfile';
import { extractEventFacts } from '../chains/extractEventFacts';
import { stringifyStable } from '../argocd/deterministicId';
import type { NewEvent } from '../store/types';

export const unidentifiedSource = 'urn:cdevents-backend:no-source';

export interface BuildNewEventOptions {
  /** True when rebuilt from Argo CD's history rather than seen live. */
  reconstructed?: boolean;
  /** Reasons the caller knows beyond the rules (e.g. the Argo CD webhook knows the app). */
  extraAttributions?: AppAttribution[];
  /** The apps the backend knows, for the rules that compare an event with each app. */
  apps?: readonly AppProfile[];
}

export function buildNewEvent(event: unknown, options: BuildNewEventOptions = {}): NewEvent {
  const summary = summarizeEvent(event);
  const verdict = validateEvent(event);
  let status: VerdictStatus = verdict.status;
  const problems: Problem[] = verdict.status === 'valid' ? [] : [...verdict.problems];
  const missing: Problem[] = [];
  if (summary.source === undefined) {
    missing.push({
      pointer: '/context/source',
      message: `context.source is missing; the event is stored under the source ${unidentifiedSource}`,
    });
  }
  if (summary.id === undefined) {
    missing.push({
      pointer: '/context/id',
      message: 'context.id is missing; the event is stored under an id made of its content hash',
    });
  }
  if (missing.length > 0) {
    status = 'invalid';
    problems.push(...missing);
  }
  const direction = decideDirection(summary.source);
  // Read once: the attribution rules and the store's chain keys both use them.
  const facts = extractEventFacts(event);
  const attributions = attributeEvent({ event, summary, direction, apps: options.apps, facts });
  if (options.extraAttributions) attributions.push(...options.extraAttributions);
  return {
    source: summary.source ?? unidentifiedSource,
    id: summary.id ?? contentId(event),
    type: summary.type ?? null,
    subject: summary.subject ?? null,
    predicate: summary.predicate ?? null,
    typeVersion: summary.typeVersion ?? null,
    specVersion: verdict.specVersion ?? summary.specVersion ?? null,
    timestamp: summary.timestamp ?? null,
    subjectId: summary.subjectId ?? null,
    chainId: summary.chainId ?? null,
    links: summary.links,
    verdict: status,
    problems,
    direction,
    reconstructed: options.reconstructed ?? false,
    instance: direction === 'emitted' ? (parseArgoCdSource(summary.source)?.instance ?? null) : null,
    payload: event ?? null,
    attributions,
    facts,
  };
}

/** The id of an event that has none: the same body sent again gets the same id, whatever its key order. */
function contentId(event: unknown): string {
  return `sha256:${createHash('sha256')
    .update(stringifyStable(event ?? null))
    .digest('hex')}`;
}
