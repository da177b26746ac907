/**
 * Fake GA4 Measurement Protocol. `/mp/collect` answers 204 whatever it receives, exactly as GA4
 * does (platforms.md §3.1): a broken request is silently dropped, so the fake records what the
 * validation server would have said on the request log (`validationMessages`) and accepts no event
 * from it. `/debug/mp/collect` answers `{ validationMessages: [...] }` with the documented codes
 * (§3.1, §3.3, §3.6); its events are recorded as validation-only and never counted for dedup.
 */
import type { AcceptedEvent } from './fake-platform';
import type { Ga4ValidationMessage } from './fake-types';
import {
  isPlainObject,
  parseJson,
  SHA256_HEX,
  stringValues,
  type PlatformHandler,
} from './platform-handler';

const MAX_EVENTS_PER_REQUEST = 25;
const MAX_PARAMS_PER_EVENT = 25;
const MAX_USER_PROPERTIES = 25;
/**
 * "The total size of the post body must be smaller than 130kB" (§3.3). We read kB as 1000 bytes,
 * the stricter reading, so a relay that passes here passes there.
 */
const MAX_BODY_BYTES = 130_000;
const MAX_BACKDATE_MICROS = 72 * 60 * 60 * 1_000_000;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
/** Longer value limits for the page params GA itself collects (§3.3). */
const PARAM_VALUE_LIMITS: Record<string, number> = {
  page_title: 300,
  page_referrer: 420,
  page_location: 1000,
};
const DEFAULT_PARAM_VALUE_LIMIT = 100;

/**
 * Reserved event names from the Measurement Protocol reference ("Reserved names"); §3.3 flags the
 * detailed list as UNCONFIRMED, so this is the list as we know it from that page.
 */
const RESERVED_EVENT_NAMES = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_remove',
  'app_store_refund',
  'app_store_subscription_cancel',
  'app_store_subscription_convert',
  'app_store_subscription_renew',
  'app_update',
  'app_upgrade',
  'dynamic_link_app_open',
  'dynamic_link_app_update',
  'dynamic_link_first_open',
  'error',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'os_update',
  'session_start',
  'session_start_with_rollout',
  'user_engagement',
]);
const RESERVED_PREFIXES = ['google_', 'ga_', 'firebase_'];
const RESERVED_USER_PROPERTIES = new Set([
  'first_open_time',
  'first_visit_time',
  'last_deep_link_referrer',
  'user_id',
  'first_open_after_install',
]);
const CONSENT_VALUES = new Set(['GRANTED', 'DENIED']);

type Messages = Ga4ValidationMessage[];

function hasReservedPrefix(name: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix));
}

/** int64 fields may arrive as JSON numbers or decimal strings (proto3 JSON mapping). */
function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function checkTimestamp(value: unknown, fieldPath: string, now: number, messages: Messages): void {
  if (value === undefined) return;
  const micros = integerOf(value);
  // 16 digits = microseconds; 13 digits (ms) is the classic silent GA4 failure (§11.10).
  if (micros === undefined || String(micros).length !== 16) {
    messages.push({
      fieldPath,
      description: `Timestamp ${JSON.stringify(value)} must be a Unix time in microseconds (16 digits).`,
      validationCode: 'VALUE_INVALID',
    });
    return;
  }
  if (micros < now * 1000 - MAX_BACKDATE_MICROS) {
    messages.push({
      fieldPath,
      description: 'Timestamp is more than 72 hours in the past.',
      validationCode: 'VALUE_OUT_OF_BOUNDS',
    });
  }
}

function checkHashed(value: unknown, fieldPath: string, messages: Messages): void {
  const values = stringValues(value);
  if (!values || values.some((item) => !SHA256_HEX.test(item))) {
    // Never echo the value: it may be a plain e-mail address.
    messages.push({
      fieldPath,
      description: `${fieldPath} must be a SHA-256 hash encoded as 64 lowercase hex characters.`,
      validationCode: 'VALUE_INVALID',
    });
  }
}

