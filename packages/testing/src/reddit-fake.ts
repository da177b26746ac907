/**
 * Fake Reddit Conversions API v3 (`POST /api/v3/pixels/{pixelId}/conversion_events`,
 * platforms.md §8). Reddit answers with plain HTTP statuses (§8.5, §10):
 *
 * - 200 `{ message: 'Successfully processed N conversion events.' }`;
 * - 400 `{ message: 'There were N invalid conversion events. None were processed.',
 *   invalid_events: [{ error_message, event }] }` when events break a rule: one bad event fails
 *   the whole request, and each bad event is echoed back (with its `metadata.conversion_id`);
 * - 400 `{ error: { code: 400, message: 'JSON error …' } }` when the body does not decode (a wrong
 *   type, an unknown field): Reddit decodes strictly, so a misspelt field is an error, not ignored;
 * - 401 `Authorization Required` (no token) or `{ success: false, error: { reason:
 *   'UNAUTHORIZED', explanation } }` (a token Reddit does not accept).
 *
 * The shapes come from RudderStack's Reddit network mocks and handler (§8.5) and a published
 * Reddit answer; the success body is the v2 one, since no v3 sample was found (UNCONFIRMED).
 * Validation messages never echo a rejected value, only the event as received (already hashed).
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

const PATH = /^\/api\/v3\/pixels\/([^/]+)\/conversion_events$/;
/** RudderStack's `maxBatchSize` (§8.1). */
const MAX_EVENTS_PER_REQUEST = 1000;
/** Reddit's own wording of its window: 168 h back, 5 minutes ahead (§8.1, §15). */
const MAX_AGE_MS = 168 * 3600_000;
const MAX_FUTURE_MS = 5 * 60_000;
const ACTION_SOURCES = new Set(['WEBSITE', 'APP', 'PHYSICAL_STORE', 'OTHER']);
const TRACKING_TYPES = new Set([
  'PAGE_VISIT',
  'VIEW_CONTENT',
  'SEARCH',
  'ADD_TO_CART',
  'ADD_TO_WISHLIST',
  'LEAD',
  'PURCHASE',
  'SIGN_UP',
  'CUSTOM',
]);
/**
 * Reddit takes these match keys plain or hashed (§8.3). capi-kit always hashes them (core's
 * treatments), so the fake is stricter than Reddit on purpose: a plain e-mail, phone or customer ID
 * here means personal data left the server in clear text, which is the bug these tests exist for.
 */
const HASHED_USER_FIELDS = ['email', 'phone_number', 'external_id'] as const;

/** Known fields per object (§8.1 schema); Reddit rejects any other name while decoding. */
const FIELDS = {
  data: ['events', 'test_id', 'partner'],
  event: ['event_at', 'action_source', 'click_id', 'event_source_url', 'type', 'user', 'metadata'],
  type: ['tracking_type', 'custom_event_name'],
  user: [
    'email',
    'external_id',
    'ip_address',
    'phone_number',
    'user_agent',
    'aaid',
    'idfa',
    'uuid',
    'data_processing_options',
    'screen_dimensions',
  ],
  metadata: ['conversion_id', 'currency', 'item_count', 'value', 'products'],
  product: ['id', 'name', 'category', 'quantity', 'item_price'],
  data_processing_options: ['country', 'region', 'modes'],
} as const;

/** Reddit's answer to a request it decoded and processed. */
export function redditSuccessBody(count: number): Record<string, unknown> {
  return { message: `Successfully processed ${count} conversion events.` };
}

/** Reddit's answer when events broke a rule: nothing of the request was processed. */
export function redditInvalidEvents(invalid: { error_message: string; event?: unknown }[]): {
  status: number;
  body: unknown;
} {
  return {
    status: 400,
    body: {
      message: `There were ${invalid.length} invalid conversion events. None were processed.`,
      invalid_events: invalid,
    },
  };
}

/** Reddit's answer to a body that does not decode (wrong type, unknown field, bad JSON). */
export function redditDecodeError(message: string): { status: number; body: unknown } {
  return { status: 400, body: { error: { code: 400, message } } };
}

/** Reddit's answer to a token it does not accept. */
export function redditUnauthorized(explanation?: string): { status: number; body: unknown } {
  return {
    status: 401,
    body: {
      success: false,
      error: {
        reason: 'UNAUTHORIZED',
        explanation:
          explanation ??
          'This server could not verify that you are authorized to access the document you requested.',
      },
    },
  };
}

/** The throttled answer: 429 is Reddit's retry signal (§10); its body is UNCONFIRMED. */
export function redditRateLimited(message?: string): { status: number; body: unknown } {
  return { status: 429, body: { error: { code: 429, message: message ?? 'Too Many Requests' } } };
}

/** First field of `value` not in `known`, as Reddit's decoder reports it. */
function unknownField(
  value: Record<string, unknown>,
  known: readonly string[],
): string | undefined {
  return Object.keys(value).find((key) => !known.includes(key));
}

