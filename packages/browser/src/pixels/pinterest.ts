/**
 * Pinterest tag adapter (`pintrk`). The event ID goes in as `event_id`, the Conversions API key for
 * deduplicating with the tag (platforms.md §7.2).
 */
import { pinterestEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import { definePixel, matchKeys, pick, queueStub, type LoadOption } from './define-pixel';

/** Settings of `pinterestTag()`. */
export interface PinterestTagOptions extends LoadOption {
  /** The Pinterest tag ID. */
  tagId: string;
}

const matching = (user: UserData) => matchKeys('pinterest', user, 'email>em');

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
        pick(data, 'value currency orderId numItems>order_quantity searchString>search_query', {
          event_id: event.id,
          line_items: data.contents?.map((item) =>
            pick(
              item,
              'id>product_id name>product_name price>product_price quantity>product_quantity category>product_category brand>product_brand',
            ),
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
