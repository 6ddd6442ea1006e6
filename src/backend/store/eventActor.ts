/**
 * Who started what an event describes ("who did it", Argo CD users' most asked
 * question about history): the `actor` of an EventRecord and of the list's
 * `actor` filter, one SQL expression for both so a row shows what the filter
 * matches.
 *
 * Read from `customData.argocd.operation.initiatedBy`, as our emitted sync
 * events carry it (argocd/emissionDraft.ts describeInitiator): the username,
 * else `auto-sync` when Argo CD's automated sync started it. Any event in that
 * shape has an actor, whoever sent it; others have none (null).
 */

/** The value an automated sync's actor is shown and filtered as. */
export const AUTO_SYNC_ACTOR = 'auto-sync';

const initiatedBy = `e.payload #> '{customData,argocd,operation,initiatedBy}'`;

/** SQL over the events table aliased `e`: the actor's text, or NULL. */
export const actorSql = `CASE
    WHEN jsonb_typeof(${initiatedBy} -> 'username') = 'string' AND ${initiatedBy} ->> 'username' <> ''
      THEN ${initiatedBy} ->> 'username'
    WHEN ${initiatedBy} -> 'automated' = 'true'::jsonb THEN '${AUTO_SYNC_ACTOR}'
  END`;
