import { describe, expect, it } from 'vitest';
import { COLLECT_LIMITS } from './limits';
import { validateEvent } from './validate-event';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const day = 86_400_000;

describe('validateEvent', () => {
  it('keeps ip, userAgent and any event source for server-side events', () => {
    const result = validateEvent(
      {
        id: 'ord_1',
        name: 'Purchase',
        time: now - 30 * day,
        source: 'offline',
        user: { email: 'a@b.co', ip: '2001:db8::1', userAgent: 'curl/8' },
        data: { value: 10, currency: 'usd' },
      },
      { origin: 'server', now },
    );
    expect(result).toEqual({
      ok: true,
      event: {
        id: 'ord_1',
        name: 'Purchase',
        time: now - 30 * day,
        source: 'offline',
        user: { email: 'a@b.co', ip: '2001:db8::1', userAgent: 'curl/8' },
        data: { value: 10, currency: 'USD' },
      },
    });
  });

  it('requires a known source on server-side events', () => {
    const base = { id: 'a', name: 'Lead', time: now };
    expect(validateEvent(base, { origin: 'server', now })).toEqual({
      ok: false,
      errors: [{ path: 'event.source', message: 'is required', rule: 'required' }],
    });
    const unknown = validateEvent({ ...base, source: 'fax' }, { origin: 'server', now });
    expect(unknown.ok === false && unknown.errors.map((error) => error.rule)).toEqual(['enum']);
  });

  it('allows server events up to maxServerPastMs old, browser events only maxPastMs', () => {
    const event = { id: 'a', name: 'Lead', time: now - 30 * day, source: 'web' };
    expect(validateEvent(event, { origin: 'server', now }).ok).toBe(true);
    expect(validateEvent(event, { now }).ok).toBe(false);
    const tooOld = { ...event, time: now - COLLECT_LIMITS.maxServerPastMs - 1 };
    expect(validateEvent(tooOld, { origin: 'server', now }).ok).toBe(false);
  });

  it('prefixes issue paths with the given path', () => {
    const result = validateEvent(
      { id: 'a', name: 'Lead', time: now, data: { value: -5 } },
      {
        path: 'events[7]',
        now,
      },
    );
    expect(result.ok === false && result.errors[0]!.path).toBe('events[7].data.value');
  });

  it('drops ip and userAgent sent from a browser', () => {
    const result = validateEvent(
      { id: 'a', name: 'Lead', time: now, user: { ip: '6.6.6.6', userAgent: 'x', ttp: 't' } },
      { now },
    );
    expect(result.ok && result.event.user).toEqual({ ttp: 't' });
  });

  it('never throws, even on a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const result = validateEvent(proxy, { now });
    expect(result.ok).toBe(false);
  });

  it('accepts numeric order and content IDs as strings', () => {
    const result = validateEvent(
      {
        id: 'a',
        name: 'Purchase',
        time: now,
        data: { orderId: 991, contentIds: [1, 'b'], contents: [{ id: 7 }] },
      },
      { now },
    );
    expect(result.ok && result.event.data).toEqual({
      orderId: '991',
      contentIds: ['1', 'b'],
      contents: [{ id: '7' }],
    });
  });

  it('refuses more than maxCustomFields custom fields, once', () => {
    const data = Object.fromEntries(
      Array.from({ length: COLLECT_LIMITS.maxCustomFields + 3 }, (_, index) => [
        `f${index}`,
        index,
      ]),
    );
    const result = validateEvent({ id: 'a', name: 'Lead', time: now, data }, { now });
    expect(result.ok === false && result.errors).toEqual([
      { path: 'event.data', message: 'must have at most 25 custom fields', rule: 'max_items' },
    ]);
  });
});
