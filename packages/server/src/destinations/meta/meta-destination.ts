/**
 * The Meta Conversions API destination: maps the canonical event to a Meta server event
 * (normalized and hashed by `@capi-kit/core` per Meta's rules), sends batches of up to 1000 to
 * `POST {baseURL}/{apiVersion}/{pixelId}/events`, and reads Meta's answer into per-event outcomes
 * or a `DestinationCallError` (Meta accepts or rejects a request as a whole). Reference:
 * platforms.md §2.
 */
import {
  ConfigError,
  hashUserData,
  platformEventName,
  tryHashUserDataSync,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventSource,
  type HashedUserData,
  type HashUserDataOptions,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import { postJson } from '../../http/index';
import { redactUrl } from '../../http/index';
import { prepareFailure } from '../destination-kit';
import type {
  MetaActionSource,
  MetaContent,
  MetaCustomData,
  MetaEventsRequest,
  MetaServerEvent,
  MetaUserData,
} from './meta-api-types';
import { metaCallError } from './meta-error';

/** Settings of `meta()`. */
export interface MetaSettings extends DestinationSettings {
  /** The pixel (dataset) ID. Default: `process.env.META_PIXEL_ID`. */
  pixelId?: string;
  /** A Conversions API access token. Default: `process.env.META_ACCESS_TOKEN`. Never sent to browsers. */
  accessToken?: string;
  /** Graph API version [`v26.0`]. CAPI versions stay supported for at least two years. */
  apiVersion?: string;
  /** Sends to Events Manager › Test Events. Default: `process.env.META_TEST_EVENT_CODE`. */
  testEventCode?: string;
  /** The destination ID in ledgers and queues [`meta`]; set e.g. `meta:123` when relaying to several pixels. */
  id?: string;
  /** Per-request timeout [10 000 ms]. */
  timeoutMs?: number;
}

/** A prepared Meta event: what the queue stores (hashed personal data only). */
export type MetaPayload = MetaServerEvent;

const DAY_MS = 24 * 3600_000;
/**
 * Meta rejects the whole request when one `event_time` is older than 7 days (62 for
 * `physical_store`). We stop 10 minutes short of that: our clock and Meta's may differ, and the
 * send itself takes time; an event expired a few minutes early beats a batch lost to one event.
 */
const WINDOW_SAFETY_MS = 10 * 60_000;

const ACTION_SOURCE: Record<EventSource, MetaActionSource> = {
  web: 'website',
  app: 'app',
  // An offline sale is, for Meta, an in-store conversion (and gets the 62-day window).
  offline: 'physical_store',
  physical_store: 'physical_store',
  phone_call: 'phone_call',
  email: 'email',
  chat: 'chat',
  system: 'system_generated',
  other: 'other',
};

/**
 * Meta reads IP, user agent, `fbc` and `fbp` from the event itself (below), so core need not copy
 * the identifier fields for it.
 */
const HASH_OPTIONS: HashUserDataOptions = { personalOnly: true };

/** Canonical `data` keys mapped by name; every other scalar passes through as a custom property. */
const MAPPED_DATA_KEYS = new Set([
  'value',
  'currency',
  'orderId',
  'contents',
  'contentIds',
  'contentName',
  'contentType',
  'contentCategory',
  'numItems',
  'searchString',
  'status',
  'predictedLtv',
]);

/**
 * Creates the Meta Conversions API destination.
 *
 * @example
 * import { meta } from '@capi-kit/server/meta';
 * const relay = createRelay({ destinations: [meta({ pixelId: '123', accessToken: process.env.META_TOKEN })] });
 */
export function meta(settings: MetaSettings = {}): Destination<MetaPayload> {
  const pixelId = settings.pixelId ?? env('META_PIXEL_ID');
  const accessToken = settings.accessToken ?? env('META_ACCESS_TOKEN');
  const testEventCode = settings.testEventCode ?? env('META_TEST_EVENT_CODE');
  if (!pixelId) {
    throw new ConfigError('meta(): missing pixelId (pass `pixelId` or set META_PIXEL_ID)');
  }
  if (!/^\d+$/.test(pixelId)) {
    throw new ConfigError('meta(): pixelId must be the numeric pixel or dataset ID');
  }
  if (!accessToken) {
    throw new ConfigError(
      'meta(): missing accessToken (pass `accessToken` or set META_ACCESS_TOKEN)',
    );
  }
  const apiVersion = settings.apiVersion ?? 'v26.0';
  const baseURL = (settings.baseURL ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const url = `${baseURL}/${apiVersion}/${encodeURIComponent(pixelId)}/events`;
  // The token goes in a header, not in the query or body (both also accepted, platforms.md §2.1),
  // so it never lands in a URL, a ledger exchange record or a proxy log.
  const headers = { ...settings.headers, authorization: `Bearer ${accessToken}` };
  const exchangeUrl = redactUrl(url);

  return {
    specVersion: 'v1',
    id: settings.id ?? 'meta',
    platform: 'meta',
    maxEventsPerRequest: 1000,

    maxEventAgeMs(event) {
      const days = event.source === 'physical_store' || event.source === 'offline' ? 62 : 7;
      return days * DAY_MS - WINDOW_SAFETY_MS;
    },

    doPrepare(event: ConversionEvent): Promise<PrepareResult<MetaPayload>> {
      // One already-settled promise per event where core hashes synchronously (Node), no extra
      // async frames: on the collect path each await is a microtask per event.
      let hashing: Promise<HashedUserData>;
      try {
        const hashed = tryHashUserDataSync('meta', event.user, HASH_OPTIONS);
        if (hashed) return Promise.resolve(buildMetaEvent(event, hashed));
        hashing = hashUserData('meta', event.user, HASH_OPTIONS);
      } catch (error) {
        return Promise.resolve(prepareFailed(error));
      }
      return hashing.then((hashed) => {
        try {
          return buildMetaEvent(event, hashed);
        } catch (error) {
          return prepareFailed(error);
        }
      }, prepareFailed);
    },

    async doSend(batch, options): Promise<SendResult> {
      const body: MetaEventsRequest = {
        data: batch.map((event) => event.payload),
        partner_agent: 'capi-kit',
      };
      if (testEventCode) body.test_event_code = testEventCode;
      const response = await postJson({
        url,
        body,
        headers,
        fetch: settings.fetch,
        timeoutMs: settings.timeoutMs,
        signal: options.signal,
      });
      const exchange = {
        url: exchangeUrl,
        requestBody: body,
        status: response.status,
        responseBody: response.body,
      };
      if (response.status < 200 || response.status >= 300) {
        const error = metaCallError(response.status, response.body, response.headers, Date.now());
        throw Object.assign(error, { exchange });
      }
      // Meta answers for the request as a whole: 200 means every event was accepted.
      return { outcomes: batch.map(() => ({ status: 'delivered' as const })), exchange };
    },
  };
}

const prepareFailed = prepareFailure<MetaPayload>('Meta');

function buildMetaEvent(
  event: ConversionEvent,
  hashed: HashedUserData,
): PrepareResult<MetaPayload> {
  const actionSource = ACTION_SOURCE[event.source] ?? 'other';
  // Core's lists are fresh arrays made for this call: no copy needed. Named reads and writes, in
  // Meta's field order: a loop over key pairs made two megamorphic keyed accesses per field.
  const userData: MetaUserData = {};
  if (hashed.email?.length) userData.em = hashed.email;
  if (hashed.phone?.length) userData.ph = hashed.phone;
  if (hashed.firstName?.length) userData.fn = hashed.firstName;
  if (hashed.lastName?.length) userData.ln = hashed.lastName;
  if (hashed.dateOfBirth?.length) userData.db = hashed.dateOfBirth;
  if (hashed.gender?.length) userData.ge = hashed.gender;
  if (hashed.city?.length) userData.ct = hashed.city;
  if (hashed.state?.length) userData.st = hashed.state;
  if (hashed.zip?.length) userData.zp = hashed.zip;
  if (hashed.country?.length) userData.country = hashed.country;
  if (hashed.externalId?.length) userData.external_id = hashed.externalId;
  const user = event.user ?? {};
  if (user.ip) userData.client_ip_address = user.ip;
  if (user.userAgent) userData.client_user_agent = user.userAgent;
  if (user.fbc) userData.fbc = user.fbc;
  if (user.fbp) userData.fbp = user.fbp;

  if (actionSource === 'website') {
    // Meta requires both for website events and would reject the whole batch without them.
    if (!event.page?.url || !isHttpUrl(event.page.url)) {
      return { kind: 'skip', reason: 'Meta needs the page URL (http/https) for website events' };
    }
    if (!userData.client_user_agent) {
      return { kind: 'skip', reason: 'Meta needs the user agent for website events' };
    }
  }
  if (isEmpty(userData)) {
    return { kind: 'skip', reason: 'Meta needs at least one customer information parameter' };
  }

  const payload: MetaServerEvent = {
    event_name: platformEventName('meta', event.name),
    event_time: Math.floor(event.time / 1000),
    event_id: event.id,
    action_source: actionSource,
    user_data: userData,
  };
  if (event.page?.url) payload.event_source_url = event.page.url;
  if (event.page?.referrer) payload.referrer_url = event.page.referrer;
  const customData = metaCustomData(event.data);
  if (customData) payload.custom_data = customData;
  if (event.consent?.limitedDataUse) {
    // 0/0 lets Meta geolocate the person, the documented choice when the server does not know the
    // state (https://developers.facebook.com/docs/marketing-apis/data-processing-options).
    payload.data_processing_options = ['LDU'];
    payload.data_processing_options_country = 0;
    payload.data_processing_options_state = 0;
  }
  return { kind: 'ready', payload };
}

function metaCustomData(data: ConversionEvent['data']): MetaCustomData | undefined {
  if (!data) return undefined;
  const custom: MetaCustomData = {};
  if (typeof data.value === 'number') custom.value = data.value;
  if (typeof data.currency === 'string') custom.currency = upperCase(data.currency);
  if (typeof data.orderId === 'string') custom.order_id = data.orderId;
  if (Array.isArray(data.contents) && data.contents.length > 0) {
    custom.contents = data.contents.map((item) => {
      const line: MetaContent = { id: item.id };
      if (typeof item.quantity === 'number') line.quantity = item.quantity;
      if (typeof item.price === 'number') line.item_price = item.price;
      return line;
    });
  }
  const contentIds =
    Array.isArray(data.contentIds) && data.contentIds.length > 0
      ? data.contentIds
      : custom.contents?.map((line) => line.id);
  if (contentIds && contentIds.length > 0) custom.content_ids = [...contentIds];
  if (typeof data.contentName === 'string') custom.content_name = data.contentName;
  if (typeof data.contentType === 'string') custom.content_type = data.contentType;
  else if (custom.contents) custom.content_type = 'product';
  if (typeof data.contentCategory === 'string') custom.content_category = data.contentCategory;
  if (typeof data.numItems === 'number') custom.num_items = data.numItems;
  if (typeof data.searchString === 'string') custom.search_string = data.searchString;
  if (typeof data.status === 'string') custom.status = data.status;
  if (typeof data.predictedLtv === 'number') custom.predicted_ltv = data.predictedLtv;
  for (const key of Object.keys(data)) {
    if (MAPPED_DATA_KEYS.has(key) || key in custom) continue;
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      custom[key] = value;
    }
  }
  return isEmpty(custom) ? undefined : custom;
}

/** `/^https?:\/\//i.test(value)` without a regex call per event. */
function isHttpUrl(value: unknown): boolean {
  const url = typeof value === 'string' ? value : String(value);
  // `| 0x20` lowercases an ASCII letter and maps nothing else onto one, like the `i` flag.
  if ((url.charCodeAt(0) | 0x20) !== 0x68 /* h */) return false;
  if ((url.charCodeAt(1) | 0x20) !== 0x74 /* t */) return false;
  if ((url.charCodeAt(2) | 0x20) !== 0x74 /* t */) return false;
  if ((url.charCodeAt(3) | 0x20) !== 0x70 /* p */) return false;
  const colon = (url.charCodeAt(4) | 0x20) === 0x73 /* s */ ? 5 : 4;
  return url.startsWith('://', colon);
}

/** `text.toUpperCase()`, returning an already uppercase ASCII code (`EUR`) as it is. */
function upperCase(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80 || (code >= 0x61 && code <= 0x7a)) return text.toUpperCase();
  }
  return text;
}

function isEmpty(object: object): boolean {
  for (const _key in object) return false;
  return true;
}

function env(name: string): string | undefined {
  const value = typeof process !== 'undefined' ? process.env[name] : undefined;
  return value === '' ? undefined : value;
}
