import { describe, expect, it } from 'vitest';
import type { ConversionEvent } from '../event';
import { parseCollectPayload } from './collect-payload';
import { COLLECT_LIMITS, WIRE_VERSION } from './limits';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);

function beacon(events: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { v: 1, events, ...extra };
}

const purchase = {
  id: 'e-1',
  name: 'Purchase',
  time: now - 1000,
  page: { url: 'https://shop.example.com/thanks?fbclid=AbC', referrer: '', title: 'Thanks' },
  user: {
    email: 'john@example.com',
    phone: ['+1 650 555 1212', 6505551212],
    fbp: 'fb.1.1558571054389.1098115397',
    ip: '6.6.6.6',
    userAgent: 'spoofed',
  },
  data: {
    value: 42.5,
    currency: 'eur',
    orderId: 1234,
    contents: [{ id: 'sku-1', quantity: 2, price: 21.25, name: 'Shirt' }],
    coupon: 'SPRING',
    isMember: true,
  },
  consent: { adStorage: 'granted', adUserData: 'denied', limitedDataUse: false },
  pixels: { meta: 'fired', tiktok: 'blocked', newPlatform: 'fired' },
  signature: 'v1.abc_DEF-123=',
  extraKey: 'dropped',
};

function errorsOf(json: unknown): { path: string; rule?: string }[] {
  const result = parseCollectPayload(json, { now });
  if (result.ok) throw new Error('expected the payload to be refused');
  return result.errors.map(({ path, rule }) => ({ path, rule }));
}

