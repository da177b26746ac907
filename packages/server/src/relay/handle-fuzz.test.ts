import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beaconEvent,
  beaconRequest,
  startHarness,
  type Harness,
} from '../test-support/relay-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

/** A small seeded generator (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  '',
  'x'.repeat(5000),
  '\u0000\ud800',
  [],
  [[[[[[[[[[]]]]]]]]]],
  {},
  { __proto__: { polluted: true } },
  '<script>alert(1)</script>',
  '2026-01-01',
  Number.MAX_SAFE_INTEGER,
];

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  if (depth > 4 || next() < 0.3) return HOSTILE_VALUES[Math.floor(next() * HOSTILE_VALUES.length)];
  if (Array.isArray(value))
    return value.map((item) => (next() < 0.5 ? mutate(item, next, depth + 1) : item));
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = next() < 0.4 ? mutate(item, next, depth + 1) : item;
    }
    if (next() < 0.2)
      copy[['__proto__', 'constructor', 'prototype', 'extra'][Math.floor(next() * 4)]!] = {
        polluted: true,
      };
    return copy;
  }
  return value;
}

describe('relay.handle under random hostile beacons', () => {
  it('never fails with a 5xx, never crashes, and queues nothing from a refused beacon', async () => {
    const next = random(20261125);
    const relay = harness.makeRelay({ ledgerSize: 5000 });
    const statuses = new Map<number, number>();
    for (let round = 0; round < 300; round++) {
      const payload = mutate(
        {
          v: 1,
          events: [beaconEvent({}, harness.clock.now()), beaconEvent({}, harness.clock.now())],
        },
        next,
      );
      let body = JSON.stringify(payload) ?? 'null';
      if (next() < 0.1) body = body.slice(0, Math.floor(next() * body.length));
      const before = relay.ledger.list().length;
      const response = await relay.handle(beaconRequest(body));
      expect([204, 400, 413], `round ${round}: ${response.status}`).toContain(response.status);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status !== 204) expect(relay.ledger.list().length).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    // The generator exercises both paths: some beacons survive mutation, most do not.
    expect(statuses.get(204)).toBeGreaterThan(10);
    expect(statuses.get(400)).toBeGreaterThan(10);
    await relay.flush();
    expect(harness.fake.meta.requests.length).toBeGreaterThan(0);
    // Whatever was accepted was valid for Meta: the fake rejected nothing.
    expect(harness.fake.meta.requests.every((request) => request.response?.status === 200)).toBe(
      true,
    );
  });
});
