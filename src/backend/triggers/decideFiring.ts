/**
 * Whether a matched event fires its rule or falls in the cooldown of the rule's
 * previous firing, and what the action would do, in words. Pure; the inbound
 * worker calls it inside the transaction that claims the firing, so two
 * replicas cannot both see "no recent firing".
 */
import type { AppRef } from '../store/types';
import { type AppSourceKind, chooseSyncRevision } from './chooseSyncRevision';
import type { CandidateEvent } from './matchInboundEvent';
import { decidePreviewStep, describePreviewStep } from './previewTemplate';
import type { InboundRule } from './triggerDefinition';

export type CooldownDecision = { fire: true } | { fire: false; reason: string };

export function decideCooldown(cooldownSeconds: number, lastFiredAt: Date | undefined, now: Date): CooldownDecision {
  if (!lastFiredAt || cooldownSeconds === 0) return { fire: true };
  const elapsedMs = now.getTime() - lastFiredAt.getTime();
  if (elapsedMs >= cooldownSeconds * 1000) return { fire: true };
  return {
    fire: false,
    reason: `cooldown: the rule fired ${Math.max(0, Math.round(elapsedMs / 1000))} s earlier (at ${lastFiredAt.toISOString()}), within its ${cooldownSeconds} s cooldown`,
  };
}

/** "sync argocd/auth to v1.2.3", for firings and the dry run; `source` is the kind of the app's source. */
export function describeAction(
  rule: InboundRule,
  app: AppRef,
  event: CandidateEvent,
  source: AppSourceKind = 'unknown',
): string {
  const target = `${app.namespace}/${app.name}`;
  switch (rule.action) {
    case 'sync':
      return `sync ${target}`;
    case 'sync-revision': {
      const choice = chooseSyncRevision(rule, event, source);
      return choice.ok ? `sync ${target} to ${choice.revision}` : `nothing: ${choice.reason}`;
    }
    case 'refresh':
      return `refresh ${target}`;
    case 'rollback':
      return `roll ${target} back to its previous revision`;
    case 'annotate':
      return `annotate ${target} with ${rule.annotationKey}=${event.id}`;
    case 'preview':
      return describePreviewStep(decidePreviewStep(event), app);
  }
}
