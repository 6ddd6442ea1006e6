/**
 * Triggers of one app (issue 8), behind the proxy guards (shared secret, and
 * Argocd-Application-Name naming the app in the path). Anyone the proxy lets in
 * may read; writes need a user or group in CDEVENTS_TRIGGER_EDITORS, read from
 * Argocd-Username / Argocd-User-Groups on every write, and are audited.
 *
 *   GET    .../triggers               200 TriggerListResponse (rules, access, catalog)
 *   POST   .../triggers               201 created (outbound: applied to Argo CD, outcome in `applied`)
 *                                     400 ValidationError with `fields`; 403 not in the policy;
 *                                     409 ConflictError with `fields.name`: the app has a rule of that name
 *   POST   .../triggers/dry-run       200 DryRunResponse for an unsaved inbound rule; 400 with `fields`
 *   GET    .../triggers/firings       200 the app's firings, newest first (?limit=1..500, default 50)
 *   GET    .../triggers/audit         200 the app's trigger changes, newest first (?limit=1..500, default 50)
 *   GET    .../triggers/{id}          200 TriggerRecord; 404 unknown id for this app
 *   PUT    .../triggers/{id}          200 replaced; 400; 403; 404; 409 `version` is not the current one,
 *                                     or another rule of the app has the new name (`fields.name`)
 *   DELETE .../triggers/{id}          200 deleted; 403; 404
 *   POST   .../triggers/{id}/dry-run  200 DryRunResponse over the newest stored received events; 400 outbound rule; 404
 *
 * The inbound worker (triggers/createInboundWorker.ts) starts with the app and stops when it closes.
 */
import { randomUUID } from 'crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  AuditListResponse,
  DryRunResponse,
  FiringListResponse,
  FiringRecord,
  TriggerListResponse,
  TriggerConflictErrorBody,
  TriggerRecord,
  TriggerValidationErrorBody,
  TriggerWriteResponse,
} from '../triggerContract';
import { type ApiRequester, createApiRequester, readServiceAccountToken } from '../../argocd/client';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import {
  type Actor,
  createTrigger,
  deleteTrigger,
  getTrigger,
  listAudit,
  listFirings,
  listLastFirings,
  listRecentReceivedEvents,
  listTriggers,
  recordApplyStatus,
  updateTrigger,
} from '../../store/triggerStore';
import { createApplicationStore } from '../../store/applicationStore';
import type { AppRef } from '../../store/types';
import { applyOutboundTriggers } from '../../triggers/applyOutboundTriggers';
import { buildDryRun } from '../../triggers/buildDryRun';
import { classifyAppSource } from '../../triggers/chooseSyncRevision';
import {
  buildTriggerEffect,
  listOwnedConfigMapKeys,
  notificationsConfigMapName,
} from '../../triggers/buildOutboundPlan';
import { createInboundWorker, type InboundWorker } from '../../triggers/createInboundWorker';
import { decideEditAccess } from '../../triggers/editorPolicy';
import { parseTriggerInput, summariseFieldErrors } from '../../triggers/parseTriggerInput';
import { inboundActions, moments } from '../../triggers/triggerCatalog';
import { type StoredTrigger, type TriggerRule, isInboundRule } from '../../triggers/triggerDefinition';
import { createAppRouteGuard, readRouteApp } from '../security';
import type { RouteDeps, RouteModule } from './index';

declare module 'fastify' {
  interface FastifyInstance {
    /** The inbound trigger worker of this app (tests call runOnce to evaluate without waiting). */
    triggerWorker: InboundWorker;
  }
}

/** 409: the edit started from a version that is no longer current. */
export class TriggerConflictError extends AppError {
  override readonly name = 'ConflictError';
  readonly statusCode = 409;
}

interface AppParams {
  namespace: string;
  name: string;
}
interface TriggerParams extends AppParams {
  id: string;
}
interface LimitQuery {
  limit?: number;
}

const appParamsSchema = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: { namespace: { type: 'string' }, name: { type: 'string' } },
} as const;
const triggerParamsSchema = {
  type: 'object',
  required: ['namespace', 'name', 'id'],
  properties: { namespace: { type: 'string' }, name: { type: 'string' }, id: { type: 'string', maxLength: 100 } },
} as const;
const limitQuerySchema = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  additionalProperties: false,
} as const;
/** The body's fields are checked by parseTriggerInput, so each problem is reported at its field. */
const triggerBodySchema = { type: 'object' } as const;

