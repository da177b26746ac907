import { normalize } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useNormalizer } from './define-pixel';
import { googleTag } from './google';

const page = window as any;
const purchase = {
  id: 'evt-1',
  name: 'Purchase',
  data: {
    value: 42,
    currency: 'EUR',
    orderId: 'A-1',
    contents: [{ id: 'sku-1', name: 'Mug', quantity: 2, price: 21 }],
  },
};

afterEach(() => {
  useNormalizer(undefined);
  delete page.gtag;
  delete page.dataLayer;
  document.head.innerHTML = '';
});

describe('googleTag', () => {
  it('sends the GA4 event with event_id, transaction_id and items', () => {
    page.gtag = vi.fn();
    expect(googleTag({ measurementId: 'G-1' }).track(purchase)).toBe('fired');
    expect(page.gtag.mock.calls).toEqual([
      [
        'event',
        'purchase',
        {
          send_to: 'G-1',
          event_id: 'evt-1',
          transaction_id: 'A-1',
          value: 42,
          currency: 'EUR',
          items: [{ item_id: 'sku-1', item_name: 'Mug', price: 21, quantity: 2 }],
        },
      ],
    ]);
  });

  it('uses the event ID as transaction_id for a purchase without order ID, and none for other events', () => {
    page.gtag = vi.fn();
    const tag = googleTag({ measurementId: 'G-1' });
    tag.track({ id: 'evt-2', name: 'Purchase', data: {} });
    tag.track({ id: 'evt-3', name: 'AddToCart', data: {} });
    expect(page.gtag.mock.calls).toEqual([
      ['event', 'purchase', { send_to: 'G-1', event_id: 'evt-2', transaction_id: 'evt-2' }],
      ['event', 'add_to_cart', { send_to: 'G-1', event_id: 'evt-3' }],
    ]);
  });

  it('also reports the Google Ads conversion for purchases', () => {
    page.gtag = vi.fn();
    googleTag({ measurementId: 'G-1', adsConversion: 'AW-9/abc' }).track(purchase);
    expect(page.gtag).toHaveBeenLastCalledWith('event', 'conversion', {
      send_to: 'AW-9/abc',
      value: 42,
      currency: 'EUR',
      transaction_id: 'A-1',
    });
  });

  it('passes user_data normalized the Google way with core normalize (gmail dots removed, E.164 phone)', () => {
    useNormalizer(normalize);
    page.gtag = vi.fn();
    googleTag({ measurementId: 'G-1' }).identify({
      email: 'Ada.Lovelace@gmail.com',
      phone: '+1 650 555 1212',
      country: 'US',
    });
    expect(page.gtag).toHaveBeenCalledWith('set', 'user_data', {
      email: 'adalovelace@gmail.com',
      phone_number: '+16505551212',
      address: { country: 'us' },
    });
  });

  it('with load, creates the data layer, loads gtag.js and configures without an automatic page_view', () => {
    const tag = googleTag({ measurementId: 'G-1', load: true });
    tag.setup({});
    tag.track(purchase);
    expect(document.head.querySelector('script')!.src).toBe(
      'https://www.googletagmanager.com/gtag/js?id=G-1',
    );
    const entries = page.dataLayer.map((args: IArguments) => Array.from(args));
    expect(entries[0][0]).toBe('js');
    expect(entries[1]).toEqual(['config', 'G-1', { send_page_view: false }]);
    expect(entries[2].slice(0, 2)).toEqual(['event', 'purchase']);
  });

  it('forwards consent as a consent-mode update', () => {
    page.gtag = vi.fn();
    googleTag({ measurementId: 'G-1' }).consent({
      adStorage: 'granted',
      analyticsStorage: 'denied',
    });
    expect(page.gtag).toHaveBeenCalledWith('consent', 'update', {
      ad_storage: 'granted',
      analytics_storage: 'denied',
    });
  });
});