describe('parseCollectPayload', () => {
  it('returns fresh allow-listed events with source web and without browser ip/userAgent', () => {
    const result = parseCollectPayload(beacon([purchase], { sentAt: now }), { now });
    expect(result).toEqual({
      ok: true,
      sentAt: now,
      events: [
        {
          id: 'e-1',
          name: 'Purchase',
          time: now - 1000,
          source: 'web',
          page: { url: 'https://shop.example.com/thanks?fbclid=AbC', title: 'Thanks' },
          user: {
            email: 'john@example.com',
            phone: ['+1 650 555 1212', '6505551212'],
            fbp: 'fb.1.1558571054389.1098115397',
          },
          data: {
            value: 42.5,
            currency: 'EUR',
            orderId: '1234',
            contents: [{ id: 'sku-1', quantity: 2, price: 21.25, name: 'Shirt' }],
            coupon: 'SPRING',
            isMember: true,
          },
          consent: { adStorage: 'granted', adUserData: 'denied', limitedDataUse: false },
          pixels: { meta: 'fired', tiktok: 'blocked' },
          signature: 'v1.abc_DEF-123=',
        } satisfies ConversionEvent,
      ],
    });
  });

  it('uses the wire version 1', () => {
    expect(WIRE_VERSION).toBe(1);
    expect(errorsOf({ v: 2, events: [purchase] })).toEqual([{ path: 'v', rule: 'version' }]);
    expect(errorsOf({ events: [purchase] })).toEqual([{ path: 'v', rule: 'version' }]);
  });

  it.each([null, 'text', 42, [], true, undefined])('refuses a non-object body %j', (json) => {
    expect(errorsOf(json)).toEqual([{ path: '', rule: 'type' }]);
  });

  it('requires 1 to maxEventsPerBeacon events', () => {
    expect(errorsOf(beacon([]))).toEqual([{ path: 'events', rule: 'required' }]);
    expect(errorsOf({ v: 1 })).toEqual([{ path: 'events', rule: 'required' }]);
    expect(errorsOf({ v: 1, events: {} })).toEqual([{ path: 'events', rule: 'type' }]);
    const many = Array.from({ length: COLLECT_LIMITS.maxEventsPerBeacon + 1 }, (_, index) => ({
      ...purchase,
      id: `e-${index}`,
    }));
    expect(errorsOf(beacon(many))).toEqual([{ path: 'events', rule: 'max_items' }]);
    const result = parseCollectPayload(beacon(many.slice(1)), { now });
    expect(result.ok && result.events.length).toBe(COLLECT_LIMITS.maxEventsPerBeacon);
  });

  it('collects every error of every event, each with its path and rule', () => {
    const bad = {
      id: 'has space',
      name: '<script>',
      time: 'yesterday',
      source: 'offline',
      page: { url: 'javascript:alert(1)', referrer: 'not a url' },
      user: { email: true, phone: ['a', 'b', 'c', 'd', 'e', 'f'], fbc: 'x'.repeat(1001) },
      data: {
        value: -1,
        currency: 'EURO',
        contents: [{ quantity: 1.5 }, 'nope', { id: 'ok', price: Number.NaN }],
        numItems: 2.5,
        'bad-key': 1,
        nested: { a: 1 },
      },
      consent: { adStorage: 'yes', limitedDataUse: 'no' },
      pixels: { meta: 'maybe' },
      signature: 'has space',
    };
    expect(errorsOf(beacon([purchase, bad, { ...purchase, data: { value: Infinity } }]))).toEqual([
      { path: 'events[1].id', rule: 'pattern' },
      { path: 'events[1].name', rule: 'pattern' },
      { path: 'events[1].time', rule: 'type' },
      { path: 'events[1].source', rule: 'enum' },
      { path: 'events[1].page.url', rule: 'pattern' },
      { path: 'events[1].page.referrer', rule: 'pattern' },
      { path: 'events[1].user.email', rule: 'type' },
      { path: 'events[1].user.phone', rule: 'max_items' },
      { path: 'events[1].user.fbc', rule: 'max_length' },
      { path: 'events[1].data.value', rule: 'range' },
      { path: 'events[1].data.currency', rule: 'pattern' },
      { path: 'events[1].data.contents[0].id', rule: 'required' },
      { path: 'events[1].data.contents[0].quantity', rule: 'type' },
      { path: 'events[1].data.contents[1]', rule: 'type' },
      { path: 'events[1].data.contents[2].price', rule: 'type' },
      { path: 'events[1].data.numItems', rule: 'type' },
      { path: 'events[1].data.bad-key', rule: 'pattern' },
      { path: 'events[1].data.nested', rule: 'type' },
      { path: 'events[1].consent.adStorage', rule: 'enum' },
      { path: 'events[1].consent.limitedDataUse', rule: 'type' },
      { path: 'events[1].pixels.meta', rule: 'enum' },
      { path: 'events[1].signature', rule: 'pattern' },
      { path: 'events[2].data.value', rule: 'type' },
    ]);
  });

  it.each([
    ['missing id', { id: undefined }, 'events[0].id', 'required'],
    ['empty id', { id: '' }, 'events[0].id', 'max_length'],
    ['numeric id', { id: 7 }, 'events[0].id', 'type'],
    ['101-char id', { id: 'a'.repeat(101) }, 'events[0].id', 'max_length'],
    ['missing name', { name: undefined }, 'events[0].name', 'required'],
    ['101-char name', { name: 'a'.repeat(101) }, 'events[0].name', 'max_length'],
    ['name with a newline', { name: 'Pur\nchase' }, 'events[0].name', 'pattern'],
    ['missing time', { time: undefined }, 'events[0].time', 'required'],
    ['time in seconds', { time: Math.floor(now / 1000) }, 'events[0].time', 'range'],
    ['time 8 days old', { time: now - 8 * 86_400_000 }, 'events[0].time', 'range'],
    ['time 1 h ahead', { time: now + 3_600_000 }, 'events[0].time', 'range'],
    ['page.url ftp', { page: { url: 'ftp://example.com/' } }, 'events[0].page.url', 'pattern'],
    [
      'page.url too long',
      { page: { url: `https://e.com/${'a'.repeat(2048)}` } },
      'events[0].page.url',
      'max_length',
    ],
    ['page not an object', { page: 'https://e.com' }, 'events[0].page', 'type'],
    ['user an array', { user: [] }, 'events[0].user', 'type'],
    [
      'lowercase currency of 2 letters',
      { data: { currency: 'eu' } },
      'events[0].data.currency',
      'pattern',
    ],
    ['value as string', { data: { value: '42' } }, 'events[0].data.value', 'type'],
    ['contents not an array', { data: { contents: {} } }, 'events[0].data.contents', 'type'],
    [
      'too many contents',
      { data: { contents: Array.from({ length: 101 }, (_, i) => ({ id: `s${i}` })) } },
      'events[0].data.contents',
      'max_items',
    ],
    [
      'long custom string',
      { data: { note: 'x'.repeat(1001) } },
      'events[0].data.note',
      'max_length',
    ],
    ['control character', { data: { note: 'a\u0000b' } }, 'events[0].data.note', 'pattern'],
    ['signature too long', { signature: 'a'.repeat(2049) }, 'events[0].signature', 'pattern'],
  ])('refuses %s', (_label, override, path, rule) => {
    const event = { ...purchase, ...override };
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) delete (event as Record<string, unknown>)[key];
    }
    expect(errorsOf(beacon([event]))).toEqual([{ path, rule }]);
  });

  it('accepts an event at the edges of its time window', () => {
    for (const time of [now - COLLECT_LIMITS.maxPastMs, now + COLLECT_LIMITS.maxFutureMs]) {
      expect(parseCollectPayload(beacon([{ ...purchase, time }]), { now }).ok).toBe(true);
    }
  });

  it('moves event times onto the server clock when sentAt shows a wrong browser clock', () => {
    const browserClock = now + 3 * 3_600_000; // three hours fast
    const result = parseCollectPayload(
      beacon([{ ...purchase, time: browserClock - 5000 }], { sentAt: browserClock }),
      { now },
    );
    expect(result.ok && result.events[0]!.time).toBe(now - 5000);
  });

  it('keeps times as sent when sentAt is within a minute of the server clock', () => {
    const result = parseCollectPayload(
      beacon([{ ...purchase, time: now - 5000 }], { sentAt: now - 300 }),
      { now },
    );
    expect(result.ok && result.events[0]!.time).toBe(now - 5000);
  });

  it('refuses a sentAt that is not a positive number', () => {
    expect(errorsOf(beacon([purchase], { sentAt: 'now' }))).toEqual([
      { path: 'sentAt', rule: 'type' },
    ]);
  });

  it('keeps one copy of an event repeated in the same beacon', () => {
    const result = parseCollectPayload(beacon([purchase, purchase, { ...purchase, id: 'e-2' }]), {
      now,
    });
    expect(result.ok && result.events.map((event) => event.id)).toEqual(['e-1', 'e-2']);
  });

  it('accepts custom event names and drops empty personal values', () => {
    const result = parseCollectPayload(
      beacon([
        {
          id: 'x_1.2~3',
          name: 'Newsletter Sign-up 2',
          time: now,
          user: { email: ['', '  '], firstName: '' },
        },
      ]),
      { now },
    );
    expect(result).toEqual({
      ok: true,
      events: [{ id: 'x_1.2~3', name: 'Newsletter Sign-up 2', time: now, source: 'web', user: {} }],
    });
  });

  it('never copies __proto__, constructor or prototype keys', () => {
    const json = JSON.parse(
      `{"v":1,"__proto__":{"polluted":1},"events":[{"id":"a","name":"Lead","time":${now},` +
        `"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}},` +
        `"user":{"__proto__":{"polluted":4},"email":"a@b.co"},` +
        `"data":{"__proto__":{"polluted":5},"constructor":"x","prototype":"y","value":1},` +
        `"consent":{"__proto__":{"adStorage":"granted"}},"pixels":{"__proto__":{"meta":"fired"}}}]}`,
    );
    const result = parseCollectPayload(json, { now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const event = result.events[0]!;
    for (const object of [event, event.user!, event.data!, event.consent!, event.pixels!]) {
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
      expect(Object.keys(object)).not.toContain('__proto__');
      expect((object as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(Object.keys(event.data!)).toEqual(['value']);
    expect(event.consent).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an event nested deeper than maxDepth, even under unknown keys', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 10_000; level += 1) deep = { next: deep };
    expect(errorsOf(beacon([{ ...purchase, extra: deep }]))).toEqual([
      { path: 'events[0]', rule: 'depth' },
    ]);
  });

  it('bounds the list of issues', () => {
    const bad = Array.from({ length: 50 }, () => ({ id: 1, name: 2, time: 'x', source: 4 }));
    const result = parseCollectPayload(beacon(bad), { now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(COLLECT_LIMITS.maxIssues + 1);
    expect(result.errors.at(-1)!.rule).toBe('too_many_issues');
  });

  it('does not run getters of a hostile server-side object', () => {
    const event = { ...purchase };
    let called = false;
    Object.defineProperty(event, 'name', {
      enumerable: true,
      get() {
        called = true;
        throw new Error('boom');
      },
    });
    expect(errorsOf(beacon([event]))).toEqual([{ path: 'events[0].name', rule: 'required' }]);
    expect(called).toBe(false);
  });
});