function checkUserData(userData: unknown, messages: Messages): void {
  if (userData === undefined) return;
  if (!isPlainObject(userData)) {
    messages.push({
      fieldPath: 'user_data',
      description: 'user_data must be an object.',
      validationCode: 'VALUE_INVALID',
    });
    return;
  }
  for (const [key, value] of Object.entries(userData)) {
    if (key.startsWith('sha256_')) checkHashed(value, `user_data.${key}`, messages);
  }
  const address = userData.address;
  if (address === undefined) return;
  const addresses = Array.isArray(address) ? address : [address];
  for (const [index, entry] of addresses.entries()) {
    if (!isPlainObject(entry)) {
      messages.push({
        fieldPath: `user_data.address[${index}]`,
        description: 'address must be an object.',
        validationCode: 'VALUE_INVALID',
      });
      continue;
    }
    for (const [key, value] of Object.entries(entry)) {
      if (key.startsWith('sha256_')) {
        checkHashed(value, `user_data.address[${index}].${key}`, messages);
      }
    }
  }
}

function checkParams(params: unknown, index: number, messages: Messages): void {
  if (params === undefined) return;
  const at = `events[${index}].params`;
  if (!isPlainObject(params)) {
    messages.push({
      fieldPath: at,
      description: `Event at index: [${index}] has params that are not an object.`,
      validationCode: 'VALUE_INVALID',
    });
    return;
  }
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS_PER_EVENT) {
    messages.push({
      fieldPath: at,
      description: `Event at index: [${index}] has ${entries.length} params; the limit is ${MAX_PARAMS_PER_EVENT}.`,
      validationCode: 'EXCEEDED_MAX_ENTITIES',
    });
  }
  for (const [name, value] of entries) {
    if (!NAME.test(name)) {
      messages.push({
        fieldPath: `${at}.${name}`,
        description: `Event at index: [${index}] has invalid param name [${name}]. Names must start with an alphabetic character and contain only alphanumerics and underscores, at most 40 characters.`,
        validationCode: 'NAME_INVALID',
      });
      continue;
    }
    if (hasReservedPrefix(name) || name === 'firebase_conversion') {
      messages.push({
        fieldPath: `${at}.${name}`,
        description: `Event at index: [${index}] has param [${name}] with a reserved name.`,
        validationCode: 'NAME_RESERVED',
      });
    }
    if (name === 'items') {
      if (!Array.isArray(value) || value.some((item) => !isPlainObject(item))) {
        messages.push({
          fieldPath: `${at}.items`,
          description: `Event at index: [${index}] has items that are not an array of objects.`,
          validationCode: 'VALUE_INVALID',
        });
      } else {
        for (const [itemIndex, item] of (value as Record<string, unknown>[]).entries()) {
          if (item.item_id === undefined && item.item_name === undefined) {
            messages.push({
              fieldPath: `${at}.items[${itemIndex}]`,
              description: `Item at index: [${itemIndex}] must have item_id or item_name.`,
              validationCode: 'VALUE_REQUIRED',
            });
          }
        }
      }
      continue;
    }
    // Only `items` may be non-scalar (§3.3; Segment's verifyParams rejects arrays, objects, null).
    if (
      value === null ||
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    ) {
      messages.push({
        fieldPath: `${at}.${name}`,
        description: `Event at index: [${index}] has param [${name}] that is not a string, number or boolean.`,
        validationCode: 'VALUE_INVALID',
      });
      continue;
    }
    const limit = PARAM_VALUE_LIMITS[name] ?? DEFAULT_PARAM_VALUE_LIMIT;
    if (typeof value === 'string' && value.length > limit) {
      messages.push({
        fieldPath: `${at}.${name}`,
        description: `Event at index: [${index}] has param [${name}] longer than ${limit} characters.`,
        validationCode: 'VALUE_OUT_OF_BOUNDS',
      });
    }
  }
}

