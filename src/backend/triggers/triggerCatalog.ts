/**
 * The vocabulary of triggers as data: the moments an app can emit, and for
 * each the argocd-notifications triggers (buildNotificationsConfig.ts) that wake
 * the backend when it happens; the inbound actions and their labels.
 */
import { SPEC_LINES } from '../../cdevents';
import type { InboundAction, MomentInfo, TriggerMoment } from '../api/triggerContract';
import { triggers as notificationTriggers } from '../argocd/buildNotificationsConfig';

export const moments: readonly MomentInfo[] = [
  { id: 'deployed', label: 'Deployed or upgraded', argocdTriggers: ['cdevents-on-deployed'] },
  // Argo CD sends the same "sync succeeded" notification; the backend tells a rollback from it.
  { id: 'rolled-back', label: 'Rolled back', argocdTriggers: ['cdevents-on-deployed'] },
  { id: 'removed', label: 'Removed', argocdTriggers: ['cdevents-on-deleted'] },
  { id: 'sync-failed', label: 'Sync failed', argocdTriggers: ['cdevents-on-sync-failed'] },
  {
    id: 'degraded',
    label: 'Degraded',
    argocdTriggers: ['cdevents-on-health-degraded', 'cdevents-on-sync-status-unknown'],
  },
  { id: 'recovered', label: 'Recovered', argocdTriggers: ['cdevents-on-health-recovered'] },
  { id: 'sync-running', label: 'Sync running', argocdTriggers: ['cdevents-on-sync-running'] },
];

export const momentIds: readonly TriggerMoment[] = moments.map((moment) => moment.id);

export const inboundActions: ReadonlyArray<{ id: InboundAction; label: string }> = [
  { id: 'sync', label: 'Sync' },
  { id: 'sync-revision', label: 'Sync to the revision the event names' },
  { id: 'refresh', label: 'Refresh' },
  { id: 'rollback', label: 'Roll back to the previous revision' },
  { id: 'annotate', label: 'Annotate the Application' },
  { id: 'preview', label: 'Create, update or remove a preview Application per change' },
];

export const inboundActionIds: readonly InboundAction[] = inboundActions.map((action) => action.id);

/** Every argocd-notifications trigger name the catalog refers to exists in the generator (a test holds this). */
export const generatorTriggerNames: readonly string[] = notificationTriggers.map((trigger) => trigger.name);

/** The argocd-notifications triggers an app must subscribe to for these moments, in the generator's order. */
export function selectArgocdTriggers(selected: readonly TriggerMoment[]): string[] {
  const wanted = new Set(
    moments.filter((moment) => selected.includes(moment.id)).flatMap((moment) => moment.argocdTriggers),
  );
  return generatorTriggerNames.filter((name) => wanted.has(name));
}

/**
 * The outcomes an inbound rule may match: every value `content.outcome` takes in a spec line's
 * enum (test runs said pass/fail up to 0.4, success/failure from 0.5; pipelines success/failure/error).
 * Read from the spec tables, so a rule cannot wait for an outcome no event carries ("maybe").
 */
export const outcomeValues: readonly string[] = [
  ...new Set(
    SPEC_LINES.flatMap((line) =>
      Object.values(line.types).flatMap((type) => {
        const field = type.content.outcome;
        return field && field.kind === 'string' && field.enum ? field.enum : [];
      }),
    ),
  ),
].sort();
