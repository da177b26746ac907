/**
 * Wire types of the two Google APIs capi-kit sends to: the GA4 Measurement Protocol (snake_case)
 * and the Data Manager API used for Google Ads conversions (camelCase, protobuf JSON). Field names
 * are exactly the platforms'; each group links to its reference page.
 */

// ---------------------------------------------------------------------------------------------
// GA4 Measurement Protocol
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference
// ---------------------------------------------------------------------------------------------

/** A GA4 param value: params must be scalars (only `items` may be an array). */
export type Ga4ParamValue = string | number | boolean;

/**
 * One item of an e-commerce event.
 * https://developers.google.com/analytics/devguides/collection/ga4/reference/events#purchase_item
 */
export interface Ga4Item {
  /** The product ID or SKU (`item_id` or `item_name` is required). */
  item_id: string;
  /** The product name. */
  item_name?: string;
  /** The product category. */
  item_category?: string;
  /** The brand. */
  item_brand?: string;
  /** The variant (size, colour…). */
  item_variant?: string;
  /** The unit price, in the event's currency. */
  price?: number;
  /** Units. */
  quantity?: number;
}

/** One event of a request. */
export interface Ga4Event {
  /** Event name: `^[A-Za-z][A-Za-z0-9_]{0,39}$`, GA4 recommended names where one exists (`purchase`). */
  name: string;
  /** Event params: ≤ 25, names ≤ 40 chars, values ≤ 100 chars (page_location 1 000). */
  params: Record<string, Ga4ParamValue | Ga4Item[]>;
  /** When this event happened, µs epoch; overrides the request-level `timestamp_micros`. */
  timestamp_micros?: number;
}

/**
 * One postal address of `user_data`: names hashed, place fields plain.
 * https://developers.google.com/analytics/devguides/collection/ga4/uid-data
 */
export interface Ga4Address {
  /** SHA-256 hex of the lowercased first name without digits and symbols. */
  sha256_first_name?: string;
  /** SHA-256 hex of the lowercased last name without digits and symbols. */
  sha256_last_name?: string;
  /** SHA-256 hex of the street (not collected by capi-kit). */
  sha256_street?: string;
  /** City, plain, lowercased, without digits and symbols. */
  city?: string;
  /** State or region, plain. */
  region?: string;
  /** Postal code, plain. */
  postal_code?: string;
  /** ISO-3166-1 alpha-2 country, plain. */
  country?: string;
}

/**
 * User-provided data, hashed per Google's rules (trim, lowercase, E.164 phone with `+`, Gmail dots
 * removed). https://developers.google.com/analytics/devguides/collection/ga4/uid-data
 */
export interface Ga4UserData {
  /** SHA-256 hex of each normalized e-mail address. */
  sha256_email_address?: string[];
  /** SHA-256 hex of each E.164 phone number (`+16505551212`). */
  sha256_phone_number?: string[];
  /** Postal addresses. */
  address?: Ga4Address[];
}

/** Consent for ads uses of the data (consent mode). */
export interface Ga4Consent {
  /** May the data be used for advertising? */
  ad_user_data?: 'GRANTED' | 'DENIED';
  /** May it be used for personalized advertising? */
  ad_personalization?: 'GRANTED' | 'DENIED';
}

/** The JSON body of `POST /mp/collect` and `/debug/mp/collect`. */
export interface Ga4Request {
  /** The browser instance (from the `_ga` cookie): required for web streams. */
  client_id: string;
  /** The site's own user ID, plain, UTF-8. Recommended whenever `user_data` is sent. */
  user_id?: string;
  /** µs epoch of the request; events may override it. Backdating is allowed up to 72 h. */
  timestamp_micros?: number;
  /** Hashed user-provided data. */
  user_data?: Ga4UserData;
  /** Consent mode signals. */
  consent?: Ga4Consent;
  /** The client's IP, used by GA4 for geolocation instead of the sender's. */
  ip_override?: string;
  /** ≤ 25 events. */
  events: Ga4Event[];
}

/**
 * One finding of the validation server.
 * https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events
 */
export interface Ga4ValidationMessage {
  /** The field at fault (`events`, `events[2].params.value`, …). */
  fieldPath?: string;
  /** What is wrong, in words; names the event index for event-level findings. */
  description?: string;
  /** `VALUE_INVALID`, `VALUE_REQUIRED`, `NAME_INVALID`, `NAME_RESERVED`, `VALUE_OUT_OF_BOUNDS`, `EXCEEDED_MAX_ENTITIES`, `NAME_DUPLICATED`. */
  validationCode?: string;
}

/** The answer of `POST /debug/mp/collect`; empty `validationMessages` means valid. */
export interface Ga4ValidationResponse {
  /** The findings. */
  validationMessages?: Ga4ValidationMessage[];
}

// ---------------------------------------------------------------------------------------------
// Data Manager API, events:ingest
// https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest
// ---------------------------------------------------------------------------------------------

/** A Google account the request acts on or through. */
export interface DataManagerAccount {
  /** `GOOGLE_ADS` for conversions. */
  accountType: 'GOOGLE_ADS';
  /** The customer ID, digits only. */
  accountId: string;
}

