/**
 * What the DORA computations read: an app's service events, the artifact
 * publications and incidents shown in its tab, already fetched by the store.
 * Times are milliseconds since the epoch (the event's time, else when it was received).
 */

/** The window the figures cover: [from, to], and how to name it in a sentence. */
export interface DoraWindow {
  from: number;
  to: number;
  /** As asked: `30d`, `12h`. */
  label: string;
}

/** An emitted service event: deployed, upgraded, rolledback (removed is left out by the caller or ignored). */
export interface DoraServiceEvent {
  key: string;
  predicate: string;
  time: number;
  environment: string | null;
  /** subject.content.artifactId first, then every artifact the sync deployed (customData.argocd.artifacts). */
  artifactIds: string[];
}

/** A received artifact.published, by the purl it published (its subject id). */
export interface DoraPublication {
  key: string;
  purl: string;
  time: number;
}

/** An incident event (detected, reported, resolved) by its subject id, which pairs detection and resolution. */
export interface DoraIncident {
  key: string;
  predicate: string;
  subjectId: string | null;
  time: number;
  environment: string | null;
}

export interface DoraInput {
  window: DoraWindow;
  /** Every service event of the app up to the window's end (earlier ones give the window's first deployment its context). */
  services: DoraServiceEvent[];
  /** Publications up to the window's end. */
  publications: DoraPublication[];
  /** Incidents up to the window's end, detections before the window included (they may be resolved in it). */
  incidents: DoraIncident[];
}

/** The two predicates that count as a deployment of a change (a rollback deploys an old one). */
export function isDeployment(event: DoraServiceEvent): boolean {
  return event.predicate === 'deployed' || event.predicate === 'upgraded';
}

export function isInWindow(time: number, window: DoraWindow): boolean {
  return time >= window.from && time <= window.to;
}