function checkUserProperties(properties: unknown, messages: Messages): void {
  if (properties === undefined) return;
  if (!isPlainObject(properties)) {
    messages.push({
      fieldPath: 'user_properties',
      description: 'user_properties must be an object.',
      validationCode: 'VALUE_INVALID',
    });
    return;
  }
  const entries = Object.entries(properties);
  if (entries.length > MAX_USER_PROPERTIES) {
    messages.push({
      fieldPath: 'user_properties',
      description: `${entries.length} user properties; the limit is ${MAX_USER_PROPERTIES}.`,
      validationCode: 'EXCEEDED_MAX_ENTITIES',
    });
  }
  for (const [name, property] of entries) {
    const at = `user_properties.${name}`;
    if (name.length > 24 || !NAME.test(name)) {
      messages.push({
        fieldPath: at,
        description: `User property name [${name}] is invalid (at most 24 characters, alphanumerics and underscores, starting with a letter).`,
        validationCode: 'NAME_INVALID',
      });
    } else if (RESERVED_USER_PROPERTIES.has(name) || hasReservedPrefix(name)) {
      messages.push({
        fieldPath: at,
        description: `User property name [${name}] is reserved.`,
        validationCode: 'NAME_RESERVED',
      });
    }
    if (!isPlainObject(property) || !('value' in property)) {
      messages.push({
        fieldPath: at,
        description: `User property [${name}] must be an object with a value.`,
        validationCode: 'VALUE_INVALID',
      });
    } else if (typeof property.value === 'string' && property.value.length > 36) {
      messages.push({
        fieldPath: `${at}.value`,
        description: `User property [${name}] value is longer than 36 characters.`,
        validationCode: 'VALUE_OUT_OF_BOUNDS',
      });
    }
  }
}

