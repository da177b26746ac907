/**
 * Standard event names and each platform's own name for them. Browser pixels and server
 * destinations both read this one table, so the pixel copy and the server copy of an event always
 * carry the same platform event name (the platforms deduplicate on name + event ID). A name that a
 * platform has no standard event for goes out under that platform's documented custom fallback,
 * described per platform below.
 */
import type { Platform, StandardEventName } from './event';

/** Every canonical event name, in the order of DESIGN.md. They are Meta's standard event names. */
export const STANDARD_EVENT_NAMES: readonly StandardEventName[] = Object.freeze([
  'PageView',
  'ViewContent',
  'Search',
  'AddToCart',
  'AddToWishlist',
  'InitiateCheckout',
  'AddPaymentInfo',
  'Purchase',
  'Lead',
  'CompleteRegistration',
  'Contact',
  'Subscribe',
  'StartTrial',
  'SubmitApplication',
  'Schedule',
  'Donate',
  'FindLocation',
  'CustomizeProduct',
] as const);

/** Every platform capi-kit knows. */
export const PLATFORMS: readonly Platform[] = Object.freeze([
  'meta',
  'google',
  'tiktok',
  'snapchat',
  'pinterest',
  'reddit',
  'linkedin',
] as const);

const standardNames = new Set<string>(STANDARD_EVENT_NAMES);

/** Whether `name` is one of the canonical standard names (case-sensitive, as the platforms are). */
export function isStandardEventName(name: string): name is StandardEventName {
  return standardNames.has(name);
}

type NameMap = Readonly<Partial<Record<StandardEventName, string>>>;

/**
 * GA4 recommended events where one exists (developers.google.com/analytics/devguides/collection/ga4/reference/events);
 * the rest are snake_case custom events, which GA4 accepts under the naming rules of platforms.md §3.3.
 */
const googleNames: NameMap = {
  PageView: 'page_view',
  ViewContent: 'view_item',
  Search: 'search',
  AddToCart: 'add_to_cart',
  AddToWishlist: 'add_to_wishlist',
  InitiateCheckout: 'begin_checkout',
  AddPaymentInfo: 'add_payment_info',
  Purchase: 'purchase',
  Lead: 'generate_lead',
  CompleteRegistration: 'sign_up',
  Contact: 'contact',
  Subscribe: 'subscribe',
  StartTrial: 'start_trial',
  SubmitApplication: 'submit_application',
  Schedule: 'schedule',
  Donate: 'donate',
  FindLocation: 'find_location',
  CustomizeProduct: 'customize_product',
};

/**
 * TikTok web events (platforms.md §5.2, case-sensitive). Purchase → `CompletePayment`: §5.2 lists
 * both `CompletePayment` and `Purchase`; the §14 fixture, TikTok's long-standing standard-events
 * page and every purchase optimization goal use `CompletePayment`. TikTok's newest standard-events
 * page (2025, ads.tiktok.com/help/article/standard-events-parameters) shows `Purchase` in its place;
 * whether `CompletePayment` stays accepted is UNCONFIRMED. Pixel and server both read this one
 * entry, so switching is a one-line change that keeps them in step. PageView → `Pageview`, the
 * name `ttq.page()` reports (not in §5.2's list, so TikTok treats it as a non-standard event;
 * UNCONFIRMED), chosen so the pixel's page call and the server copy share one name. `Donate` has
 * no TikTok event and goes out as a custom event under its own name, which the Events API accepts.
 */
const tiktokNames: NameMap = {
  PageView: 'Pageview',
  ViewContent: 'ViewContent',
  Search: 'Search',
  AddToCart: 'AddToCart',
  AddToWishlist: 'AddToWishlist',
  InitiateCheckout: 'InitiateCheckout',
  AddPaymentInfo: 'AddPaymentInfo',
  Purchase: 'CompletePayment',
  Lead: 'Lead',
  CompleteRegistration: 'CompleteRegistration',
  Contact: 'Contact',
  Subscribe: 'Subscribe',
  StartTrial: 'StartTrial',
  SubmitApplication: 'SubmitApplication',
  Schedule: 'Schedule',
  FindLocation: 'FindLocation',
  CustomizeProduct: 'CustomizeProduct',
};

/**
 * Snap CAPI v3 accepts the uppercase v2 names (platforms.md §6.2; the enum itself is third-party,
 * UNCONFIRMED). Lead has no Snap event; Schedule maps to Snap's `RESERVE`.
 */
const snapchatNames: NameMap = {
  PageView: 'PAGE_VIEW',
  ViewContent: 'VIEW_CONTENT',
  Search: 'SEARCH',
  AddToCart: 'ADD_CART',
  AddToWishlist: 'ADD_TO_WISHLIST',
  InitiateCheckout: 'START_CHECKOUT',
  AddPaymentInfo: 'ADD_BILLING',
  Purchase: 'PURCHASE',
  CompleteRegistration: 'SIGN_UP',
  Subscribe: 'SUBSCRIBE',
  StartTrial: 'START_TRIAL',
  Schedule: 'RESERVE',
};
const snapchatEnum = new Set([
  ...Object.values(snapchatNames),
  'AD_CLICK',
  'AD_VIEW',
  'LIST_VIEW',
  'SAVE',
  'SHARE',
  'INVITE',
  'LOGIN',
  'RATE',
  'LEVEL_COMPLETE',
  'ACHIEVEMENT_UNLOCKED',
  'SPEND_CREDITS',
  'COMPLETE_TUTORIAL',
  'CUSTOM_EVENT_1',
  'CUSTOM_EVENT_2',
  'CUSTOM_EVENT_3',
  'CUSTOM_EVENT_4',
  'CUSTOM_EVENT_5',
]);

