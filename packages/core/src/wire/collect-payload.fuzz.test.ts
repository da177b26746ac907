import { describe, expect, it } from 'vitest';
import type { ConversionEvent } from '../event';
import { parseCollectPayload } from './collect-payload';
import { COLLECT_LIMITS } from './limits';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostileKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'id',
  'name',
  'time',
  'source',
  'page',
  'user',
  'data',
  'consent',
  'pixels',
  'signature',
  'url',
  'referrer',
  'email',
  'phone',
  'ip',
  'userAgent',
  'fbc',
  'value',
  'currency',
  'contents',
  'quantity',
  'price',
  'orderId',
  'adStorage',
  'meta',
  'v',
  'events',
  'sentAt',
];

const hostileStrings = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'Purchase',
  'eur',
  'USD',
  'https://shop.example.com/a',
  'javascript:alert(1)',
  'fired',
  'granted',
  '\u0000',
  '\ud800',
  '<img src=x onerror=alert(1)>',
  '{"__proto__":{}}',
  'a'.repeat(5000),
  '𝄞'.repeat(600),
];

const hostileNumbers = [
  0,
  -0,
  -1,
  1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  now,
  now - 1000,
  now + 10 * 60_000,
  Math.floor(now / 1000),
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Values left to generate for the current payload, so nesting cannot blow up exponentially. */
let budget = 0;

/** Any JSON value, biased towards the shapes and keys of a real beacon. */
function hostileValue(random: () => number, depth: number): unknown {
  const roll = random();
  budget -= 1;
  if (depth > 12 || roll < 0.3 || budget <= 0) {
    const scalar = random();
    if (scalar < 0.4) return pick(random, hostileStrings);
    if (scalar < 0.75) return pick(random, hostileNumbers);
    if (scalar < 0.85) return random() < 0.5;
    return null;
  }
  if (roll < 0.45) {
    const length = random() < 0.05 ? 200 : Math.floor(random() * 6);
    return Array.from({ length }, () => hostileValue(random, depth + 1));
  }
  if (roll < 0.5) {
    // A deep chain, much deeper than any valid event.
    let value: unknown = pick(random, hostileStrings);
    for (let level = 0; level < 50 + Math.floor(random() * 500); level += 1) value = [value];
    return value;
  }
  const object: Record<string, unknown> = {};
  const size = Math.floor(random() * 8);
  for (let index = 0; index < size; index += 1) {
    const key = random() < 0.8 ? pick(random, hostileKeys) : `k${Math.floor(random() * 100)}`;
    Object.defineProperty(object, key, {
      value: hostileValue(random, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

/** A mostly-valid event with one random field replaced by something hostile. */
function mutatedEvent(random: () => number, index: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    id: `e-${index}`,
    name: 'Purchase',
    time: now - 1000,
    page: { url: 'https://shop.example.com/' },
    user: { email: 'a@b.co' },
    data: { value: 1, currency: 'EUR', contents: [{ id: 'sku', quantity: 1 }] },
  };
  const target = pick(random, ['id', 'name', 'time', 'page', 'user', 'data', 'consent', 'pixels']);
  const container = random() < 0.5 ? event : ((event[target] as Record<string, unknown>) ?? event);
  const key = pick(random, hostileKeys);
  if (typeof container === 'object' && container !== null) {
    Object.defineProperty(container, key, {
      value: hostileValue(random, 2),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return event;
}

function hostilePayload(random: () => number): unknown {
  budget = 2000;
  const roll = random();
  if (roll < 0.15) return hostileValue(random, 0);
  const count =
    random() < 0.05 ? COLLECT_LIMITS.maxEventsPerBeacon + 1 : 1 + Math.floor(random() * 5);
  const events = Array.from({ length: count }, (_, index) =>
    random() < 0.7 ? mutatedEvent(random, index) : hostileValue(random, 1),
  );
  const payload: Record<string, unknown> = {
    v: random() < 0.9 ? 1 : hostileValue(random, 1),
    events,
  };
  if (random() < 0.3) payload.sentAt = pick(random, hostileNumbers);
  // Half the cases go through a JSON round-trip, the way a real body arrives.
  return random() < 0.5 ? JSON.parse(JSON.stringify(payload) ?? 'null') : payload;
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) stringsIn(item, out);
  }
  return out;
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

function assertWithinLimits(event: ConversionEvent): void {
  expect(event.source).toBe('web');
  expect(event.id).toMatch(/^[A-Za-z0-9._~-]{1,100}$/);
  expect(event.name.length).toBeLessThanOrEqual(COLLECT_LIMITS.maxNameLength);
  expect(Number.isFinite(event.time)).toBe(true);
  expect(event.time).toBeGreaterThanOrEqual(now - COLLECT_LIMITS.maxPastMs);
  expect(event.time).toBeLessThanOrEqual(now + COLLECT_LIMITS.maxFutureMs);
  expect(event.user?.ip).toBeUndefined();
  expect(event.user?.userAgent).toBeUndefined();
  if (event.page?.url !== undefined) expect(event.page.url).toMatch(/^https?:\/\//i);
  if (event.data?.value !== undefined) {
    expect(Number.isFinite(event.data.value) && event.data.value >= 0).toBe(true);
  }
  if (event.data?.currency !== undefined) expect(event.data.currency).toMatch(/^[A-Z]{3}$/);
  expect((event.data?.contents ?? []).length).toBeLessThanOrEqual(COLLECT_LIMITS.maxContents);
  for (const text of stringsIn(event)) {
    expect(text.length).toBeLessThanOrEqual(COLLECT_LIMITS.maxUrlLength);
  }
  for (const number of JSON.stringify(event).match(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi) ?? []) {
    expect(Number.isFinite(Number(number))).toBe(true);
  }
  expect(depthOf(event)).toBeLessThanOrEqual(COLLECT_LIMITS.maxDepth);
  for (const object of [event, event.page, event.user, event.data, event.consent, event.pixels]) {
    if (object) expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
  }
}

describe('parseCollectPayload (fuzz)', () => {
  // A correctness sweep, not a timing test: 2,000 payloads take 4–10 s alone and over 20 s on a
  // loaded machine (seen when every package's tests run at once), so it gets a generous timeout.
  it(
    'never throws and never yields an event that breaks the limits, over 2,000 seeded hostile payloads',
    { timeout: 120_000 },
    () => {
      let accepted = 0;
      let refused = 0;
      for (let seed = 1; seed <= 2000; seed += 1) {
        const random = seeded(seed);
        const payload = hostilePayload(random);
        let result: ReturnType<typeof parseCollectPayload>;
        try {
          result = parseCollectPayload(payload, { now });
        } catch (error) {
          throw new Error(`seed ${seed} threw: ${String(error)}`);
        }
        if (result.ok) {
          accepted += 1;
          expect(result.events.length).toBeGreaterThan(0);
          expect(result.events.length).toBeLessThanOrEqual(COLLECT_LIMITS.maxEventsPerBeacon);
          for (const event of result.events) assertWithinLimits(event);
        } else {
          refused += 1;
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.length).toBeLessThanOrEqual(COLLECT_LIMITS.maxIssues + 1);
          for (const error of result.errors) {
            expect(typeof error.path).toBe('string');
            expect(error.message.length).toBeGreaterThan(0);
          }
        }
      }
      // Both branches must really be exercised, or the generator is not testing anything.
      expect(accepted).toBeGreaterThan(100);
      expect(refused).toBeGreaterThan(100);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
