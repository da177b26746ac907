import { normalize } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useNormalizer } from './define-pixel';
import { tiktokPixel } from './tiktok';

const page = window as any;

afterEach(() => {
  useNormalizer(undefined);
  delete page.ttq;
  document.head.innerHTML = '';
});

describe('tiktokPixel', () => {
  it('calls ttq.track with the TikTok name, params and { event_id }', () => {
    page.ttq = { track: vi.fn() };
    const outcome = tiktokPixel({ pixelCode: 'C1' }).track({
      id: 'evt-1',
      name: 'Purchase',
      data: { value: 42, currency: 'EUR', contents: [{ id: 'sku-1', quantity: 2, price: 21 }] },
    });
    expect(outcome).toBe('fired');
    expect(page.ttq.track.mock.calls).toEqual([
      [
        'CompletePayment',
        {
          value: 42,
          currency: 'EUR',
          contents: [{ content_id: 'sku-1', quantity: 2, price: 21 }],
          content_type: 'product',
        },
        { event_id: 'evt-1' },
      ],
    ]);
  });

  it('identifies with e-mail and E.164 phone normalized the TikTok way with core normalize', () => {
    useNormalizer(normalize);
    page.ttq = { identify: vi.fn() };
    tiktokPixel({ pixelCode: 'C1' }).identify({
      email: 'Ada@Example.com',
      phone: '+44 844 412 4653',
    });
    expect(page.ttq.identify).toHaveBeenCalledWith({
      email: 'ada@example.com',
      phone_number: '+448444124653',
    });
  });

  it('with load, installs the ttq queue and loads events.js for the pixel code', () => {
    const pixel = tiktokPixel({ pixelCode: 'C1', load: true });
    pixel.setup({});
    pixel.track({ id: 'evt-1', name: 'Lead', data: {} });
    expect(document.head.querySelector('script')!.src).toBe(
      'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C1&lib=ttq',
    );
    expect(Array.from(page.ttq)).toEqual([['track', 'Lead', {}, { event_id: 'evt-1' }]]);
  });
});
