/**
 * Wire types of the Reddit Conversions API v3 (`POST /api/v3/pixels/{pixel_id}/conversion_events`),
 * with Reddit's snake_case names. The shapes follow platforms.md §8 (its sources: RudderStack's v3
 * schema, which cites Reddit's "Post Conversion Events" reference, and Stape's Reddit tag).
 *
 * @see https://ads-api.reddit.com/docs/v3/operations/Post%20Conversion%20Events
 */

/** Where the conversion happened. */
export type RedditActionSource = 'WEBSITE' | 'APP' | 'PHYSICAL_STORE' | 'OTHER';

/** v3 tracking types, UPPER_SNAKE (v2 and the pixel spell them in PascalCase). */
export type RedditTrackingType =
  | 'PAGE_VISIT'
  | 'VIEW_CONTENT'
  | 'SEARCH'
  | 'ADD_TO_CART'
  | 'ADD_TO_WISHLIST'
  | 'LEAD'
  | 'PURCHASE'
  | 'SIGN_UP'
  | 'CUSTOM';

/** The event type: a standard tracking type, or `CUSTOM` with its name. */
export interface RedditEventType {
  tracking_type: RedditTrackingType;
  /** Only with `CUSTOM`: the event's own name. */
  custom_event_name?: string;
}

/** US state-privacy Limited Data Use (platforms.md §8.1). */
export interface RedditDataProcessingOptions {
  /** `['LDU']`. */
  modes: 'LDU'[];
  /** ISO-3166-1 alpha-2, upper case (`US`). */
  country?: string;
  /** ISO-3166-2 subdivision (`US-CA`). */
  region?: string;
}

/**
 * Who did it. Reddit takes match keys plain or hashed (§8.3); capi-kit sends e-mail, phone and
 * external ID as SHA-256 hex of core's Reddit normalization, and the rest plain.
 */
export interface RedditUser {
  /** SHA-256 hex of the canonicalized e-mail (Reddit's rule: `+tag` cut, local part alphanumeric). */
  email?: string;
  /** SHA-256 hex of the phone as `+` and digits. */
  phone_number?: string;
  /** SHA-256 hex of the shop's customer ID. */
  external_id?: string;
  /** Client IP, plain. */
  ip_address?: string;
  /** Client user agent, plain. */
  user_agent?: string;
  /** The uuid part of the pixel's `_rdt_uuid` cookie (`{ms}.{uuid}`), plain. */
  uuid?: string;
  /** Android advertising ID. */
  aaid?: string;
  /** iOS advertising ID. */
  idfa?: string;
  /** Limited Data Use. */
  data_processing_options?: RedditDataProcessingOptions;
  /** Screen size in pixels. */
  screen_dimensions?: { width: number; height: number };
}

/** One item of the event. */
export interface RedditProduct {
  /** Product ID, as in the catalog. */
  id: string;
  /** Product name. */
  name?: string;
  /** Product category. */
  category?: string;
  /** Units. */
  quantity?: number;
  /** Unit price, in `currency`. */
  item_price?: number;
}

/** What it was worth, and the dedup key. */
export interface RedditMetadata {
  /** The pixel's `conversionId`: Reddit deduplicates the pixel and server copies on it (§8.3). */
  conversion_id: string;
  /** ISO-4217 currency of `value`. */
  currency?: string;
  /** Value, a decimal number in v3 (v2 used `value_decimal`). */
  value?: number;
  /** Number of items. */
  item_count?: number;
  /** The items. */
  products?: RedditProduct[];
}

/** One event of `data.events[]`. */
export interface RedditEvent {
  /** Unix **milliseconds** (an integer; v2 took an ISO string). */
  event_at: number;
  /** Where it happened. */
  action_source: RedditActionSource;
  /** The `rdt_cid` click ID of the landing URL. */
  click_id?: string;
  /** The page URL. */
  event_source_url?: string;
  /** Which event. */
  type: RedditEventType;
  /** Who did it. */
  user?: RedditUser;
  /** What it was worth, and the dedup key. */
  metadata: RedditMetadata;
}

/** The JSON body of the request. */
export interface RedditConversionEventsRequest {
  data: {
    /** The test ID from Events Manager's testing tool: the events go there, not to production. */
    test_id?: string;
    /** Partner name, for integrations Reddit knows. */
    partner?: string;
    /** ≤ 1 000 events. */
    events: RedditEvent[];
  };
}

/** One event Reddit refused, echoed back with why (400, and possibly 2xx; §8.5). */
export interface RedditInvalidEvent {
  /** Reddit's reason (`event_at timestamp must be less than 168h0m0s old`). */
  error_message?: string;
  /** The event as Reddit read it. */
  event?: Partial<RedditEvent>;
}

/**
 * Reddit's answer: `{ message }` on success; `{ message, invalid_events }` when events broke a rule
 * (with 400, none of the request was processed); `{ error: { code, message } }` when the body does
 * not decode; `{ success: false, error: { reason, explanation } }` or plain text on 401.
 */
export interface RedditResponse {
  message?: string;
  invalid_events?: RedditInvalidEvent[];
  success?: boolean;
  error?: { code?: number; message?: string; reason?: string; explanation?: string };
}
