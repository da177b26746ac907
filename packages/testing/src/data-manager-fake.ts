/**
 * Fake Google Data Manager API (`POST /v1/events:ingest`, platforms.md §4.1). Errors come back as
 * HTTP status + google.rpc.Status bodies: 401 `UNAUTHENTICATED` for a missing or expired OAuth
 * token (expire one with `fake.dataManager.rejectToken(token)` to test refresh-on-401), 400
 * `INVALID_ARGUMENT` with a `BadRequest` detail listing every field violation, including proto-JSON
 * "Unknown name" errors for misspelled fields. `validateOnly: true` validates without ingesting.
 */
import { randomUUID } from 'node:crypto';
import type { AcceptedEvent } from './fake-platform';
import { googleErrorInfo, googleRpcError } from './platform-errors';
import {
  isIso4217,
  isPlainObject,
  parseJson,
  SHA256_BASE64,
  SHA256_HEX,
  type PlatformAnswer,
  type PlatformHandler,
} from './platform-handler';

const INGEST_PATH = '/v1/events:ingest';
const MAX_EVENTS_PER_REQUEST = 2000;
/** RFC 3339 as Google's Timestamp JSON mapping writes it (offset or Z required). */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const ACCOUNT_TYPES = new Set([
  'GOOGLE_ADS',
  'DISPLAY_VIDEO_PARTNER',
  'DISPLAY_VIDEO_ADVERTISER',
  'DATA_PARTNER',
  'GOOGLE_ANALYTICS_PROPERTY',
]);
const CONSENT_STATUSES = new Set([
  'CONSENT_GRANTED',
  'CONSENT_DENIED',
  'CONSENT_STATUS_UNSPECIFIED',
]);
const EVENT_SOURCES = new Set([
  'EVENT_SOURCE_UNSPECIFIED',
  'WEB',
  'APP',
  'IN_STORE',
  'PHONE',
  'OTHER',
]);

/**
 * Known field names per message, from the ingest reference (§4.1). Proto-JSON parsing rejects any
 * other name, which is how a misspelled field fails against the real API.
 */
const KNOWN_FIELDS = {
  request: ['destinations', 'events', 'consent', 'validateOnly', 'encoding', 'encryptionInfo'],
  destination: [
    'reference',
    'loginAccount',
    'linkedAccount',
    'operatingAccount',
    'productDestinationId',
  ],
  account: ['accountType', 'accountId', 'product'],
  event: [
    'destinationReferences',
    'transactionId',
    'eventTimestamp',
    'lastUpdatedTimestamp',
    'userData',
    'consent',
    'adIdentifiers',
    'currency',
    'conversionValue',
    'eventSource',
    'eventDeviceInfo',
    'cartData',
    'customVariables',
    'experimentalFields',
    'userProperties',
    'clientId',
    'appInstanceId',
    'userId',
    'eventName',
    'additionalEventParameters',
    'conversionCount',
    'eventLocation',
  ],
  userData: ['userIdentifiers'],
  userIdentifier: ['emailAddress', 'phoneNumber', 'address'],
  address: ['givenName', 'familyName', 'regionCode', 'postalCode'],
  adIdentifiers: ['sessionAttributes', 'gclid', 'gbraid', 'wbraid', 'landingPageDeviceInfo'],
  consent: ['adUserData', 'adPersonalization'],
} as const;

interface FieldViolation {
  field: string;
  description: string;
}

function badRequest(violations: FieldViolation[], parsedBody: unknown): PlatformAnswer {
  const first = violations[0]!;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  const error = googleRpcError(
    'INVALID_ARGUMENT',
    `Invalid value at '${first.field}': ${first.description}${more}`,
    [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }],
  );
  return { status: error.status, body: error.body, parsedBody, testMode: false };
}

/** The first unknown field name, in proto-JSON's own error wording. */
function unknownField(
  value: Record<string, unknown>,
  known: readonly string[],
  at: string,
): FieldViolation | undefined {
  const name = Object.keys(value).find((key) => !known.includes(key));
  if (name === undefined) return undefined;
  return {
    field: at,
    description: `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`,
  };
}

