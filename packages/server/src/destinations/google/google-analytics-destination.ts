/**
 * The GA4 Measurement Protocol destination: maps a canonical event to a GA4 recommended event
 * (`purchase` with `transaction_id`, `value`, `currency`, `items`…), keyed to the browser by the
 * `_ga` client ID, and sends it to `/mp/collect`. GA4 answers 2xx to everything in production, so
 * the opt-in `validate` mode asks the validation server (`/debug/mp/collect`) first and turns its
 * `validationMessages` into per-event rejections.
 *
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference
 */
import {
  DestinationCallError,
  gaClientIdFromCookie,
  hashUserData,
  platformEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventOutcome,
  type ExchangeRecord,
  type PrepareResult,
  type PreparedEvent,
  type SendResult,
} from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter, postJson, redactUrl } from '../../http';
import type {
  Ga4Address,
  Ga4Consent,
  Ga4Event,
  Ga4Item,
  Ga4ParamValue,
  Ga4Request,
  Ga4UserData,
  Ga4ValidationResponse,
} from './google-api-types';
import { describeGa4Message, ga4MessageEventIndex } from './google-error';
import { nonEmptyString, requireSetting } from '../destination-kit';
import { finiteNumber, firstValue, jsonByteLength, originOf } from './google-shared';

/** Settings of `googleAnalytics()`. */
export interface GoogleAnalyticsSettings extends DestinationSettings {
  /** The web stream's measurement ID (`G-XXXXXXX`), not the stream ID. Env `GA4_MEASUREMENT_ID`. */
  measurementId?: string;
  /** A Measurement Protocol API secret of that stream. Env `GA4_API_SECRET`. */
  apiSecret?: string;
  /** `eu` sends to `region1.google-analytics.com` so data is collected in the EU. */
  region?: 'global' | 'eu';
  /**
   * `true`: each request first goes to the validation server and only events it finds valid go on
   * to `/mp/collect`; the rest are rejected with Google's message. `'only'`: the validation
   * server only (a test mode: nothing reaches reports). Default `false`: GA4 never reports errors.
   */
  validate?: boolean | 'only';
  /** Destination ID in the ledger and queues [`google-analytics`]; set one per property if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms. */
  timeoutMs?: number;
}

/** What one prepared GA4 event holds: the event plus the request-level fields it must travel with. */
export interface GoogleAnalyticsPayload {
  /** From `_ga`; requests can only carry one, so events are grouped by it. */
  client_id: string;
  /** The site's user ID. */
  user_id?: string;
  /** Hashed user-provided data. */
  user_data?: Ga4UserData;
  /** Consent mode signals. */
  consent?: Ga4Consent;
  /** Client IP for geolocation. */
  ip_override?: string;
  /** The event, with its own `timestamp_micros`. */
  event: Ga4Event & { timestamp_micros: number };
}

/** GA4 accepts at most 25 events per request (platforms.md §3.3). */
const MAX_EVENTS_PER_REQUEST = 25;
/**
 * How many events the relay hands one `doSend` (see `maxEventsPerSend` in the relay's deliver
 * step). GA4 requests carry one browser each (`client_id` belongs to the request), so a claim of
 * only 25 queue items mixing beacons of several browsers would go out as several part-filled
 * requests; `doSend` groups a larger claim by browser and fills each request up to 25 instead.
 */
const MAX_EVENTS_PER_SEND = 500;
/** "Body < 130 kB" (§3.3); 130 000 bytes is the stricter reading of kB. */
const MAX_BODY_BYTES = 130_000;
/**
 * GA4 accepts backdated events up to 72 h (§3.2). We stop 15 minutes short so an event sent at
 * the edge is not dropped silently for clock skew or time spent in flight.
 */
const MAX_EVENT_AGE_MS = 72 * 60 * 60 * 1000 - 15 * 60 * 1000;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_PARAMS = 25;
const MAX_PARAM_VALUE_LENGTH = 100;
/** GA collection limits for the page params, longer than the generic 100 chars (§3.3). */
const PAGE_PARAM_LENGTH: Record<string, number> = {
  page_location: 1000,
  page_referrer: 420,
  page_title: 300,
};
/**
 * `data` keys mapped to GA4 recommended params. The other standard fields (`contentType`,
 * `numItems`, `status`…) have no GA4 counterpart and go out as snake_case custom params.
 */
