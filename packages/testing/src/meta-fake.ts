/**
 * Fake Meta Conversions API (Graph API `POST /v{N}.{M}/{pixelId}/events`). It validates a request
 * the way platforms.md §2.10 lists, rejects the WHOLE batch when any event is invalid or too old
 * (§2.3: "the entire request errors and no events are processed"), and answers with the Graph
 * success body or error envelope (§2.9).
 */
import type { AcceptedEvent } from './fake-platform';
import {
  describeUnhashed,
  digitCount,
  isIso4217,
  isPlainObject,
  META_HASHED,
  parseJson,
  stringValues,
  traceId,
  type PlatformAnswer,
  type PlatformHandler,
  type PlatformRequest,
} from './platform-handler';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_EVENTS_PER_REQUEST = 1000;
/** §2.3: events may be 7 days old, `physical_store` events 62 days. */
const MAX_AGE_MS = 7 * DAY_MS;
const MAX_AGE_PHYSICAL_STORE_MS = 62 * DAY_MS;
/**
 * Future tolerance is UNCONFIRMED (§2.3). We allow one day of clock skew so only gross unit errors
 * (which the digit-count rule catches first anyway) or wrong dates fail.
 */
const MAX_FUTURE_MS = DAY_MS;

const ACTION_SOURCES = new Set([
  'email',
  'website',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
]);

/** §2.4: contact fields Meta only accepts hashed. `external_id` is recommended-hashed, so not checked. */
const HASHED_USER_FIELDS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country'];

/** §2.10 / §2.8: `fb.{subdomainIndex}.{creationTime}.{payload}[.{appendix}]`. */
const FB_COOKIE = /^fb\.(\d+)\.(\d+)\.([^.]+)(\.[A-Za-z0-9_-]{2,8})?$/;

const PATH = /^\/v\d+\.\d+\/([^/]+)\/events\/?$/;

/**
 * Error subcodes are in Meta's 2804xxx CAPI range (§2.9); the full official list is UNCONFIRMED,
 * so these numbers are our own stable choices. Code, type and HTTP status are the documented ones.
 */
export const META_SUBCODES = {
  invalidParameter: 2804001,
  eventTimeTooOld: 2804003,
  eventTimeInFuture: 2804004,
  eventTimeUnit: 2804019,
  missingUserData: 2804050,
  unhashedUserData: 2804051,
  invalidCookie: 2804052,
  invalidCurrency: 2804053,
  invalidActionSource: 2804054,
  tooManyEvents: 2804024,
} as const;

export interface MetaErrorOptions {
  status: number;
  code: number;
  message: string;
  type?: string;
  subcode?: number;
  transient?: boolean;
  userTitle?: string;
  userMessage?: string;
}

/** The Graph API error envelope (§2.9). */
export function metaError(options: MetaErrorOptions): { status: number; body: unknown } {
  const error: Record<string, unknown> = {
    message: options.message,
    type: options.type ?? 'OAuthException',
    code: options.code,
  };
  if (options.subcode !== undefined) error.error_subcode = options.subcode;
  error.is_transient = options.transient ?? false;
  if (options.userTitle !== undefined) error.error_user_title = options.userTitle;
  if (options.userMessage !== undefined) error.error_user_msg = options.userMessage;
  error.fbtrace_id = traceId();
  return { status: options.status, body: { error } };
}

/**
 * Token errors: Graph answers code 190 for an invalid or expired token. For a MISSING token the
 * live API is believed to answer code 104 (UNCONFIRMED); we answer 190 too because the relay must
 * treat both the same way (not retryable, surfaced once) and 190 is what its classifier keys on.
 * HTTP 400 is what Graph returns for OAuthException (UNCONFIRMED for CAPI; 401 is seen elsewhere).
 */
