/**
 * Evaluates received events against inbound rules and runs the actions, once.
 *
 * Run once, across replicas on one database:
 * 1. Evaluate (one transaction): lock a batch of the inbox (events stored but
 *    not yet evaluated; SKIP LOCKED, so replicas take different batches), match
 *    them against every enabled inbound rule (pure), lock the matched rules' rows
 *    in id order (no deadlock between replicas), decide the cooldown against the
 *    last firing, insert each firing (unique per rule and event: the claim),
 *    and delete the batch from the inbox. A crash rolls all of it back, so the
 *    events are evaluated again after a restart. With no enabled inbound rule,
 *    the batch is deleted unread: a rule acts on events stored after it is
 *    enabled, as when it is enabled between two batches.
 * 2. Act: take pending firings (SKIP LOCKED, status running), call Argo CD,
 *    record the outcome, the cause for the app's next sync event, and the
 *    `trigger` reason that shows the event in the app's tab. A crash during the
 *    call leaves the firing running: it is not retried (at most once).
 *
 * Ingest never waits for any of this: the inbox row is written by the database
 * in the event's own insert, and this loop polls it.
 */
import { randomUUID } from 'crypto';
import type { ApiRequester } from '../argocd/client';
import type { BackendMetrics } from '../metrics';
import type { SqlExecutor } from '../store/sqlExecutor';
import {
  claimFiring,
  discardInboxEvents,
  finishFiring,
  getTriggerById,
  listEnabledInboundTriggers,
  lockInboxEvents,
  lockRuleAndReadLastFiring,
  recordCause,
  withdrawCause,
  removeFromInbox,
  takePendingFirings,
} from '../store/triggerStore';
import { createApplicationStore } from '../store/applicationStore';
import type { SqlQueryable } from '../store/sqlExecutor';
import type { AppRef, EventStore } from '../store/types';
import { type AppSourceKind, classifyAppSource } from './chooseSyncRevision';
import { decideCooldown, describeAction } from './decideFiring';
import { isOwnEmittedEvent } from './isOwnEmittedEvent';
import { matchInboundEvent } from './matchInboundEvent';
import { actionMayStartSync, runInboundAction } from './runInboundAction';
import { type InboundRule, type StoredTrigger, isInboundRule } from './triggerDefinition';

/** The kind of the app's source as the backend last saw it (a sync-revision's target must fit it). */
async function readSourceKind(sql: SqlQueryable, app: AppRef): Promise<AppSourceKind> {
  return classifyAppSource((await createApplicationStore(sql).getApplication(app))?.snapshot);
}

export interface WorkerLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export interface InboundWorkerOptions {
  sql: SqlExecutor;
  store: Pick<EventStore, 'addAttributions'>;
  /** The Argo CD API of `argocdInstance`; undefined: firings fail saying it is not configured. */
  argocd: ApiRequester | undefined;
  argocdInstance: string;
  now: () => Date;
  logger?: WorkerLogger;
  metrics?: Pick<BackendMetrics, 'recordTriggerFiring'>;
  /** Default 1000. */
  pollIntervalMs?: number;
  /** Inbox events per transaction; default 100. */
  batchSize?: number;
}

export interface InboundWorker {
  /** One evaluate-and-act pass; resolves with what it did. */
  runOnce(): Promise<{ evaluated: number; fired: number }>;
  start(): void;
  /** Stops polling and waits for a pass in progress. */
  stop(): Promise<void>;
}

interface Claim {
  trigger: StoredTrigger & { rule: InboundRule };
  eventSeq: string;
  reason: string;
  status: 'pending' | 'skipped';
  action: string;
}