const MAPPED_DATA_KEYS = new Set([
  'value',
  'currency',
  'orderId',
  'contents',
  'contentIds',
  'searchString',
]);

/**
 * Creates the GA4 Measurement Protocol destination.
 *
 * @example
 * import { googleAnalytics } from '@capi-kit/server/google';
 * createRelay({ destinations: [googleAnalytics({ measurementId: 'G-ABC123', apiSecret })] });
 */
export function googleAnalytics(
  settings: GoogleAnalyticsSettings = {},
): Destination<GoogleAnalyticsPayload> & { readonly maxEventsPerSend: number } {
  const measurementId = requireSetting(
    'googleAnalytics',
    'measurementId',
    settings.measurementId,
    'GA4_MEASUREMENT_ID',
  );
  const apiSecret = requireSetting(
    'googleAnalytics',
    'apiSecret',
    settings.apiSecret,
    'GA4_API_SECRET',
  );
  const origin = originOf(
    settings.baseURL,
    settings.region === 'eu'
      ? 'https://region1.google-analytics.com'
      : 'https://www.google-analytics.com',
  );
  const query = `?measurement_id=${encodeURIComponent(measurementId)}&api_secret=${encodeURIComponent(apiSecret)}`;
  const collectUrl = `${origin}/mp/collect${query}`;
  const debugUrl = `${origin}/debug/mp/collect${query}`;
  const validate = settings.validate ?? false;

  async function post(url: string, body: Ga4Request, signal: AbortSignal) {
    const response = await postJson({
      url,
      body,
      signal,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.headers ? { headers: settings.headers } : {}),
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    });
    if (classifyHttpStatus(response.status) !== 'success') {
      // GA4 is documented to answer 2xx to anything it received, so anything else is the
      // transport (a proxy, an outage): retry the 5xx/429 kind, report the rest.
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw new DestinationCallError(`GA4 answered HTTP ${response.status}`, {
        statusCode: response.status,
        isRetryable: classifyHttpStatus(response.status) === 'retryable',
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        isConfigurationError: response.status === 401 || response.status === 403,
        responseBody: response.body,
      });
    }
    return response;
  }

  /** Sends one request's worth of events; returns an outcome per event of `group`. */
  async function sendGroup(
    group: readonly PreparedEvent<GoogleAnalyticsPayload>[],
    signal: AbortSignal,
    exchanges: ExchangeRecord[],
  ): Promise<EventOutcome[]> {
    const outcomes: (EventOutcome | undefined)[] = group.map(() => undefined);
    let pending = group.map((_, index) => index);

    if (validate !== false) {
      const body = buildRequest(pending.map((index) => group[index]!.payload));
      const response = await post(debugUrl, body, signal);
      exchanges.push({
        url: redactUrl(debugUrl),
        requestBody: body,
        status: response.status,
        responseBody: response.body,
      });
      const messages = (response.body as Ga4ValidationResponse | undefined)?.validationMessages;
      for (const message of Array.isArray(messages) ? messages : []) {
        const at = ga4MessageEventIndex(message);
        const reason = describeGa4Message(message);
        const blamed = at === undefined ? pending : pending[at] !== undefined ? [pending[at]!] : [];
        for (const index of blamed) {
          const earlier = outcomes[index];
          outcomes[index] = {
            status: 'rejected',
            reason: earlier?.status === 'rejected' ? `${earlier.reason}; ${reason}` : reason,
            ...(message.validationCode ? { code: message.validationCode } : {}),
          };
        }
      }
      pending = pending.filter((index) => outcomes[index] === undefined);
    }

    if (pending.length > 0 && validate !== 'only') {
      const body = buildRequest(pending.map((index) => group[index]!.payload));
      const response = await post(collectUrl, body, signal);
      exchanges.push({
        url: redactUrl(collectUrl),
        requestBody: body,
        status: response.status,
        responseBody: response.body,
      });
    }
    for (const index of pending) outcomes[index] = { status: 'delivered' };
    return outcomes.map((outcome) => outcome ?? { status: 'delivered' });
  }

  return {
    specVersion: 'v1',
    id: settings.id ?? 'google-analytics',
    platform: 'google',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventsPerSend: MAX_EVENTS_PER_SEND,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    async doPrepare(event: ConversionEvent): Promise<PrepareResult<GoogleAnalyticsPayload>> {
      try {
        return await prepareGa4Event(event);
      } catch (error) {
        // The contract says doPrepare never throws: one bad field must not cost the relay a crash.
        return { kind: 'skip', reason: `could not map the event for GA4: ${String(error)}` };
      }
    },

    async doSend(batch, options): Promise<SendResult> {
      const groups = groupForRequests(batch);
      const exchanges: ExchangeRecord[] = [];
      const outcomes: EventOutcome[] = batch.map(() => ({ status: 'delivered' }));
      for (const group of groups) {
        try {
          const groupOutcomes = await sendGroup(
            group.map((position) => batch[position]!),
            options.signal,
            exchanges,
          );
          group.forEach((position, index) => (outcomes[position] = groupOutcomes[index]!));
        } catch (error) {
          // With one request, the whole batch failed: let the relay retry or report it. With
          // several, earlier requests may already be in GA4 (which does not deduplicate), so
          // only this request's events are retried or rejected.
          if (groups.length === 1 || !(error instanceof DestinationCallError)) throw error;
          for (const position of group) {
            outcomes[position] = error.isRetryable
              ? {
                  status: 'retry',
                  reason: error.message,
                  ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
                }
              : { status: 'rejected', reason: error.message };
          }
        }
      }
      return { outcomes, ...(exchanges.length > 0 ? { exchange: mergeExchanges(exchanges) } : {}) };
    },
  };
}

