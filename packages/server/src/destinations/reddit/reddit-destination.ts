/**
 * The Reddit Conversions API v3 destination: events of one pixel, `POST
 * /api/v3/pixels/{pixelId}/conversion_events` with `Authorization: Bearer <conversion access
 * token>`, up to 1 000 events per request, `event_at` in milliseconds, the tracking type in v3's
 * UPPER_SNAKE, and the pixel's own `conversionId` (our event ID) as `metadata.conversion_id`, the
 * key Reddit deduplicates the pixel and server copies on. Reference: platforms.md §8.
 *
 * @see https://ads-api.reddit.com/docs/v3/operations/Post%20Conversion%20Events
 */
import {
  hashUserData,
  platformEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventOutcome,
  type EventSource,
  type HashedUserData,
  type PrepareResult,
  type PreparedEvent,
  type SendResult,
} from '@capi-kit/core';
import { classifyHttpStatus } from '../../http/index';
import {
  isFiniteNumber,
  prepareFailure,
  readEnv,
  requireSetting,
  sendToPlatform,
} from '../destination-kit';
import type {
  RedditActionSource,
  RedditConversionEventsRequest,
  RedditEvent,
  RedditMetadata,
  RedditProduct,
  RedditTrackingType,
  RedditUser,
} from './reddit-api-types';
import {
  invalidEventConversionId,
  isRedditConfigurationStatus,
  redditCallError,
  redditInvalidEvents,
  redditMessage,
} from './reddit-error';

/** Settings of `reddit()`. */
export interface RedditSettings extends DestinationSettings {
  /** The pixel ID (`t2_abc123`, `a2_…`), as the browser pixel's `rdt('init', …)`. Env `REDDIT_PIXEL_ID`. */
  pixelId?: string;
  /** A Conversions API access token of that pixel (Events Manager). Env `REDDIT_ACCESS_TOKEN`. Never sent to browsers. */
  accessToken?: string;
  /** The test ID from Events Manager's testing tool: events go there instead of production. Env `REDDIT_TEST_ID`. */
  testId?: string;
  /** Destination ID in the ledger and queues [`reddit`]; set one per pixel if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms [10 000]. */
  timeoutMs?: number;
}

/** A prepared Reddit event: what the queue stores (hashed personal data only). */
export type RedditPayload = RedditEvent;

/** `data.events` holds at most 1 000 events (RudderStack's `maxBatchSize`, platforms.md §8.1). */
const MAX_EVENTS_PER_REQUEST = 1000;
/**
 * Reddit refuses events older than 168 h (`event_at timestamp must be less than 168h0m0s old`),
 * and one such event fails the whole request (§8.5). We stop 10 minutes short, as for Meta: our
 * clock and Reddit's may differ and the send takes time.
 */
const MAX_EVENT_AGE_MS = 168 * 3600_000 - 10 * 60_000;

const ACTION_SOURCE: Record<EventSource, RedditActionSource> = {
  web: 'WEBSITE',
  app: 'APP',
  offline: 'PHYSICAL_STORE',
  physical_store: 'PHYSICAL_STORE',
  phone_call: 'OTHER',
  email: 'OTHER',
  chat: 'OTHER',
  system: 'OTHER',
  other: 'OTHER',
};

/**
 * Creates the Reddit Conversions API destination.
 *
 * @example
 * import { reddit } from '@capi-kit/server/reddit';
 * createRelay({ destinations: [reddit({ pixelId: 't2_abc123', accessToken })] });
 */
