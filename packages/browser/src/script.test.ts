import type { BeaconEvent } from '@capi-kit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The one-line stub of the README, character for character. */
const STUB =
  'window.capiKit=window.capiKit||function(){(capiKit.q=capiKit.q||[]).push(arguments)};';

const page = window as any;

beforeEach(() => {
  vi.resetModules();
  delete page.capiKit;
  page.fbq = vi.fn();
  localStorage.clear();
});
afterEach(() => {
  vi.unstubAllGlobals();
  delete page.fbq;
});

async function sentEvents(fetch: ReturnType<typeof vi.fn>): Promise<BeaconEvent[]> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return fetch.mock.calls.flatMap(
    ([, init]) => JSON.parse((init as RequestInit).body as string).events,
  );
}

describe('capiKit (the <script> build)', () => {
  it('replays the stub queue in order, then runs calls directly', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    new Function(STUB)();
    page.capiKit('init', { endpoint: '/e', meta: { pixelId: '123' } });
    page.capiKit('track', 'PageView');
    page.capiKit('identify', { email: 'Ada@Example.com' });
    page.capiKit('track', 'Purchase', { value: 9, currency: 'EUR' }, { eventId: 'order-1' });

    await import('./script');
    const direct = page.capiKit('track', 'AddToCart');

    expect(typeof direct).toBe('string');
    expect(page.fbq.mock.calls.map((call: unknown[]) => [call[0], call[1]])).toEqual([
      ['track', 'PageView'],
      ['init', '123'],
      ['track', 'Purchase'],
      ['track', 'AddToCart'],
    ]);
    const events = await sentEvents(fetch);
    expect(events.map((event) => [event.name, event.id])).toEqual([
      ['PageView', expect.any(String)],
      ['Purchase', 'order-1'],
      ['AddToCart', direct],
    ]);
    expect(events[1]!.user?.email).toBe('Ada@Example.com');
  });

  it('holds calls made before init until init arrives', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    new Function(STUB)();
    page.capiKit('track', 'Lead');
    await import('./script');
    expect(page.fbq).not.toHaveBeenCalled();

    page.capiKit('init', { endpoint: '/e', meta: { pixelId: '123' } });
    expect(page.fbq).toHaveBeenCalledWith('track', 'Lead', {}, { eventID: expect.any(String) });
    expect((await sentEvents(fetch)).map((event) => event.name)).toEqual(['Lead']);
  });

  it('works without the stub when the file loads first', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(null, { status: 204 })),
    );
    await import('./script');
    page.capiKit('init', { endpoint: '/e' });
    expect(page.capiKit('track', 'Lead')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
