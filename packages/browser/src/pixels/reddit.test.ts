import { afterEach, describe, expect, it, vi } from 'vitest';
import { redditPixel } from './reddit';

const page = window as any;

afterEach(() => {
  delete page.rdt;
  document.head.innerHTML = '';
});

describe('redditPixel', () => {
  it('calls rdt track with the Reddit name and the event ID as conversionId', () => {
    page.rdt = vi.fn();
    redditPixel({ pixelId: 't2_x' }).track({
      id: 'evt-1',
      name: 'Purchase',
      data: { value: 42, currency: 'EUR', numItems: 2, contents: [{ id: 'sku-1', name: 'Mug' }] },
    });
    expect(page.rdt.mock.calls).toEqual([
      [
        'track',
        'Purchase',
        {
          conversionId: 'evt-1',
          value: 42,
          currency: 'EUR',
          itemCount: 2,
          products: [{ id: 'sku-1', name: 'Mug' }],
        },
      ],
    ]);
  });

  it('sends custom names as Custom with customEventName', () => {
    page.rdt = vi.fn();
    redditPixel({ pixelId: 't2_x' }).track({ id: 'evt-2', name: 'Newsletter', data: {} });
    expect(page.rdt).toHaveBeenCalledWith('track', 'Custom', {
      conversionId: 'evt-2',
      customEventName: 'Newsletter',
    });
  });

  it('with load, queues init and track until pixel.js loads', () => {
    const pixel = redditPixel({ pixelId: 't2_x', load: true });
    pixel.setup({});
    pixel.track({ id: 'evt-1', name: 'PageView', data: {} });
    expect(document.head.querySelector('script')!.src).toBe(
      'https://www.redditstatic.com/ads/pixel.js',
    );
    expect(page.rdt.callQueue).toEqual([
      ['init', 't2_x', undefined],
      ['track', 'PageVisit', { conversionId: 'evt-1' }],
    ]);
  });
});
