/**
 * The delivery loop: claim due outbox rows, send each through its sink, record
 * the outcome. Retries, claims and backoff live here once; sinks only send.
 *
 * The loop polls every `pollIntervalMs`, runs again at once when a batch was
 * full, and wakes early on `wake()` (main.ts calls it when PostgreSQL or PGlite
 * notifies that rows were enqueued). `stop()` lets the batch in flight finish
 * (each send is bounded by its sink's timeout) and gives back any claim it did
 * not send, so a restart re-sends nothing that was acknowledged.
 */
import { decideNextStep } from './decideNextStep';
import type { ClaimedDelivery, OutboxStore } from './outboxStore';
import type { Clock, SendResult, Sink } from './types';

export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'lease-lost';

export interface DeliveryWorkerOptions {
  outbox: OutboxStore;
  sinks: readonly Sink[];
  /** Scheduling time (due rows, next attempts); send durations use the real monotonic clock. */
  clock?: Clock;
  /** Uniform in [0, 1): the backoff's jitter. */
  random?: () => number;
  /** How often to look for due rows when nothing wakes the worker. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long a claim is ours. Default: the longest sink timeout × 3, at least 30 s. */
  leaseMs?: number;
  /** Rows claimed (and sent concurrently) per round. Default 20. */
  batchSize?: number;
  logger?: WorkerLogger;
  /** Called once per finished attempt, e.g. to count outcomes in metrics. */
  onOutcome?: (sink: string, outcome: DeliveryOutcome) => void;
}

export interface DeliveryWorker {
  /** Starts the loop; idempotent. */
  start(): void;
  /** Asks the loop to look for due rows now. */
  wake(): void;
  /** One round: claim, send, record. Returns the number of rows claimed. */
  runOnce(): Promise<number>;
  /** Finishes the round in flight and stops. */
  stop(): Promise<void>;
}

const silentLogger: WorkerLogger = { info() {}, warn() {}, error() {} };
const systemClock: Clock = { now: () => new Date() };

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { outbox } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 20;
  const longestTimeout = Math.max(0, ...options.sinks.map((sink) => sink.settings.timeoutMs));
  // A lease shorter than a send would let a second worker re-send a row still in flight.
  const leaseMs = Math.max(options.leaseMs ?? Math.max(30_000, longestTimeout * 3), longestTimeout * 2);
  const sinksByName = new Map(options.sinks.map((sink) => [sink.settings.name, sink]));
  const sinkNames = [...sinksByName.keys()];

  let running: Promise<void> | undefined;
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;

  async function deliver(claim: ClaimedDelivery): Promise<void> {
    const sink = sinksByName.get(claim.sink) as Sink;
    const started = performance.now();
    let result: SendResult;
    try {
      result = await sink.send(claim.event);
    } catch (error) {
      // Sinks report failures as results; a throw is a bug, but still a failed attempt.
      result = { ok: false, permanent: false, error: `sink failed: ${(error as Error).message}` };
    }
    const durationMs = performance.now() - started;
    const at = clock.now();
    const step = decideNextStep(result, claim.attempt, sink.settings, at, random);
    const kept = await outbox.recordAttempt(claim, { step, result, at, durationMs });
    const outcome: DeliveryOutcome = !kept ? 'lease-lost' : step.status === 'pending' ? 'retry' : step.status;
    options.onOutcome?.(claim.sink, outcome);
    const context = {
      sink: claim.sink,
      eventSeq: claim.eventSeq,
      eventId: claim.event.context?.id,
      attempt: claim.attempt,
      statusCode: result.statusCode,
    };
    if (outcome === 'dead')
      logger.error({ ...context, reason: step.status === 'dead' ? step.reason : undefined }, 'event dead-lettered');
    else if (outcome === 'retry')
      logger.warn({ ...context, error: result.ok ? undefined : result.error }, 'delivery failed; will retry');
    else if (outcome === 'lease-lost')
      logger.warn(context, 'delivery finished after its lease was retaken by another worker');
  }

  async function runOnce(): Promise<number> {
    const claims = await outbox.claimDue({ sinks: sinkNames, now: clock.now(), leaseMs, limit: batchSize });
    if (claims.length === 0) return 0;
    if (stopping) {
      // Shutdown began while we were claiming: give the rows back rather than start sends now.
      await outbox.releaseClaim(claims[0].claimToken);
      return claims.length;
    }
    await Promise.all(
      claims.map((claim) =>
        deliver(claim).catch((error: unknown) => {
          // The outcome could not be written (database down): the lease runs out and the row is sent again.
          logger.error(
            { sink: claim.sink, eventSeq: claim.eventSeq, err: error },
            'could not record a delivery attempt',
          );
        }),
      ),
    );
    return claims.length;
  }

  function sleep(ms: number): Promise<void> {
    if (woken || stopping) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  /** Sleeps until the next retry falls due, so short backoffs are kept without fast polling. */
  async function computeIdleMs(): Promise<number> {
    try {
      const due = await outbox.nextDueAt(sinkNames);
      if (!due) return pollIntervalMs;
      // The floor keeps a row that is due but cannot be claimed (a race) from spinning the loop.
      return Math.min(pollIntervalMs, Math.max(10, due.getTime() - clock.now().getTime()));
    } catch {
      return pollIntervalMs;
    }
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.error({ err: error }, 'delivery round failed');
      }
      if (stopping) break;
      // Back off from a failing database, up to 30 s, instead of spinning on it.
      if (failures > 0) await sleep(Math.min(30_000, pollIntervalMs * 2 ** Math.min(failures, 10)));
      else if (claimed < batchSize) await sleep(await computeIdleMs());
    }
  }

  return {
    start() {
      if (running || sinkNames.length === 0) return;
      stopping = false;
      running = loop();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    runOnce,
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      running = undefined;
    },
  };
}
