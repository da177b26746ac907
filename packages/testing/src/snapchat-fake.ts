/**
 * Fake Snapchat Conversions API v3 (`POST /v3/{pixelId}/events`, and `/events/validate`, Snap's
 * test endpoint that checks events without counting them). Snap accepts or rejects a request as a
 * whole: HTTP 400 with `{ status: 'INVALID', reason }` for a missing required field, a Purchase
 * without price or currency, an invalid hashed IP, a timestamp out of range, unhashed PII or
 * insufficient PII (platforms.md §6.5); the fake applies those rules to every event of `data[]`
 * (§6.2, §6.3) and names the first offender as `data[{index}].{field}`. The token may come as
 * `?access_token=` (Snap's docs) or `Authorization: Bearer` (RudderStack), both as Snap takes them.
 */
import type { AcceptedEvent } from './fake-platform';
import type { ScriptedErrorKind } from './fake-types';
import {
  describeUnhashed,
  digitCount,
  isIso4217,
  isPlainObject,
  parseJson,
  SHA256_HEX,
  stringValues,
  type PlatformAnswer,
  type PlatformHandler,
} from './platform-handler';

const EVENTS_PATH = /^\/v3\/([^/]+)\/events(\/validate)?$/;
/** `data[]` holds at most 2 000 events (§6.1). */
const MAX_EVENTS_PER_REQUEST = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Oldest accepted event: UNCONFIRMED for v3 (§6.2: Segment says 7 days, RudderStack 28, v2 had 37).
 * The fake holds the line at 7 days, the window capi-kit's destination promises to respect.
 */
const MAX_EVENT_AGE_MS = 7 * DAY_MS;
/** How far ahead an event may be: UNCONFIRMED; a day, as the Meta fake allows, absorbs clock skew. */
const MAX_FUTURE_MS = DAY_MS;
/** The v3 event-name enum (§6.2, third-party schema, UNCONFIRMED); the docs also send `Purchase`. */
const EVENT_NAMES = new Set(
  (
    'PAGE_VIEW VIEW_CONTENT ADD_CART ADD_TO_WISHLIST SIGN_UP SEARCH PURCHASE ADD_BILLING ' +
    'START_CHECKOUT SUBSCRIBE START_TRIAL AD_CLICK AD_VIEW LIST_VIEW SAVE SHARE INVITE LOGIN RESERVE ' +
    'RATE LEVEL_COMPLETE ACHIEVEMENT_UNLOCKED SPEND_CREDITS COMPLETE_TUTORIAL CUSTOM_EVENT_1 ' +
    'CUSTOM_EVENT_2 CUSTOM_EVENT_3 CUSTOM_EVENT_4 CUSTOM_EVENT_5'
  ).split(' '),
);
/** `WEB`, `MOBILE_APP`, `OFFLINE`; Segment's `website`/`app`/`offline` are accepted too (§6.2). */
const ACTION_SOURCES = new Set(['WEB', 'MOBILE_APP', 'OFFLINE', 'WEBSITE', 'APP']);
/** §6.3: these user fields must be SHA-256 hashed; the "Unhashed PII" rule. */
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
];
const PLAIN_IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const PLAIN_IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/** Whether `path` is one of the routes this fake serves. */
export function isSnapchatPath(path: string): boolean {
  return EVENTS_PATH.test(path);
}

/**
 * Snap's answer body. `status` is `INVALID` for a rejected request (VerifySetUp page); `VALID` on
 * success was seen in production traffic (third-party logs, UNCONFIRMED by the docs, which some
 * notes contradict with `SUCCESS`).
 */
export function snapchatBody(status: string, reason: string): Record<string, unknown> {
  return { status, reason };
}

/** The scripted `{ kind: 'error' }` answers of this platform. */
export function renderSnapchatError(
  kind: Extract<ScriptedErrorKind, `snapchat_${string}`>,
  message: string | undefined,
): { status: number; body: unknown } {
  switch (kind) {
    case 'snapchat_invalid':
      return { status: 400, body: snapchatBody('INVALID', message ?? 'Invalid request.') };
    case 'snapchat_unauthorized':
      return { status: 401, body: snapchatBody('UNAUTHORIZED', message ?? 'Invalid access token') };
    case 'snapchat_rate_limited':
      return { status: 429, body: snapchatBody('RATE_LIMITED', message ?? 'Too many requests') };
  }
}

