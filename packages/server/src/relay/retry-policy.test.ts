import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('draws the wait between the floor and an exponentially growing cap (full jitter)', () => {
    expect(retryDelayMs(policy, 2, undefined, () => 0.75)).toBe(1500);
    expect(retryDelayMs(policy, 3, undefined, () => 0.5)).toBe(2000);
    expect(retryDelayMs(policy, 4, undefined, () => 0.5)).toBe(4000);
  });

  it('never exceeds the cap and never goes under one second', () => {
    expect(retryDelayMs(policy, 30, undefined, () => 0.9999)).toBeLessThanOrEqual(60_000);
    expect(retryDelayMs(policy, 5, undefined, () => 0)).toBe(1000);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(retryDelayMs(policy, 1, 120_000, () => 0.5)).toBe(120_000);
  });

  it('spreads the default budget over more than an hour on average', () => {
    let expected = 0;
    for (let attempt = 1; attempt < DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
      expected +=
        Math.min(
          DEFAULT_RETRY_POLICY.maxDelayMs,
          DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1),
        ) / 2;
    }
    expect(expected).toBeGreaterThan(3600_000);
    expect(expected * 2).toBeLessThan(7 * 24 * 3600_000);
  });
});