export function createInboundWorker(options: InboundWorkerOptions): InboundWorker {
  const workerId = randomUUID();
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function evaluate(): Promise<number> {
    return options.sql.transaction(async (tx) => {
      const rules = (await listEnabledInboundTriggers(tx)).filter(
        (trigger): trigger is StoredTrigger & { rule: InboundRule } => isInboundRule(trigger.rule),
      );
      // Nothing to match against: reading each event (payload included) would be wasted work on every ingest.
      if (rules.length === 0) return discardInboxEvents(tx, batchSize);
      const events = await lockInboxEvents(tx, batchSize);
      if (events.length === 0) return 0;
      const matches = events.flatMap((event) =>
        rules.flatMap((trigger) => {
          if (isOwnEmittedEvent(trigger.app, event)) return [];
          const result = matchInboundEvent(trigger.rule.match, event);
          return result.matched ? [{ trigger, event, reasons: result.reasons }] : [];
        }),
      );
      const lastFired = new Map<string, Date | undefined>();
      for (const id of [...new Set(matches.map((match) => match.trigger.id))].sort()) {
        lastFired.set(id, await lockRuleAndReadLastFiring(tx, id));
      }
      const now = options.now();
      const claims: Claim[] = [];
      for (const { trigger, event, reasons } of matches) {
        const source = trigger.rule.action === 'sync-revision' ? await readSourceKind(tx, trigger.app) : undefined;
        const decision = decideCooldown(trigger.rule.cooldownSeconds, lastFired.get(trigger.id), now);
        if (decision.fire) lastFired.set(trigger.id, now);
        claims.push({
          trigger,
          eventSeq: event.seq,
          status: decision.fire ? 'pending' : 'skipped',
          reason: decision.fire ? reasons.join('; ') : `${reasons.join('; ')}; ${decision.reason}`,
          action: decision.fire ? describeAction(trigger.rule, trigger.app, event, source) : 'nothing',
        });
      }
      for (const claim of claims) {
        const claimed = await claimFiring(tx, {
          triggerId: claim.trigger.id,
          eventSeq: claim.eventSeq,
          action: claim.action,
          status: claim.status,
          reason: claim.reason,
          now,
        });
        if (claimed && claim.status === 'skipped') {
          options.metrics?.recordTriggerFiring('inbound', claim.trigger.rule.action, 'skipped');
        }
      }
      await removeFromInbox(
        tx,
        events.map((event) => event.seq),
      );
      return events.length;
    });
  }

  async function act(): Promise<number> {
    const firings = await takePendingFirings(options.sql, { workerId, limit: batchSize });
    for (const firing of firings) {
      const trigger = await getTriggerById(options.sql, firing.triggerId);
      if (!trigger || !isInboundRule(trigger.rule)) {
        await finishFiring(options.sql, {
          id: firing.id,
          status: 'failed',
          detail: 'the rule was deleted',
          now: options.now(),
        });
        continue;
      }
      const rule = trigger.rule;
      try {
        if (trigger.app.instance !== options.argocdInstance || !options.argocd) {
          throw new Error(
            `no Argo CD API for instance ${trigger.app.instance}: set CDEVENTS_ARGOCD_URL and CDEVENTS_ARGOCD_TOKEN`,
          );
        }
        const source = rule.action === 'sync-revision' ? await readSourceKind(options.sql, trigger.app) : undefined;
        // Argo CD's notification of the sync may arrive before its API call answers here: the cause
        // must already be recorded then, or the sync event would not name this firing.
        if (actionMayStartSync(rule.action)) {
          await recordCause(options.sql, {
            firingId: firing.id,
            app: trigger.app,
            contextId: firing.event.id,
            chainId: firing.event.chainId,
            reason: `fired trigger "${rule.name}" (${rule.action})`,
            now: options.now(),
          });
        }
        let result: Awaited<ReturnType<typeof runInboundAction>>;
        try {
          result = await runInboundAction(options.argocd, rule, trigger.app, firing.event, source);
        } catch (error) {
          await withdrawCause(options.sql, firing.id);
          throw error;
        }
        if (!result.startsSync) await withdrawCause(options.sql, firing.id);
        const now = options.now();
        await options.store.addAttributions(firing.event.key, [
          {
            app: trigger.app,
            attribution: { rule: 'trigger', detail: `fired trigger "${rule.name}": ${result.detail}` },
          },
        ]);
        await finishFiring(options.sql, { id: firing.id, status: 'succeeded', detail: result.detail, now });
        options.metrics?.recordTriggerFiring('inbound', rule.action, 'done');
        options.logger?.info({ trigger: trigger.id, event: firing.event.key }, `trigger fired: ${result.detail}`);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        await finishFiring(options.sql, { id: firing.id, status: 'failed', detail, now: options.now() });
        options.metrics?.recordTriggerFiring('inbound', rule.action, 'failed');
        options.logger?.warn({ trigger: trigger.id, event: firing.event.key, err: error }, 'trigger action failed');
      }
    }
    return firings.length;
  }

  async function runOnce(): Promise<{ evaluated: number; fired: number }> {
    let evaluated = 0;
    // Drain the inbox first, so one pass acts on everything already stored.
    for (;;) {
      const count = await evaluate();
      evaluated += count;
      if (count < batchSize) break;
    }
    let fired = 0;
    for (;;) {
      const count = await act();
      fired += count;
      if (count < batchSize) break;
    }
    return { evaluated, fired };
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => options.logger?.error({ err: error }, 'trigger evaluation failed; retrying'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.pollIntervalMs ?? 1000);
    timer.unref?.();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
