/**
 * Snap Pixel adapter (`snaptr`). The event ID goes in as `client_dedup_id`, which Snap matches with
 * the Conversions API `event_id` of the same pixel (platforms.md §6.4).
 */
import { snapchatEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import {
  contentIds,
  definePixel,
  matchKeys,
  pick,
  queueStub,
  type LoadOption,
} from './define-pixel';

/** Settings of `snapPixel()`. */
export interface SnapPixelOptions extends LoadOption {
  /** The Snap Pixel ID. */
  pixelId: string;
}

/**
 * The Snap Pixel.
 *
 * @example
 * snapPixel({ pixelId: 'abc-123', load: true });
 */
export function snapPixel(options: SnapPixelOptions): PixelAdapter {
  const matching = (user: UserData) =>
    matchKeys('snapchat', user, 'email>user_email phone>user_phone_number');
  const init = (snaptr: any, user: UserData) => snaptr('init', options.pixelId, matching(user));
  return definePixel({
    platform: 'snapchat',
    eventName: snapchatEventName,
    global: 'snaptr',
    script: options.load && 'https://sc-static.net/scevent.min.js',
    install(page) {
      // Snap's snippet: calls wait in `queue` until scevent.min.js defines `handleRequest`.
      queueStub(page, 'snaptr', 'queue', 'handleRequest');
    },
    init,
    fire(snaptr, event, name) {
      const data = event.data;
      snaptr(
        'track',
        name,
        pick(
          data,
          'value>price currency orderId>transaction_id numItems>number_items searchString',
          {
            item_ids: contentIds(data),
            client_dedup_id: event.id,
          },
        ),
      );
    },
    identify(snaptr, user) {
      if (matching(user)) init(snaptr, user);
    },
  });
}
