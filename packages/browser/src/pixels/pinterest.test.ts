import { afterEach, describe, expect, it, vi } from 'vitest';
import { pinterestTag } from './pinterest';

const page = window as any;

afterEach(() => {
  delete page.pintrk;
  document.head.innerHTML = '';
});

describe('pinterestTag', () => {
  it('calls pintrk track with the Pinterest name, line items and event_id', () => {
    page.pintrk = vi.fn();
    pinterestTag({ tagId: 'T1' }).track({
      id: 'evt-1',
      name: 'Purchase',
      data: {
        value: 42,
        currency: 'EUR',
        orderId: 'A-1',
        contents: [{ id: 'sku-1', quantity: 2, price: 21 }],
      },
    });
    expect(page.pintrk.mock.calls).toEqual([
      [
        'track',
        'checkout',
        {
          event_id: 'evt-1',
          value: 42,
          currency: 'EUR',
          order_id: 'A-1',
          line_items: [{ product_id: 'sku-1', product_price: 21, product_quantity: 2 }],
        },
      ],
    ]);
  });

  it('with load, loads the tag with the e-mail and starts it with page', () => {
    const tag = pinterestTag({ tagId: 'T1', load: true });
    tag.setup({ email: 'ada@example.com' });
    expect(document.head.querySelector('script')!.src).toBe('https://s.pinimg.com/ct/core.js');
    expect(page.pintrk.queue).toEqual([['load', 'T1', { em: 'ada@example.com' }], ['page']]);
  });
});
