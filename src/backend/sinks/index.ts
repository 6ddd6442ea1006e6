/**
 * src/backend/sinks: forwarding emitted events to other tools.
 *
 * Guarantee: AT LEAST ONCE, IDEMPOTENT BY ID. Every valid emitted event gets an
 * outbox row per matching sink in the transaction that stores it (migration
 * 003's insert trigger), and the row stays until a sink acknowledged it (HTTP
 * 2xx, a JetStream ack) or it is dead-lettered with its reason (a permanent
 * failure, or maxAttempts). Claims use FOR UPDATE SKIP LOCKED with a lease, so
 * replicas send each row once and a crashed replica's rows are retaken. The
 * only re-send of something acknowledged follows a crash (or a lost database)
 * between the acknowledgement and its record; receivers dedupe by
 * (ce-source, ce-id), and NATS does so itself through the message id
 * `<source>#<id>`. No ordering guarantee. See docs/adr/0003-outbox.md.
 *
 * Public surface:
 * - loadSinkSettings / parseSinkSettings: CDEVENTS_SINKS(_FILE), one message per bad setting
 * - startForwarding: main.ts's entry (register sinks, run the worker, wake on NOTIFY)
 * - createOutboxStore, enqueueForSinks: the outbox's SQL (enqueueForSinks is idempotent)
 * - createDeliveryWorker, decideNextStep, computeBackoffDelay: the delivery loop and its pure policy
 * - createSink, createHttpSink, createNatsSink: one file per sink behind `send`
 */
export * from './types';
export * from './decideNextStep';
export * from './parseSinkSettings';
export * from './outboxStore';
export * from './deliveryWorker';
export * from './createSink';
export * from './httpSink';
export * from './natsSink';
export * from './startForwarding';