function checkConsent(consent: unknown, at: string, violations: FieldViolation[]): void {
  if (consent === undefined) return;
  if (!isPlainObject(consent)) {
    violations.push({ field: at, description: 'consent must be an object.' });
    return;
  }
  const unknown = unknownField(consent, KNOWN_FIELDS.consent, at);
  if (unknown) violations.push(unknown);
  for (const key of ['adUserData', 'adPersonalization']) {
    // §11.16: the GA4/Ads-API enums (GRANTED, DENIED) are not valid here.
    if (consent[key] !== undefined && !CONSENT_STATUSES.has(consent[key] as string)) {
      violations.push({
        field: `${at}.${key}`,
        description: `Must be one of ${[...CONSENT_STATUSES].join(', ')}.`,
      });
    }
  }
}

function checkAccount(account: unknown, at: string, violations: FieldViolation[]): void {
  if (!isPlainObject(account)) {
    violations.push({ field: at, description: 'Required and must be an object.' });
    return;
  }
  const unknown = unknownField(account, KNOWN_FIELDS.account, at);
  if (unknown) violations.push(unknown);
  if (!ACCOUNT_TYPES.has(account.accountType as string)) {
    violations.push({
      field: `${at}.accountType`,
      description: `Must be one of ${[...ACCOUNT_TYPES].join(', ')}.`,
    });
  }
  // Google Ads customer IDs are digits only: "123-456-7890" is the usual copy-paste bug.
  if (typeof account.accountId !== 'string' || !/^\d+$/.test(account.accountId)) {
    violations.push({
      field: `${at}.accountId`,
      description: 'Must be the account ID as digits only (no dashes).',
    });
  }
}

function isHashed(value: unknown, encoding: unknown): boolean {
  if (typeof value !== 'string') return false;
  return encoding === 'BASE64' ? SHA256_BASE64.test(value) : SHA256_HEX.test(value);
}

function checkUserData(
  userData: unknown,
  at: string,
  encoding: unknown,
  violations: FieldViolation[],
): void {
  if (!isPlainObject(userData)) {
    violations.push({ field: at, description: 'userData must be an object.' });
    return;
  }
  const unknown = unknownField(userData, KNOWN_FIELDS.userData, at);
  if (unknown) violations.push(unknown);
  const identifiers = userData.userIdentifiers;
  if (!Array.isArray(identifiers) || identifiers.length === 0) {
    violations.push({
      field: `${at}.userIdentifiers`,
      description: 'At least one user identifier is required.',
    });
    return;
  }
  const hashRule =
    encoding === 'BASE64'
      ? 'a SHA-256 hash encoded as Base64 (encoding BASE64)'
      : 'a SHA-256 hash encoded as 64 lowercase hex characters (encoding HEX)';
  for (const [index, identifier] of identifiers.entries()) {
    const identifierAt = `${at}.userIdentifiers[${index}]`;
    if (!isPlainObject(identifier)) {
      violations.push({ field: identifierAt, description: 'Must be an object.' });
      continue;
    }
    const unknownIdentifier = unknownField(identifier, KNOWN_FIELDS.userIdentifier, identifierAt);
    if (unknownIdentifier) {
      violations.push(unknownIdentifier);
      continue;
    }
    // UserIdentifier is a oneof (§4.1): one identifier per object.
    const keys = Object.keys(identifier);
    if (keys.length !== 1) {
      violations.push({
        field: identifierAt,
        description: 'Exactly one of emailAddress, phoneNumber or address must be set.',
      });
      continue;
    }
    for (const key of ['emailAddress', 'phoneNumber'] as const) {
      if (key in identifier && !isHashed(identifier[key], encoding)) {
        // Never echo the value: it may be a plain e-mail or phone number.
        violations.push({ field: `${identifierAt}.${key}`, description: `Must be ${hashRule}.` });
      }
    }
    const address = identifier.address;
    if (address === undefined) continue;
    if (!isPlainObject(address)) {
      violations.push({ field: `${identifierAt}.address`, description: 'Must be an object.' });
      continue;
    }
    const unknownAddress = unknownField(address, KNOWN_FIELDS.address, `${identifierAt}.address`);
    if (unknownAddress) violations.push(unknownAddress);
    for (const key of ['givenName', 'familyName'] as const) {
      if (address[key] !== undefined && !isHashed(address[key], encoding)) {
        violations.push({
          field: `${identifierAt}.address.${key}`,
          description: `Must be ${hashRule}.`,
        });
      }
    }
    // regionCode and postalCode travel in plain text (§4.1, §13).
    if (typeof address.regionCode !== 'string' || !/^[A-Za-z]{2}$/.test(address.regionCode)) {
      violations.push({
        field: `${identifierAt}.address.regionCode`,
        description: 'Required: a two-letter ISO-3166-1 region code, not hashed.',
      });
    }
    if (address.postalCode !== undefined && typeof address.postalCode !== 'string') {
      violations.push({
        field: `${identifierAt}.address.postalCode`,
        description: 'Must be a string, not hashed.',
      });
    }
  }
}

