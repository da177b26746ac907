/**
 * TikTok Pixel adapter (`ttq`). The event ID goes in the third argument as `{ event_id }`; TikTok
 * merges pixel and Events API copies with the same pixel, `event` and `event_id` within 48 h
 * (platforms.md §5.4). Every event, PageView included, goes through `ttq.track` so that it carries
 * the ID (`ttq.page()` takes none); the name comes from core's map (`Pageview`, `CompletePayment`).
 */
import { tiktokEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import { definePixel, matchKeys, pick, type LoadOption } from './define-pixel';

/** Settings of `tiktokPixel()`. */
export interface TiktokPixelOptions extends LoadOption {
  /** The TikTok pixel code. */
  pixelCode: string;
}

/**
 * The TikTok Pixel.
 *
 * @example
 * tiktokPixel({ pixelCode: 'C4ABCDEF', load: true });
 */
export function tiktokPixel(options: TiktokPixelOptions): PixelAdapter {
  const { pixelCode } = options;
  return definePixel({
    platform: 'tiktok',
    eventName: tiktokEventName,
    global: 'ttq',
    script:
      options.load &&
      'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=' + pixelCode + '&lib=ttq',
    install(page) {
      // TikTok's snippet: an array that records [method, ...args] until events.js takes over, and
      // the per-pixel load bookkeeping events.js reads (`_i`, `_t`, `_o`). Reproduced from the
      // shape of the official snippet; which fields events.js requires is UNCONFIRMED.
      const ttq: any = (page.ttq ??= []);
      // Only the methods this adapter calls; the others queue the same way once events.js loads.
      for (const method of ['page', 'track', 'identify']) {
        ttq[method] ??= (...args: unknown[]) => ttq.push([method, ...args]);
      }
      (ttq._i ??= {})[pixelCode] = [];
      (ttq._t ??= {})[pixelCode] = +new Date();
      (ttq._o ??= {})[pixelCode] = {};
    },
    fire(ttq, event, name) {
      const data = event.data;
      ttq.track(
        name,
        pick(data, 'value currency searchString>query', {
          contents: data.contents?.map((item) =>
            pick(item, 'id>content_id name>content_name quantity price'),
          ),
          content_type: data.contents && 'product',
        }),
        { event_id: event.id },
      );
    },
    identify(ttq, user: UserData) {
      // Normalized values; the pixel hashes them before sending (TikTok's advanced matching docs).
      const data = matchKeys('tiktok', user, 'email phone>phone_number externalId>external_id');
      if (data) ttq.identify(data);
    },
  });
}
