/**
 * Fake Pinterest API for Conversions v5 (`POST /v5/ad_accounts/{ad_account_id}/events`). Pinterest
 * answers with honest HTTP statuses (platforms.md §7.5): a request that breaks the schema
 * (`additionalProperties: false`, required fields, types, the `user_data` anyOf, 1–1 000 events)
 * fails whole with 400; a request whose events are well-formed but some of them unusable
 * (unhashed personal data, a millisecond or stale `event_time`, an unknown currency) gets 422
 * "Not all events were successfully processed" with one result per event, and the good events are
 * processed; otherwise 200 with one `processed` result per event. `?test=true` validates the same
 * way but records nothing (§7.1).
 */
import type { AcceptedEvent } from './fake-platform';
import {
  describeUnhashed,
  digitCount,
  isIso4217,
  isPlainObject,
  parseJson,
  SHA256_HEX,
  type PlatformAnswer,
  type PlatformHandler,
} from './platform-handler';

const PATH = /^\/v5\/ad_accounts\/([^/]+)\/events$/;
/** v5 OpenAPI: `ad_account_id` matches `^\d+$`, at most 18 characters. */
const AD_ACCOUNT_ID = /^\d{1,18}$/;
const MAX_EVENTS_PER_REQUEST = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The event-time window is UNCONFIRMED (§7.5). The fake refuses events older than 7 days (what the
 * `pinterest()` destination expires at, so a relay bug that sends stale events shows up here) and
 * more than an hour in the future (clock skew is fine; a unit error is not).
 */
const MAX_AGE_MS = 7 * DAY_MS;
const MAX_FUTURE_MS = 60 * 60 * 1000;

/** §7.2, the v5 `event_name` enum: snake_case, so `PageVisit` fails. */
const EVENT_NAMES = new Set([
  'add_payment_info',
  'add_to_cart',
  'add_to_wishlist',
  'app_install',
  'checkout',
  'custom',
  'initiate_checkout',
  'lead',
  'page_visit',
  'search',
  'signup',
  'subscribe',
  'view_category',
  'view_content',
  'watch_video',
]);
const ACTION_SOURCES = new Set(['app_android', 'app_ios', 'web', 'offline']);

/** §7.2: every key an event may carry (`additionalProperties: false`). */
const EVENT_KEYS = new Set([
  'event_name',
  'action_source',
  'event_time',
  'event_id',
  'event_source_url',
  'opt_out',
  'partner_name',
  'user_data',
  'custom_data',
  'app_id',
  'app_name',
  'app_version',
  'device_brand',
  'device_carrier',
  'device_model',
  'device_type',
  'os_version',
  'wifi',
  'language',
  'app_info',
  'device_info',
]);
/** §7.4: every key `custom_data` may carry (`additionalProperties: false`). */
const CUSTOM_DATA_KEYS = new Set([
  'currency',
  'value',
  'content_ids',
  'contents',
  'num_items',
  'order_id',
  'search_string',
  'opt_out_type',
  'content_name',
  'content_category',
  'content_brand',
  'predicted_ltv',
  'np',
  'external_measurement_id',
  'external_measurement_vendor_id',
]);
/** §7.3: lists of SHA-256 hashes. */
const HASHED_USER_FIELDS = [
  'em',
  'ph',
  'fn',
  'ln',
  'ge',
  'db',
  'ct',
  'st',
  'zp',
  'country',
  'external_id',
  'hashed_maids',
];
/** §7.3: plain strings. */
const PLAIN_USER_FIELDS = ['client_ip_address', 'client_user_agent', 'click_id', 'partner_id'];

/** Pinterest's `Error` body: `{ code, message }`. */
export function pinterestError(status: number, code: number, message: string) {
  return { status, body: { code, message } };
}

/** §7.5: the documented error answers, for the fake and for scripted faults. */
export const PINTEREST_ERRORS = {
  invalid: (message = 'The request was invalid.') => pinterestError(400, 4196, message),
  auth: (message = 'Authentication failed.') => pinterestError(401, 2, message),
  forbidden: (message = 'You are not permitted to access that resource.') =>
    pinterestError(403, 29, message),
  rateLimit: (
    message = 'This request exceeded a rate limit. This can happen if the client exceeds one of the published rate limits within a short time window.',
  ) => pinterestError(429, 8, message),
  unavailable: (
    message = 'The endpoint has been ramped down and is currently not accepting any traffic.',
  ) => pinterestError(503, 4197, message),
};

