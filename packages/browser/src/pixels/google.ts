/**
 * Google tag adapter (`gtag`, GA4 and Google Ads). Every event carries the shared ID as an
 * `event_id` parameter; purchases also carry `transaction_id` (the order ID, else the event ID),
 * the key Google Ads deduplicates tag and API conversions on (platforms.md §0, §4.1). Consent
 * changes are forwarded as consent-mode `update`s.
 */
import { googleEventName, type UserData } from '@capi-kit/core';
import type { PixelAdapter } from '../types';
import { definePixel, matchKeys, pick, type LoadOption } from './define-pixel';

/** Settings of `googleTag()`. */
export interface GoogleTagOptions extends LoadOption {
  /** The GA4 measurement ID (`G-XXXXXXX`), the `send_to` of every event. */
  measurementId: string;
  /**
   * Google Ads conversions to report with the tag: a `send_to` (`AW-123/AbC`) for purchases, or a
   * map from canonical event names to `send_to` values.
   */
  adsConversion?: string | Record<string, string>;
}

/**
 * The Google tag.
 *
 * @example
 * googleTag({ measurementId: 'G-ABC123', adsConversion: 'AW-123/AbC', load: true });
 */
export function googleTag(options: GoogleTagOptions): PixelAdapter {
  const { measurementId, adsConversion } = options;
  const identify = (gtag: any, user: UserData) => {
    const address = matchKeys(
      'google',
      user,
      'firstName>first_name lastName>last_name city state>region zip>postal_code country',
    );
    const data = pick(
      { address },
      'address',
      matchKeys('google', user, 'email phone>phone_number'),
    );
    if (data.email || data.phone_number || address) gtag('set', 'user_data', data);
  };
  return definePixel({
    platform: 'google',
    eventName: googleEventName,
    global: 'gtag',
    script: options.load && 'https://www.googletagmanager.com/gtag/js?id=' + measurementId,
    install(page) {
      const dataLayer = (page.dataLayer ??= []);
      page.gtag = function () {
        // gtag.js reads the `arguments` objects themselves from the data layer.
        // eslint-disable-next-line prefer-rest-params
        dataLayer.push(arguments);
      };
    },
    init(gtag, user) {
      gtag('js', new Date());
      // The tracker sends page_view itself, with its event ID.
      gtag('config', measurementId, { send_page_view: false });
      identify(gtag, user);
    },
    fire(gtag, event, name) {
      const data = event.data;
      const purchase = event.name == 'Purchase';
      const transaction = purchase ? (data.orderId ?? event.id) : undefined;
      gtag(
        'event',
        name,
        pick(data, 'value currency searchString>search_term', {
          send_to: measurementId,
          event_id: event.id,
          transaction_id: transaction,
          items: data.contents?.map((item) =>
            pick(
              item,
              'id>item_id name>item_name price quantity category>item_category brand>item_brand variant>item_variant',
            ),
          ),
        }),
      );
      const conversion =
        typeof adsConversion == 'string' ? purchase && adsConversion : adsConversion?.[event.name];
      if (conversion) {
        gtag(
          'event',
          'conversion',
          pick(data, 'value currency', {
            send_to: conversion,
            transaction_id: transaction ?? event.id,
          }),
        );
      }
    },
    identify,
    consent(gtag, consent) {
      const update = pick(consent, 'adStorage adUserData adPersonalization analyticsStorage');
      if (Object.keys(update).length) gtag('consent', 'update', update);
    },
  });
}
