/**
 * src/backend/argocd: Argo CD Applications → CDEvents (pure mapping), the
 * Argo CD / Kubernetes client, history backfill and the notifications config.
 */
export * from './application';
export * from './applicationClock';
export * from './purl';
export * from './deterministicId';
export * from './appMemory';
export * from './appIdentity';
export * from './classifySync';
export * from './emissionDraft';
export * from './mapApplicationState';
export * from './buildHistoryEvents';
export * from './client';
export * from './buildNotificationsConfig';
export * from './printConfig';
