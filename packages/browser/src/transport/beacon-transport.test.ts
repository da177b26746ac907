import type { BeaconEvent } from '@capi-kit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBeaconTransport, MAX_REQUEST_BYTES, packBodies } from './beacon-transport';
import { OUTBOX_KEY, OUTBOX_MAX_AGE_MS, OUTBOX_MAX_EVENTS } from './outbox';

function event(id: string, extra: Partial<BeaconEvent> = {}): BeaconEvent {
  return {
    id,
    name: 'Lead',
    time: Date.now(),
    page: { url: 'https://shop.example.com/' },
    ...extra,
  };
}

function fakeFetch(status = 204) {
  return vi.fn(async (_url: string, _init: RequestInit) => new Response(null, { status }));
}

const bodies = (fetch: ReturnType<typeof fakeFetch>) =>
  fetch.mock.calls.map(([, init]) => JSON.parse(init.body as string));
const outbox = () => JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]') as BeaconEvent[];
const sendBeacon = vi.fn((_url: string, _body: string) => true);

beforeEach(() => {
  localStorage.clear();
  sendBeacon.mockClear();
});
afterEach(() => vi.unstubAllGlobals());

describe('createBeaconTransport', () => {
  // Every transport listens on window for good; this test runs first so no older transport
  // answers the `online` event.
  it('sends the outbox when the browser comes back online', async () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([event('offline-1')]));
    window.dispatchEvent(new Event('online'));
    await transport.flush();
    expect(bodies(fetch)[0].events[0].id).toBe('offline-1');
  });
  it('sends events queued in the same tick as one keepalive request in wire format v1', async () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    transport.send(event('a'));
    transport.send(event('b'));
    transport.send(event('c'));
    await transport.flush();

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/e');
    expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'same-origin' });
    const body = bodies(fetch)[0];
    expect(body.v).toBe(1);
    expect(body.events.map((sent: BeaconEvent) => sent.id)).toEqual(['a', 'b', 'c']);
  });

  it('sends events of different ticks in separate requests', async () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    transport.send(event('a'));
    await Promise.resolve();
    transport.send(event('b'));
    await transport.flush();
    expect(bodies(fetch).map((body) => body.events.length)).toEqual([1, 1]);
  });

  it('splits a batch so that no request exceeds the 64 KB keepalive budget', async () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    const big = 'x'.repeat(9_000);
    for (let index = 0; index < 20; index++)
      transport.send(event(`e${index}`, { data: { note: big } }));
    await transport.flush();

    const sizes = fetch.mock.calls.map(([, init]) => new Blob([init.body as string]).size);
    expect(sizes.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(
      bodies(fetch).flatMap((body) => body.events.map((sent: BeaconEvent) => sent.id)),
    ).toEqual(Array.from({ length: 20 }, (_, index) => `e${index}`));
    // Only what fits in the shared 64 KiB may be in flight with keepalive at once.
    const keepaliveBytes = fetch.mock.calls
      .filter(([, init]) => init.keepalive)
      .reduce((sum, [, init]) => sum + new Blob([init.body as string]).size, 0);
    expect(keepaliveBytes).toBeLessThanOrEqual(65_536);
  });

  it('keeps events in localStorage when the network fails, without personal data', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    transport.send(
      event('a', {
        user: { email: 'ada@example.com', phone: '+16505551212', fbp: 'fb.1.1.2', gclid: 'G1' },
      }),
    );
    await transport.flush();

    expect(outbox()).toMatchObject([{ id: 'a', user: { fbp: 'fb.1.1.2', gclid: 'G1' } }]);
    expect(localStorage.getItem(OUTBOX_KEY)).not.toMatch(/ada@example\.com|6505551212/);
  });

  it('keeps events on 5xx and 429, drops them on a 4xx', async () => {
    for (const [status, kept] of [
      [503, 1],
      [429, 1],
      [400, 0],
    ] as const) {
      localStorage.clear();
      const transport = createBeaconTransport({
        endpoint: '/e',
        fetch: fakeFetch(status),
        sendBeacon,
      });
      transport.send(event('a'));
      await transport.flush();
      expect([status, outbox().length]).toEqual([status, kept]);
    }
  });

  it('sends what an earlier page could not, once, when the next page starts', async () => {
    const failing = createBeaconTransport({ endpoint: '/e', fetch: fakeFetch(503), sendBeacon });
    failing.send(event('a'));
    await failing.flush();

    const fetch = fakeFetch();
    const next = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    await next.flush();
    const again = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    await again.flush();

    expect(
      bodies(fetch).flatMap((body) => body.events.map((sent: BeaconEvent) => sent.id)),
    ).toEqual(['a']);
    expect(outbox()).toEqual([]);
  });

  it('drops stored events older than 7 days and keeps the outbox bounded', async () => {
    const old = event('old', { time: Date.now() - OUTBOX_MAX_AGE_MS - 1 });
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([old]));
    const failing = createBeaconTransport({ endpoint: '/e', fetch: fakeFetch(503), sendBeacon });
    for (let index = 0; index < OUTBOX_MAX_EVENTS + 10; index++) failing.send(event(`e${index}`));
    await failing.flush();

    const kept = outbox().map((stored) => stored.id);
    expect(kept).toHaveLength(OUTBOX_MAX_EVENTS);
    expect(kept).not.toContain('old');
    expect(kept.at(-1)).toBe(`e${OUTBOX_MAX_EVENTS + 9}`);
  });

  it('uses sendBeacon for what is still queued when the page is hidden', () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    transport.send(event('a'));
    window.dispatchEvent(new Event('pagehide'));

    expect(fetch).not.toHaveBeenCalled();
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    const [url, body] = sendBeacon.mock.calls[0]!;
    expect(url).toBe('/e');
    expect(JSON.parse(body).events[0].id).toBe('a');
  });

  it('still sends, once, an event queued in the same tick after the page was hidden', async () => {
    const fetch = fakeFetch();
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon });
    transport.send(event('a'));
    window.dispatchEvent(new Event('pagehide'));
    // A bfcache page can come back and keep tracking before the earlier tick's send has run.
    transport.send(event('b'));
    await transport.flush();
    await new Promise((tick) => setTimeout(tick, 0));

    expect(sendBeacon).toHaveBeenCalledTimes(1);
    expect(
      JSON.parse(sendBeacon.mock.calls[0]![1]).events.map((sent: BeaconEvent) => sent.id),
    ).toEqual(['a']);
    expect(
      bodies(fetch).flatMap((body) => body.events.map((sent: BeaconEvent) => sent.id)),
    ).toEqual(['b']);
  });

  it('uses sendBeacon on visibilitychange to hidden', () => {
    const transport = createBeaconTransport({ endpoint: '/e', fetch: fakeFetch(), sendBeacon });
    transport.send(event('a'));
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    vi.restoreAllMocks();
    expect(sendBeacon).toHaveBeenCalledTimes(1);
  });

  it('keeps the events instead of beaconing them while offline', () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const transport = createBeaconTransport({ endpoint: '/e', fetch: fakeFetch(), sendBeacon });
    transport.send(event('a'));
    window.dispatchEvent(new Event('pagehide'));
    vi.restoreAllMocks();
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(outbox().map((stored) => stored.id)).toEqual(['a']);
  });
});

