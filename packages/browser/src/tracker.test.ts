import { normalize, parseCollectPayload, type BeaconEvent } from '@capi-kit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metaPixel } from './pixels/meta';
import { tiktokPixel } from './pixels/tiktok';
import { googleTag } from './pixels/google';
import { createTracker } from './tracker';
import { createBeaconTransport } from './transport/beacon-transport';
import type { PixelAdapter, Transport } from './types';

const page = window as any;

function memoryTransport(): Transport & { events: BeaconEvent[] } {
  const events: BeaconEvent[] = [];
  return { events, send: (event) => void events.push(event), flush: async () => {} };
}

function clearCookies() {
  for (const pair of document.cookie.split('; ')) {
    const name = pair.split('=')[0];
    if (name) document.cookie = `${name}=;path=/;max-age=-1`;
  }
}

beforeEach(() => {
  page.happyDOM.setURL('http://localhost:3000/product');
  clearCookies();
  page.fbq = vi.fn();
  page.ttq = { track: vi.fn(), identify: vi.fn() };
  page.gtag = vi.fn();
});
afterEach(() => {
  delete page.fbq;
  delete page.ttq;
  delete page.gtag;
  delete page.__tcfapi;
  localStorage.clear();
});

describe('createTracker().track', () => {
  it('gives every pixel and the beacon the same event ID, under each platform dedup key', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [
        metaPixel({ pixelId: '1' }),
        tiktokPixel({ pixelCode: 'T' }),
        googleTag({ measurementId: 'G-1' }),
      ],
    });
    const id = tracker.track('Purchase', { value: 42, currency: 'EUR', orderId: 'A-1' });

    expect(id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(page.fbq).toHaveBeenCalledWith(
      'track',
      'Purchase',
      { value: 42, currency: 'EUR', order_id: 'A-1' },
      { eventID: id },
    );
    expect(page.ttq.track).toHaveBeenCalledWith(
      'CompletePayment',
      { value: 42, currency: 'EUR' },
      { event_id: id },
    );
    expect(page.gtag).toHaveBeenCalledWith('event', 'purchase', {
      send_to: 'G-1',
      event_id: id,
      transaction_id: 'A-1',
      value: 42,
      currency: 'EUR',
    });
    expect(transport.events).toHaveLength(1);
    expect(transport.events[0]).toMatchObject({
      id,
      name: 'Purchase',
      data: { value: 42, currency: 'EUR', orderId: 'A-1' },
      page: { url: 'http://localhost:3000/product' },
      pixels: { meta: 'fired', tiktok: 'fired', google: 'fired' },
    });
  });

  it('uses a caller-supplied event ID as is', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [metaPixel({ pixelId: '1' })],
    });
    const id = tracker.track('Purchase', { value: 1, currency: 'EUR' }, { eventId: 'order-A-1' });

    expect(id).toBe('order-A-1');
    expect(page.fbq.mock.calls.at(-1)[3]).toEqual({ eventID: 'order-A-1' });
    expect(transport.events[0]!.id).toBe('order-A-1');
  });

  it('makes a new ID for every event', () => {
    const tracker = createTracker({ endpoint: '/e', transport: memoryTransport() });
    expect(tracker.track('Lead')).not.toBe(tracker.track('Lead'));
  });

  it('reports a pixel whose global is missing as blocked, and still beacons the event', () => {
    delete page.ttq;
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [metaPixel({ pixelId: '1' }), tiktokPixel({ pixelCode: 'T' })],
    });
    tracker.track('AddToCart');
    expect(transport.events[0]!.pixels).toEqual({ meta: 'fired', tiktok: 'blocked' });
  });

  it('reports a pixel that throws as blocked without breaking the others', () => {
    page.fbq = () => {
      throw new Error('broken pixel');
    };
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [metaPixel({ pixelId: '1' }), tiktokPixel({ pixelCode: 'T' })],
    });
    tracker.track('AddToCart');
    expect(transport.events[0]!.pixels).toEqual({ meta: 'blocked', tiktok: 'fired' });
    expect(page.ttq.track).toHaveBeenCalled();
  });

  it('carries the first-party _fbp on the beacon, the same on every hit of the page', () => {
    const transport = memoryTransport();
    const tracker = createTracker({ endpoint: '/e', transport });
    tracker.track('PageView');
    tracker.track('ViewContent');
    const [first, second] = transport.events;
    expect(first!.user?.fbp).toMatch(/^fb\.0\.\d{13}\.\d+$/);
    expect(second!.user?.fbp).toBe(first!.user?.fbp);
  });
});