/**
 * Pinterest v5 `event_name` enum (platforms.md §7.2, snake_case; `PageVisit` is rejected).
 * ViewContent → `page_visit`: Pinterest's page visit is documented for product and article pages,
 * and the Pinterest tag has no separate view-content event, so pixel and server agree on it.
 * Purchase → `checkout` (Pinterest's purchase event).
 */
const pinterestNames: NameMap = {
  PageView: 'page_visit',
  ViewContent: 'page_visit',
  Search: 'search',
  AddToCart: 'add_to_cart',
  AddToWishlist: 'add_to_wishlist',
  InitiateCheckout: 'initiate_checkout',
  AddPaymentInfo: 'add_payment_info',
  Purchase: 'checkout',
  Lead: 'lead',
  CompleteRegistration: 'signup',
  Subscribe: 'subscribe',
};
const pinterestEnum = new Set([
  'add_payment_info',
  'add_to_cart',
  'add_to_wishlist',
  'app_install',
  'checkout',
  'custom',
  'initiate_checkout',
  'lead',
  'page_visit',
  'search',
  'signup',
  'subscribe',
  'view_category',
  'view_content',
  'watch_video',
]);

/**
 * Reddit tracking types as the pixel (`rdt('track', 'PageVisit')`) and CAPI v2 spell them; CAPI v3
 * wants the same words in UPPER_SNAKE (`PAGE_VISIT`, platforms.md §8.1), which the destination
 * derives from these. Everything else is `Custom` with the canonical name as `custom_event_name`.
 */
const redditNames: NameMap = {
  PageView: 'PageVisit',
  ViewContent: 'ViewContent',
  Search: 'Search',
  AddToCart: 'AddToCart',
  AddToWishlist: 'AddToWishlist',
  Purchase: 'Purchase',
  Lead: 'Lead',
  CompleteRegistration: 'SignUp',
};
const redditEnum = new Set([...Object.values(redditNames), 'Custom']);

/**
 * GA4 names that GA4 reserves for itself (from GA4's "reserved event names" list; platforms.md §3.3
 * marks the full list UNCONFIRMED, so this is the commonly documented set). A custom name that hits
 * one is prefixed so GA4 does not drop it.
 */
const googleReservedNames = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_remove',
  'app_store_refund',
  'app_update',
  'app_upgrade',
  'error',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'os_update',
  'session_start',
  'user_engagement',
]);
const googleReservedPrefixes = ['google_', 'ga_', 'firebase_'];

function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * GA4 event names: ≤ 40 chars, `[A-Za-z0-9_]`, starting with a letter (platforms.md §3.3), not
 * reserved. The custom name is snake_cased like GA4's own names, invalid characters become `_`.
 */
function googleCustomName(name: string): string {
  let snake = toSnakeCase(name)
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') return 'custom_event';
  if (
    !/^[a-z]/.test(snake) ||
    googleReservedNames.has(snake) ||
    googleReservedPrefixes.some((prefix) => snake.startsWith(prefix))
  ) {
    snake = `custom_${snake}`;
  }
  return snake.slice(0, 40).replace(/_+$/, '');
}

/**
 * The platform's own event name for a canonical name, or the platform's documented fallback for a
 * custom name:
 *
 * - meta, tiktok: the name itself (both accept custom event names; TikTok's Purchase is
 *   `CompletePayment`).
 * - google: the GA4 recommended event, else the name in snake_case, made valid for GA4 (letters,
 *   digits and `_`, starting with a letter, ≤ 40 chars, reserved names and prefixes avoided by a
 *   `custom_` prefix): `MyEvent` → `my_event`.
 * - snapchat: the v3 uppercase event, a custom name that already is one (`SAVE`, `Save`,
 *   `CUSTOM_EVENT_2`), else `CUSTOM_EVENT_1`.
 * - pinterest: the v5 enum value, a custom name that is one in snake_case (`ViewCategory` →
 *   `view_category`), else `custom`.
 * - reddit: the tracking type, a custom name that is one, else `Custom` (the destination sends the
 *   original name as `custom_event_name`).
 * - linkedin: the name itself; LinkedIn counts conversions by conversion rule, so the name is only
 *   informational.
 *
 * @example
 * platformEventName('google', 'Purchase'); // 'purchase'
 * platformEventName('tiktok', 'Purchase'); // 'CompletePayment'
 * platformEventName('snapchat', 'Newsletter'); // 'CUSTOM_EVENT_1'
 */
export function platformEventName(platform: Platform, name: string): string {
  const standard = isStandardEventName(name) ? name : undefined;
  switch (platform) {
    case 'meta':
    case 'linkedin':
      return name;
    case 'tiktok':
      return (standard && tiktokNames[standard]) ?? name;
    case 'google':
      return (standard && googleNames[standard]) ?? googleCustomName(name);
    case 'snapchat': {
      const mapped = standard && snapchatNames[standard];
      if (mapped) return mapped;
      const upper = toSnakeCase(name).toUpperCase();
      return snapchatEnum.has(upper) ? upper : 'CUSTOM_EVENT_1';
    }
    case 'pinterest': {
      const mapped = standard && pinterestNames[standard];
      if (mapped) return mapped;
      const snake = toSnakeCase(name);
      return pinterestEnum.has(snake) ? snake : 'custom';
    }
    case 'reddit': {
      const mapped = standard && redditNames[standard];
      if (mapped) return mapped;
      return redditEnum.has(name) ? name : 'Custom';
    }
    default:
      return name;
  }
}
