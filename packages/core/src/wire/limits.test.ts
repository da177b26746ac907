import { describe, expect, it } from 'vitest';
import { COLLECT_LIMITS, MAX_EVENTS_PER_BEACON } from './limits';

describe('MAX_EVENTS_PER_BEACON', () => {
  it('is the limit COLLECT_LIMITS enforces, so browser and relay agree', () => {
    expect(MAX_EVENTS_PER_BEACON).toBe(COLLECT_LIMITS.maxEventsPerBeacon);
    expect(Object.isFrozen(COLLECT_LIMITS)).toBe(true);
  });
});