describe('createTracker() consent', () => {
  it('fires no pixel and writes no cookie when adStorage is denied, and tells the server', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      consent: { adStorage: 'denied' },
      pixels: [metaPixel({ pixelId: '1' })],
    });
    tracker.track('Purchase', { value: 5, currency: 'EUR' });

    expect(page.fbq).not.toHaveBeenCalled();
    expect(document.cookie).toBe('');
    expect(transport.events[0]).toMatchObject({
      pixels: { meta: 'no_consent' },
      consent: { adStorage: 'denied' },
    });
    expect(transport.events[0]!.user).toBeUndefined();
  });

  it('starts the pixels once consent is granted', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      consent: { adStorage: 'denied' },
      pixels: [metaPixel({ pixelId: '1' })],
    });
    tracker.consent({ adStorage: 'granted' });
    const id = tracker.track('Lead');
    expect(page.fbq).toHaveBeenCalledWith('track', 'Lead', {}, { eventID: id });
    expect(transport.events[0]!.pixels).toEqual({ meta: 'fired' });
  });

  it('keeps personal data out of pixel and beacon when adUserData is denied', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      consent: { adUserData: 'denied' },
      user: { email: 'Zoe@Example.com' },
      pixels: [metaPixel({ pixelId: '1' })],
    });
    tracker.track('Lead', undefined, { user: { phone: '+1 650 555 1212' } });

    // Letters outside hex and the phone as typed: a random event ID cannot contain them.
    expect(JSON.stringify(page.fbq.mock.calls)).not.toMatch(/zoe|\+1 650 555 1212/i);
    expect(transport.events[0]!.user?.email).toBeUndefined();
    expect(transport.events[0]!.user?.phone).toBeUndefined();
    expect(transport.events[0]!.user?.fbp).toBeDefined();
  });

  it('forwards consent updates to gtag as consent-mode updates', () => {
    const tracker = createTracker({
      endpoint: '/e',
      transport: memoryTransport(),
      pixels: [googleTag({ measurementId: 'G-1' })],
    });
    tracker.track('PageView');
    tracker.consent({ adUserData: 'denied', adPersonalization: 'denied' });
    expect(page.gtag).toHaveBeenLastCalledWith('consent', 'update', {
      ad_user_data: 'denied',
      ad_personalization: 'denied',
    });
  });

  it('follows the IAB TCF decision of a CMP exposing __tcfapi', () => {
    page.__tcfapi = (
      command: string,
      version: number,
      callback: (data: unknown, ok: boolean) => void,
    ) => {
      if (command == 'addEventListener' && version == 2) {
        callback(
          {
            gdprApplies: true,
            eventStatus: 'useractioncomplete',
            purpose: { consents: { 1: false } },
          },
          true,
        );
      }
    };
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [metaPixel({ pixelId: '1' })],
    });
    tracker.track('Lead');

    expect(page.fbq).not.toHaveBeenCalled();
    expect(transport.events[0]!.consent).toEqual({
      adStorage: 'denied',
      analyticsStorage: 'denied',
      adPersonalization: 'denied',
      adUserData: 'denied',
    });
  });

  it('ignores TCF when GDPR does not apply', () => {
    page.__tcfapi = (
      _command: string,
      _version: number,
      callback: (data: unknown, ok: boolean) => void,
    ) => callback({ gdprApplies: false, eventStatus: 'tcloaded' }, true);
    const transport = memoryTransport();
    createTracker({ endpoint: '/e', transport, pixels: [metaPixel({ pixelId: '1' })] }).track(
      'Lead',
    );
    expect(transport.events[0]!.consent).toBeUndefined();
    expect(transport.events[0]!.pixels).toEqual({ meta: 'fired' });
  });
});

describe('createTracker().identify', () => {
  it('adds the data to later events and to the pixels, but never to storage or cookies', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      normalize,
      pixels: [metaPixel({ pixelId: '1' })],
    });
    tracker.track('PageView');
    tracker.identify({ email: 'Ada@Example.com', externalId: 'c-1' });
    tracker.track('Lead');

    expect(page.fbq).toHaveBeenCalledWith('init', '1', {
      em: 'ada@example.com',
      external_id: 'c-1',
    });
    expect(transport.events[1]!.user).toMatchObject({
      email: 'Ada@Example.com',
      externalId: 'c-1',
    });
    expect(document.cookie).not.toMatch(/ada@|c-1/i);
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/ada@|c-1/i);
  });
});

