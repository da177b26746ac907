/**
 * Fake LinkedIn Conversions API (`POST /rest/conversionEvents`, platforms.md §9). It checks the
 * headers LinkedIn requires (`Authorization: Bearer`, a live `LinkedIn-Version`,
 * `X-Restli-Protocol-Version: 2.0.0`), then the body: a Rest.li `BATCH_CREATE` (header
 * `X-RestLi-Method: BATCH_CREATE`, `{ elements: [...] }`, ≤ 5 000) or a single create (one element).
 * A malformed element fails the whole request with HTTP 422 and Rest.li's field-level error
 * details, as schema validation does before any element is stored; an element older than 90 days
 * fails on its own, as a `{ status: 400, error }` entry of a batch answer (HTTP 200), so both the
 * request-level and the per-element paths of a client get exercised.
 *
 * LinkedIn deduplicates on `(conversion rule, eventId)` (§15). The accepted event's `pixelId` and
 * `eventName` are both the conversion rule ID (`'104012'`), which is what the Insight Tag sends as
 * `conversion_id`: record a pixel hit as `{ eventName: '104012', eventId }` to pair it.
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
  type PlatformRequest,
} from './platform-handler';

const CONVERSION_EVENTS_PATH = '/rest/conversionEvents';
/** §9.1: `BATCH_CREATE` takes at most 5 000 elements. */
const MAX_ELEMENTS = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** §9.1: events older than 90 days are rejected. */
const MAX_AGE_MS = 90 * DAY_MS;
const CONVERSION_URN = /^urn:lla:llaPartnerConversion:(\d+)$/;
/**
 * idTypes seen in the sources (§9.2): the four of LinkedIn's schema, plus the two Stape sends
 * (UNCONFIRMED in LinkedIn's docs, accepted so real third-party traffic passes). Segment's
 * misspelled `AXCIOM_ID` is rejected.
 */
const ID_TYPES = new Set([
  'SHA256_EMAIL',
  'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID',
  'ACXIOM_ID',
  'ORACLE_MOAT_ID',
  'PLAINTEXT_IP_ADDRESS',
  'GOOGLE_AID',
]);

/** LinkedIn's Rest.li error body. `serviceErrorCode` values are UNCONFIRMED beyond 65600 (token). */
export function linkedinError(
  status: number,
  message: string,
  extra: { serviceErrorCode?: number; code?: string; fieldPath?: string } = {},
): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { status, message };
  if (extra.serviceErrorCode !== undefined) body.serviceErrorCode = extra.serviceErrorCode;
  if (extra.code !== undefined) body.code = extra.code;
  if (extra.fieldPath !== undefined) {
    body.errorDetailType = 'com.linkedin.common.error.BadRequest';
    body.errorDetails = {
      inputErrors: [
        {
          code: 'INVALID_VALUE',
          description: message,
          input: { inputPath: { fieldPath: extra.fieldPath } },
        },
      ],
    };
    body.message = 'Request validation failed';
  }
  return { status, body };
}

/** A validation failure: where, and what. */
interface Invalid {
  path: string;
  message: string;
}

/** First schema rule the element breaks; `undefined` when it is well-formed. */
function validateElement(element: unknown, at: string): Invalid | undefined {
  if (!isPlainObject(element)) return { path: at || '/', message: 'must be an object' };
  if (typeof element.conversion !== 'string' || !CONVERSION_URN.test(element.conversion)) {
    return {
      path: `${at}/conversion`,
      message: 'must be a conversion rule URN (urn:lla:llaPartnerConversion:{id})',
    };
  }
  const time = element.conversionHappenedAt;
  if (typeof time !== 'number' || !Number.isInteger(time) || time < 0) {
    return { path: `${at}/conversionHappenedAt`, message: 'must be an integer' };
  }
  // 13 digits: epoch ms. 10 would be seconds, the usual unit bug (§11.5, §15).
  if (digitCount(time) !== 13) {
    return {
      path: `${at}/conversionHappenedAt`,
      message: 'must be epoch milliseconds (13 digits)',
    };
  }
  if (element.eventId !== undefined && (typeof element.eventId !== 'string' || !element.eventId)) {
    return { path: `${at}/eventId`, message: 'must be a non-empty string' };
  }
  const value = element.conversionValue;
  if (value !== undefined) {
    if (!isPlainObject(value))
      return { path: `${at}/conversionValue`, message: 'must be an object' };
    if (!isIso4217(value.currencyCode)) {
      return { path: `${at}/conversionValue/currencyCode`, message: 'must be an ISO 4217 code' };
    }
    // §9.2: the amount is a string (`"1500.0"`); a JSON number fails Rest.li's schema.
    if (typeof value.amount !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.amount)) {
      return { path: `${at}/conversionValue/amount`, message: 'must be a decimal string' };
    }
  }
  return validateUser(element.user, `${at}/user`);
}

