/**
 * Reddit Pixel adapter (`rdt`). The event ID goes in as `conversionId`, which Reddit matches with
 * the Conversions API `metadata.conversion_id` (platforms.md §8.3). Custom events go out as
 * `Custom` with the canonical name as `customEventName`.
 */
import { redditEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import { definePixel, matchKeys, pick, queueStub, type LoadOption } from './define-pixel';

/** Settings of `redditPixel()`. */
export interface RedditPixelOptions extends LoadOption {
  /** The Reddit pixel ID. */
  pixelId: string;
}

/**
 * The Reddit Pixel.
 *
 * @example
 * redditPixel({ pixelId: 't2_abc123', load: true });
 */
export function redditPixel(options: RedditPixelOptions): PixelAdapter {
  const matching = (user: UserData) =>
    matchKeys('reddit', user, 'email phone>phoneNumber externalId');
  const init = (rdt: any, user: UserData) => rdt('init', options.pixelId, matching(user));
  return definePixel({
    platform: 'reddit',
    eventName: redditEventName,
    global: 'rdt',
    script: options.load && 'https://www.redditstatic.com/ads/pixel.js',
    install(page) {
      // Reddit's snippet: calls wait in `callQueue` until pixel.js defines `sendEvent`.
      queueStub(page, 'rdt', 'callQueue', 'sendEvent');
    },
    init,
    fire(rdt, event, name) {
      const data = event.data;
      rdt(
        'track',
        name,
        pick(data, 'value currency numItems>itemCount orderId>transactionId', {
          conversionId: event.id,
          customEventName: name == 'Custom' ? event.name : undefined,
          products: data.contents?.map((item) => pick(item, 'id name category')),
        }),
      );
    },
    identify(rdt, user) {
      if (matching(user)) init(rdt, user);
    },
  });
}