export function metaTokenError(reason: 'missing' | 'rejected'): { status: number; body: unknown } {
  return reason === 'missing'
    ? metaError({
        status: 400,
        code: 190,
        message: 'An access token is required to request this resource.',
      })
    : metaError({
        status: 400,
        code: 190,
        subcode: 463,
        message:
          'Error validating access token: Session has expired or the token has been invalidated.',
      });
}

function invalid(
  subcode: number,
  userTitle: string,
  userMessage: string,
): { status: number; body: unknown } {
  return metaError({
    status: 400,
    code: 100,
    subcode,
    message: 'Invalid parameter',
    userTitle,
    userMessage,
  });
}

interface ParsedBody {
  fields: Record<string, unknown>;
  /** How the body arrived, for the request log. */
  parsed: unknown;
}

function parseBody(request: PlatformRequest): ParsedBody | undefined {
  const contentType = request.headers['content-type'] ?? '';
  if (request.bodyText === '') return { fields: {}, parsed: undefined };
  if (contentType.includes('application/x-www-form-urlencoded')) {
    // The docs' curl sample sends form fields, with `data` as a JSON string (§2.1).
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(request.bodyText)) fields[key] = value;
    if (typeof fields.data === 'string') {
      const data = parseJson(fields.data);
      if (data.ok) fields.data = data.value;
    }
    return { fields, parsed: fields };
  }
  const json = parseJson(request.bodyText);
  if (!json.ok || !isPlainObject(json.value)) return undefined;
  return { fields: json.value, parsed: json.value };
}

function tokenOf(request: PlatformRequest, fields: Record<string, unknown>): string | undefined {
  if (request.query.access_token) return request.query.access_token;
  if (typeof fields.access_token === 'string' && fields.access_token) return fields.access_token;
  const authorization = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1];
}

function answer(
  error: { status: number; body: unknown },
  parsedBody: unknown,
  testMode: boolean,
): PlatformAnswer {
  return { status: error.status, body: error.body, parsedBody, testMode };
}

