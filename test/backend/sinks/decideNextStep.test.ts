import { computeBackoffDelay, decideNextStep, isRetryableStatus } from '../../../src/backend/sinks/decideNextStep';
import type { SendResult } from '../../../src/backend/sinks/types';

/** A seeded uniform [0, 1) generator (mulberry32), so every jitter below is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policy = { maxAttempts: 5, retryInitialMs: 1000, retryMaxMs: 60_000 };
const now = new Date('2026-01-01T00:00:00Z');

describe('the backoff schedule (exponential, full jitter, capped)', () => {
  it.each([
    { attempt: 1, ceiling: 1000 },
    { attempt: 2, ceiling: 2000 },
    { attempt: 3, ceiling: 4000 },
    { attempt: 6, ceiling: 32_000 },
    { attempt: 7, ceiling: 60_000 },
    { attempt: 40, ceiling: 60_000 },
    { attempt: 5000, ceiling: 60_000 },
  ])('after failed attempt $attempt every delay lies in [0, $ceiling)', ({ attempt, ceiling }) => {
    const random = seededRandom(attempt);
    const delays = Array.from({ length: 500 }, () => computeBackoffDelay(attempt, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(ceiling);
    // Full jitter uses the whole range: the spread reaches both ends of it.
    expect(Math.min(...delays)).toBeLessThan(ceiling * 0.1);
    expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
  });

  it('is the same schedule for the same seed and a different one for another seed', () => {
    const schedule = (seed: number) => {
      const random = seededRandom(seed);
      return [1, 2, 3, 4, 5, 6].map((attempt) => computeBackoffDelay(attempt, policy, random));
    };
    expect(schedule(42)).toEqual(schedule(42));
    expect(schedule(42)).not.toEqual(schedule(43));
  });

  it('grows on average with each attempt until the cap', () => {
    const random = seededRandom(7);
    const mean = (attempt: number) =>
      Array.from({ length: 2000 }, () => computeBackoffDelay(attempt, policy, random)).reduce((a, b) => a + b, 0) /
      2000;
    const means = [1, 2, 3, 4, 5].map(mean);
    for (let i = 1; i < means.length; i += 1) expect(means[i]).toBeGreaterThan(means[i - 1] * 1.5);
  });
});

describe('which failures are retried', () => {
  it.each([
    { status: 500, retried: true },
    { status: 502, retried: true },
    { status: 503, retried: true },
    { status: 408, retried: true },
    { status: 429, retried: true },
    { status: 400, retried: false },
    { status: 401, retried: false },
    { status: 404, retried: false },
    { status: 413, retried: false },
    { status: 422, retried: false },
    { status: 301, retried: false },
  ])('HTTP $status is retried: $retried', ({ status, retried }) => {
    expect(isRetryableStatus(status)).toBe(retried);
  });
});

describe('the next step after one send', () => {
  const fail = (extra: Partial<Extract<SendResult, { ok: false }>> = {}): SendResult => ({
    ok: false,
    permanent: false,
    statusCode: 500,
    error: 'receiver answered 500',
    ...extra,
  });

  it('marks a 2xx delivered', () => {
    expect(decideNextStep({ ok: true, statusCode: 201 }, 1, policy, now)).toEqual({ status: 'delivered' });
  });

  it('dead-letters a permanent failure at once, with the reason', () => {
    const step = decideNextStep(
      fail({ statusCode: 400, permanent: true, error: 'receiver answered 400: bad event' }),
      1,
      policy,
      now,
    );
    expect(step).toEqual({ status: 'dead', reason: 'permanent failure: receiver answered 400: bad event' });
  });

  it.each([1, 2, 3, 4])(
    'schedules a retry after failed attempt %i of 5, no later than the backoff ceiling',
    (attempt) => {
      const step = decideNextStep(fail(), attempt, policy, now, seededRandom(attempt));
      expect(step.status).toBe('pending');
      const delay = (step as { nextAttemptAt: Date }).nextAttemptAt.getTime() - now.getTime();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1000 * 2 ** (attempt - 1));
    },
  );

  it('dead-letters after the last allowed attempt, naming the count and the last error', () => {
    expect(decideNextStep(fail(), 5, policy, now)).toEqual({
      status: 'dead',
      reason: 'gave up after 5 attempts: receiver answered 500',
    });
  });

  it("waits at least the receiver's Retry-After", () => {
    const step = decideNextStep(fail({ statusCode: 429, retryAfterMs: 30_000 }), 1, policy, now, () => 0.5);
    expect(step).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 30_000) });
  });
});
