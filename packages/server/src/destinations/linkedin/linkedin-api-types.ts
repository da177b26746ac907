/**
 * Wire types of the LinkedIn Conversions API (`POST /rest/conversionEvents`), with LinkedIn's
 * camelCase names. Shapes follow platforms.md §9 (its sources: LinkedIn's conversions-api-schema
 * and FAQ pages, and Segment, RudderStack and Stape's LinkedIn integrations).
 *
 * @see https://learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/conversions-api
 */

/**
 * The identifier kinds this destination sends. LinkedIn also knows `ACXIOM_ID` and
 * `ORACLE_MOAT_ID` (third-party IDs a site does not have); Segment's `AXCIOM_ID` is a typo
 * (platforms.md §11.8).
 */
export type LinkedInIdType = 'SHA256_EMAIL' | 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID';

/** One way to recognize the member. */
export interface LinkedInUserId {
  /** What `idValue` is. */
  idType: LinkedInIdType;
  /** SHA-256 hex of the trimmed, lowercased e-mail, or the `li_fat_id` click ID (plain). */
  idValue: string;
}

/** Plain-text profile data; when present, `firstName` and `lastName` are both required (§9.2). */
export interface LinkedInUserInfo {
  /** First name, plain (normalized by `@capi-kit/core`). */
  firstName: string;
  /** Last name, plain. */
  lastName: string;
  /** Job title, plain. */
  title?: string;
  /** Employer, plain. */
  companyName?: string;
  /** ISO-3166-1 alpha-2, upper case (`US`). */
  countryCode?: string;
}

/** Who converted. */
export interface LinkedInUser {
  /** At least one: hashed e-mail and/or the `li_fat_id` click ID. */
  userIds: LinkedInUserId[];
  /** Name (and country) for matching, plain. */
  userInfo?: LinkedInUserInfo;
  /** The site's own customer ID, plain; LinkedIn takes one value only (§9.2). */
  externalIds?: [string];
}

/** What the conversion was worth. */
export interface LinkedInConversionValue {
  /** ISO-4217, upper case. */
  currencyCode: string;
  /** The amount as a decimal **string** (`"123.45"`), not a number (§9.2). */
  amount: string;
}

/** One conversion event: an element of `elements[]` in a `BATCH_CREATE`. */
export interface LinkedInConversionEvent {
  /** The conversion rule: `urn:lla:llaPartnerConversion:{conversionRuleId}`. */
  conversion: string;
  /** Unix **milliseconds**. */
  conversionHappenedAt: number;
  /** What it was worth, when the event has a value and a currency. */
  conversionValue?: LinkedInConversionValue;
  /** The same ID the Insight Tag got as `event_id`: LinkedIn deduplicates on it (§9.2). */
  eventId: string;
  /** Who converted. */
  user: LinkedInUser;
}

/** The body of a `BATCH_CREATE` (header `X-RestLi-Method: BATCH_CREATE`): ≤ 5 000 elements. */
export interface LinkedInBatchCreateRequest {
  elements: LinkedInConversionEvent[];
}

/** LinkedIn's error body (Rest.li), on an HTTP error or inside a batch element. */
export interface LinkedInErrorBody {
  /** The HTTP status again. */
  status?: number;
  /** LinkedIn's numeric error code (`65600` invalid access token…). */
  serviceErrorCode?: number;
  /** A symbolic code (`INVALID_ACCESS_TOKEN`, `NONEXISTENT_VERSION`…). */
  code?: string;
  /** What went wrong. */
  message?: string;
  /** Field-level details of a validation error. */
  errorDetails?: {
    inputErrors?: Array<{
      description?: string;
      code?: string;
      input?: { inputPath?: { fieldPath?: string } };
    }>;
  };
}

/** The outcome of one element of a `BATCH_CREATE`, in request order. */
export interface LinkedInBatchElementResult {
  /** 201 when created; a 4xx/5xx status when this element failed. */
  status: number;
  /** Why it failed. */
  error?: LinkedInErrorBody;
}

/** LinkedIn's answer to a `BATCH_CREATE` (2xx). */
export interface LinkedInBatchCreateResponse {
  elements?: LinkedInBatchElementResult[];
}