const dryRunHistoryLimit = 2000;
const base = '/api/v1/applications/:namespace/:name/triggers';

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() !== '' ? text.trim() : undefined;
}

function readActor(request: FastifyRequest): { username: string | undefined; groups: string[] } {
  const groups = (headerText(request, 'argocd-user-groups') ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group.length > 0);
  return { username: headerText(request, 'argocd-username'), groups };
}

function createRequesters(deps: RouteDeps): { kubernetes?: ApiRequester; argocd?: ApiRequester } {
  const { config } = deps;
  const kubernetesToken = config.kubernetesToken ?? readServiceAccountToken(config.kubernetesTokenFile);
  return {
    ...(config.kubernetesUrl
      ? {
          kubernetes: createApiRequester({ kind: 'kubernetes', baseUrl: config.kubernetesUrl, token: kubernetesToken }),
        }
      : {}),
    ...(config.argocdUrl
      ? { argocd: createApiRequester({ kind: 'argocd', baseUrl: config.argocdUrl, token: config.argocdToken }) }
      : {}),
  };
}

function toRecord(trigger: StoredTrigger, lastFiring: FiringRecord | null = null): TriggerRecord {
  const rule = trigger.rule;
  return {
    id: trigger.id,
    kind: rule.kind,
    name: rule.name,
    enabled: rule.enabled,
    moments: rule.kind === 'outbound' ? rule.moments : [],
    sinks: rule.kind === 'outbound' ? rule.sinks : [],
    match: isInboundRule(rule) ? rule.match : null,
    action: isInboundRule(rule) ? rule.action : null,
    cooldownSeconds: isInboundRule(rule) ? rule.cooldownSeconds : null,
    revisionField: isInboundRule(rule) ? (rule.revisionField ?? null) : null,
    annotationKey: isInboundRule(rule) ? (rule.annotationKey ?? null) : null,
    preview: isInboundRule(rule) ? (rule.preview ?? null) : null,
    version: trigger.version,
    createdAt: trigger.createdAt,
    createdBy: trigger.createdBy,
    updatedAt: trigger.updatedAt,
    updatedBy: trigger.updatedBy,
    effect: buildTriggerEffect(rule, trigger.app),
    applied: rule.kind === 'outbound' ? trigger.applied : null,
    lastFiring: isInboundRule(rule) ? lastFiring : null,
  };
}

/**
 * 409 for a name another rule of the app has: firings and the audit name rules, so two of one name
 * could not be told apart. `fields.name` lets the panel say it at the name field.
 */
function sendNameTaken(request: FastifyRequest, reply: FastifyReply, app: AppRef, existing: StoredTrigger) {
  const sentence = `${app.namespace}/${app.name} already has an ${existing.rule.kind} trigger named "${existing.rule.name}": choose another name`;
  const body: TriggerConflictErrorBody = {
    statusCode: 409,
    error: { name: 'ConflictError', message: sentence, fields: { name: sentence } },
    requestId: request.id,
  };
  return reply.code(409).type('application/json; charset=utf-8').send(body);
}

function sendFieldErrors(request: FastifyRequest, reply: FastifyReply, fields: Record<string, string>) {
  const body: TriggerValidationErrorBody = {
    statusCode: 400,
    error: { name: 'ValidationError', message: summariseFieldErrors(fields), fields },
    requestId: request.id,
  };
  return reply.code(400).type('application/json; charset=utf-8').send(body);
}

