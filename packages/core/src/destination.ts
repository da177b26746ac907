/**
 * The destination contract: how the relay talks to one platform's Conversion API. The relay owns
 * queueing, batching, retries, expiry and the ledger; a destination only maps and sends. Methods
 * the relay calls carry a `do` prefix, and `specVersion` lets the contract evolve.
 */
import type { ConversionEvent, Platform } from './event';

/** The result of preparing one event for one destination. */
export type PrepareResult<TPayload = unknown> =
  | {
      kind: 'ready';
      /** The platform event, already normalized and hashed: the only thing ever stored in a queue. */
      payload: TPayload;
    }
  | {
      kind: 'skip';
      /** Why this destination does not get the event, in plain words (`no _ga cookie: GA4 needs a client_id`). */
      reason: string;
    };

/** A prepared event as the relay hands it back to `doSend`. */
export interface PreparedEvent<TPayload = unknown> {
  /** The shared event ID. */
  eventId: string;
  /** The canonical event name. */
  eventName: string;
  /** When the event happened (ms epoch). */
  eventTime: number;
  /** What `doPrepare` returned. */
  payload: TPayload;
}

/** What the platform did with one event of a batch. */
export type EventOutcome =
  | { status: 'delivered' }
  | {
      status: 'retry';
      /** Wait at least this long before trying again (from `Retry-After` or the platform's advice). */
      retryAfterMs?: number;
      /** Why, in plain words. */
      reason: string;
    }
  | {
      status: 'rejected';
      /** The platform's message, in plain words. */
      reason: string;
      /** The platform's error code, if any. */
      code?: string | number;
    };

/** A record of the HTTP exchange, for the ledger and the inspector. Never holds a token or raw personal data. */
export interface ExchangeRecord {
  /** The URL without credentials. */
  url: string;
  /** The request body as sent (hashed personal data only). */
  requestBody: unknown;
  /** HTTP status. */
  status?: number;
  /** The parsed response body. */
  responseBody?: unknown;
}

/**
 * The outcome of one send. `outcomes[i]` belongs to `batch[i]`. A destination whose platform rejects
 * a whole request (Meta does for one bad event) throws a `DestinationCallError` instead; the relay
 * then retries (if `isRetryable`), or bisects the batch to isolate the bad event.
 */
export interface SendResult {
  outcomes: EventOutcome[];
  exchange?: ExchangeRecord;
}

/** Settings every destination factory accepts. */
export interface DestinationSettings {
  /** Replaces the platform's origin (scheme + host), e.g. a `@capi-kit/testing` fake's URL. The path stays the platform's. */
  baseURL?: string;
  /** The fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra HTTP headers for every request. */
  headers?: Record<string, string>;
}

/** One platform's Conversion API, as the relay sees it. */
export interface Destination<TPayload = unknown> {
  readonly specVersion: 'v1';
  /** Unique within a relay: `meta`, or `meta:123` when there are several pixels. Used in ledgers and queues. */
  readonly id: string;
  /** The platform; selects event-name maps and normalization rules. */
  readonly platform: Platform;
  /** The most events the platform accepts in one request (Meta 1000, GA4 25, TikTok 1000…). */
  readonly maxEventsPerRequest: number;
  /**
   * The most events one `doSend` call takes, when larger than `maxEventsPerRequest`: for a
   * destination that splits a batch into several requests itself (GA4 sends one browser per
   * request, so a larger claim fills its requests better). Defaults to `maxEventsPerRequest`.
   */
  readonly maxEventsPerSend?: number;
  /** How old an event may be when sent (Meta 7 days); older events are expired, never sent. */
  maxEventAgeMs(event: { eventName: string; eventTime: number; source?: string }): number;
  /** Canonical event → platform event (normalized, hashed), or a skip with a reason. Must not throw. */
  doPrepare(event: ConversionEvent): Promise<PrepareResult<TPayload>>;
  /** Sends one batch (≤ `maxEventsPerRequest`). Throws `DestinationCallError` for a whole-request failure. */
  doSend(
    batch: readonly PreparedEvent<TPayload>[],
    options: { signal: AbortSignal },
  ): Promise<SendResult>;
}