/** A decode error (request-level) for one event; `undefined` when the event decodes. */
function decodeEvent(event: unknown, at: string): string | undefined {
  if (!isPlainObject(event)) return `JSON error unexpected type on field ${at}`;
  const objects: [string, unknown, readonly string[]][] = [[at, event, FIELDS.event]];
  if (event.type !== undefined) objects.push([`${at} type`, event.type, FIELDS.type]);
  if (event.user !== undefined) objects.push([`${at} user`, event.user, FIELDS.user]);
  if (event.metadata !== undefined) {
    objects.push([`${at} metadata`, event.metadata, FIELDS.metadata]);
  }
  if (isPlainObject(event.user) && event.user.data_processing_options !== undefined) {
    objects.push([
      `${at} user data_processing_options`,
      event.user.data_processing_options,
      FIELDS.data_processing_options,
    ]);
  }
  if (isPlainObject(event.metadata) && Array.isArray(event.metadata.products)) {
    for (const product of event.metadata.products) {
      objects.push([`${at} metadata products`, product, FIELDS.product]);
    }
  }
  for (const [where, value, known] of objects) {
    if (!isPlainObject(value)) return `JSON error unexpected type on field ${where}`;
    const unknown = unknownField(value, known);
    if (unknown !== undefined) return `JSON error "unknown field" on field "${unknown}"`;
  }
  const typed: [string, unknown, 'string' | 'number'][] = [
    [`${at} event_at`, event.event_at, 'number'],
    [`${at} action_source`, event.action_source, 'string'],
    [`${at} click_id`, event.click_id, 'string'],
    [`${at} event_source_url`, event.event_source_url, 'string'],
  ];
  const type = event.type as Record<string, unknown> | undefined;
  if (type) {
    typed.push([`${at} type tracking_type`, type.tracking_type, 'string']);
    typed.push([`${at} type custom_event_name`, type.custom_event_name, 'string']);
  }
  const user = event.user as Record<string, unknown> | undefined;
  if (user) {
    for (const field of FIELDS.user) {
      if (field === 'data_processing_options' || field === 'screen_dimensions') continue;
      typed.push([`${at} user ${field}`, user[field], 'string']);
    }
  }
  const metadata = event.metadata as Record<string, unknown> | undefined;
  if (metadata) {
    typed.push([`${at} metadata conversion_id`, metadata.conversion_id, 'string']);
    typed.push([`${at} metadata currency`, metadata.currency, 'string']);
    typed.push([`${at} metadata item_count`, metadata.item_count, 'number']);
    typed.push([`${at} metadata value`, metadata.value, 'number']);
    if (metadata.products !== undefined && !Array.isArray(metadata.products)) {
      return `JSON error unexpected type ${typeof metadata.products} on field ${at} metadata products`;
    }
  }
  for (const [where, value, expected] of typed) {
    if (value !== undefined && typeof value !== expected) {
      return `JSON error unexpected type ${typeof value} on field ${where}`;
    }
  }
  return undefined;
}

/** The first rule a decoded event breaks, in Reddit's words; `undefined` when valid. */
function validateEvent(event: Record<string, unknown>, now: number): string | undefined {
  const eventAt = event.event_at;
  if (eventAt === undefined) return 'missing event_at';
  if (!Number.isInteger(eventAt) || (eventAt as number) < 0) {
    return 'event_at must be an integer unix timestamp in milliseconds';
  }
  // 13 digits are ms; 10 would be seconds, the unit bug (§11.5, §15).
  if (digitCount(eventAt as number) !== 13) {
    return 'event_at must be a unix timestamp in milliseconds';
  }
  // Reddit's own message for a stale event (RudderStack's recorded answer, §8.5).
  if ((eventAt as number) < now - MAX_AGE_MS) {
    return 'event_at timestamp must be less than 168h0m0s old';
  }
  // The future bound's wording is ours; the 5-minute rule is RudderStack's (§8.1).
  if ((eventAt as number) > now + MAX_FUTURE_MS) {
    return 'event_at timestamp must not be more than 5m0s in the future';
  }

  if (event.action_source === undefined) return 'missing action_source';
  if (!ACTION_SOURCES.has(event.action_source as string)) {
    return `invalid action_source: ${String(event.action_source)}`;
  }

  const type = event.type as Record<string, unknown> | undefined;
  if (!type || type.tracking_type === undefined) return 'missing type.tracking_type';
  if (!TRACKING_TYPES.has(type.tracking_type as string)) {
    return `invalid tracking_type: ${String(type.tracking_type)}`;
  }
  if (type.tracking_type === 'CUSTOM' && !type.custom_event_name) {
    return 'there was a problem validating type: a CUSTOM event needs a custom_event_name';
  }
  if (type.tracking_type !== 'CUSTOM' && type.custom_event_name !== undefined) {
    // Reddit's message, recorded in a published v2 answer.
    return `there was a problem validating event_type: event_type with custom_event_name must be a Custom event: ${String(type.tracking_type)}`;
  }

  const metadata = event.metadata as Record<string, unknown> | undefined;
  // Optional for Reddit, which then cannot deduplicate against the pixel; the fake demands it
  // because capi-kit's dedup rests on the shared event ID (like the TikTok fake's `event_id`).
  if (!metadata || typeof metadata.conversion_id !== 'string' || metadata.conversion_id === '') {
    return 'missing metadata.conversion_id';
  }
  if (metadata.currency !== undefined && !isIso4217(metadata.currency)) {
    return 'metadata.currency must be an ISO 4217 currency code';
  }
  if (
    metadata.item_count !== undefined &&
    (!Number.isInteger(metadata.item_count) || (metadata.item_count as number) < 0)
  ) {
    return 'metadata.item_count must be a non-negative integer';
  }

  const user = event.user as Record<string, unknown> | undefined;
  if (user) {
    for (const field of HASHED_USER_FIELDS) {
      const value = user[field];
      if (typeof value === 'string' && !SHA256_HEX.test(value)) {
        return `user.${field}: value ${describeUnhashed(value)}; send it SHA-256 hashed`;
      }
    }
    const options = user.data_processing_options as Record<string, unknown> | undefined;
    if (options?.modes !== undefined) {
      if (!Array.isArray(options.modes) || options.modes.some((mode) => mode !== 'LDU')) {
        return 'user.data_processing_options.modes must only contain LDU';
      }
    }
    if (
      options?.country !== undefined &&
      (typeof options.country !== 'string' || !/^[A-Z]{2}$/.test(options.country))
    ) {
      return 'user.data_processing_options.country must be an ISO 3166-1 alpha-2 code';
    }
  }
  if (
    event.event_source_url !== undefined &&
    !/^https?:\/\//i.test(event.event_source_url as string)
  ) {
    return 'event_source_url must be an http or https URL';
  }
  return undefined;
}