/** Canonical event → prepared GA4 event, or a skip with a reason. */
async function prepareGa4Event(
  event: ConversionEvent,
): Promise<PrepareResult<GoogleAnalyticsPayload>> {
  const user = event.user ?? {};
  const clientId = readClientId(user.gaClientId);
  if (clientId === undefined) {
    // GA4 ties every web event to a browser through client_id. A made-up one would invent a new
    // user and session for each event and skew every report, so the event is skipped instead.
    return {
      kind: 'skip',
      reason:
        'no _ga cookie: GA4 needs the client_id of the browser, and capi-kit never invents one',
    };
  }
  const name = platformEventName('google', event.name);
  if (!EVENT_NAME.test(name)) {
    return {
      kind: 'skip',
      reason: `GA4 event names must match ${EVENT_NAME.source}; "${event.name}" maps to "${name}"`,
    };
  }

  const payload: GoogleAnalyticsPayload = {
    client_id: clientId,
    event: { name, params: buildParams(event), timestamp_micros: Math.trunc(event.time) * 1000 },
  };
  const userId = nonEmptyString(firstValue(user.externalId))?.trim();
  if (userId !== undefined) payload.user_id = userId;
  const consent = buildConsent(event);
  if (consent !== undefined) payload.consent = consent;
  // With ad_user_data denied, personal data has no business leaving the server, hashed or not.
  if (event.consent?.adUserData !== 'denied') {
    const userData = await buildUserData(event);
    if (userData !== undefined) payload.user_data = userData;
  }
  if (user.ip !== undefined && user.ip !== '') payload.ip_override = user.ip;
  return { kind: 'ready', payload };
}

/** `_ga` cookie value or a bare client ID → the client ID. */
function readClientId(value: string | undefined): string | undefined {
  const text = nonEmptyString(value)?.trim();
  if (text === undefined) return undefined;
  if (/^GA\d/i.test(text)) return gaClientIdFromCookie(text);
  return text;
}

