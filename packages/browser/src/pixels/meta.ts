/**
 * Meta Pixel adapter (`fbq`). The event ID goes in the fourth argument as `{ eventID }`, which Meta
 * matches against the Conversions API `event_id` with the same `event_name` for 48 h
 * (platforms.md §2.6). Standard names go through `track`, others through `trackCustom`.
 */
import { isStandardEventName } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import {
  contentIds,
  definePixel,
  matchKeys,
  pick,
  queueStub,
  type LoadOption,
} from './define-pixel';
import type { UserData } from '@capi-kit/core';

/** Settings of `metaPixel()`. */
export interface MetaPixelOptions extends LoadOption {
  /** The Meta Pixel (dataset) ID. */
  pixelId: string;
}

// Manual advanced matching keys of `fbq('init', id, {...})`; values normalized, the pixel hashes them.
const matching = (user: UserData) =>
  matchKeys(
    'meta',
    user,
    'email>em phone>ph firstName>fn lastName>ln gender>ge dateOfBirth>db city>ct state>st zip>zp country externalId>external_id',
  );

/**
 * The Meta Pixel.
 *
 * @example
 * createTracker({ endpoint: '/e', pixels: [metaPixel({ pixelId: '123', load: true })] });
 */
export function metaPixel(options: MetaPixelOptions): PixelAdapter {
  const init = (fbq: any, user: UserData) => fbq('init', options.pixelId, matching(user));
  return definePixel({
    platform: 'meta',
    global: 'fbq',
    script: options.load && 'https://connect.facebook.net/en_US/fbevents.js',
    install(page) {
      // Meta's snippet: calls wait in `queue` until fbevents.js defines `callMethod`.
      const fbq = queueStub(page, 'fbq', 'queue', 'callMethod');
      page._fbq ??= fbq;
      fbq.push = fbq;
      fbq.loaded = true;
      fbq.version = '2.0';
    },
    init(fbq, user) {
      // The tracker sends SPA PageViews itself (with an event ID); Meta's own pushState tracking
      // would double them (peers-and-pain-points #52).
      fbq.disablePushState = true;
      init(fbq, user);
    },
    fire(fbq, event, name) {
      const data = event.data;
      fbq(
        isStandardEventName(name) ? 'track' : 'trackCustom',
        name,
        pick(
          data,
          'value currency contentType contentName contentCategory numItems searchString status predictedLtv orderId',
          {
            content_ids: contentIds(data),
            contents: data.contents?.map((item) => pick(item, 'id quantity price>item_price')),
          },
        ),
        { eventID: event.id },
      );
    },
    identify(fbq, user) {
      // Meta takes manual advanced matching through `init`; calling it again adds the data.
      if (matching(user)) init(fbq, user);
    },
    consent(fbq, consent) {
      if (consent.adStorage) fbq('consent', consent.adStorage == 'granted' ? 'grant' : 'revoke');
    },
  });
}
