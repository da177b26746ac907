/**
 * The canonical conversion event: one shape that the browser SDK sends, the relay validates,
 * and every destination maps to its platform's own request. Field names are ours (camelCase);
 * each destination translates them to the platform's wire names.
 */

/** One value, or several (platforms accept lists for e-mail, phone, names, external IDs). */
export type OneOrMany<T> = T | readonly T[];

/** Standard event names, PascalCase, as Meta spells them. Each platform's name comes from the map in `event-names.ts`. */
export type StandardEventName =
  | 'PageView'
  | 'ViewContent'
  | 'Search'
  | 'AddToCart'
  | 'AddToWishlist'
  | 'InitiateCheckout'
  | 'AddPaymentInfo'
  | 'Purchase'
  | 'Lead'
  | 'CompleteRegistration'
  | 'Contact'
  | 'Subscribe'
  | 'StartTrial'
  | 'SubmitApplication'
  | 'Schedule'
  | 'Donate'
  | 'FindLocation'
  | 'CustomizeProduct';

/** A standard name, or any custom name (it is sent as a custom event where the platform allows it). */
export type EventName = StandardEventName | (string & {});

/** Where the conversion happened. `web` events must carry `page.url` and a user agent. */
export type EventSource =
  | 'web'
  | 'app'
  | 'offline'
  | 'physical_store'
  | 'phone_call'
  | 'email'
  | 'chat'
  | 'system'
  | 'other';

/** The page the event happened on. */
export interface PageInfo {
  /** Full URL of the page, `http(s)://…`. Click IDs such as `fbclid` are read from it. */
  url?: string;
  /** The page's `document.referrer`. */
  referrer?: string;
  /** The page's title. */
  title?: string;
}

/**
 * Personal data as typed by the person (normalized and hashed per platform by the server, never
 * stored or logged raw), device data (filled by the server, never trusted from the browser) and
 * first-party identifiers.
 */
export interface UserData {
  /** E-mail address(es). */
  email?: OneOrMany<string>;
  /** Phone number(s), any format; without a country code the configured default country applies. */
  phone?: OneOrMany<string>;
  /** Given name(s). */
  firstName?: OneOrMany<string>;
  /** Family name(s). */
  lastName?: OneOrMany<string>;
  /** Date of birth in a common format (`1997-02-16`, `02/16/1997`, `16.02.1997`, `19970216`). */
  dateOfBirth?: OneOrMany<string>;
  /** Gender, any common spelling (`Female`, `f`, `woman`, `male`…). */
  gender?: OneOrMany<string>;
  /** City. */
  city?: OneOrMany<string>;
  /** State or province, name or code. */
  state?: OneOrMany<string>;
  /** Postal code. */
  zip?: OneOrMany<string>;
  /** Country, name or ISO-3166-1 alpha-2 code. */
  country?: OneOrMany<string>;
  /** The shop's own customer ID(s). */
  externalId?: OneOrMany<string>;

  /** Client IP address (IPv4 or IPv6). Set by the server from the connection; a browser-sent value is ignored. */
  ip?: string;
  /** Client user agent. Set by the server from the request; a browser-sent value is ignored. */
  userAgent?: string;

  /** Meta browser ID, the `_fbp` cookie (`fb.1.1558571054389.1098115397`). */
  fbp?: string;
  /** Meta click ID, the `_fbc` cookie (`fb.1.1554763741205.<fbclid>`). */
  fbc?: string;
  /** GA4 client ID derived from `_ga` (`1827526090.1689745728`). */
  gaClientId?: string;
  /** GA4 session ID, when known. */
  gaSessionId?: string;
  /** Google Ads click ID (`gclid` URL parameter). */
  gclid?: string;
  /** Google Ads app-to-web click ID (`gbraid`). */
  gbraid?: string;
  /** Google Ads web-to-app click ID (`wbraid`). */
  wbraid?: string;
  /** TikTok click ID (`ttclid`). */
  ttclid?: string;
  /** TikTok browser ID, the `_ttp` cookie. */
  ttp?: string;
  /** Snapchat click ID (`ScCid`). */
  scClickId?: string;
  /** Snapchat browser ID, the `_scid` cookie. */
  scCookie1?: string;
  /** Pinterest click ID (`epik` parameter or `_epik` cookie). */
  epik?: string;
  /** Reddit click ID (`rdt_cid`). */
  rdtCid?: string;
  /** Reddit browser ID, the `_rdt_uuid` cookie. */
  rdtUuid?: string;
  /** LinkedIn first-party ads tracking ID (`li_fat_id`). */
  liFatId?: string;
  /** Microsoft Ads click ID (`msclkid`). */
  msclkid?: string;
}