describe('createTracker().page', () => {
  it('sends a PageView', () => {
    const transport = memoryTransport();
    const id = createTracker({ endpoint: '/e', transport }).page();
    expect(transport.events[0]).toMatchObject({ id, name: 'PageView' });
  });

  it('sends one PageView per SPA route change with autoPageViews, none for hash changes', () => {
    const transport = memoryTransport();
    createTracker({
      endpoint: '/e',
      transport,
      autoPageViews: true,
      pixels: [metaPixel({ pixelId: '1' })],
    });
    history.pushState({}, '', '/cart');
    history.replaceState({}, '', '/cart');
    history.pushState({}, '', '/cart#top');
    expect(transport.events.map((event) => [event.name, event.page?.url])).toEqual([
      ['PageView', 'http://localhost:3000/cart'],
    ]);
    expect(page.fbq.mock.calls.filter((call: unknown[]) => call[1] == 'PageView')).toHaveLength(1);
  });
});

describe('createTracker() beacons', () => {
  it('sends bodies that core’s wire-format validator accepts', async () => {
    const fetch = vi.fn(
      async (_url: string, _init: RequestInit) => new Response(null, { status: 204 }),
    );
    const transport = createBeaconTransport({ endpoint: '/e', fetch, sendBeacon: () => true });
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      consent: { adPersonalization: 'denied' },
      pixels: [metaPixel({ pixelId: '1' }), tiktokPixel({ pixelCode: 'T' })],
    });
    page.happyDOM.setURL('http://localhost:3000/product?fbclid=IwAR2xYz&gclid=G1');
    tracker.page();
    tracker.track(
      'Purchase',
      {
        value: 42,
        currency: 'EUR',
        orderId: 'A-1',
        contents: [{ id: 'sku-1', quantity: 2, price: 21 }],
      },
      { user: { email: 'ada@example.com', phone: '+16505551212' }, eventId: 'order-A-1' },
    );
    await tracker.flush();

    const body = JSON.parse(fetch.mock.calls[0]![1].body as string);
    const parsed = parseCollectPayload(body);
    expect(parsed).toMatchObject({ ok: true });
    expect(parsed.ok && parsed.events.map((event) => [event.name, event.id])).toEqual([
      ['PageView', expect.any(String)],
      ['Purchase', 'order-A-1'],
    ]);
    expect(parsed.ok && parsed.events[1]!.user).toMatchObject({
      email: 'ada@example.com',
      fbc: expect.stringMatching(/^fb\.0\.\d{13}\.IwAR2xYz$/),
    });
    // Other click IDs travel in the page URL; the relay reads them there.
    expect(parsed.ok && parsed.events[1]!.page?.url).toContain('gclid=G1');
  });
});

describe('createTracker() autoPageViews', () => {
  it('sends a PageView when the back button changes the route', () => {
    const transport = memoryTransport();
    createTracker({ endpoint: '/e', transport, autoPageViews: true });
    page.happyDOM.setURL('http://localhost:3000/previous');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(transport.events.at(-1)).toMatchObject({
      name: 'PageView',
      page: { url: 'http://localhost:3000/previous' },
    });
  });
});

describe('createTracker() with a pixel script still loading', () => {
  function loadingPixel(settle: Promise<'fired' | 'blocked'>): PixelAdapter {
    return {
      platform: 'meta',
      setup: () => {},
      track: () => settle,
      identify: () => {},
      consent: () => {},
    };
  }

  it('holds the beacon until the script settles and reports what it did', async () => {
    let settle!: (outcome: 'fired' | 'blocked') => void;
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [loadingPixel(new Promise((resolve) => (settle = resolve)))],
    });
    tracker.track('Purchase');
    expect(transport.events).toEqual([]);

    settle('blocked');
    await vi.waitFor(() => expect(transport.events).toHaveLength(1));
    expect(transport.events[0]!.pixels).toEqual({ meta: 'blocked' });
  });

  it('sends held events when the page goes away, counting the queued call as fired', () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [loadingPixel(new Promise(() => {}))],
    });
    tracker.track('Purchase');
    window.dispatchEvent(new Event('pagehide'));
    expect(transport.events.map((event) => event.pixels)).toEqual([{ meta: 'fired' }]);
  });

  it('stops holding after 3 s when the script neither loads nor fails', async () => {
    vi.useFakeTimers();
    try {
      const transport = memoryTransport();
      const tracker = createTracker({
        endpoint: '/e',
        transport,
        pixels: [loadingPixel(new Promise(() => {}))],
      });
      tracker.track('Purchase');
      await vi.advanceTimersByTimeAsync(2_999);
      expect(transport.events).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(transport.events).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends held events on flush()', async () => {
    const transport = memoryTransport();
    const tracker = createTracker({
      endpoint: '/e',
      transport,
      pixels: [loadingPixel(new Promise(() => {}))],
    });
    tracker.track('Purchase');
    await tracker.flush();
    expect(transport.events.map((event) => event.name)).toEqual(['Purchase']);
  });
});
