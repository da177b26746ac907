/**
 * Standard event names and each platform's own name for them. Browser pixels and server
 * destinations both read this one table, so the pixel copy and the server copy of an event always
 * carry the same platform event name (the platforms deduplicate on name + event ID). A name that a
 * platform has no standard event for goes out under that platform's documented custom fallback,
 * described per platform below.
 */
import type { Platform, StandardEventName } from './event';

/** Every canonical event name, in the order of DESIGN.md. They are Meta's standard event names. */
export const STANDARD_EVENT_NAMES: readonly StandardEventName[] = /* @__PURE__ */ Object.freeze([
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
export const PLATFORMS: readonly Platform[] = /* @__PURE__ */ Object.freeze([
  'meta',
  'google',
  'tiktok',
  'snapchat',
  'pinterest',
  'reddit',
  'linkedin',
] as const);

// Nothing in this module is built at import time (no Sets, no derived tables): the browser bundle
// takes only the one platform function each pixel adapter imports, and the tables below are stored
// as the exceptions to a rule (most platform names are the canonical name or its snake_case), which
// is what keeps the seven maps small in the `<script>` build (issue 4's size budget).

/**
 * `STANDARD_EVENT_NAMES` as one pattern, so browser bundles that only ask "is it standard?" (Meta's
 * `track` or `trackCustom`) carry neither the array nor its quotes (tested to match the list).
 */
const standardPattern =
  /^(PageView|ViewContent|Search|AddTo(Cart|Wishlist)|InitiateCheckout|AddPaymentInfo|Purchase|Lead|CompleteRegistration|Contact|Subscribe|StartTrial|SubmitApplication|Schedule|Donate|FindLocation|CustomizeProduct)$/;

/** Whether `name` is one of the canonical standard names (case-sensitive, as the platforms are). */
export function isStandardEventName(name: string): name is StandardEventName {
  return typeof name === 'string' && standardPattern.test(name);
}

type NameMap = Partial<Record<StandardEventName, string>>;

/** A standard name's entry in a platform's exceptions, or undefined (custom names never match). */
function renamed(map: NameMap, name: string): string | undefined {
  return isStandardEventName(name) ? map[name] : undefined;
}

function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Whether `name` is one of the space-separated words of `list` (a platform's closed enum). */
function inEnum(list: string, name: string): boolean {
  return list.split(' ').includes(name);
}

/**
 * Meta's name: the name itself. Meta takes every standard name as is and custom names through
 * `trackCustom` / the Conversions API's free-form `event_name`.
 */
export function metaEventName(name: string): string {
  return name;
}

/**
 * LinkedIn's name: the name itself. LinkedIn counts conversions by conversion rule, so the name is
 * only informational.
 */
export function linkedinEventName(name: string): string {
  return name;
}

/**
 * TikTok web events (platforms.md §5.2, case-sensitive): the canonical name, except Purchase →
 * `CompletePayment` and PageView → `Pageview`. Purchase: §5.2 lists both `CompletePayment` and
 * `Purchase`; the §14 fixture, TikTok's long-standing standard-events page and every purchase
 * optimization goal use `CompletePayment`. TikTok's newest standard-events page (2025,
 * ads.tiktok.com/help/article/standard-events-parameters) shows `Purchase` in its place; whether
 * `CompletePayment` stays accepted is UNCONFIRMED. Pixel and server both read this one function, so
 * switching is a one-line change that keeps them in step. PageView → `Pageview`, the name
 * `ttq.page()` reports (not in §5.2's list, so TikTok treats it as a non-standard event;
 * UNCONFIRMED), chosen so the pixel's page call and the server copy share one name. `Donate` has
 * no TikTok event and goes out as a custom event under its own name, which the Events API accepts,
 * as do all custom names.
 */
export function tiktokEventName(name: string): string {
  return name == 'PageView' ? 'Pageview' : name == 'Purchase' ? 'CompletePayment' : name;
}

/**
 * GA4 recommended events where one exists
 * (developers.google.com/analytics/devguides/collection/ga4/reference/events). Only the ones that
 * are not the snake_case of the canonical name are listed; `PageView` → `page_view`,
 * `AddToCart` → `add_to_cart`, `Purchase` → `purchase` and the rest follow the rule, which is also
 * what GA4 accepts for the names it has no recommended event for (`start_trial`, `donate`…,
 * custom events under the naming rules of platforms.md §3.3).
 */
const googleNames: NameMap = {
  ViewContent: 'view_item',
  InitiateCheckout: 'begin_checkout',
  Lead: 'generate_lead',
  CompleteRegistration: 'sign_up',
};

/**
 * GA4 names that GA4 reserves for itself (from GA4's "reserved event names" list; platforms.md §3.3
 * marks the full list UNCONFIRMED, so this is the commonly documented set). A custom name that hits
 * one is prefixed so GA4 does not drop it.
 */
const googleReservedNames =
  /^(ad_(activeview|click|exposure|impression|query|reward)|adunit_exposure|app_(background|clear_data|exception|remove|store_refund|update|upgrade)|error|first_(open|visit)|in_app_purchase|notification_(dismiss|foreground|open|receive)|os_update|session_start|user_engagement)$/;

/**
 * Google's name: the GA4 recommended event, else the name in snake_case, made valid for GA4
 * (≤ 40 chars, `[a-z0-9_]`, starting with a letter, platforms.md §3.3; reserved names and the
 * `google_`, `ga_`, `firebase_` prefixes avoided by a `custom_` prefix): `MyEvent` → `my_event`.
 */
export function googleEventName(name: string): string {
  const mapped = renamed(googleNames, name);
  if (mapped) return mapped;
  let snake = toSnakeCase(name)
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') return 'custom_event';
  if (
    !/^[a-z]/.test(snake) ||
    /^(google|ga|firebase)_/.test(snake) ||
    googleReservedNames.test(snake)
  ) {
    snake = `custom_${snake}`;
  }
  return snake.slice(0, 40).replace(/_+$/, '');
}

/**
 * Snap CAPI v3 accepts the uppercase v2 names (platforms.md §6.2; the enum itself is third-party,
 * UNCONFIRMED). Standard names map to the UPPER_SNAKE of their name (`PageView` → `PAGE_VIEW`)
 * where Snap has that event, else to these; Lead has no Snap event; Schedule maps to Snap's
 * `RESERVE`.
 */
const snapchatNames: NameMap = {
  AddToCart: 'ADD_CART',
  InitiateCheckout: 'START_CHECKOUT',
  AddPaymentInfo: 'ADD_BILLING',
  CompleteRegistration: 'SIGN_UP',
  Schedule: 'RESERVE',
};
// The enum as one pattern (shared prefixes factored out: fewer bytes in the `<script>` build).
const snapchatEnum =
  /^(PAGE_VIEW|VIEW_CONTENT|SEARCH|ADD_(CART|TO_WISHLIST|BILLING)|START_(CHECKOUT|TRIAL)|PURCHASE|SIGN_UP|SUBSCRIBE|RESERVE|AD_(CLICK|VIEW)|LIST_VIEW|SAVE|SHARE|INVITE|LOGIN|RATE|LEVEL_COMPLETE|ACHIEVEMENT_UNLOCKED|SPEND_CREDITS|COMPLETE_TUTORIAL|CUSTOM_EVENT_[1-5])$/;

/**
 * Snapchat's name: the v3 uppercase event, a custom name that already is one (`SAVE`, `Save`,
 * `CUSTOM_EVENT_2`), else `CUSTOM_EVENT_1`.
 */
export function snapchatEventName(name: string): string {
  const upper = renamed(snapchatNames, name) ?? toSnakeCase(name).toUpperCase();
  return snapchatEnum.test(upper) ? upper : 'CUSTOM_EVENT_1';
}

/**
 * Pinterest v5 `event_name` enum (platforms.md §7.2, snake_case; `PageVisit` is rejected).
 * Standard names map to their snake_case where that is in the enum, else to these:
 * ViewContent → `page_visit`: Pinterest's page visit is documented for product and article pages,
 * and the Pinterest tag has no separate view-content event, so pixel and server agree on it.
 * Purchase → `checkout` (Pinterest's purchase event).
 */
const pinterestNames: NameMap = {
  PageView: 'page_visit',
  ViewContent: 'page_visit',
  Purchase: 'checkout',
  CompleteRegistration: 'signup',
};
const pinterestEnum =
  'add_payment_info add_to_cart add_to_wishlist app_install checkout custom initiate_checkout ' +
  'lead page_visit search signup subscribe view_category view_content watch_video';

/**
 * Pinterest's name: the v5 enum value, a custom name that is one in snake_case (`ViewCategory` →
 * `view_category`), else `custom`. Standard names without a Pinterest event (Contact, StartTrial…)
 * are `custom` too.
 */
export function pinterestEventName(name: string): string {
  const mapped = renamed(pinterestNames, name);
  if (mapped) return mapped;
  const snake = toSnakeCase(name);
  return inEnum(pinterestEnum, snake) ? snake : 'custom';
}

/**
 * Reddit tracking types as the pixel (`rdt('track', 'PageVisit')`) and CAPI v2 spell them; CAPI v3
 * wants the same words in UPPER_SNAKE (`PAGE_VISIT`, platforms.md §8.1), which the destination
 * derives from these. Standard names that are a tracking type keep their name.
 */
const redditNames: NameMap = { PageView: 'PageVisit', CompleteRegistration: 'SignUp' };
const redditEnum =
  'PageVisit ViewContent Search AddToCart AddToWishlist Purchase Lead SignUp Custom';

/**
 * Reddit's name: the tracking type, a custom name that is one, else `Custom` (the destination sends
 * the original name as `custom_event_name`).
 */
export function redditEventName(name: string): string {
  const mapped = renamed(redditNames, name) ?? name;
  return inEnum(redditEnum, mapped) ? mapped : 'Custom';
}

/**
 * The platform's own event name for a canonical name, or the platform's documented fallback for a
 * custom name (the server's entry point; each browser pixel imports its own platform's function so
 * a bundle carries only the tables it uses):
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
  switch (platform) {
    case 'tiktok':
      return tiktokEventName(name);
    case 'google':
      return googleEventName(name);
    case 'snapchat':
      return snapchatEventName(name);
    case 'pinterest':
      return pinterestEventName(name);
    case 'reddit':
      return redditEventName(name);
    default:
      // meta, linkedin, and any platform added before its map.
      return name;
  }
}
