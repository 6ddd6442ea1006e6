import type { DoraMissing, TimeToRestore } from '../api/contract';
import { computeMedian } from './computeMedian';
import { describeWindow } from './describeWindow';
import { isInWindow, type DoraIncident, type DoraWindow } from './doraInput';
import { pairIncidents } from './pairIncidents';

/**
 * Time to restore service (p50): incident.resolved minus the incident.detected
 * it closes (same subject id, as the Argo CD mapping emits them), over the
 * incidents resolved in the window.
 */
export function measureTimeToRestore(
  incidents: readonly DoraIncident[],
  window: DoraWindow,
): TimeToRestore | DoraMissing {
  const { restored, open } = pairIncidents(incidents);
  const samples = restored
    .filter(({ resolved }) => isInWindow(resolved.time, window))
    .map(({ detected, resolved }) => (resolved.time - detected.time) / 1000);
  if (samples.length > 0) return { p50Seconds: computeMedian(samples), samples: samples.length };
  const detectedInWindow = incidents.some(
    (incident) => incident.predicate === 'detected' && isInWindow(incident.time, window),
  );
  if (!detectedInWindow && open.length === 0) {
    return { missing: `no incident.detected event for this app in ${describeWindow(window.label)}` };
  }
  return { missing: 'no incident.resolved event with the subject id of a detected incident' };
}