function answer(
  result: { status: number; body: unknown },
  parsedBody: unknown,
  testMode: boolean,
): PlatformAnswer {
  return { ...result, parsedBody, testMode };
}

export const handleRedditRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const data =
    isPlainObject(parsedBody) && isPlainObject(parsedBody.data) ? parsedBody.data : undefined;
  const testId =
    data && typeof data.test_id === 'string' && data.test_id !== '' ? data.test_id : undefined;
  const testMode = testId !== undefined;

  const match = PATH.exec(request.path);
  if (!match || request.method !== 'POST') {
    // Reddit's 404 body is UNCONFIRMED; a plain page like most gateways.
    return { status: 404, body: '404 page not found', parsedBody, testMode };
  }
  const pixelId = decodeURIComponent(match[1]!);

  const authorization = request.headers.authorization;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const token = request.state.checkToken(bearer);
  // No credentials at all: the gateway's plain-text answer (RudderStack's mock, §8.5).
  if (token === 'missing') {
    return { status: 401, body: 'Authorization Required', parsedBody, testMode };
  }
  if (token === 'rejected') return answer(redditUnauthorized(), parsedBody, testMode);

  if (!parsed?.ok)
    return answer(redditDecodeError('JSON error invalid JSON'), parsedBody, testMode);
  if (!isPlainObject(parsedBody)) {
    return answer(redditDecodeError('JSON error unexpected type on field'), parsedBody, testMode);
  }
  const topUnknown = unknownField(parsedBody, ['data']);
  if (topUnknown !== undefined) {
    return answer(
      redditDecodeError(`JSON error "unknown field" on field "${topUnknown}"`),
      parsedBody,
      testMode,
    );
  }
  if (!data) return answer(redditDecodeError('missing data'), parsedBody, testMode);
  const dataUnknown = unknownField(data, FIELDS.data);
  if (dataUnknown !== undefined) {
    return answer(
      redditDecodeError(`JSON error "unknown field" on field "${dataUnknown}"`),
      parsedBody,
      testMode,
    );
  }
  const events = data.events;
  if (!Array.isArray(events) || events.length === 0) {
    return answer(
      redditDecodeError('data.events must hold at least one event'),
      parsedBody,
      testMode,
    );
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    return answer(
      redditDecodeError(`data.events holds at most ${MAX_EVENTS_PER_REQUEST} events`),
      parsedBody,
      testMode,
    );
  }
  for (const [index, event] of events.entries()) {
    const error = decodeEvent(event, `events[${index}]`);
    if (error) return answer(redditDecodeError(error), parsedBody, testMode);
  }

  const invalid: { error_message: string; event: unknown }[] = [];
  for (const event of events as Record<string, unknown>[]) {
    const message = validateEvent(event, request.now);
    if (message) invalid.push({ error_message: message, event });
  }
  if (invalid.length > 0) return answer(redditInvalidEvents(invalid), parsedBody, testMode);

  const accepted: AcceptedEvent[] = (events as Record<string, unknown>[]).map((event) => ({
    pixelId,
    eventName: (event.type as { tracking_type: string }).tracking_type,
    eventId: (event.metadata as { conversion_id: string }).conversion_id,
    eventTime: event.event_at as number,
    body: event,
    ...(testId !== undefined ? { testEventCode: testId } : {}),
    validationOnly: false,
  }));
  return {
    status: 200,
    body: redditSuccessBody(events.length),
    parsedBody,
    accepted,
    testMode,
  };
};
