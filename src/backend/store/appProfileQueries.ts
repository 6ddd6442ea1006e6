/**
 * The store side of received-event attribution: the known apps as profiles
 * (from the applications table, migration 002), the events an app's syncs name
 * as their trigger, and re-attribution of recent events when an app's snapshot
 * changes. Matching itself is pure (chains/receivedRules.ts).
 *
 * Bounds: profiles are cached for `ttlMs` (ingest asks on every request);
 * trigger links are read from the last `triggerWindowDays` of emitted events;
 * re-attribution looks at the newest `limit` received events only.
 */
import type { Application } from '../argocd/application';
import { attributeEvent } from '../chains/attribution';
import { type AppProfile, buildAppProfile, mergeReportedDeploys } from '../chains/buildAppProfile';
import { summarizeEvent } from '../../cdevents';
import { listReportedDeploys } from './reportedDeployStore';
import type { SqlQueryable } from './sqlExecutor';

export interface AppProfileSource {
  /** Every known app's profile; cached for a short while. */
  list(): Promise<readonly AppProfile[]>;
  /** Forgets the cache, e.g. after an app's snapshot was saved. */
  invalidate(): void;
}

export interface AppProfileSourceOptions {
  ttlMs?: number;
  triggerWindowDays?: number;
  now?: () => number;
}

/** Loads the profiles of every app in the applications table. */
export async function loadAppProfiles(sql: SqlQueryable, triggerWindowDays = 30): Promise<AppProfile[]> {
  // Only the parts of the snapshot the profile reads, so a thousand apps stay a small read.
  const { rows } = await sql.query<{ instance: string; snapshot: Application }>(
    `SELECT instance, jsonb_build_object(
         'metadata', jsonb_build_object('name', snapshot->'metadata'->'name', 'namespace', snapshot->'metadata'->'namespace',
                                        'uid', snapshot->'metadata'->'uid'),
         'spec', jsonb_build_object('source', snapshot->'spec'->'source', 'sources', snapshot->'spec'->'sources',
                                    'destination', snapshot->'spec'->'destination'),
         'status', jsonb_build_object('sync', snapshot->'status'->'sync', 'summary', snapshot->'status'->'summary',
                                      'operationState', snapshot->'status'->'operationState')
       ) AS snapshot
     FROM applications ORDER BY instance, namespace, name`,
  );
  const triggers = await sql.query<{ instance: string; namespace: string; name: string; ids: string[] }>(
    `SELECT ea.instance, ea.app_namespace AS namespace, ea.app_name AS name,
            array_agg(DISTINCT l->'target'->>'contextId') AS ids
     FROM event_apps ea
     JOIN events e ON e.seq = ea.event_seq
     CROSS JOIN LATERAL jsonb_array_elements(e.links) AS l
     WHERE ea.rule = 'emitted' AND ea.sort_time > now() - make_interval(days => $1::int)
       AND l->>'linkType' = 'RELATION' AND upper(l->>'linkKind') = 'TRIGGER' AND l->'target'->>'contextId' IS NOT NULL
     GROUP BY 1, 2, 3`,
    [triggerWindowDays],
  );
  const triggeredBy = new Map(triggers.rows.map((row) => [`${row.instance}/${row.namespace}/${row.name}`, row.ids]));
  const profiles = rows.map(({ instance, snapshot }) => {
    const profile = buildAppProfile({ instance, application: snapshot });
    const key = `${instance}/${profile.app.namespace}/${profile.app.name}`;
    return { ...profile, triggeredBy: triggeredBy.get(key) ?? [] };
  });
  // What other tools reported deploying counts as the app's Application does (migration 011).
  return mergeReportedDeploys(profiles, await listReportedDeploys(sql));
}

export function createAppProfileSource(sql: SqlQueryable, options: AppProfileSourceOptions = {}): AppProfileSource {
  const ttlMs = options.ttlMs ?? 2000;
  const now = options.now ?? Date.now;
  let cached: { at: number; profiles: Promise<AppProfile[]> } | undefined;
  return {
    list() {
      if (!cached || now() - cached.at > ttlMs) {
        const profiles = loadAppProfiles(sql, options.triggerWindowDays);
        cached = { at: now(), profiles };
        // A failed load is not cached: the next ingest tries again.
        profiles.catch(() => {
          if (cached?.profiles === profiles) cached = undefined;
        });
      }
      return cached.profiles;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * Gives an app the received events it now concerns, after its snapshot changed
 * (a new image, source or destination): the newest `limit` received events are
 * matched against the app again and new reasons added. Reasons already given
 * are kept: they were true when the event arrived.
 * Resolves with the number of reasons added.
 */
export async function reattributeRecentEvents(
  sql: SqlQueryable,
  profile: AppProfile,
  options: { limit?: number } = {},
): Promise<number> {
  const { rows } = await sql.query<{ seq: string; payload: unknown }>(
    `SELECT seq::text AS seq, payload FROM events WHERE direction = 'received'
     ORDER BY sort_time DESC, seq DESC LIMIT $1`,
    [options.limit ?? 2000],
  );
  const additions = rows.flatMap(({ seq, payload }) =>
    attributeEvent({ event: payload, summary: summarizeEvent(payload), direction: 'received', apps: [profile] })
      .filter(({ app }) => app.name === profile.app.name && app.namespace === profile.app.namespace)
      .filter(({ attribution }) =>
        ['artifact', 'source', 'environment', 'service', 'trigger'].includes(attribution.rule),
      )
      .map(({ attribution }) => ({
        seq,
        instance: profile.app.instance,
        namespace: profile.app.namespace,
        name: profile.app.name,
        rule: attribution.rule,
        detail: attribution.detail,
      })),
  );
  if (additions.length === 0) return 0;
  const inserted = await sql.query(
    `INSERT INTO event_apps (event_seq, instance, app_namespace, app_name, rule, detail, sort_time)
     SELECT e.seq, r->>'instance', r->>'namespace', r->>'name', r->>'rule', r->>'detail', e.sort_time
     FROM jsonb_array_elements($1::jsonb) AS input(r)
     JOIN events e ON e.seq = (r->>'seq')::bigint
     ON CONFLICT DO NOTHING
     RETURNING event_seq`,
    [JSON.stringify(additions)],
  );
  return inserted.rows.length;
}