export function reddit(settings: RedditSettings = {}): Destination<RedditPayload> {
  const pixelId = requireSetting('reddit', 'pixelId', settings.pixelId, 'REDDIT_PIXEL_ID');
  const accessToken = requireSetting(
    'reddit',
    'accessToken',
    settings.accessToken,
    'REDDIT_ACCESS_TOKEN',
  );
  const testId = settings.testId ?? readEnv('REDDIT_TEST_ID');
  const origin = (settings.baseURL ?? 'https://ads-api.reddit.com').replace(/\/+$/, '');
  const url = `${origin}/api/v3/pixels/${encodeURIComponent(pixelId)}/conversion_events`;
  // The token rides in a header only: the URL (stored in exchange records) carries no secret.
  const headers = { ...settings.headers, authorization: `Bearer ${accessToken}` };

  return {
    specVersion: 'v1',
    id: settings.id ?? 'reddit',
    platform: 'reddit',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    async doPrepare(event: ConversionEvent): Promise<PrepareResult<RedditPayload>> {
      try {
        const hashed = await hashUserData('reddit', event.user);
        return { kind: 'ready', payload: buildRedditEvent(event, hashed) };
      } catch (error) {
        return prepareFailed(error);
      }
    },

    async doSend(batch, options): Promise<SendResult> {
      const body: RedditConversionEventsRequest = {
        data: {
          // test_id belongs in `data`, next to `events`: inside an event Reddit answers 400
          // `unknown field "test_id"`.
          ...(testId ? { test_id: testId } : {}),
          events: batch.map((prepared) => prepared.payload),
        },
      };
      const { response, exchange } = await sendToPlatform({
        url,
        body,
        headers,
        settings,
        signal: options.signal,
      });
      const httpClass = classifyHttpStatus(response.status);

      if (httpClass === 'success') {
        return { outcomes: successOutcomes(batch, response.body), exchange };
      }
      if (httpClass === 'retryable' || isRedditConfigurationStatus(response.status)) {
        throw Object.assign(
          redditCallError(response.status, response.body, response.headers, Date.now()),
          { exchange },
        );
      }
      // A 400 (or other 4xx): nothing of the request was processed. Reddit echoes each invalid
      // event with its conversion_id, so reject those and resend the rest right away (as
      // RudderStack does, event by event); when it names none, the relay bisects the batch.
      const outcomes = invalidOutcomes(batch, response.body);
      if (outcomes) return { outcomes, exchange };
      if (batch.length === 1) {
        return {
          outcomes: [
            {
              status: 'rejected',
              reason: rejectionReason(response.status, response.body),
              code: response.status,
            },
          ],
          exchange,
        };
      }
      throw Object.assign(
        redditCallError(response.status, response.body, response.headers, Date.now()),
        { exchange },
      );
    },
  };
}

const prepareFailed = prepareFailure<RedditPayload>('Reddit');

/** Canonical event → Reddit v3 event. */
function buildRedditEvent(event: ConversionEvent, hashed: HashedUserData): RedditEvent {
  const name = platformEventName('reddit', event.name);
  const trackingType = toUpperSnake(name) as RedditTrackingType;
  const prepared: RedditEvent = {
    // Milliseconds, an integer: v3's unit (v2 took an ISO string; §8.1, §11.5).
    event_at: Math.floor(event.time),
    action_source: ACTION_SOURCE[event.source] ?? 'OTHER',
    // The same spelling as the pixel's `rdt('track', name)`, in v3's UPPER_SNAKE; a custom event
    // carries the canonical name, as the pixel's `customEventName` does.
    type:
      trackingType === 'CUSTOM'
        ? { tracking_type: 'CUSTOM', custom_event_name: event.name }
        : { tracking_type: trackingType },
    metadata: buildMetadata(event),
  };
  const user = event.user ?? {};
  if (user.rdtCid) prepared.click_id = user.rdtCid;
  if (event.page?.url && /^https?:\/\//i.test(event.page.url)) {
    prepared.event_source_url = event.page.url;
  }
  const redditUser = buildUser(event, hashed);
  if (redditUser) prepared.user = redditUser;
  return prepared;
}

/** user: match keys hashed by core (§13's Reddit column), device data and IDs plain. */
function buildUser(event: ConversionEvent, hashed: HashedUserData): RedditUser | undefined {
  const source = event.user ?? {};
  const user: RedditUser = {};
  // v3 takes one value per key; the first is the one the person typed first.
  if (hashed.email?.[0]) user.email = hashed.email[0];
  if (hashed.phone?.[0]) user.phone_number = hashed.phone[0];
  if (hashed.externalId?.[0]) user.external_id = hashed.externalId[0];
  if (source.ip) user.ip_address = source.ip;
  if (source.userAgent) user.user_agent = source.userAgent;
  const uuid = rdtUuid(source.rdtUuid);
  if (uuid) user.uuid = uuid;
  if (event.consent?.limitedDataUse === true) {
    // The value format of country and region is UNCONFIRMED (§8.1). RudderStack's schema shows
    // `country: "US"`, `region: "US-CA"`, i.e. ISO-3166-1 alpha-2 and ISO-3166-2. We send the
    // country only when we know it (core's plain Reddit country, upper-cased), and no region:
    // a guessed region format could fail the whole request, while Reddit can place the person
    // from the IP, as Meta does with its "0 = geolocate" (meta-destination.ts).
    const country = hashed.country?.[0]?.toUpperCase();
    user.data_processing_options = {
      modes: ['LDU'],
      ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    };
  }
  return Object.keys(user).length > 0 ? user : undefined;
}

