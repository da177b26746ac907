/**
 * The Pinterest API for Conversions (v5) destination: events of one ad account, `POST
 * /v5/ad_accounts/{ad_account_id}/events` with `Authorization: Bearer <conversion token>`, up to
 * 1 000 events per request, `event_time` in seconds, and the tag's own `event_id` for dedup.
 * Pinterest answers 200 with one result per event, 422 when some events failed, 429/503 to slow
 * down, and 400/401/403 for a bad request or setup (platforms.md §7, §10).
 *
 * @see https://developers.pinterest.com/docs/api/v5/events-create
 */
import {
  ConfigError,
  hashUserData,
  pinterestEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventOutcome,
  type HashedUserData,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import {
  errorName,
  isFiniteNumber,
  readEnv,
  requireSetting,
  sendToPlatform,
} from '../destination-kit';
import type {
  PinterestActionSource,
  PinterestContent,
  PinterestCustomData,
  PinterestEvent,
  PinterestEventResult,
  PinterestEventsRequest,
  PinterestUserData,
} from './pinterest-api-types';
import { isPinterestError, pinterestCallError, pinterestEventResults } from './pinterest-error';

/** Settings of `pinterest()`. */
export interface PinterestSettings extends DestinationSettings {
  /** The numeric ad account ID the tag belongs to. Env `PINTEREST_AD_ACCOUNT_ID`. */
  adAccountId?: string;
  /** A conversion access token from Ads Manager. Env `PINTEREST_ACCESS_TOKEN`. Never sent to browsers. */
  accessToken?: string;
  /**
   * Adds `?test=true`: Pinterest validates and answers as usual but records nothing. Env
   * `PINTEREST_TEST_MODE=true`. Turn it off in production.
   */
  testMode?: boolean;
  /** Destination ID in the ledger and queues [`pinterest`]; set one per ad account if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms. */
  timeoutMs?: number;
}

/** A prepared Pinterest event: what the queue stores (hashed personal data only). */
export type PinterestPayload = PinterestEvent;

/** `data[]` holds 1 to 1 000 events (platforms.md §7.1). */
const MAX_EVENTS_PER_REQUEST = 1000;
/**
 * Pinterest's event-time window is UNCONFIRMED (platforms.md §7.5): its docs only say that events
 * received more than an hour after they happened are reported as offline conversions. We keep 7
 * days, the window of Meta and of our TikTok destination and the usual click attribution window:
 * an older conversion is unlikely to be attributed, and Pinterest rejects a bad event on its own
 * (422), not the whole batch, so guessing a little long costs one rejected event, not a batch.
 */
const MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** The ad account ID is a path segment of digits, at most 18 (v5 OpenAPI `ad_account_id`). */
const AD_ACCOUNT_ID = /^\d{1,18}$/;

/** `hashUserData` key → Pinterest key, for the fields Pinterest takes as lists of hashes (§7.3). */
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
 * Creates the Pinterest API for Conversions destination.
 *
 * @example
 * import { pinterest } from '@capi-kit/server/pinterest';
 * createRelay({ destinations: [pinterest({ adAccountId: '549755885175', accessToken })] });
 */
export function pinterest(settings: PinterestSettings = {}): Destination<PinterestPayload> {
  const adAccountId = requireSetting(
    'pinterest',
    'adAccountId',
    settings.adAccountId,
    'PINTEREST_AD_ACCOUNT_ID',
  );
  if (!AD_ACCOUNT_ID.test(adAccountId)) {
    throw new ConfigError(
      'pinterest: `adAccountId` must be the numeric ad account ID (up to 18 digits), not the tag ID',
    );
  }
  const accessToken = requireSetting(
    'pinterest',
    'accessToken',
    settings.accessToken,
    'PINTEREST_ACCESS_TOKEN',
  );
  const testMode = settings.testMode ?? readEnv('PINTEREST_TEST_MODE') === 'true';
  const origin = (settings.baseURL ?? 'https://api.pinterest.com').replace(/\/+$/, '');
  // No credential in the URL (the token travels in a header), so it can go to the ledger as is.
  const url = `${origin}/v5/ad_accounts/${adAccountId}/events${testMode ? '?test=true' : ''}`;
  const headers = { ...settings.headers, authorization: `Bearer ${accessToken}` };

  return {
    specVersion: 'v1',
    id: settings.id ?? 'pinterest',
    platform: 'pinterest',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    async doPrepare(event: ConversionEvent): Promise<PrepareResult<PinterestPayload>> {
      try {
        return buildPinterestEvent(event, await hashUserData('pinterest', event.user));
      } catch (error) {
        return {
          kind: 'skip',
          reason: `could not map the event for Pinterest: ${errorName(error)}`,
        };
      }
    },

    async doSend(batch, options): Promise<SendResult> {
      const body: PinterestEventsRequest = { data: batch.map((prepared) => prepared.payload) };
      const { response, exchange } = await sendToPlatform({
        url,
        body,
        headers,
        settings,
        signal: options.signal,
      });
      // 200: one result per event. 422: "Not all events were successfully processed"; when it
      // says which (see `pinterestEventResults`), the good ones were processed and only the
      // failed ones are rejected, each with Pinterest's message.
      const results =
        response.status === 200 || response.status === 422
          ? pinterestEventResults(response.body, batch.length)
          : undefined;
      if (results === undefined) {
        const error = pinterestCallError(response.status, response.body, response.headers);
        throw Object.assign(error, { exchange });
      }
      const code = isPinterestError(response.body) ? response.body.code : undefined;
      return { outcomes: results.map((result) => outcomeOf(result, code)), exchange };
    },
  };
}

function outcomeOf(result: PinterestEventResult, code: number | undefined): EventOutcome {
  if (result.status === 'processed') return { status: 'delivered' };
  return {
    status: 'rejected',
    reason: result.error_message || `Pinterest did not process the event (${result.status})`,
    ...(code !== undefined ? { code } : {}),
  };
}

/** Canonical event → Pinterest event, or a skip with the reason. */
function buildPinterestEvent(
  event: ConversionEvent,
  hashed: HashedUserData,
): PrepareResult<PinterestPayload> {
  const actionSource = pinterestActionSource(event);
  if (actionSource === undefined) {
    return {
      kind: 'skip',
      reason:
        'Pinterest needs app_ios or app_android for app events, and the user agent names neither',
    };
  }
  const userData = buildUserData(hashed);
  // The schema's anyOf (§7.3): without one of these Pinterest refuses the event.
  if (
    !userData.em &&
    !userData.hashed_maids &&
    !(userData.client_ip_address && userData.client_user_agent)
  ) {
    return {
      kind: 'skip',
      reason: 'Pinterest needs an e-mail, or the IP address together with the user agent',
    };
  }
  const payload: PinterestEvent = {
    // The tag adapter (packages/browser/src/pixels/pinterest.ts) fires `pintrk('track', name,
    // { event_id })` with the same core function and the same ID: Pinterest deduplicates the
    // tag and API copies on `event_id`.
    event_name: pinterestEventName(event.name),
    action_source: actionSource,
    // Seconds: milliseconds would put the event decades in the future (§11.5).
    event_time: Math.floor(event.time / 1000),
    event_id: event.id,
    user_data: userData,
  };
  if (event.page?.url) payload.event_source_url = event.page.url;
  const customData = buildCustomData(event);
  if (customData) payload.custom_data = customData;
  return { kind: 'ready', payload };
}

/**
 * `web` stays `web`; an app event needs the operating system, which only the user agent tells;
 * every other source (in-store, phone, e-mail, chat, CRM, system) is an `offline` conversion to
 * Pinterest, the only non-web, non-app value it has.
 */
function pinterestActionSource(event: ConversionEvent): PinterestActionSource | undefined {
  if (event.source === 'web') return 'web';
  if (event.source !== 'app') return 'offline';
  const agent = event.user?.userAgent ?? '';
  if (/android/i.test(agent)) return 'app_android';
  if (/iphone|ipad|ipod|\bios\b|cfnetwork/i.test(agent)) return 'app_ios';
  return undefined;
}

/** user_data: personal fields hashed by core per Pinterest's column (§13); identifiers plain. */
function buildUserData(hashed: HashedUserData): PinterestUserData {
  const userData: PinterestUserData = {};
  for (const [ours, theirs] of HASHED_FIELDS) {
    const values = hashed[ours];
    if (values && values.length > 0) userData[theirs] = values;
  }
  if (hashed.ip?.[0]) userData.client_ip_address = hashed.ip[0];
  if (hashed.userAgent?.[0]) userData.client_user_agent = hashed.userAgent[0];
  if (hashed.epik?.[0]) userData.click_id = hashed.epik[0];
  return userData;
}

/**
 * custom_data: only the keys Pinterest's schema lists (it rejects unknown ones, §11.9), with
 * money as decimal strings. Consent: `consent.limitedDataUse` becomes `opt_out_type: 'LDP'`,
 * Pinterest's Limited Data Processing flag for US state privacy laws; Pinterest asks to leave
 * the field out otherwise. (A denied `adUserData` never reaches here: the relay skips Pinterest.)
 */
function buildCustomData(event: ConversionEvent): PinterestCustomData | undefined {
  const data = event.data ?? {};
  const custom: PinterestCustomData = {};
  if (typeof data.currency === 'string' && data.currency !== '') {
    custom.currency = data.currency.toUpperCase();
  }
  if (isFiniteNumber(data.value)) custom.value = String(data.value);
  const contents: PinterestContent[] = [];
  for (const item of Array.isArray(data.contents) ? data.contents : []) {
    if (typeof item?.id !== 'string' || item.id === '') continue;
    const line: PinterestContent = { id: item.id };
    if (isFiniteNumber(item.price)) line.item_price = String(item.price);
    if (isFiniteNumber(item.quantity)) line.quantity = item.quantity;
    if (item.name) line.item_name = item.name;
    if (item.category) line.item_category = item.category;
    if (item.brand) line.item_brand = item.brand;
    contents.push(line);
  }
  const contentIds =
    Array.isArray(data.contentIds) && data.contentIds.length > 0
      ? data.contentIds.filter((id) => typeof id === 'string' && id !== '')
      : contents.map((line) => line.id!);
  if (contentIds.length > 0) custom.content_ids = contentIds;
  if (typeof data.contentName === 'string' && data.contentName !== '') {
    custom.content_name = data.contentName;
  }
  if (typeof data.contentCategory === 'string' && data.contentCategory !== '') {
    custom.content_category = data.contentCategory;
  }
  if (contents.length > 0) custom.contents = contents;
  if (isFiniteNumber(data.numItems)) custom.num_items = data.numItems;
  if (typeof data.orderId === 'string' && data.orderId !== '') custom.order_id = data.orderId;
  if (typeof data.searchString === 'string' && data.searchString !== '') {
    custom.search_string = data.searchString;
  }
  if (isFiniteNumber(data.predictedLtv)) custom.predicted_ltv = String(data.predictedLtv);
  if (event.consent?.limitedDataUse === true) custom.opt_out_type = 'LDP';
  return Object.keys(custom).length > 0 ? custom : undefined;
}
