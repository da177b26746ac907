/**
 * Wire types of the Meta Conversions API, with Meta's own snake_case field names. Only what
 * capi-kit sends or reads is modelled. Field rules are summarized from the docs and cross-checked
 * against facebook-nodejs-business-sdk (see `shared/reference/platforms.md` §2).
 */

/**
 * The request body of `POST /{api-version}/{pixel-id}/events`.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/main-body
 */
export interface MetaEventsRequest {
  /** The events, 1 to 1000. One invalid event makes Meta reject the whole request. */
  data: MetaServerEvent[];
  /** Routes the events to Events Manager › Test Events instead of production; remove it for production. */
  test_event_code?: string;
  /** Identifies the integration that sent the events (`capi-kit`). */
  partner_agent?: string;
}

/**
 * Where the conversion happened.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event#action-source
 */
export type MetaActionSource =
  | 'email'
  | 'website'
  | 'app'
  | 'phone_call'
  | 'chat'
  | 'physical_store'
  | 'system_generated'
  | 'other';

/**
 * One server event.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event
 */
export interface MetaServerEvent {
  /** Standard (`Purchase`, `AddToCart`…) or custom event name; with `event_id` the dedup key against the pixel. */
  event_name: string;
  /** Unix time in **seconds**. At most 7 days old (62 for `physical_store`), else the whole request fails. */
  event_time: number;
  /** The shared event ID: equal to the pixel's `eventID` so Meta keeps one copy within 48 h. */
  event_id: string;
  /** Where the conversion happened; `website` also requires `event_source_url` and `client_user_agent`. */
  action_source: MetaActionSource;
  /** The page URL, `http(s)://…`. Required for `website` events. */
  event_source_url?: string;
  /** The page's referrer. */
  referrer_url?: string;
  /** Customer information; hashed where Meta requires it. */
  user_data: MetaUserData;
  /** Commerce data. */
  custom_data?: MetaCustomData;
  /** `['LDU']` turns on Limited Data Use; `[]` states it is off. */
  data_processing_options?: string[];
  /** With LDU: `1` = USA, `0` = let Meta geolocate. */
  data_processing_options_country?: number;
  /** With LDU: `1000` = California, `0` = let Meta geolocate. */
  data_processing_options_state?: number;
}

/**
 * Customer information parameters. Hashed fields are SHA-256 lowercase hex of the value
 * normalized per Meta's rules, and may be lists.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
 */
export interface MetaUserData {
  /** E-mail: trimmed, lowercased, hashed. */
  em?: string[];
  /** Phone: digits only with country code, no `+`, hashed. */
  ph?: string[];
  /** First name: lowercase, no punctuation, hashed. */
  fn?: string[];
  /** Last name: lowercase, no punctuation, hashed. */
  ln?: string[];
  /** Date of birth `YYYYMMDD`, hashed. */
  db?: string[];
  /** Gender `f` or `m`, hashed. */
  ge?: string[];
  /** City: lowercase, no spaces or punctuation, hashed. */
  ct?: string[];
  /** State: 2-letter lowercase code, hashed. */
  st?: string[];
  /** Postal code: lowercase, no spaces (US: 5 digits), hashed. */
  zp?: string[];
  /** Country: ISO-3166-1 alpha-2 lowercase, hashed. */
  country?: string[];
  /** The advertiser's customer ID, hashed (the pixel hashes it too, so both copies match). */
  external_id?: string[];
  /** Client IP address (IPv4 or IPv6), plain. */
  client_ip_address?: string;
  /** Client user agent, plain. Required for `website` events. */
  client_user_agent?: string;
  /** Click ID, the `_fbc` cookie as is (`fb.1.{ms}.{fbclid}`), plain. */
  fbc?: string;
  /** Browser ID, the `_fbp` cookie as is (`fb.1.{ms}.{random}`), plain. */
  fbp?: string;
}

/**
 * Commerce data.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data
 */
export interface MetaCustomData {
  /** Monetary value, in `currency`. */
  value?: number;
  /** ISO-4217 code. Required with `value` for `Purchase`. */
  currency?: string;
  /** The order ID. */
  order_id?: string;
  /** Product IDs. */
  content_ids?: string[];
  /** The cart or order lines. */
  contents?: MetaContent[];
  /** `product` or `product_group`. */
  content_type?: string;
  /** Name of the page or product. */
  content_name?: string;
  /** Category of the page or product. */
  content_category?: string;
  /** Number of items (InitiateCheckout). */
  num_items?: number;
  /** The search query (Search). */
  search_string?: string;
  /** Status of a registration (CompleteRegistration). */
  status?: string;
  /** Predicted lifetime value of the customer. */
  predicted_ltv?: number;
  /** Custom properties pass through. */
  [key: string]: unknown;
}

/**
 * One line of `contents`.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data#contents
 */
export interface MetaContent {
  /** The product ID (same as in the catalog). */
  id: string;
  /** Units. */
  quantity?: number;
  /** Unit price. */
  item_price?: number;
}

/**
 * The success answer.
 * @see https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api#send
 */
export interface MetaEventsResponse {
  /** How many events Meta accepted. */
  events_received: number;
  /** Diagnostics, usually empty. */
  messages: unknown[];
  /** Meta's trace ID for support. */
  fbtrace_id: string;
}

/**
 * The Graph API error envelope (HTTP 4xx/5xx).
 * @see https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
export interface MetaErrorResponse {
  error: {
    /** Developer-facing message. */
    message: string;
    /** Error type, e.g. `OAuthException`. */
    type?: string;
    /** `190` token, `100` invalid parameter, `4`/`17`/`32`/`613` rate limits… */
    code?: number;
    /** Finer reason; the 2804xxx range holds Conversions API validation errors. */
    error_subcode?: number;
    /** `true` when the same request may succeed later. */
    is_transient?: boolean;
    /** Short user-facing title. */
    error_user_title?: string;
    /** User-facing explanation, often naming the faulty field. */
    error_user_msg?: string;
    /** Meta's trace ID for support. */
    fbtrace_id?: string;
  };
}