/**
 * The code of a 422 `DetailedError` is UNCONFIRMED (§7.5 gives none); `1` is the code Pinterest v5
 * uses for invalid parameters elsewhere. What `details` holds is UNCONFIRMED as well: the schema
 * says only "object". The fake puts the `ConversionApiResponse` there (counts and one result per
 * event), which the `pinterest()` destination reads, and falls back to bisecting without.
 */
export const PINTEREST_PARTIAL_FAILURE_CODE = 1;

interface EventResult {
  status: 'processed' | 'failed';
  error_message: string | null;
  warning_message: string | null;
}

/** First schema rule the event breaks (→ 400 for the whole request); `undefined` when well-formed. */
function schemaError(event: unknown, index: number): string | undefined {
  const at = `data.${index}`;
  if (!isPlainObject(event)) return `${at}: must be an object.`;
  for (const key of Object.keys(event)) {
    if (!EVENT_KEYS.has(key)) return `${at}: additional property "${key}" is not allowed.`;
  }
  if (typeof event.event_name !== 'string' || !EVENT_NAMES.has(event.event_name)) {
    return `${at}.event_name: must be one of ${[...EVENT_NAMES].join(', ')}.`;
  }
  if (typeof event.action_source !== 'string' || !ACTION_SOURCES.has(event.action_source)) {
    return `${at}.action_source: must be one of ${[...ACTION_SOURCES].join(', ')}.`;
  }
  if (typeof event.event_time !== 'number' || !Number.isInteger(event.event_time)) {
    return `${at}.event_time: must be an integer (unix seconds).`;
  }
  if (typeof event.event_id !== 'string' || event.event_id === '') {
    return `${at}.event_id: is required.`;
  }
  if (event.event_source_url !== undefined && typeof event.event_source_url !== 'string') {
    return `${at}.event_source_url: must be a string.`;
  }
  if (event.opt_out !== undefined && typeof event.opt_out !== 'boolean') {
    return `${at}.opt_out: must be a boolean.`;
  }
  const user = event.user_data;
  if (!isPlainObject(user)) return `${at}.user_data: is required.`;
  for (const field of HASHED_USER_FIELDS) {
    const value = user[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      return `${at}.user_data.${field}: must be an array of strings.`;
    }
  }
  for (const field of PLAIN_USER_FIELDS) {
    if (user[field] !== undefined && typeof user[field] !== 'string') {
      return `${at}.user_data.${field}: must be a string.`;
    }
  }
  const hasEmail = Array.isArray(user.em) && user.em.length > 0;
  const hasMaids = Array.isArray(user.hashed_maids) && user.hashed_maids.length > 0;
  const hasDevice = Boolean(user.client_ip_address) && Boolean(user.client_user_agent);
  if (!hasEmail && !hasMaids && !hasDevice) {
    return `${at}.user_data: must contain em, hashed_maids, or client_ip_address with client_user_agent.`;
  }
  const custom = event.custom_data;
  if (custom === undefined) return undefined;
  if (!isPlainObject(custom)) return `${at}.custom_data: must be an object.`;
  for (const key of Object.keys(custom)) {
    if (!CUSTOM_DATA_KEYS.has(key)) {
      return `${at}.custom_data: additional property "${key}" is not allowed.`;
    }
  }
  // §11.9: money is a string, not a number.
  for (const key of ['currency', 'value', 'order_id', 'search_string', 'predicted_ltv']) {
    if (custom[key] !== undefined && typeof custom[key] !== 'string') {
      return `${at}.custom_data.${key}: must be a string.`;
    }
  }
  if (
    custom.num_items !== undefined &&
    (typeof custom.num_items !== 'number' || !Number.isInteger(custom.num_items))
  ) {
    return `${at}.custom_data.num_items: must be an integer.`;
  }
  if (
    custom.content_ids !== undefined &&
    (!Array.isArray(custom.content_ids) ||
      !custom.content_ids.every((id) => typeof id === 'string'))
  ) {
    return `${at}.custom_data.content_ids: must be an array of strings.`;
  }
  if (custom.contents !== undefined) {
    if (!Array.isArray(custom.contents)) return `${at}.custom_data.contents: must be an array.`;
    for (const [itemIndex, item] of custom.contents.entries()) {
      const itemAt = `${at}.custom_data.contents.${itemIndex}`;
      if (!isPlainObject(item)) return `${itemAt}: must be an object.`;
      if (item.item_price !== undefined && typeof item.item_price !== 'string') {
        return `${itemAt}.item_price: must be a string.`;
      }
      if (
        item.quantity !== undefined &&
        (typeof item.quantity !== 'number' || !Number.isInteger(item.quantity))
      ) {
        return `${itemAt}.quantity: must be an integer.`;
      }
    }
  }
  return undefined;
}