/** First rule the event breaks, as a ready error; `undefined` when the event is valid. */
function validateEvent(
  event: unknown,
  index: number,
  now: number,
): { status: number; body: unknown } | undefined {
  const at = `data[${index}]`;
  if (!isPlainObject(event)) {
    return invalid(META_SUBCODES.invalidParameter, 'Invalid Event', `${at} must be an object.`);
  }
  if (typeof event.event_name !== 'string' || event.event_name.trim() === '') {
    return invalid(
      META_SUBCODES.invalidParameter,
      'Missing Event Name',
      `${at}.event_name is required and must be a non-empty string.`,
    );
  }

  const eventTime = event.event_time;
  if (typeof eventTime !== 'number' || !Number.isInteger(eventTime) || eventTime < 0) {
    return invalid(
      META_SUBCODES.eventTimeUnit,
      'Invalid Event Time',
      `${at}.event_time must be an integer Unix timestamp in seconds.`,
    );
  }
  // §15: 10 digits are seconds, 13 are milliseconds; ms sent as seconds is the classic bug.
  if (digitCount(eventTime) > 10) {
    return invalid(
      META_SUBCODES.eventTimeUnit,
      'Invalid Event Time',
      `${at}.event_time has ${digitCount(eventTime)} digits: send seconds, not milliseconds.`,
    );
  }

  const actionSource = event.action_source;
  if (typeof actionSource !== 'string' || !ACTION_SOURCES.has(actionSource)) {
    return invalid(
      META_SUBCODES.invalidActionSource,
      'Invalid Action Source',
      `${at}.action_source must be one of ${[...ACTION_SOURCES].join(', ')}.`,
    );
  }

  const eventTimeMs = eventTime * 1000;
  const maxAge = actionSource === 'physical_store' ? MAX_AGE_PHYSICAL_STORE_MS : MAX_AGE_MS;
  if (eventTimeMs < now - maxAge) {
    return invalid(
      META_SUBCODES.eventTimeTooOld,
      'Event Timestamp Too Old',
      `${at}.event_time is too far in the past. Events need to be sent within ` +
        `${maxAge / DAY_MS} days of when they occurred.`,
    );
  }
  if (eventTimeMs > now + MAX_FUTURE_MS) {
    return invalid(
      META_SUBCODES.eventTimeInFuture,
      'Event Timestamp In The Future',
      `${at}.event_time is in the future.`,
    );
  }

  const userData = event.user_data;
  if (!isPlainObject(userData) || Object.keys(userData).length === 0) {
    return invalid(
      META_SUBCODES.missingUserData,
      'Missing User Data',
      `${at}.user_data is required and must contain at least one customer information parameter.`,
    );
  }

  if (actionSource === 'website') {
    if (
      typeof event.event_source_url !== 'string' ||
      !/^https?:\/\//.test(event.event_source_url)
    ) {
      return invalid(
        META_SUBCODES.invalidParameter,
        'Missing Event Source URL',
        `${at}.event_source_url is required for website events and must start with http:// or https://.`,
      );
    }
    if (typeof userData.client_user_agent !== 'string' || userData.client_user_agent === '') {
      return invalid(
        META_SUBCODES.missingUserData,
        'Missing Client User Agent',
        `${at}.user_data.client_user_agent is required for website events.`,
      );
    }
  }

  for (const field of HASHED_USER_FIELDS) {
    if (!(field in userData)) continue;
    const values = stringValues(userData[field]);
    if (!values) {
      return invalid(
        META_SUBCODES.unhashedUserData,
        'Invalid Customer Information',
        `${at}.user_data.${field} must be a string or a non-empty array of strings.`,
      );
    }
    const bad = values.find((value) => !META_HASHED.test(value));
    if (bad !== undefined) {
      // Never echo the value: it may be personal data.
      return invalid(
        META_SUBCODES.unhashedUserData,
        'Customer Information Not Hashed',
        `${at}.user_data.${field} ${describeUnhashed(bad)}; it must be hashed with SHA-256 (lowercase hex).`,
      );
    }
  }

  for (const cookie of ['fbc', 'fbp'] as const) {
    if (!(cookie in userData)) continue;
    const value = userData[cookie];
    const match = typeof value === 'string' ? FB_COOKIE.exec(value) : null;
    if (!match) {
      return invalid(
        META_SUBCODES.invalidCookie,
        `Invalid ${cookie}`,
        `${at}.user_data.${cookie} must look like fb.{subdomainIndex}.{creationTime}.{payload}.`,
      );
    }
    // §2.10: creationTime is milliseconds (13 digits); §11.11 lists seconds as a common bug.
    if (match[2]!.length !== 13) {
      return invalid(
        META_SUBCODES.invalidCookie,
        `Invalid ${cookie}`,
        `${at}.user_data.${cookie} creation time must be a Unix time in milliseconds (13 digits).`,
      );
    }
  }

  // §2.3: `["LDU"]` or `[]`; country 1 (USA) or 0 (geolocate); state 0 or 1000+ (1000 = California).
  const dpo = event.data_processing_options;
  if (dpo !== undefined && (!Array.isArray(dpo) || dpo.some((option) => option !== 'LDU'))) {
    return invalid(
      META_SUBCODES.invalidParameter,
      'Invalid Data Processing Options',
      `${at}.data_processing_options must be [] or ["LDU"].`,
    );
  }
  const dpoCountry = event.data_processing_options_country;
  if (dpoCountry !== undefined && dpoCountry !== 0 && dpoCountry !== 1) {
    return invalid(
      META_SUBCODES.invalidParameter,
      'Invalid Data Processing Options',
      `${at}.data_processing_options_country must be 1 (USA) or 0 (geolocate).`,
    );
  }
  const dpoState = event.data_processing_options_state;
  if (
    dpoState !== undefined &&
    !(dpoState === 0 || (Number.isInteger(dpoState) && (dpoState as number) >= 1000))
  ) {
    return invalid(
      META_SUBCODES.invalidParameter,
      'Invalid Data Processing Options',
      `${at}.data_processing_options_state must be 0 (geolocate) or a state code such as 1000.`,
    );
  }

  const customData = event.custom_data;
  if (customData !== undefined) {
    if (!isPlainObject(customData)) {
      return invalid(
        META_SUBCODES.invalidParameter,
        'Invalid Custom Data',
        `${at}.custom_data must be an object.`,
      );
    }
    if (customData.value !== undefined) {
      if (typeof customData.value !== 'number' || !Number.isFinite(customData.value)) {
        return invalid(
          META_SUBCODES.invalidParameter,
          'Invalid Value',
          `${at}.custom_data.value must be a number.`,
        );
      }
      if (!isIso4217(customData.currency)) {
        return invalid(
          META_SUBCODES.invalidCurrency,
          'Invalid Currency Code',
          `${at}.custom_data.currency must be a valid ISO 4217 code when value is set.`,
        );
      }
    }
  }
  return undefined;
}