function checkEvent(
  event: unknown,
  index: number,
  encoding: unknown,
  references: Set<string>,
  violations: FieldViolation[],
): void {
  const at = `events[${index}]`;
  if (!isPlainObject(event)) {
    violations.push({ field: at, description: 'Must be an object.' });
    return;
  }
  const unknown = unknownField(event, KNOWN_FIELDS.event, at);
  if (unknown) violations.push(unknown);

  if (typeof event.eventTimestamp !== 'string' || !RFC3339.test(event.eventTimestamp)) {
    violations.push({
      field: `${at}.eventTimestamp`,
      description: 'Required: an RFC 3339 timestamp such as "2026-01-02T03:04:05Z".',
    });
  }
  if (
    event.lastUpdatedTimestamp !== undefined &&
    (typeof event.lastUpdatedTimestamp !== 'string' || !RFC3339.test(event.lastUpdatedTimestamp))
  ) {
    violations.push({
      field: `${at}.lastUpdatedTimestamp`,
      description: 'Must be an RFC 3339 timestamp.',
    });
  }
  if (
    event.transactionId !== undefined &&
    (typeof event.transactionId !== 'string' || event.transactionId === '')
  ) {
    violations.push({ field: `${at}.transactionId`, description: 'Must be a non-empty string.' });
  }
  if (event.eventSource !== undefined && !EVENT_SOURCES.has(event.eventSource as string)) {
    violations.push({
      field: `${at}.eventSource`,
      description: `Must be one of ${[...EVENT_SOURCES].join(', ')}.`,
    });
  }
  if (
    event.conversionValue !== undefined &&
    (typeof event.conversionValue !== 'number' || !Number.isFinite(event.conversionValue))
  ) {
    violations.push({ field: `${at}.conversionValue`, description: 'Must be a number.' });
  }
  if (
    event.currency !== undefined &&
    (!isIso4217(event.currency) || event.currency !== String(event.currency).toUpperCase())
  ) {
    violations.push({
      field: `${at}.currency`,
      description: 'Must be an upper-case ISO 4217 currency code.',
    });
  }
  checkConsent(event.consent, `${at}.consent`, violations);

  if (event.destinationReferences !== undefined) {
    const ok =
      Array.isArray(event.destinationReferences) &&
      event.destinationReferences.every(
        (reference) => typeof reference === 'string' && references.has(reference),
      );
    if (!ok) {
      violations.push({
        field: `${at}.destinationReferences`,
        description: 'Every reference must name a destination of this request.',
      });
    }
  }

  const adIdentifiers = event.adIdentifiers;
  if (adIdentifiers !== undefined) {
    if (!isPlainObject(adIdentifiers)) {
      violations.push({ field: `${at}.adIdentifiers`, description: 'Must be an object.' });
    } else {
      const unknownAd = unknownField(
        adIdentifiers,
        KNOWN_FIELDS.adIdentifiers,
        `${at}.adIdentifiers`,
      );
      if (unknownAd) violations.push(unknownAd);
    }
  }
  if (event.userData !== undefined)
    checkUserData(event.userData, `${at}.userData`, encoding, violations);
  // An ad conversion needs something to match on: Stape's template enforces this and an event
  // without either cannot be attributed (Google's own rule is UNCONFIRMED).
  if (adIdentifiers === undefined && event.userData === undefined) {
    violations.push({
      field: at,
      description: 'Each event needs adIdentifiers or userData.',
    });
  }
}

function bearerToken(headers: Record<string, string>): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