function validateUser(user: unknown, at: string): Invalid | undefined {
  if (!isPlainObject(user)) return { path: at, message: 'is required' };
  if (!Array.isArray(user.userIds)) return { path: `${at}/userIds`, message: 'is required' };
  for (const [index, id] of user.userIds.entries()) {
    const idAt = `${at}/userIds/${index}`;
    if (!isPlainObject(id)) return { path: idAt, message: 'must be an object' };
    if (typeof id.idType !== 'string' || !ID_TYPES.has(id.idType)) {
      return { path: `${idAt}/idType`, message: `unknown idType ${JSON.stringify(id.idType)}` };
    }
    if (typeof id.idValue !== 'string' || id.idValue === '') {
      return { path: `${idAt}/idValue`, message: 'must be a non-empty string' };
    }
    if (id.idType === 'SHA256_EMAIL' && !SHA256_HEX.test(id.idValue)) {
      return {
        path: `${idAt}/idValue`,
        message: `value ${describeUnhashed(id.idValue)}; SHA256_EMAIL must be SHA-256 hashed`,
      };
    }
  }
  const info = user.userInfo;
  if (info !== undefined) {
    if (!isPlainObject(info)) return { path: `${at}/userInfo`, message: 'must be an object' };
    // §9.2: with userInfo, both names are required.
    for (const field of ['firstName', 'lastName']) {
      if (typeof info[field] !== 'string' || info[field] === '') {
        return { path: `${at}/userInfo/${field}`, message: 'is required with userInfo' };
      }
    }
  }
  if (user.userIds.length === 0 && info === undefined) {
    return { path: `${at}/userIds`, message: 'needs at least one userId (or userInfo)' };
  }
  const external = user.externalIds;
  if (external !== undefined) {
    if (!Array.isArray(external) || !external.every((id) => typeof id === 'string')) {
      return { path: `${at}/externalIds`, message: 'must be a list of strings' };
    }
    // §9.2: only one external ID is allowed.
    if (external.length > 1) return { path: `${at}/externalIds`, message: 'takes at most 1 value' };
  }
  return undefined;
}

/** The header checks LinkedIn makes before reading the body; `undefined` when they pass. */
function checkHeaders(request: PlatformRequest): { status: number; body: unknown } | undefined {
  const authorization = request.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const tokenCheck = request.state.checkToken(token);
  if (tokenCheck === 'missing') {
    return linkedinError(401, 'Empty oauth2 access token', {
      serviceErrorCode: 65604,
      code: 'EMPTY_ACCESS_TOKEN',
    });
  }
  if (tokenCheck === 'rejected') {
    return linkedinError(401, 'Invalid access token', {
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
    });
  }
  const version = request.headers['linkedin-version'];
  if (!version) {
    return linkedinError(
      400,
      'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      { code: 'VERSION_MISSING' },
    );
  }
  if (!isLiveVersion(version, request.now)) {
    return linkedinError(426, `Requested version ${version} is not active`, {
      code: 'NONEXISTENT_VERSION',
    });
  }
  // Rest.li 2.0 encoding is what the conversions API speaks (§9.1); without it LinkedIn reads
  // the request with the 1.0 protocol. The exact answer is UNCONFIRMED; the fake refuses it.
  if (request.headers['x-restli-protocol-version'] !== '2.0.0') {
    return linkedinError(400, 'X-Restli-Protocol-Version: 2.0.0 is required', {
      code: 'ILLEGAL_ARGUMENT',
    });
  }
  return undefined;
}

