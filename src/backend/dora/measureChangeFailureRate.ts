import type { ChangeFailureRate, DoraMissing } from '../api/contract';
import { describeWindow } from './describeWindow';
import { isDeployment, isInWindow, type DoraIncident, type DoraServiceEvent, type DoraWindow } from './doraInput';

/** The sentence the UI shows beside the figure, so a reader knows what counted. */
export const CHANGE_FAILURE_DEFINITION =
  'Deployments (deployed or upgraded) that were rolled back by the next deployment of their environment, or followed by an incident.detected before it, over all deployments.';

/** An event without an environment applies to any: single-environment apps and tools that do not say. */
function isSameEnvironment(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

/** The index of the first of time-ordered `incidents` at or after `time` (its length when none). */
function firstAtOrAfter(incidents: readonly DoraIncident[], time: number): number {
  let low = 0;
  let high = incidents.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (incidents[middle]!.time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Change failure rate over the deployments in the window. A deployment fails
 * when the next service event of its environment is a rollback, or an incident
 * is detected in its environment before that next event. Counting per
 * deployment, not rollbacks plus incidents, keeps a bad release that raised an
 * incident and was then rolled back at one failure, not two.
 */
export function measureChangeFailureRate(
  services: readonly DoraServiceEvent[],
  incidents: readonly DoraIncident[],
  window: DoraWindow,
): ChangeFailureRate | DoraMissing {
  const ordered = [...services].sort((a, b) => a.time - b.time);
  const detections = incidents.filter((incident) => incident.predicate === 'detected').sort((a, b) => a.time - b.time);
  // The next service event of the same environment after each one, found in one pass from the end:
  // searching forward from every deployment made the 13 weekly figures cost the square of the history.
  const nextInEnvironment = new Array<DoraServiceEvent | undefined>(ordered.length);
  const newestSeen = new Map<string | null, DoraServiceEvent>();
  for (let index = ordered.length - 1; index >= 0; index--) {
    const event = ordered[index]!;
    nextInEnvironment[index] = newestSeen.get(event.environment);
    newestSeen.set(event.environment, event);
  }
  let deployments = 0;
  let rolledBack = 0;
  let followedByIncident = 0;
  let failed = 0;
  ordered.forEach((deployment, index) => {
    if (!isDeployment(deployment) || !isInWindow(deployment.time, window)) return;
    deployments += 1;
    const next = nextInEnvironment[index];
    const until = next?.time ?? Infinity;
    const wasRolledBack = next?.predicate === 'rolledback';
    let hadIncident = false;
    for (let at = firstAtOrAfter(detections, deployment.time); at < detections.length; at++) {
      const incident = detections[at]!;
      if (incident.time >= until) break;
      if (isSameEnvironment(incident.environment, deployment.environment)) {
        hadIncident = true;
        break;
      }
    }
    if (wasRolledBack) rolledBack += 1;
    if (hadIncident) followedByIncident += 1;
    if (wasRolledBack || hadIncident) failed += 1;
  });
  if (deployments === 0) {
    return { missing: `no service.deployed or service.upgraded event for this app in ${describeWindow(window.label)}` };
  }
  return {
    rate: failed / deployments,
    failed,
    deployments,
    rolledBack,
    followedByIncident,
    ...(detections.length === 0
      ? { note: 'no incident.detected event was received for this app, so only rollbacks count as failures' }
      : {}),
  };
}
