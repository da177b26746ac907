/**
 * Wire types of the Pinterest API for Conversions v5 (`POST /v5/ad_accounts/{ad_account_id}/events`),
 * with Pinterest's snake_case names. The schema (`ConversionEvents*`, `ConversionApiResponse`,
 * `Error`, `DetailedError` in pinterest/api-description `v5/openapi.json`) sets
 * `additionalProperties: false` on the body, the events and `custom_data`: an unknown key fails the
 * request, so these types list only fields Pinterest documents (platforms.md §7).
 *
 * @see https://developers.pinterest.com/docs/api/v5/events-create
 */

/**
 * Who did it. Every personal field is a list of SHA-256 lowercase hex digests of the normalized
 * value; IP, user agent and click ID are plain (platforms.md §7.3, §13). Pinterest needs at least
 * one of `em`, `hashed_maids`, or `client_ip_address` together with `client_user_agent`.
 */
export interface PinterestUserData {
  /** SHA-256 of each lowercased e-mail. */
  em?: string[];
  /** SHA-256 of each phone: digits with country code, no `+`, symbols or leading zeros. */
  ph?: string[];
  /** SHA-256 of each lowercased first name. */
  fn?: string[];
  /** SHA-256 of each lowercased last name. */
  ln?: string[];
  /** SHA-256 of `f`, `m` or `n`. */
  ge?: string[];
  /** SHA-256 of the date of birth, `YYYYMMDD`. */
  db?: string[];
  /** SHA-256 of the city, lowercase, no spaces or punctuation. */
  ct?: string[];
  /** SHA-256 of the two-letter lowercase state code. */
  st?: string[];
  /** SHA-256 of the postal code. */
  zp?: string[];
  /** SHA-256 of the two-letter lowercase ISO-3166 country code. */
  country?: string[];
  /** SHA-256 of each of the site's customer IDs. */
  external_id?: string[];
  /** SHA-256 of mobile advertising IDs (GAID/IDFA). */
  hashed_maids?: string[];
  /** Client IP, plain. */
  client_ip_address?: string;
  /** Client user agent, plain. */
  client_user_agent?: string;
  /** Pinterest click ID: the `epik` URL parameter or the `_epik` cookie, plain. */
  click_id?: string;
  /** A third-party ID such as a RampID, plain. */
  partner_id?: string;
}

/** One item of the event (`item_price` is a string, like `value`). */
export interface PinterestContent {
  /** Product ID, as in the catalog. */
  id?: string;
  /** Unit price, as a decimal string. */
  item_price?: string;
  /** Units. */
  quantity?: number;
  /** Product name. */
  item_name?: string;
  /** Product category. */
  item_category?: string;
  /** Brand. */
  item_brand?: string;
}

/** What it was worth. Money amounts are **strings** (platforms.md §7.4, §11.9). */
export interface PinterestCustomData {
  /** ISO-4217 currency of `value` (defaults to the ad account's currency). */
  currency?: string;
  /** Value of the event, as a decimal string (`"123.45"`). */
  value?: string;
  /** Product IDs. */
  content_ids?: string[];
  /** Name of the page or product. */
  content_name?: string;
  /** Category of the page or product. */
  content_category?: string;
  /** Brand of the product. */
  content_brand?: string;
  /** The items. */
  contents?: PinterestContent[];
  /** Number of items. */
  num_items?: number;
  /** The shop's order ID. */
  order_id?: string;
  /** The search query, for `search`. */
  search_string?: string;
  /** Comma-separated privacy flags; `LDP` (Limited Data Processing) is the one Pinterest accepts. */
  opt_out_type?: string;
  /** Predicted lifetime value, as a decimal string. */
  predicted_ltv?: string;
}

/** Where the conversion happened. */
export type PinterestActionSource = 'web' | 'app_android' | 'app_ios' | 'offline';

/** One event of `data[]`. */
export interface PinterestEvent {
  /** Pinterest's snake_case event name: `checkout`, `add_to_cart`, `page_visit`, … or `custom`. */
  event_name: string;
  /** Where it happened. */
  action_source: PinterestActionSource;
  /** Unix **seconds** (not ms). */
  event_time: number;
  /** The same ID the Pinterest tag got as `event_id`: Pinterest deduplicates on it. */
  event_id: string;
  /** The page URL, for web events. */
  event_source_url?: string;
  /** The person opted out of tracking (web/offline) or limited ad tracking (apps). */
  opt_out?: boolean;
  /** Who did it. */
  user_data: PinterestUserData;
  /** What it was worth. */
  custom_data?: PinterestCustomData;
}

/** The JSON body of the request. */
export interface PinterestEventsRequest {
  /** 1 to 1 000 events. */
  data: PinterestEvent[];
}

/** What Pinterest did with one event (same order as the request). */
export interface PinterestEventResult {
  /** `processed` or `failed`. */
  status: 'processed' | 'failed' | (string & {});
  /** Why it failed. */
  error_message?: string | null;
  /** What to improve, for a processed event. */
  warning_message?: string | null;
}

/** The HTTP 200 answer (`ConversionApiResponse`). */
export interface PinterestResponse {
  /** Events received. */
  num_events_received: number;
  /** Events processed. */
  num_events_processed: number;
  /** One result per event, in request order. */
  events: PinterestEventResult[];
}

/**
 * Pinterest's error body (`Error`), and for 422 `DetailedError`, which adds `details`. What
 * `details` holds is UNCONFIRMED (the schema says only "object"); see `pinterest-error.ts`.
 */
export interface PinterestErrorResponse {
  /** Pinterest's error code (`2` authentication, `8` rate limit, `29` forbidden, …). */
  code: number;
  /** What went wrong. */
  message: string;
  /** 422 only: more about the events that were not processed. */
  details?: unknown;
}
