/**
 * A trigger as the backend holds it: the normalised rule (what parseTriggerInput
 * returns) and, once stored, its identity and bookkeeping.
 */
import type {
  ApplyStatus,
  InboundAction,
  InboundMatch,
  PreviewSettings,
  TriggerKind,
  TriggerMoment,
} from '../api/triggerContract';
import type { AppRef } from '../store/types';

export interface OutboundRule {
  kind: 'outbound';
  name: string;
  enabled: boolean;
  moments: TriggerMoment[];
  /** Empty: every configured sink. */
  sinks: string[];
}

export interface InboundRule {
  kind: 'inbound';
  name: string;
  enabled: boolean;
  match: InboundMatch;
  action: InboundAction;
  cooldownSeconds: number;
  revisionField?: string;
  annotationKey?: string;
  preview?: PreviewSettings;
}

export type TriggerRule = OutboundRule | InboundRule;

export interface StoredTrigger {
  id: string;
  app: AppRef;
  rule: TriggerRule;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  applied: ApplyStatus | null;
}

export function isInboundRule(rule: TriggerRule): rule is InboundRule {
  return rule.kind === 'inbound';
}

export type { TriggerKind };