/** Where the events go. */
export interface DataManagerDestination {
  /** The Google Ads account that owns the conversion action. */
  operatingAccount: DataManagerAccount;
  /** The manager account the credentials belong to, when acting through one. */
  loginAccount?: DataManagerAccount;
  /** The conversion action ID. */
  productDestinationId: string;
}

/** Consent status values of the Data Manager API (not the GA4 or Ads API spelling). */
export type DataManagerConsentStatus =
  'CONSENT_GRANTED' | 'CONSENT_DENIED' | 'CONSENT_STATUS_UNSPECIFIED';

/** Consent of one event (event-level consent overrides request-level consent). */
export interface DataManagerConsent {
  /** May the user data be used for advertising? */
  adUserData?: DataManagerConsentStatus;
  /** May it be used for personalized advertising? */
  adPersonalization?: DataManagerConsentStatus;
}

/** An address identifier: names hashed, region and postal code plain. */
export interface DataManagerAddressInfo {
  /** SHA-256 hex of the normalized given name. */
  givenName: string;
  /** SHA-256 hex of the normalized family name. */
  familyName: string;
  /** ISO-3166-1 alpha-2 country, uppercase (`US`). */
  regionCode: string;
  /** Postal code, plain. */
  postalCode: string;
}

/** One identifier: exactly one of the keys (a protobuf oneof). */
export type DataManagerUserIdentifier =
  | { /** SHA-256 hex of the normalized e-mail. */ emailAddress: string }
  | { /** SHA-256 hex of the E.164 phone. */ phoneNumber: string }
  | { /** A postal address. */ address: DataManagerAddressInfo };

/** User data of one event. */
export interface DataManagerUserData {
  /** One identifier per object, ≤ 10. */
  userIdentifiers: DataManagerUserIdentifier[];
}

/** The device the ad click landed on. */
export interface DataManagerDeviceInfo {
  /** The browser's user agent. */
  userAgent?: string;
  /** The client IP address. */
  ipAddress?: string;
}

/** Click identifiers and landing device of one event. */
export interface DataManagerAdIdentifiers {
  /** Google click ID. */
  gclid?: string;
  /** iOS app-to-web click ID. */
  gbraid?: string;
  /** iOS web-to-app click ID. */
  wbraid?: string;
  /** The device of the landing page visit. */
  landingPageDeviceInfo?: DataManagerDeviceInfo;
}

/** One cart line. */
export interface DataManagerCartItem {
  /** The product ID as in Merchant Center. */
  merchantProductId: string;
  /** Units. */
  quantity?: number;
  /** Unit price. */
  unitPrice?: number;
}

/** One conversion. */
export interface DataManagerEvent {
  /** Dedup key with the Google tag: the order ID (falls back to the capi-kit event ID). */
  transactionId: string;
  /** When the conversion happened, RFC 3339 (`2026-01-01T00:00:00Z`). Required. */
  eventTimestamp: string;
  /** `WEB`, `APP`, `IN_STORE`, `PHONE` or `OTHER`. */
  eventSource?: 'WEB' | 'APP' | 'IN_STORE' | 'PHONE' | 'OTHER';
  /** ISO-4217 currency of `conversionValue`. */
  currency?: string;
  /** Value of the conversion. */
  conversionValue?: number;
  /** Click identifiers. */
  adIdentifiers?: DataManagerAdIdentifiers;
  /** Hashed user identifiers (requires the request's `encoding`). */
  userData?: DataManagerUserData;
  /** The event's consent. */
  consent?: DataManagerConsent;
  /** Items of the order. */
  cartData?: { items: DataManagerCartItem[] };
}

/** The JSON body of `POST /v1/events:ingest`. */
export interface DataManagerIngestRequest {
  /** Where the events go. */
  destinations: DataManagerDestination[];
  /** ≤ 2 000 events. */
  events: DataManagerEvent[];
  /** `HEX` or `BASE64`; required when user data is uploaded. */
  encoding?: 'HEX' | 'BASE64';
  /** Validate only: nothing is ingested, only errors come back. */
  validateOnly?: boolean;
}

/** A successful ingest. */
export interface DataManagerIngestResponse {
  /** Identifies the request for `requestStatus.retrieve`. */
  requestId?: string;
}

/**
 * A google.rpc.Status error body.
 * https://cloud.google.com/apis/design/errors#http_mapping
 */
export interface GoogleRpcErrorBody {
  /** The error. */
  error: {
    /** The HTTP status code. */
    code?: number;
    /** A developer-facing message. */
    message?: string;
    /** `INVALID_ARGUMENT`, `UNAUTHENTICATED`, `PERMISSION_DENIED`, `RESOURCE_EXHAUSTED`, … */
    status?: string;
    /** Typed details; `google.rpc.BadRequest` lists `fieldViolations[{field, description}]`. */
    details?: Array<{
      '@type'?: string;
      fieldViolations?: Array<{ field?: string; description?: string; reason?: string }>;
      [key: string]: unknown;
    }>;
  };
}