function invalid(reason: string, parsedBody: unknown, testMode: boolean): PlatformAnswer {
  return { status: 400, body: snapchatBody('INVALID', reason), parsedBody, testMode };
}

/** `PAGE_VIEW` and its mixed-case spelling `PageView`, as the docs samples use both. */
function isEventName(name: string): boolean {
  if (EVENT_NAMES.has(name)) return true;
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return /^[A-Z]/.test(name) && name !== name.toUpperCase() && EVENT_NAMES.has(snake);
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim());
}

/** First rule the event breaks, as a Snap reason; `undefined` when valid. */
function validateEvent(event: unknown, index: number, now: number): string | undefined {
  const at = `data[${index}]`;
  if (!isPlainObject(event)) return `${at}: must be an object.`;
  const name = event.event_name;
  if (typeof name !== 'string' || name === '') return `${at}.event_name: required field missing.`;
  if (!isEventName(name)) return `${at}.event_name: unknown event name.`;

  const eventTime = event.event_time;
  if (typeof eventTime !== 'number' || !Number.isInteger(eventTime) || eventTime <= 0) {
    return `${at}.event_time: required field missing or not an integer.`;
  }
  // Seconds have 10 digits; 13 means milliseconds, thousands of years ahead when read as seconds.
  const eventMs = eventTime * 1000;
  if (
    digitCount(eventTime) > 10 ||
    eventMs > now + MAX_FUTURE_MS ||
    eventMs < now - MAX_EVENT_AGE_MS
  ) {
    return `${at}.event_time: Timestamp invalid or out of range.`;
  }

  const source = event.action_source;
  if (typeof source !== 'string' || !ACTION_SOURCES.has(source.toUpperCase())) {
    return `${at}.action_source: required field missing or not one of WEB, MOBILE_APP, OFFLINE.`;
  }
  const web = source.toUpperCase() === 'WEB' || source.toUpperCase() === 'WEBSITE';
  if (event.event_source_url !== undefined || web) {
    const url = event.event_source_url;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
      return `${at}.event_source_url: required for web events, an http(s) URL.`;
    }
  }
  if (
    event.event_id !== undefined &&
    (typeof event.event_id !== 'string' || event.event_id === '')
  ) {
    return `${at}.event_id: must be a non-empty string.`;
  }

  const user = event.user_data;
  if (!isPlainObject(user)) return `${at}.user_data: required field missing.`;
  for (const field of HASHED_USER_FIELDS) {
    if (!(field in user)) continue;
    const values = stringValues(user[field]);
    if (!values) return `${at}.user_data.${field}: must be a string or a list of strings.`;
    const bad = values.find((value) => !SHA256_HEX.test(value));
    if (bad !== undefined) {
      return `${at}.user_data.${field}: Unhashed PII: value ${describeUnhashed(bad)}.`;
    }
  }
  for (const field of ['client_user_agent', 'sc_click_id', 'sc_cookie1', 'madid']) {
    if (field in user && (typeof user[field] !== 'string' || user[field] === '')) {
      return `${at}.user_data.${field}: must be a non-empty string.`;
    }
  }
  const ip = user.client_ip_address;
  if (ip !== undefined) {
    // Plain or hashed IPs are both taken; a 64-char value that is not lowercase hex is a broken hash.
    const valid =
      typeof ip === 'string' &&
      (SHA256_HEX.test(ip) || (ip.length !== 64 && (PLAIN_IPV4.test(ip) || PLAIN_IPV6.test(ip))));
    if (!valid) return `${at}.user_data.client_ip_address: Invalid hashed IP Address.`;
  }
  const hasPii =
    'em' in user ||
    'ph' in user ||
    'madid' in user ||
    (typeof ip === 'string' && typeof user.client_user_agent === 'string');
  if (!hasPii) {
    return `${at}.user_data: Insufficient PII: send em, ph, madid, or client_ip_address with client_user_agent.`;
  }

  const custom = event.custom_data;
  if (custom !== undefined) {
    if (!isPlainObject(custom)) return `${at}.custom_data: must be an object.`;
    if (custom.value !== undefined && !isNumeric(custom.value)) {
      return `${at}.custom_data.value: must be a number or a numeric string.`;
    }
    if (custom.currency !== undefined && !isIso4217(custom.currency)) {
      return `${at}.custom_data.currency: not an ISO 4217 currency code.`;
    }
    if (custom.contents !== undefined) {
      if (!Array.isArray(custom.contents)) return `${at}.custom_data.contents: must be a list.`;
      for (const [contentIndex, content] of custom.contents.entries()) {
        const contentAt = `${at}.custom_data.contents[${contentIndex}]`;
        if (!isPlainObject(content)) return `${contentAt}: must be an object.`;
        if (typeof content.id !== 'string' || content.id === '') {
          return `${contentAt}.id: must be a non-empty string.`;
        }
        for (const field of ['quantity', 'item_price']) {
          if (content[field] !== undefined && !isNumeric(content[field])) {
            return `${contentAt}.${field}: must be a number or a numeric string.`;
          }
        }
      }
    }
  }
  if (name.toUpperCase() === 'PURCHASE') {
    const data = isPlainObject(custom) ? custom : {};
    if (data.value === undefined || data.currency === undefined) {
      return `${at}.custom_data: Missing price and/or currency in Purchase events.`;
    }
  }

  const options = event.data_processing_options;
  if (
    options !== undefined &&
    !(Array.isArray(options) && options.every((option) => typeof option === 'string'))
  ) {
    return `${at}.data_processing_options: must be a list of strings.`;
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The token from `?access_token=` (Snap's docs) or `Authorization: Bearer` (RudderStack). */
function tokenOf(
  query: Record<string, string>,
  headers: Record<string, string>,
): string | undefined {
  if (query.access_token) return query.access_token;
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

export const handleSnapchatRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const route = EVENTS_PATH.exec(request.path);
  const validationOnly = route?.[2] !== undefined;
  const testMode = validationOnly;

  if (!route) {
    return { status: 404, body: snapchatBody('NOT_FOUND', 'Not found'), parsedBody, testMode };
  }
  if (request.method !== 'POST') {
    return {
      status: 405,
      headers: { allow: 'POST' },
      body: snapchatBody('INVALID', 'Method not allowed; use POST.'),
      parsedBody,
      testMode,
    };
  }

  // The 401 body is UNCONFIRMED: third-party logs report HTTP 401 "Invalid access token".
  const tokenCheck = request.state.checkToken(tokenOf(request.query, request.headers));
  if (tokenCheck !== 'ok') {
    const reason =
      tokenCheck === 'missing'
        ? 'Missing access token: send ?access_token= or Authorization: Bearer.'
        : 'Invalid access token';
    return { status: 401, body: snapchatBody('UNAUTHORIZED', reason), parsedBody, testMode };
  }

  if (!parsed?.ok || !isPlainObject(parsed.value)) {
    return invalid('Request body must be a JSON object.', parsedBody, testMode);
  }
  const data = parsed.value.data;
  if (!Array.isArray(data) || data.length === 0) {
    return invalid('data: required field missing.', parsedBody, testMode);
  }
  if (data.length > MAX_EVENTS_PER_REQUEST) {
    return invalid(
      `data: at most ${MAX_EVENTS_PER_REQUEST} events per request.`,
      parsedBody,
      testMode,
    );
  }
  for (const [index, event] of data.entries()) {
    const reason = validateEvent(event, index, request.now);
    if (reason) return invalid(reason, parsedBody, testMode);
  }

  const pixelId = safeDecode(route[1]!);
  const accepted: AcceptedEvent[] = data.map((event: Record<string, unknown>) => ({
    pixelId,
    eventName: event.event_name as string,
    eventId: typeof event.event_id === 'string' ? event.event_id : undefined,
    eventTime: (event.event_time as number) * 1000,
    body: event,
    validationOnly,
  }));
  return {
    status: 200,
    body: snapchatBody('VALID', 'Events have been processed successfully.'),
    parsedBody,
    accepted,
    testMode,
  };
};
