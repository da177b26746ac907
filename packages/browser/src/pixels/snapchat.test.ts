import { afterEach, describe, expect, it, vi } from 'vitest';
import { snapPixel } from './snapchat';

const page = window as any;

afterEach(() => {
  delete page.snaptr;
  document.head.innerHTML = '';
});

describe('snapPixel', () => {
  it('calls snaptr track with the Snap name and client_dedup_id', () => {
    page.snaptr = vi.fn();
    snapPixel({ pixelId: 'P1' }).track({
      id: 'evt-1',
      name: 'Purchase',
      data: { value: 42, currency: 'EUR', orderId: 'A-1', contents: [{ id: 'sku-1' }] },
    });
    expect(page.snaptr.mock.calls).toEqual([
      [
        'track',
        'PURCHASE',
        {
          price: 42,
          currency: 'EUR',
          transaction_id: 'A-1',
          item_ids: ['sku-1'],
          client_dedup_id: 'evt-1',
        },
      ],
    ]);
  });

  it('with load, inits with matching data, queues calls and loads scevent.min.js', () => {
    const pixel = snapPixel({ pixelId: 'P1', load: true });
    pixel.setup({ email: ' ada@example.com ' });
    pixel.track({ id: 'evt-1', name: 'PageView', data: {} });
    expect(document.head.querySelector('script')!.src).toBe('https://sc-static.net/scevent.min.js');
    expect(page.snaptr.queue).toEqual([
      ['init', 'P1', { user_email: 'ada@example.com' }],
      ['track', 'PAGE_VIEW', { client_dedup_id: 'evt-1' }],
    ]);
  });
});
