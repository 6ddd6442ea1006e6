/**
 * Whether an event is one this backend emitted for `app` itself (its Argo CD
 * source `/argocd/<instance>/<namespace>` and subject `<namespace>/<name>`).
 * Inbound rules see emitted events (migration 007) so that one app can act on
 * another's deployment; a rule acting on its own app's events could loop (a
 * rollback answering its own rollback every cooldown), so the worker skips them.
 */
import { parseAppPath, parseArgoCdSource } from '../chains/attribution';
import type { AppRef } from '../store/types';

export function isOwnEmittedEvent(app: AppRef, event: { source: string; subjectId: string | null }): boolean {
  const origin = parseArgoCdSource(event.source);
  const subject = parseAppPath(event.subjectId);
  return (
    origin !== undefined &&
    subject !== undefined &&
    origin.instance === app.instance &&
    subject.namespace === app.namespace &&
    subject.name === app.name
  );
}
