/**
 * The beacon transport: events queued in one tick leave in one request, through
 * `fetch(…, { keepalive: true })` while the page lives and `navigator.sendBeacon` when it is
 * hidden (`pagehide`, `visibilitychange: hidden`; never `unload`, which mobile browsers skip:
 * mdn/content#1521). Every request stays under the 64 KB that keepalive fetches and beacons may
 * have in flight together (Fetch standard; peers-and-pain-points #49), splitting when needed.
 * Events that could not be delivered go to the outbox and are retried by the next page.
 */
import {
  MAX_EVENTS_PER_BEACON,
  WIRE_VERSION,
  type BeaconEvent,
  type CollectPayload,
} from '@capi-kit/core';
import type { Transport } from '../types';
import { keep, takeAll } from './outbox';

/**
 * The keepalive budget: 64 KiB in the Fetch standard, shared by every keepalive request the page
 * has in flight. One request aims a little lower to leave room for others.
 */
const KEEPALIVE_BUDGET = 65_536;
/** Byte budget of one request. */
export const MAX_REQUEST_BYTES = 60_000;

/** Options of `createBeaconTransport()`. */
export interface BeaconTransportOptions {
  /** The relay's collect URL. */
  endpoint: string;
  /** `fetch` to use (default: the global one). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** `sendBeacon` to use (default: `navigator.sendBeacon`). */
  sendBeacon?: (url: string, body: string) => boolean;
  /** Where undelivered events wait (default: `localStorage`; `null` to keep nothing). */
  storage?: Storage | null;
  /** Byte budget of one request (default `MAX_REQUEST_BYTES`). */
  maxRequestBytes?: number;
}

/**
 * Runs `listener` when the page may be going away: `pagehide`, and `visibilitychange` to hidden
 * (the last event mobile browsers reliably fire; never `unload`, which they skip).
 */
export function onHide(listener: () => void): void {
  addEventListener('pagehide', listener);
  document.addEventListener(
    'visibilitychange',
    () => document.visibilityState == 'hidden' && listener(),
  );
}

function byteLength(text: string): number {
  return new Blob([text]).size;
}

/**
 * What the wire envelope adds around the events: `{"v":1,"events":[…],"sentAt":…}` is 42 bytes with
 * a 13-digit `sentAt`; counted as 64 so the bound holds whatever the digits.
 */
const ENVELOPE_BYTES = 64;

/**
 * Splits events into request bodies of at most `maxBytes` bytes and the wire format's maximum
 * events per beacon. An event that alone exceeds the budget cannot be sent and is dropped; the
 * events around it still travel together.
 */
export function packBodies(
  events: BeaconEvent[],
  maxBytes = MAX_REQUEST_BYTES,
  now = Date.now(),
): { body: string; events: BeaconEvent[]; bytes: number }[] {
  const bodies: { body: string; events: BeaconEvent[]; bytes: number }[] = [];
  let batch: BeaconEvent[] = [];
  // An upper bound of the body's bytes: the envelope plus each event and its comma.
  let bytes = ENVELOPE_BYTES;
  const close = () => {
    if (batch.length)
      bodies.push({
        body: JSON.stringify({
          v: WIRE_VERSION,
          events: batch,
          sentAt: now,
        } satisfies CollectPayload),
        events: batch,
        bytes,
      });
    batch = [];
    bytes = ENVELOPE_BYTES;
  };
  for (const event of events) {
    const size = byteLength(JSON.stringify(event)) + 1;
    if (size + ENVELOPE_BYTES > maxBytes) continue;
    if (bytes + size > maxBytes || batch.length == MAX_EVENTS_PER_BEACON) close();
    batch.push(event);
    bytes += size;
  }
  close();
  return bodies;
}

/**
 * The default transport of `createTracker()`. Sends what the outbox holds from earlier pages right
 * away, and again whenever the browser comes back online.
 *
 * @example
 * const transport = createBeaconTransport({ endpoint: '/e' });
 * const tracker = createTracker({ endpoint: '/e', transport });
 */
export function createBeaconTransport(options: BeaconTransportOptions): Transport {
  const { endpoint, maxRequestBytes } = options;
  const storage = options.storage === undefined ? localStorage : options.storage || undefined;
  let queue: BeaconEvent[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  let keepaliveBytes = 0;

  const post = (hidden?: boolean) => {
    for (const { body, events, bytes } of packBodies(queue.splice(0), maxRequestBytes)) {
      const store = () => keep(storage, events);
      if (hidden) {
        // sendBeacon queues even while offline and then loses the body, so keep it instead.
        const send = options.sendBeacon || navigator.sendBeacon.bind(navigator);
        if (!navigator.onLine || !send(endpoint, body)) store();
        continue;
      }
      // Over the shared budget a keepalive fetch fails at once; a plain fetch still works while
      // the page lives.
      const keepalive = keepaliveBytes + bytes <= KEEPALIVE_BUDGET;
      if (keepalive) keepaliveBytes += bytes;
      // A string body goes as `text/plain;charset=UTF-8` (Fetch standard, "extract a body"), which
      // keeps the request "simple" (no CORS preflight) and is what sendBeacon sends too.
      const request = (options.fetch || fetch)(endpoint, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        keepalive,
      })
        .then(
          // 5xx and 429 may pass later; any other answer (204, or a 4xx for a bad event) is final.
          (response) => (response.status > 499 || response.status == 429) && store(),
          store,
        )
        .finally(() => keepalive && (keepaliveBytes -= bytes));
      inFlight = Promise.all([inFlight, request]);
    }
  };

  // Events queued within one tick leave together: the first one schedules the send.
  const enqueue = (events: BeaconEvent[]) => {
    if (!queue.length) queueMicrotask(post);
    queue.push(...events);
  };

  onHide(() => post(true));
  addEventListener('online', () => enqueue(takeAll(storage)));
  enqueue(takeAll(storage));

  return {
    send: (event) => enqueue([event]),
    flush: () => {
      post();
      return inFlight.then(() => {});
    },
  };
}
