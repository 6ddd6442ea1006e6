/**
 * POST /api/v1/argocd/notifications?instance=<name>: Argo CD's notifications
 * webhook. The body is the one template `npm run argocd-config` prints,
 * `{"app": {{toJson .app}}, "context": {{toJson .context}}}` (extra fields are
 * ignored); the backend decides from the Application's state which CDEvents
 * are new (src/backend/argocd/mapApplicationState.ts), stores them as emitted
 * events attributed to the app, and answers with what it emitted.
 *
 *   200  handled; `state` is `applied`; or, when the Application is older
 *        than the last state applied for that app (by its own clock,
 *        argocd/applicationClock.ts; `message` names the field), `late` when
 *        it was mapped in its place among the app's logged states and
 *        `stale` when it changes nothing (a re-send, or older than the log);
 *        `results` lists each emitted event (stored, duplicate or conflict;
 *        for `late`, only what it added), and is empty when nothing is new
 *   400  not JSON, no `app` object, or an app without metadata.name/uid
 *        (the message names the missing field); a malformed ?instance=
 *   401  no valid ingest token (unless CDEVENTS_INGEST_AUTH=off)
 *   413  the body exceeds CDEVENTS_MAX_BODY_BYTES
 *   415  not application/json
 * The 200 is sent after the events are committed: a 2xx is durable. Argo CD
 * retries 5xx and connection errors, and a re-send maps to the same ids.
 */
import type { IngestResponse } from '../contract';
import { instancePattern } from '../../config';
import { BadRequestError } from '../../errors';
import { type Application, findMissingApplicationField } from '../../argocd/application';
import { ingestApplicationState } from '../../argocd/ingestApplicationState';
import { createApplicationStore } from '../../store/applicationStore';
import { createIngestGuard } from '../security';
import type { RouteModule } from './index';

interface NotificationBody {
  app: unknown;
  context?: unknown;
}

interface NotificationQuery {
  instance?: string;
}

export const notificationMode = 'argocd-notification';

function describeLateness(state: 'applied' | 'late' | 'stale', reason: string): string {
  return state === 'late'
    ? `late: older than the state last applied (${reason}); mapped in its place among the app's earlier states`
    : `stale: older than the state last applied (${reason})`;
}

export const registerArgocdNotificationsRoute: RouteModule = async (app, deps) => {
  const applications = createApplicationStore(deps.store.sql);
  app.post<{ Body: NotificationBody; Querystring: NotificationQuery }>(
    '/api/v1/argocd/notifications',
    {
      onRequest: createIngestGuard(deps.config),
      schema: {
        querystring: {
          type: 'object',
          properties: { instance: { type: 'string', pattern: instancePattern.source } },
          additionalProperties: true,
        },
        body: {
          type: 'object',
          required: ['app'],
          properties: { app: { type: 'object' }, context: { type: ['object', 'null'] } },
        },
      },
    },
    async (request): Promise<IngestResponse> => {
      const missing = findMissingApplicationField(request.body.app);
      if (missing !== undefined) {
        throw new BadRequestError(
          `app.${missing} is required: send the template body {"app": {{toJson .app}}, "context": {{toJson .context}}}`,
        );
      }
      const instance = request.query.instance ?? deps.config.defaultInstance;
      const outcome = await ingestApplicationState(
        { store: deps.store, applications, now: () => deps.clock.now(), onProfileChanged: deps.invalidateAppProfiles },
        request.body.app as Application,
        { instance, mode: 'live' },
      );
      deps.metrics?.recordIngest('argocd-notifications', outcome.results);
      deps.metrics?.recordNotificationState(outcome.state);
      return {
        mode: notificationMode,
        state: outcome.state,
        ...(outcome.staleReason ? { message: describeLateness(outcome.state, outcome.staleReason) } : {}),
        results: outcome.results,
      };
    },
  );
};
