/**
 * The retry policy, as pure functions: what happens to an outbox row after one
 * send. The worker does the effects; this module only decides.
 */
import type { DeliveryStatus, SendResult } from './types';

export interface RetryPolicy {
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, initial·2^(n-1))).
 * Full jitter spreads the retries of many rows that failed together (a receiver
 * that was down), so they do not all come back at the same instant.
 *
 * @param attempt the attempt that just failed, counted from 1
 * @param random a uniform number in [0, 1); injectable so tests are deterministic
 */
export function computeBackoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'retryInitialMs' | 'retryMaxMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 52);
  const ceiling = Math.min(policy.retryMaxMs, policy.retryInitialMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Whether a non-2xx HTTP status means "try again later" rather than "never".
 * A 4xx says the request itself is wrong (except a timeout or rate limit), and
 * a redirect says the configured URL is: neither is cured by waiting.
 */
export function isRetryableStatus(statusCode: number): boolean {
  if (statusCode === 408 || statusCode === 429) return true;
  return statusCode >= 500 || statusCode < 300;
}

export type NextStep =
  | { status: Extract<DeliveryStatus, 'delivered'> }
  | { status: Extract<DeliveryStatus, 'pending'>; nextAttemptAt: Date }
  | { status: Extract<DeliveryStatus, 'dead'>; reason: string };

/**
 * Decides a row's next state from the send it just made.
 *
 * @param attempts attempts made so far, including this one
 */
export function decideNextStep(
  result: SendResult,
  attempts: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): NextStep {
  if (result.ok) return { status: 'delivered' };
  if (result.permanent) return { status: 'dead', reason: `permanent failure: ${result.error}` };
  if (attempts >= policy.maxAttempts) {
    return { status: 'dead', reason: `gave up after ${attempts} attempts: ${result.error}` };
  }
  // A receiver's Retry-After is a floor: retrying sooner would only be refused again.
  const delay = Math.max(computeBackoffDelay(attempts, policy, random), result.retryAfterMs ?? 0);
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + delay) };
}
