import type { DoraIncident } from './doraInput';

export interface IncidentPairs<T extends DoraIncident = DoraIncident> {
  /** Each resolution with the detection it closed, in resolution order. */
  restored: Array<{ detected: T; resolved: T }>;
  /** Detections no resolution closed yet, oldest first. */
  open: T[];
}

/**
 * Pairs incident.detected with incident.resolved by subject id, in time order.
 * A subject id may come back (an alert that fires again names the same alert),
 * so each resolution closes the detection open for its subject at that moment;
 * a second detection while one is open is the same incident told twice.
 * A resolution with nothing open is left out: its detection was never received.
 */
export function pairIncidents<T extends DoraIncident>(incidents: readonly T[]): IncidentPairs<T> {
  const ordered = [...incidents].sort((a, b) => a.time - b.time);
  const openBySubject = new Map<string, T>();
  const restored: IncidentPairs<T>['restored'] = [];
  for (const incident of ordered) {
    if (incident.subjectId === null) continue;
    const open = openBySubject.get(incident.subjectId);
    if (incident.predicate === 'detected' && !open) openBySubject.set(incident.subjectId, incident);
    if (incident.predicate === 'resolved' && open) {
      restored.push({ detected: open, resolved: incident });
      openBySubject.delete(incident.subjectId);
    }
  }
  return { restored, open: [...openBySubject.values()].sort((a, b) => a.time - b.time) };
}
