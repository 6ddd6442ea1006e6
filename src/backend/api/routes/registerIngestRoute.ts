/**
 * POST /api/v1/events: CDEvents from any tool, in every CloudEvents HTTP form
 * (binary, structured, batch) or as a bare CDEvent or a JSON array of them;
 * src/cdevents parseHttpRequest reads the body, so this route takes it raw.
 *
 *   200  every event was handled; the body (IngestResponse) says per event:
 *        stored, duplicate or conflict, with its verdict (valid, invalid,
 *        unknown-type) and problems. Invalid events are stored too.
 *   400  the body is not JSON, or not a CloudEvent the parser can read
 *   401  no valid ingest token (unless CDEVENTS_INGEST_AUTH=off)
 *   413  the body exceeds CDEVENTS_MAX_BODY_BYTES
 *   415  a content type that carries no CDEvent
 * The 200 is sent after the store committed: an acknowledged event is durable.
 */
import { parseHttpRequest } from '../../../cdevents';
import type { IngestResponse } from '../contract';
import { createIngestGuard, verifyJsonTextDepth, verifyValueDepth } from '../security';
import { storeEvents } from '../storeEvents';
import type { RouteModule } from './index';

export const registerIngestRoute: RouteModule = async (app, deps) => {
  await app.register(async (scope) => {
    // The body goes to parseHttpRequest untouched, whatever its content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: deps.config.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/events',
      { onRequest: createIngestGuard(deps.config), schema: {} },
      async (request): Promise<IngestResponse> => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        verifyJsonTextDepth(body);
        const parsed = parseHttpRequest({ headers: request.headers, body });
        // A data string or data_base64 is parsed again inside; its depth is only known now.
        for (const item of parsed.items) if (item.fromEmbeddedText) verifyValueDepth(item.event);
        const results = await storeEvents(
          deps.store,
          parsed.items.map((item) => item.event),
          {
            receivedAt: deps.clock.now(),
            apps: await deps.listAppProfiles?.(),
            eventsJson: parsed.eventsJson,
            onProfileChanged: deps.invalidateAppProfiles,
          },
        );
        deps.metrics?.recordIngest('events', results);
        return { mode: parsed.mode, results };
      },
    );
  });
};
