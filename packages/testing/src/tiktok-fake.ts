/**
 * Fake TikTok Events API 2.0 (`POST /open_api/v1.3/event/track/`). TikTok reports every outcome
 * with HTTP 200 and a body `code` (platforms.md §5.5): `0` OK, `40001` no permission, `40002`
 * invalid parameters, `40100` throttled. The fake validates the event-time unit, hashed user
 * fields, `event_id`, `event_source` and the batch size (§5.2, §5.3), rejecting the whole request
 * on the first error with a message in TikTok's `Batch.{index}.{field}: …` style.
 */
import type { AcceptedEvent } from './fake-platform';
import { tiktokBody } from './platform-errors';
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

/** The trailing slash is part of the route (§5.1); without it TikTok's gateway answers 404. */
const TRACK_PATH = '/open_api/v1.3/event/track/';
const MAX_EVENTS_PER_REQUEST = 1000;
const EVENT_SOURCES = new Set(['web', 'app', 'offline', 'crm']);
/** §5.3: these user fields must be SHA-256 hashed; city/state/country/ip/user_agent stay plain. */
const HASHED_USER_FIELDS = ['email', 'phone', 'external_id', 'first_name', 'last_name', 'zip_code'];

function invalid(message: string, parsedBody: unknown, testMode: boolean): PlatformAnswer {
  return { status: 200, body: tiktokBody(40002, message), parsedBody, testMode };
}

/** First rule the event breaks, as a TikTok message; `undefined` when valid. */
function validateEvent(event: unknown, index: number): string | undefined {
  const at = `Batch.${index}`;
  if (!isPlainObject(event)) return `${at}: Not a valid object.`;
  if (typeof event.event !== 'string' || event.event === '') {
    return `${at}.event: Missing data for required field.`;
  }
  const eventTime = event.event_time;
  if (typeof eventTime !== 'number' || !Number.isInteger(eventTime) || eventTime < 0) {
    return `${at}.event_time: Not a valid integer.`;
  }
  // Seconds have 10 digits; 13 means milliseconds, the common unit bug (platforms.md §15).
  if (digitCount(eventTime) > 10) {
    return `${at}.event_time: Invalid timestamp, it must be a Unix timestamp in seconds.`;
  }
  // Optional for TikTok itself, which then falls back to _ttp matching (§5.4); the fake demands it
  // because capi-kit's whole dedup story rests on the shared event ID.
  if (typeof event.event_id !== 'string' || event.event_id === '') {
    return `${at}.event_id: Missing data for required field.`;
  }
  // The event-time window is UNCONFIRMED (§5.2), so the fake does not reject old events.

  const user = event.user;
  if (user !== undefined) {
    if (!isPlainObject(user)) return `${at}.user: Not a valid object.`;
    for (const field of HASHED_USER_FIELDS) {
      if (!(field in user)) continue;
      const values = stringValues(user[field]);
      if (!values) return `${at}.user.${field}: Not a valid string.`;
      const bad = values.find((value) => !SHA256_HEX.test(value));
      if (bad !== undefined) {
        return `${at}.user.${field}: Value ${describeUnhashed(bad)}; it must be SHA-256 hashed.`;
      }
    }
  }

  const properties = event.properties;
  if (properties !== undefined) {
    if (!isPlainObject(properties)) return `${at}.properties: Not a valid object.`;
    if (properties.value !== undefined && typeof properties.value !== 'number') {
      return `${at}.properties.value: Not a valid number.`;
    }
    if (properties.currency !== undefined && !isIso4217(properties.currency)) {
      return `${at}.properties.currency: Not a valid ISO 4217 currency code.`;
    }
    if (properties.contents !== undefined) {
      if (!Array.isArray(properties.contents))
        return `${at}.properties.contents: Not a valid list.`;
      for (const [contentIndex, content] of properties.contents.entries()) {
        const contentAt = `${at}.properties.contents.${contentIndex}`;
        if (!isPlainObject(content)) return `${contentAt}: Not a valid object.`;
        // The error example quoted in §5.5 is exactly this rule.
        if (content.content_id !== undefined && typeof content.content_id !== 'string') {
          return `${contentAt}.content_id: Not a valid string`;
        }
      }
    }
  }

  const page = event.page;
  if (
    page !== undefined &&
    (!isPlainObject(page) || (page.url !== undefined && typeof page.url !== 'string'))
  ) {
    return `${at}.page.url: Not a valid string.`;
  }
  if (event.limited_data_use !== undefined && typeof event.limited_data_use !== 'boolean') {
    return `${at}.limited_data_use: Not a valid boolean.`;
  }
  return undefined;
}

export const handleTiktokRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const body = isPlainObject(parsedBody) ? parsedBody : undefined;
  const testEventCode =
    body && typeof body.test_event_code === 'string' && body.test_event_code
      ? body.test_event_code
      : undefined;
  const testMode = testEventCode !== undefined;

  if (request.path !== TRACK_PATH || request.method !== 'POST') {
    // TikTok's gateway 404 page (plain text); its exact body is UNCONFIRMED.
    return { status: 404, body: '404 page not found', parsedBody, testMode };
  }

  // §5.5 names 40001 for auth/permission failures. The live API may use 4010x codes for a missing
  // or invalid token (UNCONFIRMED); any non-zero, non-40100 code must be a rejection for the relay.
  const tokenCheck = request.state.checkToken(request.headers['access-token']);
  if (tokenCheck === 'missing') {
    return {
      status: 200,
      body: tiktokBody(40001, 'Access token is missing. Send it in the Access-Token header.'),
      parsedBody,
      testMode,
    };
  }
  if (tokenCheck === 'rejected') {
    return {
      status: 200,
      body: tiktokBody(40001, 'The access token is invalid or has been revoked.'),
      parsedBody,
      testMode,
    };
  }

  if (!body) return invalid('Request body must be a JSON object.', parsedBody, testMode);
  if (typeof body.event_source !== 'string' || !EVENT_SOURCES.has(body.event_source)) {
    return invalid(
      `event_source: Must be one of: ${[...EVENT_SOURCES].join(', ')}.`,
      parsedBody,
      testMode,
    );
  }
  if (typeof body.event_source_id !== 'string' || body.event_source_id === '') {
    return invalid('event_source_id: Missing data for required field.', parsedBody, testMode);
  }
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0) {
    return invalid('data: Missing data for required field.', parsedBody, testMode);
  }
  if (data.length > MAX_EVENTS_PER_REQUEST) {
    return invalid(
      `data: Length must be between 1 and ${MAX_EVENTS_PER_REQUEST}.`,
      parsedBody,
      testMode,
    );
  }
  for (const [index, event] of data.entries()) {
    const message = validateEvent(event, index);
    if (message) return invalid(message, parsedBody, testMode);
  }

  const pixelId = body.event_source_id;
  const accepted: AcceptedEvent[] = data.map((event: Record<string, unknown>) => ({
    pixelId,
    eventName: event.event as string,
    eventId: event.event_id as string,
    eventTime: (event.event_time as number) * 1000,
    body: event,
    ...(testEventCode !== undefined ? { testEventCode } : {}),
    validationOnly: false,
  }));
  return { status: 200, body: tiktokBody(0, 'OK'), parsedBody, accepted, testMode };
};
