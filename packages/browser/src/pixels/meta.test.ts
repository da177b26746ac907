import {
  normalize,
  normalizeEmail,
  normalizeExternalId,
  normalizeName,
  normalizePhone,
} from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useNormalizer } from './define-pixel';
import { metaPixel } from './meta';

const page = window as any;
const purchase = {
  id: 'evt-1',
  name: 'Purchase',
  data: {
    value: 42,
    currency: 'EUR',
    orderId: 'A-1',
    contents: [{ id: 'sku-1', quantity: 2, price: 21 }],
  },
};

afterEach(() => {
  useNormalizer(undefined);
  delete page.fbq;
  delete page._fbq;
  document.head.innerHTML = '';
});

describe('metaPixel', () => {
  it('calls fbq track with the Meta params and { eventID }', () => {
    page.fbq = vi.fn();
    const pixel = metaPixel({ pixelId: '123' });
    pixel.setup({});
    expect(pixel.track(purchase)).toBe('fired');
    expect(page.fbq.mock.calls).toEqual([
      [
        'track',
        'Purchase',
        {
          value: 42,
          currency: 'EUR',
          content_ids: ['sku-1'],
          contents: [{ id: 'sku-1', quantity: 2, item_price: 21 }],
          order_id: 'A-1',
        },
        { eventID: 'evt-1' },
      ],
    ]);
  });

  it('sends custom names through trackCustom', () => {
    page.fbq = vi.fn();
    metaPixel({ pixelId: '123' }).track({ id: 'e', name: 'Newsletter', data: {} });
    expect(page.fbq).toHaveBeenCalledWith('trackCustom', 'Newsletter', {}, { eventID: 'e' });
  });

  it('passes advanced matching trimmed, as typed, by default (the pixel normalizes it)', () => {
    page.fbq = vi.fn();
    metaPixel({ pixelId: '123' }).setup({ email: ' Ada@Example.COM ', phone: ['+1 650 555 1212'] });
    expect(page.fbq).toHaveBeenCalledWith('init', '123', {
      em: 'Ada@Example.COM',
      ph: '+1 650 555 1212',
    });
  });

  it('passes advanced matching normalized the Meta way with core normalize', () => {
    useNormalizer(normalize);
    page.fbq = vi.fn();
    metaPixel({ pixelId: '123' }).setup({ email: ' Ada@Example.COM ', phone: '+1 (650) 555-1212' });
    expect(page.fbq).toHaveBeenCalledWith('init', '123', {
      em: 'ada@example.com',
      ph: '16505551212',
    });
  });

  it('passes contact fields normalized by core per-field rules, the rest trimmed (README recipe)', () => {
    const rules = {
      email: normalizeEmail,
      phone: normalizePhone,
      firstName: normalizeName,
      lastName: normalizeName,
      externalId: normalizeExternalId,
    };
    useNormalizer((field, value, platform) =>
      field in rules
        ? rules[field as keyof typeof rules](value, platform)
        : String(value ?? '').trim() || undefined,
    );
    page.fbq = vi.fn();
    metaPixel({ pixelId: '123' }).setup({
      email: ' Ada@Example.COM ',
      phone: '+1 (650) 555-1212',
      lastName: "O'Brien",
      city: ' Menlo Park ',
    });
    expect(page.fbq).toHaveBeenCalledWith('init', '123', {
      em: 'ada@example.com',
      ph: '16505551212',
      ln: 'obrien',
      ct: 'Menlo Park',
    });
  });

  it('reports blocked when fbq is missing', () => {
    const pixel = metaPixel({ pixelId: '123' });
    pixel.setup({});
    expect(pixel.track(purchase)).toBe('blocked');
  });

  it('with load, installs the queue stub, loads fbevents.js and inits without pushState tracking', () => {
    const pixel = metaPixel({ pixelId: '123', load: true });
    pixel.setup({});
    expect(pixel.track(purchase)).toBe('fired');
    const script = document.head.querySelector('script')!;
    expect(script.src).toBe('https://connect.facebook.net/en_US/fbevents.js');
    expect(page.fbq.disablePushState).toBe(true);
    expect(page.fbq.queue.map((args: unknown[]) => args[0])).toEqual(['init', 'track']);
    expect(page.fbq.queue[1][3]).toEqual({ eventID: 'evt-1' });
  });

  it('with load, reports blocked once the script failed to load (ad blocker)', () => {
    const pixel = metaPixel({ pixelId: '123', load: true });
    pixel.setup({});
    document.head.querySelector('script')!.dispatchEvent(new Event('error'));
    expect(pixel.track(purchase)).toBe('blocked');
  });

  it('forwards consent as grant or revoke', () => {
    page.fbq = vi.fn();
    const pixel = metaPixel({ pixelId: '123' });
    pixel.consent({ adStorage: 'denied' });
    pixel.consent({ adStorage: 'granted' });
    pixel.consent({ analyticsStorage: 'denied' });
    expect(page.fbq.mock.calls).toEqual([
      ['consent', 'revoke'],
      ['consent', 'grant'],
    ]);
  });

  it('with load, answers for a call made while the script loads once the script settles', async () => {
    // Keep the script element detached so it neither loads nor fails until the test says so.
    const append = vi.spyOn(document.head, 'appendChild').mockImplementation((node) => node);
    try {
      const pixel = metaPixel({ pixelId: '123', load: true });
      pixel.setup({});
      const script = append.mock.calls[0]![0] as HTMLScriptElement;
      const whileLoading = pixel.track(purchase);
      expect(whileLoading).toBeInstanceOf(Promise);
      script.dispatchEvent(new Event('error'));
      await expect(whileLoading).resolves.toBe('blocked');
      expect(pixel.track(purchase)).toBe('blocked');
    } finally {
      append.mockRestore();
    }
  });
});