function buildConsent(event: ConversionEvent): Ga4Consent | undefined {
  const consent: Ga4Consent = {};
  const adUserData = event.consent?.adUserData;
  const adPersonalization = event.consent?.adPersonalization;
  if (adUserData) consent.ad_user_data = adUserData === 'granted' ? 'GRANTED' : 'DENIED';
  if (adPersonalization) {
    consent.ad_personalization = adPersonalization === 'granted' ? 'GRANTED' : 'DENIED';
  }
  return Object.keys(consent).length > 0 ? consent : undefined;
}

/** user_data per the uid-data page (platforms.md §3.4): names hashed, place fields plain. */
async function buildUserData(event: ConversionEvent): Promise<Ga4UserData | undefined> {
  // Personal fields only: identifiers and device data are read from the event itself.
  const hashed = await hashUserData('google', event.user, { personalOnly: true });
  const userData: Ga4UserData = {};
  if (hashed.email?.length) userData.sha256_email_address = [...hashed.email];
  if (hashed.phone?.length) userData.sha256_phone_number = [...hashed.phone];
  const address: Ga4Address = {};
  const firstName = hashed.firstName?.[0];
  const lastName = hashed.lastName?.[0];
  const city = hashed.city?.[0];
  const region = hashed.state?.[0];
  const postalCode = hashed.zip?.[0];
  const country = hashed.country?.[0];
  if (firstName) address.sha256_first_name = firstName;
  if (lastName) address.sha256_last_name = lastName;
  if (city) address.city = city;
  if (region) address.region = region;
  if (postalCode) address.postal_code = postalCode;
  if (country) address.country = country;
  if (Object.keys(address).length > 0) userData.address = [address];
  return Object.keys(userData).length > 0 ? userData : undefined;
}

/** GA4 recommended params, then custom scalars, within GA4's count and length limits. */
function buildParams(event: ConversionEvent): Ga4Event['params'] {
  const data = event.data ?? {};
  const params: Ga4Event['params'] = {};
  const put = (key: string, value: unknown) => {
    if (Object.keys(params).length >= MAX_PARAMS || key in params) return;
    if (typeof value === 'string') {
      if (value === '') return;
      params[key] = value.slice(0, PAGE_PARAM_LENGTH[key] ?? MAX_PARAM_VALUE_LENGTH);
    } else if (typeof value === 'boolean' || finiteNumber(value) !== undefined) {
      params[key] = value as Ga4ParamValue;
    }
  };

  // Explicit, in order of importance, so the 25-param cap only ever drops custom params.
  put('transaction_id', data.orderId);
  put('currency', typeof data.currency === 'string' ? data.currency.toUpperCase() : undefined);
  put('value', data.value);
  const items = buildItems(event);
  if (items.length > 0) params.items = items;
  put('search_term', data.searchString);
  // Same ID as the gtag call's `event_id`, so a pixel and a server copy can be matched in exports.
  put('event_id', event.id);
  put('session_id', event.user?.gaSessionId);
  put('page_location', event.page?.url);
  put('page_referrer', event.page?.referrer);
  put('page_title', event.page?.title);

  for (const [key, value] of Object.entries(data)) {
    if (MAPPED_DATA_KEYS.has(key)) continue;
    const paramName = toParamName(key);
    // Reserved prefixes are dropped rather than renamed: GA4 would discard them anyway.
    if (paramName === undefined || /^(google_|ga_|firebase_)/.test(paramName)) continue;
    put(paramName, value);
  }
  return params;
}