/** Why a well-formed event cannot be processed (→ `failed` in a 422); `undefined` when fine. */
function eventFailure(event: Record<string, unknown>, now: number): string | undefined {
  const eventTime = event.event_time as number;
  // Seconds have 10 digits; 13 means milliseconds, the usual unit bug (platforms.md §15).
  if (digitCount(eventTime) > 10) {
    return 'event_time must be a Unix timestamp in seconds, not milliseconds.';
  }
  if (eventTime * 1000 < now - MAX_AGE_MS) return 'event_time is more than 7 days in the past.';
  if (eventTime * 1000 > now + MAX_FUTURE_MS) return 'event_time is in the future.';
  const user = event.user_data as Record<string, unknown>;
  for (const field of HASHED_USER_FIELDS) {
    const values = user[field] as string[] | undefined;
    const bad = values?.find((value) => !SHA256_HEX.test(value));
    // Never echo the value: it may be the personal data that leaked.
    if (bad !== undefined) {
      return `user_data.${field}: value ${describeUnhashed(bad)}; it must be a SHA-256 hash.`;
    }
  }
  const custom = event.custom_data as Record<string, unknown> | undefined;
  if (custom?.currency !== undefined && !isIso4217(custom.currency)) {
    return 'custom_data.currency is not a valid ISO-4217 currency code.';
  }
  for (const [key, value] of [
    ['value', custom?.value],
    ['predicted_ltv', custom?.predicted_ltv],
  ] as const) {
    if (value !== undefined && !Number.isFinite(Number(value))) {
      return `custom_data.${key} must be a number written as a string.`;
    }
  }
  return undefined;
}

export const handlePinterestRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const testMode = request.query.test === 'true';
  const answer = (
    error: { status: number; body: unknown },
    extra: Partial<PlatformAnswer> = {},
  ): PlatformAnswer => ({ ...error, parsedBody, testMode, ...extra });

  const match = PATH.exec(request.path);
  if (!match || request.method !== 'POST') {
    // Pinterest's body for an unknown route is UNCONFIRMED; its `Error` shape is the safe guess.
    return answer(pinterestError(404, 404, 'Not found.'));
  }

  const authorization = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
  const tokenCheck = request.state.checkToken(bearer?.[1]?.trim());
  if (tokenCheck !== 'ok') return answer(PINTEREST_ERRORS.auth());

  const adAccountId = decodeURIComponent(match[1]!);
  if (!AD_ACCOUNT_ID.test(adAccountId)) {
    return answer(PINTEREST_ERRORS.invalid('ad_account_id: must be digits only (at most 18).'));
  }
  if (parsed === undefined || !parsed.ok || !isPlainObject(parsed.value)) {
    return answer(PINTEREST_ERRORS.invalid('The request body must be a JSON object.'));
  }
  const body = parsed.value;
  for (const key of Object.keys(body)) {
    if (key !== 'data') {
      return answer(PINTEREST_ERRORS.invalid(`additional property "${key}" is not allowed.`));
    }
  }
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0 || data.length > MAX_EVENTS_PER_REQUEST) {
    return answer(
      PINTEREST_ERRORS.invalid(`data: must hold 1 to ${MAX_EVENTS_PER_REQUEST} events.`),
    );
  }
  for (const [index, event] of data.entries()) {
    const message = schemaError(event, index);
    if (message) return answer(PINTEREST_ERRORS.invalid(message));
  }

  const events = data as Record<string, unknown>[];
  const results: EventResult[] = [];
  const accepted: AcceptedEvent[] = [];
  for (const event of events) {
    const failure = eventFailure(event, request.now);
    results.push({
      status: failure ? 'failed' : 'processed',
      error_message: failure ?? null,
      warning_message: null,
    });
    if (failure) continue;
    accepted.push({
      pixelId: adAccountId,
      eventName: event.event_name as string,
      eventId: event.event_id as string,
      eventTime: (event.event_time as number) * 1000,
      body: event,
      // `?test=true`: "the events will not be recorded", so they never enter the dedup ledger.
      validationOnly: testMode,
    });
  }
  const summary = {
    num_events_received: events.length,
    num_events_processed: accepted.length,
    events: results,
  };
  if (accepted.length === events.length) {
    return answer({ status: 200, body: summary }, { accepted });
  }
  return answer(
    {
      status: 422,
      body: {
        code: PINTEREST_PARTIAL_FAILURE_CODE,
        message: 'Not all events were successfully processed.',
        details: summary,
      },
    },
    { accepted },
  );
};
