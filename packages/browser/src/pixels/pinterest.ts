/**
 * Pinterest tag adapter (`pintrk`). The event ID goes in as `event_id`, the Conversions API key for
 * deduplicating with the tag (platforms.md §7.2).
 */
import { pinterestEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import { compact, definePixel, matchKeys, queueStub, type LoadOption } from './define-pixel';

/** Settings of `pinterestTag()`. */
export interface PinterestTagOptions extends LoadOption {
  /** The Pinterest tag ID. */
  tagId: string;
}

const matching = (user: UserData) => matchKeys('pinterest', user, { em: 'email' });

/**
 * The Pinterest tag.
 *
 * @example
 * pinterestTag({ tagId: '2612345678901', load: true });
 */
export function pinterestTag(options: PinterestTagOptions): PixelAdapter {
  return definePixel({
    platform: 'pinterest',
    eventName: pinterestEventName,
    global: 'pintrk',
    script: options.load && 'https://s.pinimg.com/ct/core.js',
    install(page) {
      // Pinterest's snippet: argument lists wait in `queue` until core.js loads.
      queueStub(page, 'pintrk', 'queue').version = '3.0';
    },
    init(pintrk, user) {
      pintrk('load', options.tagId, matching(user));
      // The base code's `page` call starts the tag; it records no event of its own.
      pintrk('page');
    },
    fire(pintrk, event, name) {
      const data = event.data;
      pintrk(
        'track',
        name,
        compact({
          event_id: event.id,
          value: data.value,
          currency: data.currency,
          order_id: data.orderId,
          order_quantity: data.numItems,
          search_query: data.searchString,
          line_items: data.contents?.map((item) =>
            compact({
              product_id: item.id,
              product_name: item.name,
              product_price: item.price,
              product_quantity: item.quantity,
              product_category: item.category,
              product_brand: item.brand,
            }),
          ),
        }),
      );
    },
    identify(pintrk, user) {
      const data = matching(user);
      if (data) pintrk('set', data);
    },
  });
}