function buildItems(event: ConversionEvent): Ga4Item[] {
  const data = event.data ?? {};
  const items: Ga4Item[] = [];
  for (const content of Array.isArray(data.contents) ? data.contents : []) {
    const id = nonEmptyString(content?.id);
    if (id === undefined) continue;
    const item: Ga4Item = { item_id: id.slice(0, MAX_PARAM_VALUE_LENGTH) };
    const itemName = nonEmptyString(content.name);
    const category = nonEmptyString(content.category);
    const brand = nonEmptyString(content.brand);
    const variant = nonEmptyString(content.variant);
    const price = finiteNumber(content.price);
    const quantity = finiteNumber(content.quantity);
    if (itemName) item.item_name = itemName.slice(0, MAX_PARAM_VALUE_LENGTH);
    if (category) item.item_category = category.slice(0, MAX_PARAM_VALUE_LENGTH);
    if (brand) item.item_brand = brand.slice(0, MAX_PARAM_VALUE_LENGTH);
    if (variant) item.item_variant = variant.slice(0, MAX_PARAM_VALUE_LENGTH);
    if (price !== undefined) item.price = price;
    if (quantity !== undefined) item.quantity = quantity;
    items.push(item);
  }
  if (items.length === 0 && Array.isArray(data.contentIds)) {
    for (const id of data.contentIds) {
      if (nonEmptyString(id)) items.push({ item_id: id.slice(0, MAX_PARAM_VALUE_LENGTH) });
    }
  }
  return items;
}

/** A custom data key as a valid GA4 param name (snake_case, ≤ 40 chars), or `undefined`. */
function toParamName(key: string): string | undefined {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase()
    .slice(0, 40);
  return EVENT_NAME.test(snake) ? snake : undefined;
}

/**
 * The request body for events that share their request-level fields. `timestamp_micros` is also
 * set per event (events of one user may happen at different times); the request-level one is the
 * earliest, which is the one the 72 h rule bites on.
 */
function buildRequest(payloads: readonly GoogleAnalyticsPayload[]): Ga4Request {
  const first = payloads[0]!;
  return {
    client_id: first.client_id,
    ...(first.user_id !== undefined ? { user_id: first.user_id } : {}),
    timestamp_micros: Math.min(...payloads.map((payload) => payload.event.timestamp_micros)),
    ...(first.user_data !== undefined ? { user_data: first.user_data } : {}),
    ...(first.consent !== undefined ? { consent: first.consent } : {}),
    ...(first.ip_override !== undefined ? { ip_override: first.ip_override } : {}),
    events: payloads.map((payload) => payload.event),
  };
}

/**
 * Splits a batch into requests. `client_id`, `user_id`, `user_data`, `consent` and `ip_override`
 * belong to the request, not the event, so only events that agree on all of them may share a
 * request (events of two browsers in one request would be credited to one). Within a group,
 * requests hold ≤ 25 events and stay under 130 kB; an event that alone is too big still gets its
 * own request, and the validation server or GA4 itself decides.
 *
 * Returns positions into `batch`, in batch order.
 */
export function groupForRequests(
  batch: readonly PreparedEvent<GoogleAnalyticsPayload>[],
): number[][] {
  const byKey = new Map<string, number[]>();
  batch.forEach((prepared, position) => {
    const { client_id, user_id, user_data, consent, ip_override } = prepared.payload;
    const key = JSON.stringify([client_id, user_id, user_data, consent, ip_override]);
    const group = byKey.get(key);
    if (group) group.push(position);
    else byKey.set(key, [position]);
  });

  const requests: number[][] = [];
  for (const positions of byKey.values()) {
    let current: number[] = [];
    for (const position of positions) {
      const candidate = [...current, position];
      const tooMany = candidate.length > MAX_EVENTS_PER_REQUEST;
      const tooBig =
        current.length > 0 &&
        jsonByteLength(buildRequest(candidate.map((index) => batch[index]!.payload))) >=
          MAX_BODY_BYTES;
      if (tooMany || tooBig) {
        requests.push(current);
        current = [position];
      } else {
        current = candidate;
      }
    }
    if (current.length > 0) requests.push(current);
  }
  return requests;
}

/** One exchange record for the ledger: a single request as is, several as a list. */
function mergeExchanges(exchanges: readonly ExchangeRecord[]): ExchangeRecord {
  if (exchanges.length === 1) return exchanges[0]!;
  const last = exchanges[exchanges.length - 1]!;
  return {
    url: last.url,
    requestBody: exchanges.map((exchange) => ({ url: exchange.url, body: exchange.requestBody })),
    ...(last.status !== undefined ? { status: last.status } : {}),
    responseBody: exchanges.map((exchange) => exchange.responseBody),
  };
}
