/**
 * Public types of the fake ad platforms: what a request log entry, an accepted event, a scripted
 * response and a dedup verdict look like. Tests import these to type their assertions; the fakes
 * themselves live in one file per platform (`meta-fake.ts`, `tiktok-fake.ts`, `ga4-fake.ts`,
 * `data-manager-fake.ts`) and share the server in `start-fake-platforms.ts`.
 */

/** The platforms served by one `startFakePlatforms()` server. */
export type FakePlatformName =
  'meta' | 'ga4' | 'dataManager' | 'tiktok' | 'linkedin' | 'reddit' | 'snapchat' | 'pinterest';

/** One HTTP request as the fake received it, with the answer it gave (or the fault it injected). */
export interface RecordedRequest {
  /** Which fake the path routed to. */
  platform: FakePlatformName;
  method: string;
  /** Path without the query string, e.g. `/v26.0/1234567890/events`. */
  path: string;
  /** Query parameters; the last value wins when a name repeats. */
  query: Record<string, string>;
  /** Lower-cased header names. Tokens are kept on purpose: tests check where the token was sent. */
  headers: Record<string, string>;
  /** The body parsed as JSON (or as a form for Meta), else the raw text; `undefined` when empty. */
  body: unknown;
  /** Size of the raw body in bytes (GA4 rejects bodies of 130 kB or more). */
  bodyBytes: number;
  /** What the fake answered; `undefined` while pending and for `timeout` / `reset` faults. */
  response?: { status: number; body: unknown };
  /** Set when the answer came from a fault knob rather than from validation. */
  fault?: 'scripted' | 'outage' | 'timeout' | 'reset';
  /** GA4 only: what the validation server would report for this request (also on `/mp/collect`). */
  validationMessages?: Ga4ValidationMessage[];
  /** The request used the platform's test mode (`test_event_code`, `/debug`, `validateOnly`). */
  testMode: boolean;
  /** Receipt time by the fake's clock (ms since the epoch). */
  receivedAt: number;
}

/** One event the fake accepted, flattened to the fields every platform has. */
export interface ReceivedEvent {
  platform: FakePlatformName;
  /**
   * The destination key: Meta pixel ID, TikTok `event_source_id`, GA4 `measurement_id` (or
   * `firebase_app_id`), Data Manager `productDestinationId`, LinkedIn conversion rule ID,
   * Pinterest `ad_account_id`.
   */
  pixelId: string;
  /**
   * The platform's own event name (`Purchase`, `CompletePayment`, `purchase`…); for LinkedIn, which
   * names no events, the conversion rule ID (what the Insight Tag sends as `conversion_id`).
   */
  eventName: string;
  /** Dedup ID: Meta/TikTok `event_id`, GA4 `transaction_id` or `event_id` param, Data Manager `transactionId`. */
  eventId: string | undefined;
  /** Event time in ms since the epoch, converted from the platform's unit. */
  eventTime: number;
  /** The platform event exactly as received. */
  body: unknown;
  /** Meta and TikTok `test_event_code`. */
  testEventCode?: string;
  /** Validation-only traffic (`/debug/mp/collect`, `validateOnly: true`): accepted, never counted. */
  validationOnly: boolean;
  /** The same server copy was already received inside the dedup window, so the platform drops it. */
  deduplicated: boolean;
  receivedAt: number;
}

/** A GA4 validation message, as `/debug/mp/collect` returns it. */
export interface Ga4ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode:
    | 'VALUE_INVALID'
    | 'VALUE_REQUIRED'
    | 'NAME_INVALID'
    | 'NAME_RESERVED'
    | 'VALUE_OUT_OF_BOUNDS'
    | 'EXCEEDED_MAX_ENTITIES'
    | 'NAME_DUPLICATED';
}