export const registerTriggerRoutes: RouteModule = async (app, deps) => {
  const guard = createAppRouteGuard(deps.config);
  const sql = deps.store.sql;
  const requesters = createRequesters(deps);
  const now = () => deps.clock.now();
  const worker = createInboundWorker({
    sql,
    store: deps.store,
    argocd: requesters.argocd,
    argocdInstance: deps.config.defaultInstance,
    now,
    logger: app.log,
    metrics: deps.metrics,
  });
  app.decorate('triggerWorker', worker);
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());

  function requireEditor(request: FastifyRequest): Actor {
    const actor = readActor(request);
    const decision = decideEditAccess(deps.config.triggerEditors, actor);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
    return { username: actor.username ?? 'unknown', groups: actor.groups };
  }

  async function applyOutbound(ref: AppRef) {
    const rules = (await listTriggers(sql, ref)).map((trigger) => trigger.rule);
    const status = await applyOutboundTriggers(
      {
        kubernetes: requesters.kubernetes,
        notifications: {
          backendUrl: deps.config.notificationsUrl,
          instance: ref.instance,
          namespace: deps.config.argocdNamespace,
        },
        now,
      },
      ref,
      rules,
    );
    await recordApplyStatus(sql, ref, status);
    if (status.status !== 'not-configured') {
      deps.metrics?.recordTriggerFiring('outbound', 'apply', status.status === 'applied' ? 'done' : 'failed');
    }
    return status;
  }

  const snapshot = (trigger: StoredTrigger) => toRecord(trigger);
  const applications = createApplicationStore(sql);
  /** A dry run over the stored history, judged against the app's source as last seen (what a sync may target). */
  async function dryRun(rule: Parameters<typeof buildDryRun>[0], ref: AppRef): Promise<DryRunResponse> {
    const [events, application] = await Promise.all([
      listRecentReceivedEvents(sql, dryRunHistoryLimit),
      applications.getApplication(ref),
    ]);
    return buildDryRun(rule, ref, events, classifyAppSource(application?.snapshot));
  }

  app.get<{ Params: AppParams }>(
    base,
    { onRequest: guard, schema: { params: appParamsSchema } },
    async (request): Promise<TriggerListResponse> => {
      const ref = readRouteApp(request, deps.config, request.params);
      const [triggers, lastFirings, sinks] = await Promise.all([
        listTriggers(sql, ref),
        listLastFirings(sql, ref),
        sql.query<{ name: string }>('SELECT name FROM outbox_sinks WHERE enabled ORDER BY name'),
      ]);
      const access = decideEditAccess(deps.config.triggerEditors, readActor(request));
      return {
        items: triggers.map((trigger) => toRecord(trigger, lastFirings.get(trigger.id) ?? null)),
        access: { canWrite: access.allowed, reason: access.reason },
        moments: [...moments],
        actions: [...inboundActions],
        sinks: sinks.rows.map((row) => row.name),
        configMap: {
          namespace: deps.config.argocdNamespace,
          name: notificationsConfigMapName,
          ownedKeys: listOwnedConfigMapKeys(),
        },
      };
    },
  );

  app.post<{ Params: AppParams }>(
    base,
    { onRequest: guard, schema: { params: appParamsSchema, body: triggerBodySchema } },
    async (request, reply) => {
      const ref = readRouteApp(request, deps.config, request.params);
      const actor = requireEditor(request);
      const parsed = parseTriggerInput(request.body);
      if (!parsed.ok) return sendFieldErrors(request, reply, parsed.fields);
      const outcome = await createTrigger(sql, {
        id: randomUUID(),
        app: ref,
        rule: parsed.rule,
        actor,
        now: now(),
        snapshot,
      });
      if (outcome.status === 'name-taken') return sendNameTaken(request, reply, ref, outcome.existing);
      let created = outcome.created;
      const applied = parsed.rule.kind === 'outbound' ? await applyOutbound(ref) : null;
      if (applied) created = { ...created, applied };
      const body: TriggerWriteResponse = { trigger: toRecord(created), applied };
      return reply.code(201).send(body);
    },
  );

  app.post<{ Params: AppParams }>(
    `${base}/dry-run`,
    { onRequest: guard, schema: { params: appParamsSchema, body: triggerBodySchema } },
    async (request, reply) => {
      const ref = readRouteApp(request, deps.config, request.params);
      const parsed = parseTriggerInput(request.body);
      if (!parsed.ok) return sendFieldErrors(request, reply, parsed.fields);
      if (!isInboundRule(parsed.rule))
        return sendFieldErrors(request, reply, { kind: 'only inbound rules have a dry run' });
      return dryRun(parsed.rule, ref);
    },
  );

  app.get<{ Params: AppParams; Querystring: LimitQuery }>(
    `${base}/firings`,
    { onRequest: guard, schema: { params: appParamsSchema, querystring: limitQuerySchema } },
    async (request): Promise<FiringListResponse> => {
      const ref = readRouteApp(request, deps.config, request.params);
      return { items: await listFirings(sql, ref, request.query.limit ?? 50) };
    },
  );

  app.get<{ Params: AppParams; Querystring: LimitQuery }>(
    `${base}/audit`,
    { onRequest: guard, schema: { params: appParamsSchema, querystring: limitQuerySchema } },
    async (request): Promise<AuditListResponse> => {
      const ref = readRouteApp(request, deps.config, request.params);
      return { items: await listAudit(sql, ref, request.query.limit ?? 50) };
    },
  );

  app.get<{ Params: TriggerParams }>(
    `${base}/:id`,
    { onRequest: guard, schema: { params: triggerParamsSchema } },
    async (request): Promise<TriggerRecord> => {
      const ref = readRouteApp(request, deps.config, request.params);
      const trigger = await getTrigger(sql, ref, request.params.id);
      if (!trigger) throw new NotFoundError(`no trigger ${request.params.id} on ${ref.namespace}/${ref.name}`);
      return toRecord(trigger, (await listLastFirings(sql, ref)).get(trigger.id) ?? null);
    },
  );

  app.put<{ Params: TriggerParams }>(
    `${base}/:id`,
    { onRequest: guard, schema: { params: triggerParamsSchema, body: triggerBodySchema } },
    async (request, reply) => {
      const ref = readRouteApp(request, deps.config, request.params);
      const actor = requireEditor(request);
      const parsed = parseTriggerInput(request.body);
      if (!parsed.ok) return sendFieldErrors(request, reply, parsed.fields);
      const version = (request.body as { version?: unknown }).version;
      if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version))) {
        return sendFieldErrors(request, reply, { version: 'version must be the whole number the edit started from' });
      }
      const outcome = await updateTrigger(sql, {
        app: ref,
        id: request.params.id,
        rule: parsed.rule,
        ...(typeof version === 'number' ? { expectedVersion: version } : {}),
        actor,
        now: now(),
        snapshot,
      });
      if (outcome.status === 'not-found') {
        throw new NotFoundError(`no trigger ${request.params.id} on ${ref.namespace}/${ref.name}`);
      }
      if (outcome.status === 'stale') {
        throw new TriggerConflictError(
          `the trigger changed since version ${String(version)} (now version ${outcome.current.version}, by ${outcome.current.updatedBy}): reload and edit again`,
        );
      }
      if (outcome.status === 'kind-changed') {
        throw new BadRequestError(
          `a ${outcome.current.rule.kind} trigger cannot become ${parsed.rule.kind}: create a new one`,
        );
      }
      if (outcome.status === 'name-taken') return sendNameTaken(request, reply, ref, outcome.existing);
      let after = outcome.after;
      const applied = after.rule.kind === 'outbound' ? await applyOutbound(ref) : null;
      if (applied) after = { ...after, applied };
      const body: TriggerWriteResponse = { trigger: toRecord(after), applied };
      return body;
    },
  );

  app.delete<{ Params: TriggerParams }>(
    `${base}/:id`,
    { onRequest: guard, schema: { params: triggerParamsSchema } },
    async (request): Promise<TriggerWriteResponse> => {
      const ref = readRouteApp(request, deps.config, request.params);
      const actor = requireEditor(request);
      const deleted = await deleteTrigger(sql, { app: ref, id: request.params.id, actor, now: now(), snapshot });
      if (!deleted) throw new NotFoundError(`no trigger ${request.params.id} on ${ref.namespace}/${ref.name}`);
      const applied = deleted.rule.kind === 'outbound' ? await applyOutbound(ref) : null;
      return { trigger: null, applied };
    },
  );

  app.post<{ Params: TriggerParams; Querystring: LimitQuery }>(
    `${base}/:id/dry-run`,
    { onRequest: guard, schema: { params: triggerParamsSchema } },
    async (request): Promise<DryRunResponse> => {
      const ref = readRouteApp(request, deps.config, request.params);
      const trigger = await getTrigger(sql, ref, request.params.id);
      if (!trigger) throw new NotFoundError(`no trigger ${request.params.id} on ${ref.namespace}/${ref.name}`);
      const rule: TriggerRule = trigger.rule;
      if (!isInboundRule(rule)) {
        throw new BadRequestError('an outbound trigger has no dry run: it only chooses what is emitted');
      }
      return dryRun(rule, ref);
    },
  );
};
