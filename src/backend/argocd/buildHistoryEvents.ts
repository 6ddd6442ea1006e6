/**
 * Backfill, pure part: Argo CD's `status.history` lists the successful syncs
 * (at most `revisionHistoryLimit`, default 10). Each entry becomes the service
 * event it would have produced live — same id (app uid + deploy start +
 * revisions), marked reconstructed — so syncs that happened while the backend
 * was down or a notification was lost still appear, and ones already stored
 * are recognised as duplicates.
 *
 * History keeps no images, so a reconstructed event's artifactId is the chart
 * or repository at the revision, where the live one may name a running image.
 */
import type { AppMemory } from './appMemory';
import { buildAppIdentity } from './appIdentity';
import { resumeMemory } from './appMemory';
import {
  type Application,
  type ApplicationSource,
  type RevisionHistory,
  normaliseRevisions,
  readHistory,
  readSources,
} from './application';
import { readEntrySources, sortHistory } from './classifySync';
import { type EmissionDraft, emitSyncEvent, normaliseTime } from './emissionDraft';
import type { MapResult } from './mapApplicationState';

function entrySources(app: Application, entry: RevisionHistory): ApplicationSource[] {
  const recorded = readEntrySources(entry);
  return recorded.length > 0 ? recorded : readSources(app);
}

/**
 * Emits, into the draft, every history entry that started after the newest
 * sync in memory, except the one starting at `skipStartedAt` (the live
 * operation, which the caller maps with its richer state).
 */
export function reconstructMissedSyncs(draft: EmissionDraft, app: Application, skipStartedAt?: string): void {
  const sorted = sortHistory(readHistory(app));
  const skip = normaliseTime(skipStartedAt);
  sorted.forEach((entry, index) => {
    const startedAt = normaliseTime(entry.deployStartedAt ?? entry.deployedAt);
    if (!startedAt || startedAt === skip) return;
    const last = draft.memory.lastOperationStartedAt;
    if (last && startedAt <= last) return;
    emitSyncEvent(
      draft,
      {
        startedAt,
        finishedAt: entry.deployedAt,
        revisions: normaliseRevisions(entry),
        sources: entrySources(app, entry),
        initiatedBy: entry.initiatedBy,
        earlier: sorted.slice(0, index),
        historyId: entry.id,
        reconstructed: true,
      },
      app.spec?.project,
    );
  });
}

/**
 * The reconstructed service events of an app's history that memory does not
 * yet cover, oldest first, and the memory after them.
 */
export function buildHistoryEvents(
  previous: AppMemory | undefined,
  app: Application,
  options: { instance: string },
): MapResult {
  const draft: EmissionDraft = {
    identity: buildAppIdentity(app, options.instance),
    memory: resumeMemory(previous, app.metadata.uid),
    events: [],
  };
  reconstructMissedSyncs(draft, app);
  return { events: draft.events, memory: draft.memory };
}