/** Errors the fakes can be scripted to answer, each in the platform's real transport and shape. */
export type ScriptedErrorKind =
  /** Meta HTTP 400, Graph `code: 100` invalid parameter, not transient. */
  | 'meta_invalid_param'
  /** Meta HTTP 400, Graph `code: 190` expired or invalid token. */
  | 'meta_token'
  /** Meta HTTP 500, Graph `code: 2` with `is_transient: true`. */
  | 'meta_transient'
  /** Meta HTTP 400, Graph `code: 4` application request limit reached. */
  | 'meta_rate_limit'
  /** TikTok HTTP 200, body `code: 40100` too many requests. */
  | 'tiktok_throttled'
  /** TikTok HTTP 200, body `code: 40002` invalid parameters. */
  | 'tiktok_invalid'
  /** TikTok HTTP 200, body `code: 40001` no permission. */
  | 'tiktok_auth'
  /** Google HTTP 401 `UNAUTHENTICATED` (expired OAuth token). */
  | 'google_unauthenticated'
  /** Google HTTP 400 `INVALID_ARGUMENT`. */
  | 'google_invalid_argument'
  /** Google HTTP 429 `RESOURCE_EXHAUSTED`. */
  | 'google_resource_exhausted'
  /** Google HTTP 503 `UNAVAILABLE`. */
  | 'google_unavailable'
  /** LinkedIn HTTP 401 `INVALID_ACCESS_TOKEN` (serviceErrorCode 65600). */
  | 'linkedin_token'
  /** LinkedIn HTTP 422 request validation failed. */
  | 'linkedin_invalid'
  /** LinkedIn HTTP 429 throttle limit reached. */
  | 'linkedin_throttled'
  /** LinkedIn HTTP 426 `NONEXISTENT_VERSION` (a sunset `LinkedIn-Version`). */
  | 'linkedin_version'
  /** Reddit HTTP 400 `invalid_events[]`, "None were processed" (no event echoed back). */
  | 'reddit_invalid'
  /** Reddit HTTP 401 `{ success: false, error: { reason: 'UNAUTHORIZED' } }`. */
  | 'reddit_unauthorized'
  /** Reddit HTTP 429 with a JSON error body. */
  | 'reddit_rate_limited'
  /** Snapchat HTTP 400 `{ status: 'INVALID', reason }`. */
  | 'snapchat_invalid'
  /** Snapchat HTTP 401, invalid access token. */
  | 'snapchat_unauthorized'
  /** Snapchat HTTP 429, rate limited. */
  | 'snapchat_rate_limited'
  /** Pinterest HTTP 400 `code: 4196` the request was invalid. */
  | 'pinterest_invalid'
  /** Pinterest HTTP 401 `code: 2` authentication failed. */
  | 'pinterest_auth'
  /** Pinterest HTTP 403 `code: 29` not permitted on this ad account. */
  | 'pinterest_forbidden'
  /** Pinterest HTTP 429 `code: 8` rate limit. */
  | 'pinterest_rate_limit'
  /** Pinterest HTTP 503 `code: 4197` endpoint ramped down. */
  | 'pinterest_unavailable';

/** One scripted answer; see `FakePlatform.respondWith` and `FakePlatform.setOutage`. */
export type ScriptedResponse =
  /** Answer this status (e.g. 503, or 429 with `headers: { 'retry-after': '2' }`). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Answer the platform's real error for this kind; `message` overrides the default text. */
  | { kind: 'error'; error: ScriptedErrorKind; message?: string; headers?: Record<string, string> }
  /** Never answer: hold the socket until the client gives up (or the fake closes). */
  | { kind: 'timeout' }
  /** Destroy the connection after reading the request. */
  | { kind: 'reset' }
  /** Wait this long (wall-clock), then validate and answer normally. */
  | { kind: 'latency'; ms: number };

/**
 * `matched`: a pixel copy and a server copy; `server_only`; `pixel_only`; `duplicate`: the server
 * copy arrived twice inside the window (a relay bug even though the platform drops it); `unknown`.
 */
export type DedupVerdict = 'matched' | 'server_only' | 'pixel_only' | 'duplicate' | 'unknown';

