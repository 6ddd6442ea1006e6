import type { EventRecord } from '../../backend/api/contract';
import { readString } from './readPayload';

export type Outcome = 'success' | 'failure' | 'warning' | 'neutral';

type Classified = Pick<EventRecord, 'subject' | 'predicate' | 'payload'>;

/**
 * Font Awesome icon per subject (Argo CD loads Font Awesome; the `fa fa-…` names exist in
 * both its 5 and 6 lines). Subjects are grouped as a user thinks of them.
 */
const ICONS: Record<string, string> = {
  service: 'fa-cube',
  environment: 'fa-globe',
  artifact: 'fa-box',
  build: 'fa-hammer',
  change: 'fa-code-branch',
  branch: 'fa-code-branch',
  repository: 'fa-book',
  pipelinerun: 'fa-stream',
  taskrun: 'fa-tasks',
  testcaserun: 'fa-vial',
  testsuiterun: 'fa-vials',
  testoutput: 'fa-file-alt',
  incident: 'fa-exclamation-triangle',
  ticket: 'fa-ticket-alt',
};

/** The icon class for an event's subject; a generic bolt for unknown or custom subjects. */
export function iconForSubject(subject: string | null): string {
  return (subject && ICONS[subject]) || 'fa-bolt';
}

const SUCCESS = new Set(['success', 'succeeded', 'pass', 'passed', 'ok']);
const FAILURE = new Set(['failure', 'failed', 'fail', 'error', 'errored']);
const WARNING = new Set(['cancel', 'canceled', 'cancelled', 'skip', 'skipped', 'timeout']);

/** Whether an event reads as good, bad or worth a look, from its outcome field or its predicate. */
export function classifyOutcome(event: Classified): Outcome {
  const outcome = readString(event.payload, ['subject', 'content', 'outcome'])?.toLowerCase();
  if (outcome && SUCCESS.has(outcome)) return 'success';
  if (outcome && FAILURE.has(outcome)) return 'failure';
  if (outcome && WARNING.has(outcome)) return 'warning';
  if (event.subject === 'incident') return event.predicate === 'resolved' ? 'success' : 'failure';
  if (event.subject === 'service') {
    if (event.predicate === 'rolledback') return 'warning';
    if (event.predicate === 'removed') return 'neutral';
    if (event.predicate === 'deployed' || event.predicate === 'upgraded') return 'success';
  }
  return 'neutral';
}

const DEPLOYMENT_PREDICATES = new Set(['deployed', 'upgraded', 'rolledback']);

/** Service deployed, upgraded or rolled back: the anchors of the timeline. */
export function isDeployment(event: Pick<EventRecord, 'subject' | 'predicate'>): boolean {
  return event.subject === 'service' && event.predicate !== null && DEPLOYMENT_PREDICATES.has(event.predicate);
}
