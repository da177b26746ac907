/**
 * The TikTok Events API 2.0 destination: web events of one pixel, `POST
 * /open_api/v1.3/event/track/` (the trailing slash matters) with the `Access-Token` header, up to
 * 1 000 events per request, `event_time` in seconds and the pixel's own `event_id` for dedup.
 * TikTok answers HTTP 200 even for errors; the body `code` decides (40100 throttled → retry,
 * others → rejected with TikTok's message).
 *
 * @see https://business-api.tiktok.com/portal/docs?id=1771100865818625
 */
import {
  DestinationCallError,
  hashUserData,
  platformEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventOutcome,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http';
import { isFiniteNumber, readEnv, requireSetting, sendToPlatform } from '../destination-kit';
import type {
  TikTokContent,
  TikTokEvent,
  TikTokProperties,
  TikTokResponse,
  TikTokTrackRequest,
  TikTokUser,
} from './tiktok-api-types';
import { classifyTikTokCode, tiktokMessageEventIndex } from './tiktok-error';

/** Settings of `tiktok()`. */
export interface TikTokSettings extends DestinationSettings {
  /** The pixel code (`C1234567890`), sent as `event_source_id`. Env `TIKTOK_PIXEL_CODE`. */
  pixelCode?: string;
  /** An Events API access token of that pixel. Env `TIKTOK_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Sends to the pixel's Test Events tab instead of production. Env `TIKTOK_TEST_EVENT_CODE`. */
  testEventCode?: string;
  /** Destination ID in the ledger and queues [`tiktok`]; set one per pixel if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms. */
  timeoutMs?: number;
}

/** `data[]` holds at most 1 000 events (platforms.md §5.2). */
const MAX_EVENTS_PER_REQUEST = 1000;
/**
 * TikTok's event-time window is UNCONFIRMED (platforms.md §5.2). Its attribution looks back 7
 * days for web events at most by default, and its dedup window is 48 h; 7 days matches Meta and
 * keeps everything that can still be attributed.
 */
const MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Creates the TikTok Events API destination.
 *
 * @example
 * import { tiktok } from '@capi-kit/server/tiktok';
 * createRelay({ destinations: [tiktok({ pixelCode: 'C1234567890', accessToken })] });
 */
export function tiktok(settings: TikTokSettings = {}): Destination<TikTokEvent> {
  const pixelCode = requireSetting('tiktok', 'pixelCode', settings.pixelCode, 'TIKTOK_PIXEL_CODE');
  const accessToken = requireSetting(
    'tiktok',
    'accessToken',
    settings.accessToken,
    'TIKTOK_ACCESS_TOKEN',
  );
  const testEventCode = settings.testEventCode ?? readEnv('TIKTOK_TEST_EVENT_CODE');
  const origin = (settings.baseURL ?? 'https://business-api.tiktok.com').replace(/\/+$/, '');
  const url = `${origin}/open_api/v1.3/event/track/`;

  return {
    specVersion: 'v1',
    id: settings.id ?? 'tiktok',
    platform: 'tiktok',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    async doPrepare(event: ConversionEvent): Promise<PrepareResult<TikTokEvent>> {
      if (event.source !== 'web') {
        // event_source_id is the pixel code only for web events; app, offline and CRM events
        // need an app ID or an event set ID, which this pixel destination does not have.
        return {
          kind: 'skip',
          reason: `TikTok pixel destinations send web events only; this one has source "${event.source}"`,
        };
      }
      try {
        return { kind: 'ready', payload: await prepareTikTokEvent(event) };
      } catch (error) {
        return { kind: 'skip', reason: `could not map the event for TikTok: ${String(error)}` };
      }
    },

    async doSend(batch, options): Promise<SendResult> {
      const body: TikTokTrackRequest = {
        event_source: 'web',
        event_source_id: pixelCode,
        ...(testEventCode ? { test_event_code: testEventCode } : {}),
        data: batch.map((prepared) => prepared.payload),
      };
      const { response, exchange } = await sendToPlatform({
        url,
        body,
        headers: { ...settings.headers, 'access-token': accessToken },
        settings,
        signal: options.signal,
      });
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const httpClass = classifyHttpStatus(response.status);
      const answer = readAnswer(response.body);

      if (httpClass !== 'success' || answer === undefined) {
        // TikTok itself answers 200; anything else is the transport or an outage, and a 200
        // without a code is not an answer we can trust as a delivery.
        throw new DestinationCallError(
          `TikTok answered HTTP ${response.status}${answer ? ` code ${answer.code}` : ' without a body code'}`,
          {
            statusCode: response.status,
            isRetryable: httpClass !== 'non-retryable',
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            ...(answer ? { platformCode: answer.code } : {}),
            isConfigurationError: response.status === 401 || response.status === 403,
            responseBody: response.body,
          },
        );
      }

      const message = answer.message ?? `TikTok code ${answer.code}`;
      const codeClass = classifyTikTokCode(answer.code);
      if (codeClass === 'success') {
        return { outcomes: batch.map(() => ({ status: 'delivered' })), exchange };
      }
      if (codeClass === 'retryable' || codeClass === 'configuration') {
        throw new DestinationCallError(`TikTok code ${answer.code}: ${message}`, {
          statusCode: response.status,
          isRetryable: codeClass === 'retryable',
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          platformCode: answer.code,
          ...(answer.request_id ? { traceId: answer.request_id } : {}),
          isConfigurationError: codeClass === 'configuration',
          responseBody: response.body,
        });
      }

      // Invalid events. TikTok refuses the whole request but names the culprit by index
      // (`Batch.3.…`): reject it and ask for the others to be resent as soon as the relay's
      // pacing allows (no extra wait of our own). With one event, it is the
      // culprit. Without an index, the relay bisects the batch down to single events.
      const blamed = tiktokMessageEventIndex(answer.message);
      if (batch.length === 1) {
        return { outcomes: [{ status: 'rejected', reason: message, code: answer.code }], exchange };
      }
      if (blamed === undefined || blamed >= batch.length) {
        throw new DestinationCallError(`TikTok code ${answer.code}: ${message}`, {
          statusCode: response.status,
          isRetryable: false,
          platformCode: answer.code,
          ...(answer.request_id ? { traceId: answer.request_id } : {}),
          responseBody: response.body,
        });
      }
      const outcomes: EventOutcome[] = batch.map((_, index) =>
        index === blamed
          ? { status: 'rejected', reason: message, code: answer.code }
          : {
              status: 'retry',
              retryAfterMs: 0,
              reason: 'not accepted: another event of the request was invalid',
            },
      );
      return { outcomes, exchange };
    },
  };
}

/** Canonical event → TikTok event. */
async function prepareTikTokEvent(event: ConversionEvent): Promise<TikTokEvent> {
  const prepared: TikTokEvent = {
    event: platformEventName('tiktok', event.name),
    // Seconds: TikTok, like Meta, wants a unix time in s; ms is the classic silent bug (§11.5).
    event_time: Math.floor(event.time / 1000),
    event_id: event.id,
  };
  const user = await buildUser(event);
  if (user !== undefined) prepared.user = user;
  const properties = buildProperties(event);
  if (properties !== undefined) prepared.properties = properties;
  if (event.page?.url) {
    prepared.page = {
      url: event.page.url,
      ...(event.page.referrer ? { referrer: event.page.referrer } : {}),
    };
  }
  prepared.limited_data_use = event.consent?.limitedDataUse === true;
  return prepared;
}

/** user: personal fields hashed, place fields, identifiers and device data plain (§5.3, §13). */
async function buildUser(event: ConversionEvent): Promise<TikTokUser | undefined> {
  const source = event.user ?? {};
  // Personal fields only: ttclid, ttp, IP and user agent are read from the event itself.
  const hashed = await hashUserData('tiktok', source, { personalOnly: true });
  const user: TikTokUser = {};
  if (hashed.email?.length) user.email = [...hashed.email];
  if (hashed.phone?.length) user.phone = [...hashed.phone];
  if (hashed.externalId?.length) user.external_id = [...hashed.externalId];
  const single: Array<[keyof TikTokUser, string | undefined]> = [
    ['first_name', hashed.firstName?.[0]],
    ['last_name', hashed.lastName?.[0]],
    ['zip_code', hashed.zip?.[0]],
    ['city', hashed.city?.[0]],
    ['state', hashed.state?.[0]],
    ['country', hashed.country?.[0]],
    ['ttclid', source.ttclid],
    ['ttp', source.ttp],
    ['ip', source.ip],
    ['user_agent', source.userAgent],
  ];
  for (const [key, value] of single) {
    if (typeof value === 'string' && value !== '') (user as Record<string, unknown>)[key] = value;
  }
  return Object.keys(user).length > 0 ? user : undefined;
}

function buildProperties(event: ConversionEvent): TikTokProperties | undefined {
  const data = event.data ?? {};
  const properties: TikTokProperties = {};
  const contents: TikTokContent[] = [];
  for (const content of Array.isArray(data.contents) ? data.contents : []) {
    if (typeof content?.id !== 'string' || content.id === '') continue;
    const item: TikTokContent = {
      content_id: content.id,
      content_type: typeof data.contentType === 'string' ? data.contentType : 'product',
    };
    if (content.name) item.content_name = content.name;
    if (content.category) item.content_category = content.category;
    if (isFiniteNumber(content.price)) item.price = content.price;
    if (isFiniteNumber(content.quantity)) item.quantity = content.quantity;
    if (content.brand) item.brand = content.brand;
    contents.push(item);
  }
  if (contents.length > 0) {
    properties.contents = contents;
    properties.content_type = contents[0]!.content_type!;
  } else if (Array.isArray(data.contentIds) && data.contentIds.length > 0) {
    properties.content_ids = data.contentIds.filter((id) => typeof id === 'string' && id !== '');
    properties.content_type = typeof data.contentType === 'string' ? data.contentType : 'product';
  }
  if (typeof data.currency === 'string' && data.currency !== '') {
    properties.currency = data.currency.toUpperCase();
  }
  if (isFiniteNumber(data.value)) properties.value = data.value;
  if (typeof data.orderId === 'string' && data.orderId !== '') properties.order_id = data.orderId;
  if (typeof data.searchString === 'string' && data.searchString !== '') {
    properties.query = data.searchString;
  }
  if (isFiniteNumber(data.numItems)) properties.num_items = data.numItems;
  if (isFiniteNumber(data.predictedLtv)) properties.predicted_ltv = data.predictedLtv;
  return Object.keys(properties).length > 0 ? properties : undefined;
}

/** The body of a TikTok answer, when it has a numeric `code`. */
function readAnswer(body: unknown): TikTokResponse | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'number' ? (body as TikTokResponse) : undefined;
}
