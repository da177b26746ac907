/**
 * The public shape of the relay: its options, the `Relay` object and what `track` returns.
 */
import type { ConversionEvent, Destination, EventSource, Platform } from '@capi-kit/core';
import type { QueueCounts, QueueStore, SharedStateStore } from '../queue/queue-store';
import type { OriginRule } from './accept';
import type { TrustProxy } from './client-ip';
import type { CookieOptions } from './cookies';
import type { Ledger, LedgerEntry } from './ledger';
import type { Logger } from './logger';
import type { RetryPolicy } from './retry-policy';
import type { SignedEventClaims } from './signing';

/** What to do with a platform when the person denied `adUserData`. */
export type ConsentAction = 'skip' | 'forward';

/** Options of `createRelay`. Defaults in brackets. */
export interface RelayOptions {
  /** Where events go. Each destination's `id` must be unique. */
  destinations: readonly Destination[];
  /**
   * Page origins allowed to send beacons (`https://shop.example.com`, `https://*.example.com`, or
   * a RegExp). Required when `NODE_ENV === 'production'`; otherwise every origin is allowed. The
   * collect endpoint's own origin is always allowed. A request with neither `Origin` nor `Referer`
   * is refused.
   */
  allowedOrigins?: readonly OriginRule[];
  /** Which proxies' forwarding headers to believe, as Express's `trust proxy` [none]. */
  trustProxy?: TrustProxy;
  /** Largest accepted body [65 536 bytes, the browsers' keepalive budget]. */
  maxBodyBytes?: number;
  /** First-party cookies. */
  cookies?: CookieOptions;
  /** Where prepared events wait [a bounded `memoryQueue()`]. */
  queue?: QueueStore;
  /** Replay guard and rate limiter state [the queue's `sharedState` if it has one, else in memory]. */
  sharedState?: SharedStateStore;
  /** Per destination, wait this long for a batch to fill before sending [1 000 ms]. */
  lingerMs?: number;
  /** Cap every destination's batch size below its platform maximum. */
  maxEventsPerRequest?: number;
  /** Retry budget and pacing [24 attempts, 5 s base, 15 min cap]. */
  retry?: Partial<RetryPolicy>;
  /** Per client IP: at most `max` beacons per `windowMs` [600 per minute]; `false` turns it off. */
  rateLimit?: { max: number; windowMs: number } | false;
  /** Drop beacons from bots and crawlers (answered 204, not relayed, skipped in the ledger) [true]. */
  filterBots?: boolean;
  /** PII-free logger [console, without debug]. */
  logger?: Logger;
  /** Called on every ledger change. */
  onEvent?: (entry: LedgerEntry) => void;
  /** The clock [Date.now]: used for expiry, retry times and the ledger. */
  now?: () => number;
  /** Deliver in the background on timers [true]. With `false` only `flush()` delivers. */
  autoDeliver?: boolean;
  /** Default country (ISO alpha-2) for phone numbers written without a country code. */
  defaultCountry?: string;
  /** Events remembered by the ledger [1 000]. */
  ledgerSize?: number;
  /** Serve `handleLedger` [false]. A token is required when `NODE_ENV === 'production'`. */
  ledgerEndpoint?: boolean | { token?: string };
  /** Secret for `relay.sign()` and signed beacon events (≥ 32 characters). */
  signingSecret?: string;
  /** Event names that must carry a valid signature (e.g. `['Purchase']`). */
  requireSignatureFor?: readonly string[];
  /**
   * Per platform, what to do when `consent.adUserData` is `denied` [`skip` for every platform
   * except `google`, whose APIs take the consent signal with the event and apply it themselves].
   */
  consentPolicy?: Partial<Record<Platform, ConsentAction>>;
  /**
   * Outer bound of one destination call [30 000 ms], passed to `doSend` as its abort signal, so
   * a destination that ignores its own timeout (Meta's: `timeoutMs`, 10 s) cannot hold a batch.
   */
  sendTimeoutMs?: number;
}

/** A server-originated event for `relay.track()`. */
export type ServerEventInput = Omit<ConversionEvent, 'id' | 'time' | 'source'> & {
  /** The shared event ID [generated]. Pass the one the page's pixel used to deduplicate. */
  id?: string;
  /** When it happened [now]. */
  time?: number;
  /**
   * Where it happened [`web` when `page.url` and `user.userAgent` are given, as Meta requires for
   * website events; `system` otherwise].
   */
  source?: EventSource;
};

/** What `track` did. */
export interface TrackResult {
  eventId: string;
  /** `queued`: in the queue for at least one destination; `duplicate`: seen in the last 48 h; `skipped`: no destination takes it. */
  status: 'queued' | 'duplicate' | 'skipped';
  /** Per destination: `queued`, or `skipped` with its reason. */
  deliveries: Record<string, { state: 'queued' | 'skipped'; reason?: string }>;
}

/** The relay. */
export interface Relay {
  /** The Web-standard collect handler. Adapters pass the socket address as `remoteAddress`. */
  handle(request: Request, context?: { remoteAddress?: string }): Promise<Response>;
  /** Relays a server-side event (webhook purchase, refund, offline sale) through guard, prepare and queue. */
  track(event: ServerEventInput): Promise<TrackResult>;
  /** Delivers everything due now, looping until nothing due remains. */
  flush(): Promise<void>;
  /** Stops intake (`handle` answers 503), finishes in-flight sends, flushes once, closes the queue. */
  close(): Promise<void>;
  /** Signs an event the server knows, for the page to pass back with its beacon. Needs `signingSecret`. */
  sign(claims: SignedEventClaims): Promise<string>;
  /** Per-event delivery states. */
  readonly ledger: Ledger;
  /** Queue counts per destination. */
  queueCounts(): Promise<Record<string, QueueCounts>>;
  /** `GET` → the ledger as JSON (plus queue counts); off unless `ledgerEndpoint` is set. */
  handleLedger(request: Request): Promise<Response>;
}
