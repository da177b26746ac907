/**
 * When to try a failed send again: exponential backoff with full jitter (each wait drawn uniformly
 * between zero and an exponentially growing cap, so many relays recovering from the same outage do
 * not hit the platform in lockstep), never shorter than the platform's `Retry-After`.
 */

/** The retry budget and pacing. */
export interface RetryPolicy {
  /**
   * Sends attempted before an event is dead-lettered [24]. With the other defaults the expected
   * total wait is about 2 hours and falling under 1 hour is very unlikely (the sum of ~16 waits
   * drawn up to 15 min each), so a 1-hour platform outage is ridden out, while the worst case
   * (about 4.5 hours) stays far inside Meta's 7-day window; events older than the window
   * expire anyway.
   */
  maxAttempts: number;
  /** The cap of the first wait [5 000 ms]; it doubles with each attempt. */
  baseDelayMs: number;
  /** The largest cap [15 min]: long enough to spread load, short enough to notice recovery. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 24,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
};

/**
 * Never retry sooner than this: a zero wait would make `flush()` re-send in a tight loop while a
 * platform is down.
 */
const MIN_DELAY_MS = 1_000;

/**
 * The wait before the next attempt. `attempt` counts sends made so far (1 after the first).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * cap);
  return Math.max(MIN_DELAY_MS, jittered, retryAfterMs ?? 0);
}