/** One line of a cart or order. */
export interface ContentItem {
  /** SKU or product ID (the same ID as in the product catalog). */
  id: string;
  /** Units of this item. */
  quantity?: number;
  /** Unit price, in `currency`. */
  price?: number;
  /** Product name. */
  name?: string;
  /** Product category. */
  category?: string;
  /** Brand. */
  brand?: string;
  /** Variant (size, colour…). */
  variant?: string;
}

/** Commerce data of the event. Custom scalar fields pass through to platforms that accept them. */
export interface EventData {
  /** Monetary value of the event, in `currency`. */
  value?: number;
  /** ISO-4217 currency code, three letters (`EUR`). Required with `value`. */
  currency?: string;
  /** The shop's order ID (also the dedup key for Google Ads). */
  orderId?: string;
  /** Items in the cart or order. */
  contents?: ContentItem[];
  /** Product or content IDs, when `contents` is not given. */
  contentIds?: string[];
  /** Name of the page or product. */
  contentName?: string;
  /** `product` or `product_group`. */
  contentType?: string;
  /** Category of the page or product. */
  contentCategory?: string;
  /** Number of items. */
  numItems?: number;
  /** The search query, for `Search`. */
  searchString?: string;
  /** Status of a registration or lead. */
  status?: string;
  /** Predicted lifetime value of the customer. */
  predictedLtv?: number;
  /** Custom scalar fields. */
  [key: string]: unknown;
}

/** A consent signal, in Google consent-mode terms. */
export type ConsentState = 'granted' | 'denied';

/** The consent the person gave. An absent key means "not stated"; each destination decides its default. */
export interface Consent {
  /** Cookies and identifiers for advertising. */
  adStorage?: ConsentState;
  /** Sending personal data to ad platforms. */
  adUserData?: ConsentState;
  /** Personalized advertising (remarketing). */
  adPersonalization?: ConsentState;
  /** Cookies for analytics. */
  analyticsStorage?: ConsentState;
  /** US state-privacy limited data use (Meta `LDU`, TikTok `limited_data_use`…). */
  limitedDataUse?: boolean;
}

/** What the browser pixel of a platform did with the event. */
export type PixelOutcome = 'fired' | 'blocked' | 'no_consent';

/** Platforms capi-kit knows. */
export type Platform =
  'meta' | 'google' | 'tiktok' | 'snapchat' | 'pinterest' | 'reddit' | 'linkedin';

/** The canonical event. */
export interface ConversionEvent {
  /** The shared event ID: the pixel copy and every server copy carry it, so platforms deduplicate them. */
  id: string;
  /** Standard or custom event name. */
  name: EventName;
  /** When the event happened, milliseconds since the Unix epoch. */
  time: number;
  /** Where it happened. */
  source: EventSource;
  /** The page, for web events. */
  page?: PageInfo;
  /** Who did it. */
  user?: UserData;
  /** What it was worth. */
  data?: EventData;
  /** Consent state at the time of the event. */
  consent?: Consent;
  /** Per platform, what the browser pixel did (only on events that came from the browser). */
  pixels?: Partial<Record<Platform, PixelOutcome>>;
  /** A server-issued signature over name, id and data (see the relay's signed events). */
  signature?: string;
}