export const handleDataManagerRequest: PlatformHandler = (request) => {
  const parsed = request.bodyText === '' ? undefined : parseJson(request.bodyText);
  const parsedBody = parsed?.ok ? parsed.value : request.bodyText || undefined;
  const testMode = isPlainObject(parsedBody) && parsedBody.validateOnly === true;

  if (request.path !== INGEST_PATH || request.method !== 'POST') {
    const error = googleRpcError(
      'NOT_FOUND',
      `The requested URL ${request.method} ${request.path} was not found on this server.`,
    );
    return { status: error.status, body: error.body, parsedBody, testMode };
  }

  const tokenCheck = request.state.checkToken(bearerToken(request.headers));
  if (tokenCheck !== 'ok') {
    const error =
      tokenCheck === 'missing'
        ? googleRpcError(
            'UNAUTHENTICATED',
            'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            [googleErrorInfo('CREDENTIALS_MISSING')],
          )
        : googleRpcError(
            'UNAUTHENTICATED',
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            [googleErrorInfo('ACCESS_TOKEN_EXPIRED')],
          );
    return {
      status: error.status,
      body: error.body,
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
      parsedBody,
      testMode,
    };
  }

  if (!parsed?.ok || !isPlainObject(parsed.value)) {
    return badRequest(
      [{ field: '', description: 'Invalid JSON payload received. Expected a JSON object.' }],
      parsedBody,
    );
  }
  const body = parsed.value;
  const violations: FieldViolation[] = [];
  const unknown = unknownField(body, KNOWN_FIELDS.request, '');
  if (unknown) violations.push(unknown);

  const destinations = body.destinations;
  const references = new Set<string>();
  if (!Array.isArray(destinations) || destinations.length === 0) {
    violations.push({
      field: 'destinations',
      description: 'At least one destination is required.',
    });
  } else {
    for (const [index, destination] of destinations.entries()) {
      const at = `destinations[${index}]`;
      if (!isPlainObject(destination)) {
        violations.push({ field: at, description: 'Must be an object.' });
        continue;
      }
      const unknownDestination = unknownField(destination, KNOWN_FIELDS.destination, at);
      if (unknownDestination) violations.push(unknownDestination);
      checkAccount(destination.operatingAccount, `${at}.operatingAccount`, violations);
      if (destination.loginAccount !== undefined) {
        checkAccount(destination.loginAccount, `${at}.loginAccount`, violations);
      }
      if (
        typeof destination.productDestinationId !== 'string' ||
        destination.productDestinationId === ''
      ) {
        violations.push({
          field: `${at}.productDestinationId`,
          description: 'Required: the conversion action ID (or GA4 measurement ID).',
        });
      }
      if (typeof destination.reference === 'string') references.add(destination.reference);
    }
  }

  checkConsent(body.consent, 'consent', violations);
  if (body.validateOnly !== undefined && typeof body.validateOnly !== 'boolean') {
    violations.push({ field: 'validateOnly', description: 'Must be a boolean.' });
  }

  const events = body.events;
  if (!Array.isArray(events) || events.length === 0) {
    violations.push({ field: 'events', description: 'At least one event is required.' });
  } else if (events.length > MAX_EVENTS_PER_REQUEST) {
    violations.push({
      field: 'events',
      description: `At most ${MAX_EVENTS_PER_REQUEST} events per request; got ${events.length}.`,
    });
  } else {
    // §4.1: `encoding` is required as soon as any UserData is uploaded.
    const hasUserData = events.some(
      (event) => isPlainObject(event) && event.userData !== undefined,
    );
    if (hasUserData && body.encoding !== 'HEX' && body.encoding !== 'BASE64') {
      violations.push({
        field: 'encoding',
        description: 'Required when user data is sent: HEX or BASE64.',
      });
    }
    for (const [index, event] of events.entries()) {
      checkEvent(event, index, body.encoding ?? 'HEX', references, violations);
    }
  }

  if (violations.length > 0) return { ...badRequest(violations, parsedBody), testMode };

  const firstDestination = (destinations as Record<string, unknown>[])[0]!;
  const accepted: AcceptedEvent[] = (events as Record<string, unknown>[]).map((event) => ({
    pixelId: firstDestination.productDestinationId as string,
    eventName: typeof event.eventName === 'string' ? event.eventName : 'conversion',
    eventId: typeof event.transactionId === 'string' ? event.transactionId : undefined,
    eventTime: Date.parse(event.eventTimestamp as string),
    body: event,
    validationOnly: testMode,
  }));
  return { status: 200, body: { requestId: randomUUID() }, parsedBody, accepted, testMode };
};
