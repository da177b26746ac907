/**
 * The Snapchat Conversions API v3 destination: web and offline events of one Snap Pixel,
 * `POST /v3/{pixelId}/events` on `tr.snapchat.com`, up to 2 000 events per request, `event_time`
 * in seconds, and the pixel's `client_dedup_id` sent back as `event_id` so Snap merges the two
 * copies. Personal data is normalized and hashed by `@capi-kit/core` per Snap's column of the
 * normalization matrix (platforms.md §13). Snap accepts or rejects a request as a whole (HTTP 400
 * `INVALID`), so a rejected batch is bisected by the relay. Reference: platforms.md §6.
 *
 * @see https://developers.snap.com/api/marketing-api/Conversions-API/UsingTheAPI
 */
import {
  hashUserData,
  platformEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type HashedUserData,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import { isFiniteNumber, prepareFailure, requireSetting, sendToPlatform } from '../destination-kit';
import type {
  SnapchatActionSource,
  SnapchatContent,
  SnapchatCustomData,
  SnapchatEvent,
  SnapchatEventsRequest,
  SnapchatUserData,
} from './snapchat-api-types';
import { snapchatCallError } from './snapchat-error';

/** Settings of `snapchat()`. */
export interface SnapchatSettings extends DestinationSettings {
  /** The Snap Pixel ID (a UUID, as in `snaptr('init', …)`). Env `SNAPCHAT_PIXEL_ID`. */
  pixelId?: string;
  /** A Conversions API token of that pixel's organisation. Env `SNAPCHAT_ACCESS_TOKEN`. Never sent to browsers. */
  accessToken?: string;
  /**
   * Sends to `/v3/{pixelId}/events/validate` instead: Snap checks the events and shows them in
   * Events Manager's test view without counting them. A test mode; never in production.
   */
  validateOnly?: boolean;
  /** Destination ID in the ledger and queues [`snapchat`]; set one per pixel if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms [10 000]. */
  timeoutMs?: number;
}

/** A prepared Snapchat event: what the queue stores (hashed personal data only). */
export type SnapchatPayload = SnapchatEvent;

/** `data[]` holds at most 2 000 events (platforms.md §6.1: RudderStack, Tealium). */
const MAX_EVENTS_PER_REQUEST = 2000;

const DAY_MS = 24 * 3600_000;
/**
 * Snap's event-time window for v3 is UNCONFIRMED (platforms.md §6.2): Segment's field text says
 * "cannot be more than 7 days in the past", RudderStack's docs say 28 days, v2 allowed 37. We take
 * the shortest, 7 days, because an event Snap finds out of range makes it reject the whole request
 * ("Timestamp invalid or out of range", §6.5): expiring a rare week-old event beats losing a batch
 * to it. Like Meta, we stop 10 minutes short for clock skew and the time the send itself takes.
 */
const MAX_EVENT_AGE_MS = 7 * DAY_MS - 10 * 60_000;

/** `hashUserData` key → Snap key, for the fields Snap takes as lists of hashes (§6.3). */
const HASHED_FIELDS = [
  ['email', 'em'],
  ['phone', 'ph'],
  ['firstName', 'fn'],
  ['lastName', 'ln'],
  ['gender', 'ge'],
  ['dateOfBirth', 'db'],
  ['city', 'ct'],
  ['state', 'st'],
  ['zip', 'zp'],
  ['country', 'country'],
  ['externalId', 'external_id'],
] as const;

/**
 * Creates the Snapchat Conversions API destination.
 *
 * @example
 * import { snapchat } from '@capi-kit/server/snapchat';
 * createRelay({ destinations: [snapchat({ pixelId: 'b6e1c0d2-…', accessToken })] });
 */
export function snapchat(settings: SnapchatSettings = {}): Destination<SnapchatPayload> {
  const pixelId = requireSetting('snapchat', 'pixelId', settings.pixelId, 'SNAPCHAT_PIXEL_ID');
  const accessToken = requireSetting(
    'snapchat',
    'accessToken',
    settings.accessToken,
    'SNAPCHAT_ACCESS_TOKEN',
  );
  const origin = (settings.baseURL ?? 'https://tr.snapchat.com').replace(/\/+$/, '');
  const path = settings.validateOnly ? 'events/validate' : 'events';
  const url = `${origin}/v3/${encodeURIComponent(pixelId)}/${path}`;
  // Snap's docs put the token in `?access_token=`; RudderStack sends it as `Authorization: Bearer`
  // instead, in production (platforms.md §0). We use the header: the token then never lands in a
  // URL, so not in the ledger's exchange record, an error message or a proxy's access log.
  const headers = { ...settings.headers, authorization: `Bearer ${accessToken}` };

  return {
    specVersion: 'v1',
    id: settings.id ?? 'snapchat',
    platform: 'snapchat',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    doPrepare(event: ConversionEvent): Promise<PrepareResult<SnapchatPayload>> {
      if (event.source === 'app') {
        // App events go to `/v3/{SNAP_APP_ID}/events` with `app_data`; a pixel destination has
        // neither (§6.1).
        return Promise.resolve({
          kind: 'skip',
          reason:
            'Snapchat pixel destinations send web and offline events; app events need a Snap App ID',
        });
      }
      let hashing: Promise<HashedUserData>;
      try {
        hashing = hashUserData('snapchat', event.user);
      } catch (error) {
        return Promise.resolve(prepareFailed(error));
      }
      return hashing.then((hashed) => {
        try {
          return buildSnapchatEvent(event, hashed);
        } catch (error) {
          return prepareFailed(error);
        }
      }, prepareFailed);
    },

    async doSend(batch, options): Promise<SendResult> {
      const body: SnapchatEventsRequest = { data: batch.map((prepared) => prepared.payload) };
      const { response, exchange } = await sendToPlatform({
        url,
        body,
        headers,
        settings,
        signal: options.signal,
      });
      if (response.status < 200 || response.status >= 300) {
        const error = snapchatCallError(
          response.status,
          response.body,
          response.headers,
          Date.now(),
        );
        throw Object.assign(error, { exchange });
      }
      // Snap answers for the request as a whole. Its success body is UNCONFIRMED (`VALID` seen in
      // production traffic, `SUCCESS` in third-party notes), so any 2xx counts as delivered.
      return { outcomes: batch.map(() => ({ status: 'delivered' as const })), exchange };
    },
  };
}

const prepareFailed = prepareFailure<SnapchatPayload>('Snapchat');

function buildSnapchatEvent(
  event: ConversionEvent,
  hashedUser: HashedUserData,
): PrepareResult<SnapchatPayload> {
  // UNCONFIRMED (§6.2): the docs sample shows `MOBILE_APP`; `WEB` and `OFFLINE` follow v2's
  // `event_conversion_type` values, which v3 took over in upper case. Every non-web, non-app
  // source (a store sale, a phone order, a CRM update) is an offline conversion for Snap.
  const actionSource: SnapchatActionSource = event.source === 'web' ? 'WEB' : 'OFFLINE';
  const hashed = hashedUser as Record<string, string[] | undefined>;
  const userData: SnapchatUserData = {};
  for (const [ours, theirs] of HASHED_FIELDS) {
    const values = hashed[ours];
    if (values && values.length > 0) userData[theirs] = values;
  }
  const user = event.user ?? {};
  if (user.ip) userData.client_ip_address = user.ip;
  if (user.userAgent) userData.client_user_agent = user.userAgent;
  if (user.scClickId) userData.sc_click_id = user.scClickId;
  if (user.scCookie1) userData.sc_cookie1 = user.scCookie1;

  // Snap rejects the whole request for "Insufficient PII": it needs an e-mail, a phone, or IP and
  // user agent together (mobile ad IDs are app-only) (§6.2, §6.5).
  if (!userData.em && !userData.ph && !(userData.client_ip_address && userData.client_user_agent)) {
    return {
      kind: 'skip',
      reason: 'Snapchat needs an e-mail, a phone, or the IP address with the user agent',
    };
  }
  if (actionSource === 'WEB' && (!event.page?.url || !/^https?:\/\//i.test(event.page.url))) {
    return { kind: 'skip', reason: 'Snapchat needs the page URL (http/https) for web events' };
  }

  const eventName = platformEventName('snapchat', event.name);
  const customData = snapchatCustomData(event.data);
  if (eventName === 'PURCHASE' && (customData?.value === undefined || !customData.currency)) {
    // "Missing price and/or currency in Purchase events" is a 400 for the whole request (§6.5).
    return { kind: 'skip', reason: 'Snapchat needs value and currency for Purchase events' };
  }

  const payload: SnapchatEvent = {
    event_name: eventName,
    // Seconds, as in every Snap docs sample; Segment sends ms, which is UNCONFIRMED to work (§11.5).
    event_time: Math.floor(event.time / 1000),
    event_id: event.id,
    action_source: actionSource,
    user_data: userData,
  };
  if (event.page?.url) payload.event_source_url = event.page.url;
  if (customData) payload.custom_data = customData;
  if (event.consent?.limitedDataUse) {
    // Segment sends `['LDU']` (the docs sample's `"['LMU']"` string looks like a typo, §6.2).
    // The `_country`/`_state` companions are left out so Snap geolocates, as Meta's 0/0 does;
    // their accepted values are UNCONFIRMED.
    payload.data_processing_options = ['LDU'];
  }
  return { kind: 'ready', payload };
}

/**
 * Canonical `data` → `custom_data`. Numbers are sent as decimal strings, the type of every number
 * in Snap's docs sample (`"value": "10"`, `"quantity": "1"`); whether JSON numbers are accepted
 * too is UNCONFIRMED.
 */
function snapchatCustomData(data: ConversionEvent['data']): SnapchatCustomData | undefined {
  if (!data) return undefined;
  const custom: SnapchatCustomData = {};
  if (typeof data.currency === 'string' && data.currency !== '') {
    custom.currency = data.currency.toUpperCase();
  }
  if (isFiniteNumber(data.value)) custom.value = String(data.value);
  const contents: SnapchatContent[] = [];
  for (const item of Array.isArray(data.contents) ? data.contents : []) {
    if (typeof item?.id !== 'string' || item.id === '') continue;
    const line: SnapchatContent = { id: item.id };
    if (isFiniteNumber(item.quantity)) line.quantity = String(item.quantity);
    if (isFiniteNumber(item.price)) line.item_price = String(item.price);
    if (typeof item.brand === 'string' && item.brand !== '') line.brand = item.brand;
    contents.push(line);
  }
  if (contents.length > 0) custom.contents = contents;
  const contentIds =
    Array.isArray(data.contentIds) && data.contentIds.length > 0
      ? data.contentIds.filter((id) => typeof id === 'string' && id !== '')
      : contents.map((line) => line.id);
  if (contentIds.length > 0) custom.content_ids = contentIds;
  if (typeof data.contentCategory === 'string' && data.contentCategory !== '') {
    custom.content_category = data.contentCategory;
  }
  if (isFiniteNumber(data.numItems)) custom.num_items = String(data.numItems);
  // The browser pixel sends the order ID as `transaction_id`; Snap can also dedup Purchases on it.
  if (typeof data.orderId === 'string' && data.orderId !== '') custom.order_id = data.orderId;
  if (typeof data.searchString === 'string' && data.searchString !== '') {
    custom.search_string = data.searchString;
  }
  if (typeof data.signUpMethod === 'string' && data.signUpMethod !== '') {
    custom.sign_up_method = data.signUpMethod;
  }
  return Object.keys(custom).length > 0 ? custom : undefined;
}
