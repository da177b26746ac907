/**
 * Wire types of the Snapchat Conversions API v3 (`POST /v3/{PIXEL_ID}/events`), with Snap's
 * snake_case names. Shapes follow platforms.md §6 (its sources: Snap's developer docs, Segment,
 * RudderStack and Stape's Snap integrations) and the docs' request sample.
 *
 * @see https://developers.snap.com/api/marketing-api/Conversions-API/Parameters
 */

/**
 * Who did it. Personal fields are lists of SHA-256 hex of the normalized value; device data and
 * Snap's identifiers are plain (platforms.md §6.3, §13).
 *
 * @see https://developers.snap.com/api/marketing-api/Conversions-API/Parameters
 */
export interface SnapchatUserData {
  /** SHA-256 hex of each trimmed, lowercased e-mail. */
  em?: string[];
  /** SHA-256 hex of each phone: digits with country code, no `+`, no leading `00` or trunk `0`. */
  ph?: string[];
  /** SHA-256 hex of the lowercased first name, punctuation removed. */
  fn?: string[];
  /** SHA-256 hex of the lowercased last name, punctuation removed. */
  ln?: string[];
  /** SHA-256 hex of `f` or `m`. */
  ge?: string[];
  /** SHA-256 hex of the date of birth, `YYYYMMDD`. */
  db?: string[];
  /** SHA-256 hex of the city, lowercased, no spaces or punctuation. */
  ct?: string[];
  /** SHA-256 hex of the 2-letter state code. */
  st?: string[];
  /** SHA-256 hex of the postal code. */
  zp?: string[];
  /** SHA-256 hex of the 2-letter country code. */
  country?: string[];
  /** SHA-256 hex of each of the site's customer IDs. */
  external_id?: string[];
  /** Client IP, plain. */
  client_ip_address?: string;
  /** Client user agent, plain. */
  client_user_agent?: string;
  /** Snap click ID from the landing URL's `ScCid` parameter, plain. */
  sc_click_id?: string;
  /** The Snap Pixel's `_scid` cookie, plain. */
  sc_cookie1?: string;
}

/** One item of the event. Snap's docs sample sends the numbers as strings. */
export interface SnapchatContent {
  /** Product ID, as in the catalog. */
  id: string;
  /** Units. */
  quantity?: string;
  /** Unit price. */
  item_price?: string;
  /** Brand. */
  brand?: string;
}

/**
 * What it was worth.
 *
 * @see https://developers.snap.com/api/marketing-api/Conversions-API/Parameters
 */
export interface SnapchatCustomData {
  /** ISO-4217 currency of `value`; required with `value` on `PURCHASE`. */
  currency?: string;
  /** Value of the event, as a decimal string (`"123.45"`), like the docs sample. */
  value?: string;
  /** The items. */
  contents?: SnapchatContent[];
  /** Product IDs. */
  content_ids?: string[];
  /** Category of the page or product. */
  content_category?: string;
  /** Number of items, as a string. */
  num_items?: string;
  /** The shop's order ID. */
  order_id?: string;
  /** The search query, for `SEARCH`. */
  search_string?: string;
  /** Sign-up method, for `SIGN_UP`. */
  sign_up_method?: string;
}

/** Where the conversion happened: `WEB` and `OFFLINE` go to the pixel, `MOBILE_APP` to an app ID. */
export type SnapchatActionSource = 'WEB' | 'MOBILE_APP' | 'OFFLINE';

/**
 * One event of `data[]`.
 *
 * @see https://developers.snap.com/api/marketing-api/Conversions-API/UsingTheAPI
 */
export interface SnapchatEvent {
  /** Snap's event name, the v3 upper-case enum: `PURCHASE`, `ADD_CART`, `PAGE_VIEW`, … */
  event_name: string;
  /** Unix **seconds** (not ms). */
  event_time: number;
  /** The ID the pixel got as `client_dedup_id`: Snap merges the pixel and CAPI copies on it. */
  event_id: string;
  /** `WEB` or `OFFLINE`. */
  action_source: SnapchatActionSource;
  /** The page URL; required for `WEB`. */
  event_source_url?: string;
  /** Who did it; at least one of `em`, `ph`, (`client_ip_address` + `client_user_agent`). */
  user_data: SnapchatUserData;
  /** What it was worth. */
  custom_data?: SnapchatCustomData;
  /** `['LDU']` for US state-privacy limited data use. */
  data_processing_options?: string[];
}

/** The JSON body of the request. */
export interface SnapchatEventsRequest {
  /** ≤ 2 000 events. */
  data: SnapchatEvent[];
}

/**
 * Snap's answer: `{ status, reason }`; `status` is `INVALID` with HTTP 400 for a rejected request
 * (VerifySetUp page). The success body (`VALID` in observed production traffic, `SUCCESS` in some
 * third-party notes) is UNCONFIRMED, so the destination trusts the HTTP status, not this string.
 */
export interface SnapchatResponse {
  /** `VALID` on success, `INVALID` for a rejected request. */
  status?: string;
  /** What happened, in Snap's words. */
  reason?: string;
  /** The parameter at fault, when Snap names one. */
  param?: string;
}
