/**
 * The queue store contract: where prepared (hashed) platform events wait between the collect
 * response and their delivery. The memory store lives beside this file; `@capi-kit/server/sqlite`
 * and `@capi-kit/server/redis` implement the same interface. At-least-once: an item leaves the
 * store only through `ack` (delivered) or `settle` (rejected / expired), never by being read.
 */

/** An event for one destination, as the relay enqueues it. */
export interface NewQueueItem {
  /** The destination's `id`. */
  destinationId: string;
  /** The shared event ID. */
  eventId: string;
  /** The canonical event name. */
  eventName: string;
  /** When the event happened (ms epoch). */
  eventTime: number;
  /** After this instant (ms epoch) the item is expired instead of sent. */
  expiresAt: number;
  /** The prepared platform payload (hashed personal data only). Must be JSON-serializable. */
  payload: unknown;
}

/** An item handed to the relay by `claim`. */
export interface QueueItem extends NewQueueItem {
  /** The store's own key for the item. */
  key: string;
  /** How many sends were attempted before this claim. */
  attempts: number;
  /** When it was enqueued (ms epoch). */
  enqueuedAt: number;
}

/** Counts of one destination's items, by state. */
export interface QueueCounts {
  /** Waiting to be sent. */
  queued: number;
  /** Claimed by a sender and not yet answered. */
  inFlight: number;
  /** Waiting for their next retry time. */
  retrying: number;
  /** Rejected by the platform or out of retries, kept with their reason. */
  dead: number;
  /** Past the platform's window, kept with their reason. */
  expired: number;
}

/** A dead or expired item, kept for inspection. */
export interface DeadLetter extends QueueItem {
  state: 'dead' | 'expired';
  reason: string;
  settledAt: number;
}

export interface QueueStore {
  /** A short name for logs (`memory`, `sqlite`, `redis`). */
  readonly kind: string;
  /**
   * Adds items. Resolves only once they are stored as durably as the store can (on disk for SQLite,
   * acknowledged by Redis): the relay answers 204 after this. Rejects (and stores nothing) when
   * the store is full or closed.
   */
  enqueue(items: readonly NewQueueItem[]): Promise<void>;
  /**
   * Claims up to `max` items of one destination that are due at `now` (new, or retrying with their
   * time come), oldest first, and marks them in flight so no other sender takes them. A claim not
   * answered within the store's lease (a crashed process) becomes claimable again.
   */
  claim(destinationId: string, max: number, now: number): Promise<QueueItem[]>;
  /** Delivered: removes the items. */
  ack(keys: readonly string[]): Promise<void>;
  /** Not delivered yet: back to waiting until `availableAt`, with `attempts + 1`. */
  retry(keys: readonly string[], availableAt: number, reason: string): Promise<void>;
  /** Rejected or out of retries (`dead`), or past its window (`expired`): kept as a dead letter with the reason. */
  settle(
    keys: readonly string[],
    state: 'dead' | 'expired',
    reason: string,
    now: number,
  ): Promise<void>;
  /** The earliest instant (ms epoch) at which an item of this destination becomes due, or undefined if none waits. */
  nextDueAt(destinationId: string): Promise<number | undefined>;
  /** Counts per destination. */
  counts(): Promise<Record<string, QueueCounts>>;
  /** Dead letters, newest first. */
  deadLetters(options?: { destinationId?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Releases resources. Items not yet acked stay in a durable store for the next start. */
  close(): Promise<void>;
}

/**
 * Shared short-lived state for the collect path: the replay guard and the rate limiter. In memory
 * by default; the Redis store provides one so that every relay instance shares it.
 */
export interface SharedStateStore {
  /** Records `key` for `ttlMs`; resolves `true` if it was already recorded (a replay). */
  seen(key: string, ttlMs: number): Promise<boolean>;
  /** Counts one hit for `key` in the current fixed window of `windowMs`; resolves the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  /**
   * Optional: forgets `key` recorded by `seen`. The relay calls it when the queue refused the
   * events it had just marked, so the browser's retry is not dropped as a replay.
   */
  forget?(key: string): Promise<void>;
}