/**
 * `YYYYMM` (or `YYYYMM.RR`), not sunset: LinkedIn retires a version about a year after its release
 * (§9.1, "202511 will be sunset on November 16, 2026"). Versions after the clock's month are let
 * through, since tests often run the fake on a fixed, earlier clock.
 */
function isLiveVersion(version: string, now: number): boolean {
  const match = /^(\d{4})(\d{2})(\.\d{2})?$/.exec(version);
  if (!match) return false;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return false;
  const released = Number(match[1]) * 12 + (month - 1);
  const today = new Date(now);
  const current = today.getUTCFullYear() * 12 + today.getUTCMonth();
  return current - released < 12;
}

function accepted(element: Record<string, unknown>): AcceptedEvent {
  const rule = CONVERSION_URN.exec(element.conversion as string)![1]!;
  return {
    pixelId: rule,
    eventName: rule,
    eventId: typeof element.eventId === 'string' ? element.eventId : undefined,
    eventTime: element.conversionHappenedAt as number,
    body: element,
    validationOnly: false,
  };
}

function tooOld(element: Record<string, unknown>, now: number): boolean {
  return now - (element.conversionHappenedAt as number) > MAX_AGE_MS;
}

const TOO_OLD_MESSAGE = 'conversionHappenedAt must be within the last 90 days';

export const handleLinkedinRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  // LinkedIn's API has no test mode (§0: "none found").
  const answer = (status: number, body: unknown, extra: Partial<PlatformAnswer> = {}) => ({
    status,
    body,
    parsedBody,
    testMode: false,
    ...extra,
  });
  if (request.path !== CONVERSION_EVENTS_PATH || request.method !== 'POST') {
    const error = linkedinError(404, 'No virtual resource found');
    return answer(error.status, error.body);
  }
  const headerError = checkHeaders(request);
  if (headerError) return answer(headerError.status, headerError.body);
  if (!isPlainObject(parsedBody)) {
    const error = linkedinError(400, 'Request body must be a JSON object');
    return answer(error.status, error.body);
  }
  const batch = (request.headers['x-restli-method'] ?? '').toUpperCase() === 'BATCH_CREATE';
  if (!batch) {
    const invalid = validateElement(parsedBody, '');
    if (invalid) {
      const error = linkedinError(422, invalid.message, { fieldPath: invalid.path });
      return answer(error.status, error.body);
    }
    if (tooOld(parsedBody, request.now)) {
      const error = linkedinError(400, TOO_OLD_MESSAGE);
      return answer(error.status, error.body);
    }
    // 201 Created with an empty body (§9.3; UNCONFIRMED).
    return answer(201, undefined, { accepted: [accepted(parsedBody)] });
  }
  const elements = parsedBody.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    const error = linkedinError(422, 'elements must be a non-empty list', {
      fieldPath: '/elements',
    });
    return answer(error.status, error.body);
  }
  if (elements.length > MAX_ELEMENTS) {
    const error = linkedinError(422, `at most ${MAX_ELEMENTS} elements per BATCH_CREATE`, {
      fieldPath: '/elements',
    });
    return answer(error.status, error.body);
  }
  for (const [index, element] of elements.entries()) {
    const invalid = validateElement(element, `/elements/${index}`);
    if (invalid) {
      const error = linkedinError(422, invalid.message, { fieldPath: invalid.path });
      return answer(error.status, error.body);
    }
  }
  const results: unknown[] = [];
  const acceptedEvents: AcceptedEvent[] = [];
  for (const element of elements as Record<string, unknown>[]) {
    if (tooOld(element, request.now)) {
      results.push({ status: 400, error: linkedinError(400, TOO_OLD_MESSAGE).body });
      continue;
    }
    results.push({ status: 201 });
    acceptedEvents.push(accepted(element));
  }
  // Rest.li answers a batch create with 200 and one status per element (§9.3).
  return answer(200, { elements: results }, { accepted: acceptedEvents });
};
