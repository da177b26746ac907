import { describe, expect, it } from 'vitest';
import type { Platform, StandardEventName } from './event';
import {
  PLATFORMS,
  STANDARD_EVENT_NAMES,
  googleEventName,
  isStandardEventName,
  linkedinEventName,
  metaEventName,
  pinterestEventName,
  platformEventName,
  redditEventName,
  snapchatEventName,
  tiktokEventName,
} from './event-names';

describe('isStandardEventName', () => {
  it('accepts every canonical name', () => {
    for (const name of STANDARD_EVENT_NAMES) expect(isStandardEventName(name)).toBe(true);
  });

  it('rejects custom names, other casings and inherited object keys', () => {
    for (const name of [
      'purchase',
      'PURCHASE',
      'MyEvent',
      '',
      'toString',
      '__proto__',
      'AddTo',
      'AddToCartX',
      'xPageView',
      'PageView\n',
    ]) {
      expect(isStandardEventName(name)).toBe(false);
    }
  });
});

describe('platformEventName', () => {
  const standardTable: [StandardEventName, Record<Platform, string>][] = [
    [
      'PageView',
      {
        meta: 'PageView',
        google: 'page_view',
        tiktok: 'Pageview',
        snapchat: 'PAGE_VIEW',
        pinterest: 'page_visit',
        reddit: 'PageVisit',
        linkedin: 'PageView',
      },
    ],
    [
      'ViewContent',
      {
        meta: 'ViewContent',
        google: 'view_item',
        tiktok: 'ViewContent',
        snapchat: 'VIEW_CONTENT',
        pinterest: 'page_visit',
        reddit: 'ViewContent',
        linkedin: 'ViewContent',
      },
    ],
    [
      'Search',
      {
        meta: 'Search',
        google: 'search',
        tiktok: 'Search',
        snapchat: 'SEARCH',
        pinterest: 'search',
        reddit: 'Search',
        linkedin: 'Search',
      },
    ],
    [
      'AddToCart',
      {
        meta: 'AddToCart',
        google: 'add_to_cart',
        tiktok: 'AddToCart',
        snapchat: 'ADD_CART',
        pinterest: 'add_to_cart',
        reddit: 'AddToCart',
        linkedin: 'AddToCart',
      },
    ],
    [
      'AddToWishlist',
      {
        meta: 'AddToWishlist',
        google: 'add_to_wishlist',
        tiktok: 'AddToWishlist',
        snapchat: 'ADD_TO_WISHLIST',
        pinterest: 'add_to_wishlist',
        reddit: 'AddToWishlist',
        linkedin: 'AddToWishlist',
      },
    ],
    [
      'InitiateCheckout',
      {
        meta: 'InitiateCheckout',
        google: 'begin_checkout',
        tiktok: 'InitiateCheckout',
        snapchat: 'START_CHECKOUT',
        pinterest: 'initiate_checkout',
        reddit: 'Custom',
        linkedin: 'InitiateCheckout',
      },
    ],
    [
      'AddPaymentInfo',
      {
        meta: 'AddPaymentInfo',
        google: 'add_payment_info',
        tiktok: 'AddPaymentInfo',
        snapchat: 'ADD_BILLING',
        pinterest: 'add_payment_info',
        reddit: 'Custom',
        linkedin: 'AddPaymentInfo',
      },
    ],
    [
      'Purchase',
      {
        meta: 'Purchase',
        google: 'purchase',
        tiktok: 'CompletePayment',
        snapchat: 'PURCHASE',
        pinterest: 'checkout',
        reddit: 'Purchase',
        linkedin: 'Purchase',
      },
    ],
    [
      'Lead',
      {
        meta: 'Lead',
        google: 'generate_lead',
        tiktok: 'Lead',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'lead',
        reddit: 'Lead',
        linkedin: 'Lead',
      },
    ],
    [
      'CompleteRegistration',
      {
        meta: 'CompleteRegistration',
        google: 'sign_up',
        tiktok: 'CompleteRegistration',
        snapchat: 'SIGN_UP',
        pinterest: 'signup',
        reddit: 'SignUp',
        linkedin: 'CompleteRegistration',
      },
    ],
    [
      'Contact',
      {
        meta: 'Contact',
        google: 'contact',
        tiktok: 'Contact',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'Contact',
      },
    ],
    [
      'Subscribe',
      {
        meta: 'Subscribe',
        google: 'subscribe',
        tiktok: 'Subscribe',
        snapchat: 'SUBSCRIBE',
        pinterest: 'subscribe',
        reddit: 'Custom',
        linkedin: 'Subscribe',
      },
    ],
    [
      'StartTrial',
      {
        meta: 'StartTrial',
        google: 'start_trial',
        tiktok: 'StartTrial',
        snapchat: 'START_TRIAL',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'StartTrial',
      },
    ],
    [
      'SubmitApplication',
      {
        meta: 'SubmitApplication',
        google: 'submit_application',
        tiktok: 'SubmitApplication',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'SubmitApplication',
      },
    ],
    [
      'Schedule',
      {
        meta: 'Schedule',
        google: 'schedule',
        tiktok: 'Schedule',
        snapchat: 'RESERVE',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'Schedule',
      },
    ],
    [
      'Donate',
      {
        meta: 'Donate',
        google: 'donate',
        tiktok: 'Donate',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'Donate',
      },
    ],
    [
      'FindLocation',
      {
        meta: 'FindLocation',
        google: 'find_location',
        tiktok: 'FindLocation',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'FindLocation',
      },
    ],
    [
      'CustomizeProduct',
      {
        meta: 'CustomizeProduct',
        google: 'customize_product',
        tiktok: 'CustomizeProduct',
        snapchat: 'CUSTOM_EVENT_1',
        pinterest: 'custom',
        reddit: 'Custom',
        linkedin: 'CustomizeProduct',
      },
    ],
  ];

  it('covers every standard name on every platform', () => {
    expect(standardTable.map(([name]) => name)).toEqual([...STANDARD_EVENT_NAMES]);
    expect(PLATFORMS).toHaveLength(7);
  });

  for (const [name, expected] of standardTable) {
    it(`maps ${name} to each platform's own name`, () => {
      const actual = Object.fromEntries(
        PLATFORMS.map((platform) => [platform, platformEventName(platform, name)]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it.each([
    ['meta', 'NewsletterOptIn', 'NewsletterOptIn'],
    ['tiktok', 'NewsletterOptIn', 'NewsletterOptIn'],
    ['linkedin', 'NewsletterOptIn', 'NewsletterOptIn'],
    ['google', 'NewsletterOptIn', 'newsletter_opt_in'],
    ['google', 'view_item_list', 'view_item_list'],
    ['google', 'HTMLFormSent', 'html_form_sent'],
    ['google', 'Sent 2 friends!', 'sent_2_friends'],
    ['google', '2FA done', 'custom_2fa_done'],
    ['google', 'session_start', 'custom_session_start'],
    ['google', 'ga_thing', 'custom_ga_thing'],
    ['google', '!!!', 'custom_event'],
    ['google', 'A'.repeat(30) + 'Bcdefghijklmnopq', 'a'.repeat(29) + 'a_bcdefghij'],
    ['snapchat', 'NewsletterOptIn', 'CUSTOM_EVENT_1'],
    ['snapchat', 'Save', 'SAVE'],
    ['snapchat', 'CUSTOM_EVENT_3', 'CUSTOM_EVENT_3'],
    ['pinterest', 'ViewCategory', 'view_category'],
    ['pinterest', 'WatchVideo', 'watch_video'],
    ['pinterest', 'NewsletterOptIn', 'custom'],
    ['reddit', 'NewsletterOptIn', 'Custom'],
    ['reddit', 'PageVisit', 'PageVisit'],
  ] as const)('sends custom name on %s %s as %s', (platform, name, expected) => {
    expect(platformEventName(platform, name)).toBe(expected);
  });

  it('always yields a GA4-valid name for custom names', () => {
    for (const name of ['Ünïcødé event', '__x__', '9lives', 'a'.repeat(200), 'firebase_x', ' ']) {
      expect(platformEventName('google', name)).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,39}$/);
    }
  });
});

describe('per-platform event name functions', () => {
  const byPlatform: Record<Platform, (name: string) => string> = {
    meta: metaEventName,
    google: googleEventName,
    tiktok: tiktokEventName,
    snapchat: snapchatEventName,
    pinterest: pinterestEventName,
    reddit: redditEventName,
    linkedin: linkedinEventName,
  };
  const names = [
    ...STANDARD_EVENT_NAMES,
    'MyEvent',
    'Save',
    'CUSTOM_EVENT_2',
    'ViewCategory',
    'SignUp',
    'PageVisit',
    'AddCart',
    'first_visit',
    'ga_thing',
    '9lives',
    '',
    'toString',
    '__proto__',
    'PAGE_VIEW VIEW_CONTENT',
    'add_to_cart custom',
  ];

  for (const platform of PLATFORMS) {
    it(`${platform}: agrees with platformEventName for standard and custom names`, () => {
      for (const name of names) {
        expect(byPlatform[platform](name)).toBe(platformEventName(platform, name));
      }
    });
  }

  it('does not match a custom name that spells several enum words', () => {
    expect(snapchatEventName('PAGE_VIEW VIEW_CONTENT')).toBe('CUSTOM_EVENT_1');
    expect(pinterestEventName('add_to_cart custom')).toBe('custom');
    expect(redditEventName('Lead Custom')).toBe('Custom');
  });

  it('keeps the Meta and LinkedIn names as they are', () => {
    expect(metaEventName('Purchase')).toBe('Purchase');
    expect(linkedinEventName('Newsletter')).toBe('Newsletter');
  });
});