function buildMetadata(event: ConversionEvent): RedditMetadata {
  const data = event.data ?? {};
  // The pixel's `conversionId` is the event ID (packages/browser/src/pixels/reddit.ts).
  const metadata: RedditMetadata = { conversion_id: event.id };
  if (typeof data.currency === 'string' && data.currency !== '') {
    metadata.currency = data.currency.toUpperCase();
  }
  if (isFiniteNumber(data.value)) metadata.value = data.value;
  const products: RedditProduct[] = [];
  let units = 0;
  for (const content of Array.isArray(data.contents) ? data.contents : []) {
    if (typeof content?.id !== 'string' || content.id === '') continue;
    const product: RedditProduct = { id: content.id };
    if (content.name) product.name = content.name;
    if (content.category) product.category = content.category;
    if (isFiniteNumber(content.quantity)) product.quantity = content.quantity;
    if (isFiniteNumber(content.price)) product.item_price = content.price;
    units += isFiniteNumber(content.quantity) ? content.quantity : 1;
    products.push(product);
  }
  // `numItems` when the shop says it (the pixel's `itemCount`), else the units in the cart.
  const itemCount = isFiniteNumber(data.numItems)
    ? data.numItems
    : products.length
      ? units
      : undefined;
  if (itemCount !== undefined && Number.isInteger(itemCount) && itemCount >= 0) {
    metadata.item_count = itemCount;
  }
  if (products.length > 0) metadata.products = products;
  return metadata;
}

/** 2xx: delivered, except events Reddit still lists as invalid (§8.5: "the body may carry them"). */
function successOutcomes(
  batch: readonly PreparedEvent<RedditPayload>[],
  body: unknown,
): EventOutcome[] {
  const reasons = reasonsById(body);
  return batch.map((prepared) => {
    const reason = reasons.get(prepared.payload.metadata.conversion_id);
    return reason === undefined ? { status: 'delivered' } : { status: 'rejected', reason };
  });
}

/** Outcomes for a refused request whose invalid events Reddit named, else `undefined`. */
function invalidOutcomes(
  batch: readonly PreparedEvent<RedditPayload>[],
  body: unknown,
): EventOutcome[] | undefined {
  const reasons = reasonsById(body);
  if (!batch.some((prepared) => reasons.has(prepared.payload.metadata.conversion_id))) {
    return undefined;
  }
  return batch.map((prepared) => {
    const reason = reasons.get(prepared.payload.metadata.conversion_id);
    return reason === undefined
      ? {
          status: 'retry',
          retryAfterMs: 0,
          reason: 'not processed: another event of the request was invalid',
        }
      : { status: 'rejected', reason, code: 400 };
  });
}

function reasonsById(body: unknown): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const item of redditInvalidEvents(body)) {
    const id = invalidEventConversionId(item);
    if (id !== undefined) reasons.set(id, item.error_message ?? 'invalid conversion event');
  }
  return reasons;
}

function rejectionReason(status: number, body: unknown): string {
  const message = redditMessage(body);
  return message ? `Reddit: ${message}` : `Reddit answered HTTP ${status}`;
}

/** `PageVisit` → `PAGE_VISIT`, `SignUp` → `SIGN_UP`, `Custom` → `CUSTOM`. */
function toUpperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * The uuid part of `_rdt_uuid` (`{timestampMs}.{uuid}`, §8.4): Reddit's tag sends only that. A
 * value without the timestamp prefix is sent as it is.
 */
function rdtUuid(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const match = /^\d{10,13}\.(.+)$/.exec(cookie);
  return match ? match[1] : cookie;
}