export const handleMetaRequest: PlatformHandler = (request) => {
  const body = parseBody(request);
  const parsedBody = body?.parsed ?? request.bodyText;
  const fields = body?.fields ?? {};
  const testEventCode =
    typeof fields.test_event_code === 'string' ? fields.test_event_code : undefined;
  const testMode = testEventCode !== undefined;

  const path = PATH.exec(request.path);
  if (request.method !== 'POST' || !path || !/^\d+$/.test(path[1]!)) {
    // What Graph answers for a node that does not exist or does not support the operation.
    const objectId = path?.[1] ?? request.path;
    return answer(
      metaError({
        status: 400,
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        message:
          `Unsupported ${request.method.toLowerCase()} request. Object with ID '${objectId}' does not exist, ` +
          'cannot be loaded due to missing permissions, or does not support this operation.',
      }),
      parsedBody,
      testMode,
    );
  }
  const pixelId = path[1]!;

  const token = tokenOf(request, fields);
  const tokenCheck = request.state.checkToken(token);
  if (tokenCheck !== 'ok') return answer(metaTokenError(tokenCheck), parsedBody, testMode);

  if (!body) {
    return answer(
      invalid(
        META_SUBCODES.invalidParameter,
        'Invalid Request Body',
        'The request body must be a JSON object or form fields.',
      ),
      parsedBody,
      testMode,
    );
  }

  const data = fields.data;
  if (!Array.isArray(data) || data.length === 0) {
    return answer(
      metaError({
        status: 400,
        code: 100,
        message: '(#100) The parameter data is required',
        userTitle: 'Missing Data',
        userMessage: 'data must be a non-empty array of server events.',
        subcode: META_SUBCODES.invalidParameter,
      }),
      parsedBody,
      testMode,
    );
  }
  if (data.length > MAX_EVENTS_PER_REQUEST) {
    return answer(
      invalid(
        META_SUBCODES.tooManyEvents,
        'Too Many Events',
        `A request can contain at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${data.length}.`,
      ),
      parsedBody,
      testMode,
    );
  }

  for (const [index, event] of data.entries()) {
    const error = validateEvent(event, index, request.now);
    if (error) return answer(error, parsedBody, testMode);
  }

  const accepted: AcceptedEvent[] = data.map((event: Record<string, unknown>) => ({
    pixelId,
    eventName: event.event_name as string,
    eventId: typeof event.event_id === 'string' && event.event_id ? event.event_id : undefined,
    eventTime: (event.event_time as number) * 1000,
    body: event,
    ...(testEventCode !== undefined ? { testEventCode } : {}),
    validationOnly: false,
  }));
  return {
    status: 200,
    body: { events_received: data.length, messages: [], fbtrace_id: traceId() },
    parsedBody,
    accepted,
    testMode,
  };
};
