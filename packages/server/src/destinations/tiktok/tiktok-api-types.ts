/**
 * Wire types of the TikTok Events API 2.0 (`POST /open_api/v1.3/event/track/`), with TikTok's
 * snake_case names. TikTok's reference lives behind its business portal; the shapes here follow
 * platforms.md §5 (its sources: Segment, RudderStack and Stape's TikTok integrations and the
 * TikTok docs sample).
 *
 * @see https://business-api.tiktok.com/portal/docs?id=1771100865818625
 */

/**
 * Who did it. Personal fields are SHA-256 hex of the normalized value; identifiers and device
 * data are plain (platforms.md §5.3).
 */
export interface TikTokUser {
  /** SHA-256 hex of each trimmed, lowercased e-mail. */
  email?: string[];
  /** SHA-256 hex of each E.164 phone, with `+` (`+16505551212`). */
  phone?: string[];
  /** SHA-256 hex of each of the site's customer IDs. */
  external_id?: string[];
  /** SHA-256 hex of the lowercased first name. */
  first_name?: string;
  /** SHA-256 hex of the lowercased last name. */
  last_name?: string;
  /** SHA-256 hex of the postal code. */
  zip_code?: string;
  /** City, plain, lowercased. */
  city?: string;
  /** State, plain, lowercased. */
  state?: string;
  /** ISO-3166-1 alpha-2 country, plain, lowercased. */
  country?: string;
  /** TikTok click ID from the landing URL (`E.C.P.…`), plain. */
  ttclid?: string;
  /** The `_ttp` cookie, plain. */
  ttp?: string;
  /** Client IP, plain. */
  ip?: string;
  /** Client user agent, plain. */
  user_agent?: string;
}

/** One item of the event. */
export interface TikTokContent {
  /** Product ID, as in the catalog. */
  content_id: string;
  /** `product` or `product_group`. */
  content_type?: string;
  /** Product name. */
  content_name?: string;
  /** Product category. */
  content_category?: string;
  /** Unit price. */
  price?: number;
  /** Units. */
  quantity?: number;
  /** Brand. */
  brand?: string;
}

/** What it was worth. */
export interface TikTokProperties {
  /** The items. */
  contents?: TikTokContent[];
  /** `product` or `product_group`. */
  content_type?: string;
  /** Product IDs, when there are no `contents`. */
  content_ids?: string[];
  /** ISO-4217 currency of `value`. */
  currency?: string;
  /** Value of the event. */
  value?: number;
  /** The shop's order ID. */
  order_id?: string;
  /** The search query, for `Search`. */
  query?: string;
  /** Number of items. */
  num_items?: number;
  /** Predicted lifetime value. */
  predicted_ltv?: number;
}

/** One event of `data[]`. */
export interface TikTokEvent {
  /** TikTok's event name (case-sensitive): `CompletePayment`, `AddToCart`, … */
  event: string;
  /** Unix **seconds** (not ms). */
  event_time: number;
  /** The same ID the pixel got as `event_id`: TikTok deduplicates on `event` + `event_id` for 48 h. */
  event_id: string;
  /** Who did it. */
  user?: TikTokUser;
  /** What it was worth. */
  properties?: TikTokProperties;
  /** Where it happened. */
  page?: { /** Page URL. */ url?: string; /** Referrer. */ referrer?: string };
  /** US state-privacy limited data use. */
  limited_data_use?: boolean;
}

/** The JSON body of the request. */
export interface TikTokTrackRequest {
  /** `web` for pixel events (`app`, `offline`, `crm` need other source IDs). */
  event_source: 'web';
  /** The pixel code. */
  event_source_id: string;
  /** Sends to the Test Events tab instead of production. */
  test_event_code?: string;
  /** ≤ 1 000 events. */
  data: TikTokEvent[];
}

/**
 * TikTok's answer, always HTTP 200: `code` 0 is success, anything else an error (40100 throttled,
 * 40001 no permission, 40002 invalid parameters…; platforms.md §5.5).
 */
export interface TikTokResponse {
  /** 0 on success. */
  code: number;
  /** `OK`, or what went wrong (`Batch.0.properties.contents.0.content_id: Not a valid string`). */
  message?: string;
  /** TikTok's request ID, for support. */
  request_id?: string;
  /** Extra data. */
  data?: unknown;
}