/** Everything `/debug/mp/collect` would report for this request; empty means valid. */
function validate(
  query: Record<string, string>,
  body: unknown,
  bodyBytes: number,
  now: number,
): Messages {
  const messages: Messages = [];
  const measurementId = query.measurement_id;
  const firebaseAppId = query.firebase_app_id;
  if (!measurementId && !firebaseAppId) {
    messages.push({
      fieldPath: 'measurement_id',
      description: 'Unable to find measurement_id or firebase_app_id in the query string.',
      validationCode: 'VALUE_REQUIRED',
    });
  } else if (measurementId && firebaseAppId) {
    messages.push({
      fieldPath: 'firebase_app_id',
      description: 'Send exactly one of measurement_id (web) or firebase_app_id (app).',
      validationCode: 'VALUE_INVALID',
    });
  }
  // The debug server does not check the secret's VALUE (§3.1); its absence still means the
  // production endpoint would drop the request, so the fake flags it.
  if (!query.api_secret) {
    messages.push({
      fieldPath: 'api_secret',
      description: 'Unable to find api_secret in the query string.',
      validationCode: 'VALUE_REQUIRED',
    });
  }
  if (bodyBytes >= MAX_BODY_BYTES) {
    messages.push({
      fieldPath: '',
      description: `The request body is ${bodyBytes} bytes; it must be smaller than 130kB.`,
      validationCode: 'VALUE_OUT_OF_BOUNDS',
    });
  }
  if (!isPlainObject(body)) {
    messages.push({
      fieldPath: '',
      description: 'Unable to parse the request body as a JSON object.',
      validationCode: 'VALUE_INVALID',
    });
    return messages;
  }

  if (measurementId && (typeof body.client_id !== 'string' || body.client_id === '')) {
    messages.push({
      fieldPath: 'client_id',
      description: 'client_id is required for web streams (measurement_id).',
      validationCode: 'VALUE_REQUIRED',
    });
  }
  if (firebaseAppId && (typeof body.app_instance_id !== 'string' || body.app_instance_id === '')) {
    messages.push({
      fieldPath: 'app_instance_id',
      description: 'app_instance_id is required for app streams (firebase_app_id).',
      validationCode: 'VALUE_REQUIRED',
    });
  }
  if (body.user_id !== undefined && typeof body.user_id !== 'string') {
    messages.push({
      fieldPath: 'user_id',
      description: 'user_id must be a string.',
      validationCode: 'VALUE_INVALID',
    });
  }
  checkTimestamp(body.timestamp_micros, 'timestamp_micros', now, messages);
  checkUserData(body.user_data, messages);
  checkUserProperties(body.user_properties, messages);

  if (body.consent !== undefined) {
    const consent = body.consent;
    for (const key of ['ad_user_data', 'ad_personalization']) {
      const value = isPlainObject(consent) ? consent[key] : undefined;
      if (
        !isPlainObject(consent) ||
        (value !== undefined && !CONSENT_VALUES.has(value as string))
      ) {
        messages.push({
          fieldPath: `consent.${key}`,
          description: `consent.${key} must be GRANTED or DENIED.`,
          validationCode: 'VALUE_INVALID',
        });
      }
    }
  }

  const events = body.events;
  if (!Array.isArray(events) || events.length === 0) {
    messages.push({
      fieldPath: 'events',
      description: 'At least one event is required.',
      validationCode: 'VALUE_REQUIRED',
    });
    return messages;
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    messages.push({
      fieldPath: 'events',
      description: `The request has ${events.length} events; the limit is ${MAX_EVENTS_PER_REQUEST}.`,
      validationCode: 'EXCEEDED_MAX_ENTITIES',
    });
  }
  for (const [index, event] of events.entries()) {
    if (!isPlainObject(event)) {
      messages.push({
        fieldPath: 'events',
        description: `Event at index: [${index}] is not an object.`,
        validationCode: 'VALUE_INVALID',
      });
      continue;
    }
    const name = event.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      messages.push({
        fieldPath: 'events',
        description: `Event at index: [${index}] has invalid name [${String(name)}]. Names must start with an alphabetic character and contain only alphanumerics and underscores, at most 40 characters.`,
        validationCode: 'NAME_INVALID',
      });
    } else if (RESERVED_EVENT_NAMES.has(name) || hasReservedPrefix(name)) {
      messages.push({
        fieldPath: 'events',
        description: `Event at index: [${index}] has name [${name}] which is reserved.`,
        validationCode: 'NAME_RESERVED',
      });
    }
    checkTimestamp(event.timestamp_micros, `events[${index}].timestamp_micros`, now, messages);
    checkParams(event.params, index, messages);
  }
  return messages;
}

export const handleGa4Request: PlatformHandler = (request) => {
  const debug = request.path === '/debug/mp/collect';
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const validationMessages = validate(
    request.query,
    parsed?.ok ? parsed.value : undefined,
    request.bodyBytes,
    request.now,
  );

  let accepted: AcceptedEvent[] = [];
  if (validationMessages.length === 0 && isPlainObject(parsedBody)) {
    const body = parsedBody;
    const pixelId = request.query.measurement_id ?? request.query.firebase_app_id ?? '';
    accepted = (body.events as Record<string, unknown>[]).map((event) => {
      const params = isPlainObject(event.params) ? event.params : {};
      const id = params.transaction_id ?? params.event_id;
      const micros = integerOf(event.timestamp_micros ?? body.timestamp_micros);
      return {
        pixelId,
        eventName: event.name as string,
        eventId: typeof id === 'string' && id !== '' ? id : undefined,
        eventTime: micros === undefined ? request.now : Math.floor(micros / 1000),
        body: event,
        validationOnly: debug,
      };
    });
  }

  return {
    // GA4 production never reports errors; only the validation server does.
    status: debug ? 200 : 204,
    body: debug ? { validationMessages } : undefined,
    parsedBody,
    accepted,
    validationMessages,
    testMode: debug,
  };
};