describe('packBodies', () => {
  it('drops an event that alone exceeds the budget and keeps the rest together', () => {
    const packed = packBodies([
      event('a'),
      event('huge', { data: { note: 'x'.repeat(70_000) } }),
      event('b'),
    ]);
    expect(packed.map((body) => body.events.map((sent) => sent.id))).toEqual([['a', 'b']]);
  });

  it('never exceeds the byte budget, counting multi-byte characters as bytes', () => {
    const events = Array.from({ length: 30 }, (_, index) =>
      event(`e${index}`, { data: { note: 'é€😀'.repeat(400) } }),
    );
    const packed = packBodies(events, 10_000);
    expect(packed.length).toBeGreaterThan(2);
    for (const { body, bytes } of packed) {
      expect(new Blob([body]).size).toBeLessThanOrEqual(bytes);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
    expect(packed.flatMap((body) => body.events.map((sent) => sent.id))).toEqual(
      events.map((sent) => sent.id),
    );
  });
});

describe('createBeaconTransport storage', () => {
  it('never throws when storage refuses writes (quota, private mode)', async () => {
    const storage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => {},
    } as unknown as Storage;
    const transport = createBeaconTransport({
      endpoint: '/e',
      fetch: fakeFetch(503),
      sendBeacon,
      storage,
    });
    transport.send(event('a'));
    await expect(transport.flush()).resolves.toBeUndefined();
  });

  it('keeps nothing with storage: null', async () => {
    const transport = createBeaconTransport({
      endpoint: '/e',
      fetch: fakeFetch(503),
      sendBeacon,
      storage: null,
    });
    transport.send(event('a'));
    await transport.flush();
    expect(outbox()).toEqual([]);
  });
});