/** A browser pixel hit, recorded so the fake can pair it with the server copy. */
export interface PixelHit {
  pixelId?: string;
  eventName: string;
  eventId: string;
  /** When the pixel fired, ms since the epoch; defaults to the fake's clock. */
  at?: number;
}

/** Counts over every dedup key the platform has seen. */
export interface DedupStats {
  matched: number;
  serverOnly: number;
  pixelOnly: number;
  duplicates: number;
}

/** One row of the dedup ledger, as `GET /__fake/state` shows it. */
export interface DedupEntry {
  pixelId: string | undefined;
  eventName: string;
  eventId: string;
  serverCopies: number;
  pixelCopies: number;
  firstSeenAt: number;
  verdict: DedupVerdict;
}

/** Inspection and fault knobs of one fake platform. */
export interface FakePlatform {
  readonly name: FakePlatformName;
  /** Every request this platform received, in order. */
  readonly requests: RecordedRequest[];
  /** Events this platform accepted, in order. */
  readonly events: ReceivedEvent[];
  /** Script the next responses, consumed one per request in order; then back to normal validation. */
  respondWith(...responses: ScriptedResponse[]): void;
  /** Every request answers this until cleared with `undefined` (a simulated outage). */
  setOutage(response: ScriptedResponse | undefined): void;
  /** Record a browser pixel hit (the pixel copy) for dedup verdicts. */
  recordPixelHit(hit: PixelHit): void;
  /** Verdict for one event; without `pixelId`, any pixel matches. */
  dedupVerdict(eventName: string, eventId: string, pixelId?: string): DedupVerdict;
  /** Counts of every verdict over the ledger. */
  dedupStats(): DedupStats;
  /** The ledger rows, oldest first. */
  dedupEntries(): DedupEntry[];
  /** Treat this token as expired/revoked: requests carrying it get the platform's auth error. */
  rejectToken(token: string): void;
  /** Accept only these tokens (`undefined`: any non-empty token that was not rejected). */
  acceptTokens(tokens: string[] | undefined): void;
  /** Clear logs, scripted responses, outage, token rules and the dedup ledger of this platform. */
  reset(): void;
}

/** The running fake server. */
export interface FakePlatforms {
  /** `http://127.0.0.1:PORT`: pass it as `baseURL` to every destination. */
  readonly url: string;
  /** Meta Graph API: `POST /v{N}.{M}/{pixelId}/events`. */
  readonly meta: FakePlatform;
  /** GA4 Measurement Protocol: `POST /mp/collect` and `/debug/mp/collect`. */
  readonly ga4: FakePlatform;
  /** Google Data Manager API: `POST /v1/events:ingest`. */
  readonly dataManager: FakePlatform;
  /** TikTok Events API 2.0: `POST /open_api/v1.3/event/track/`. */
  readonly tiktok: FakePlatform;
  /** LinkedIn Conversions API: `POST /rest/conversionEvents` (dedup key: conversion rule ID + `eventId`). */
  readonly linkedin: FakePlatform;
  /** Reddit Conversions API v3: `POST /api/v3/pixels/{pixelId}/conversion_events`. */
  readonly reddit: FakePlatform;
  /** Snapchat Conversions API v3: `POST /v3/{pixelId}/events` and `/v3/{pixelId}/events/validate`. */
  readonly snapchat: FakePlatform;
  /** Pinterest API for Conversions v5: `POST /v5/ad_accounts/{ad_account_id}/events`. */
  readonly pinterest: FakePlatform;
  /** Every request to any platform, in order (pixel and state endpoints excluded). */
  readonly requests: RecordedRequest[];
  /** Clear every platform's logs, scripted responses, token rules and dedup ledger. */
  reset(): void;
  /** Stop the server; held (`timeout`) connections are destroyed. */
  close(): Promise<void>;
}

/** Options of `startFakePlatforms`. */
export interface StartFakePlatformsOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Loopback address to bind: `127.0.0.1` (default), `::1` or `localhost`. */
  host?: string;
  /** Time source for validation windows and dedup (ms since the epoch); defaults to `Date.now`. */
  clock?: () => number;
}
