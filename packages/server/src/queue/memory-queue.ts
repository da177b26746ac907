/**
 * The in-memory queue store: the default for tests, development and serverless functions (where
 * the relay drains it with Next.js `after()` before the instance freezes). Bounded: when full it
 * refuses new events (the relay answers 503 and counts the refusal) rather than growing until the
 * process dies. Lost on crash by design; use `@capi-kit/server/sqlite` when that matters.
 */
import type {
  DeadLetter,
  NewQueueItem,
  QueueCounts,
  QueueItem,
  QueueStore,
  SharedStateStore,
} from './queue-store';
import { copyForAdding } from '../relay/copy-object';
import { KeyTable } from './key-table';
import { QueueRejectedError } from './queue-errors';

/** Settings of `memoryQueue`. */
export interface MemoryQueueOptions {
  /** Most items waiting, retrying or in flight at once [100 000]; past it `enqueue` refuses. */
  maxQueued?: number;
  /** How long a claim may stay unanswered before its items are claimable again [60 000 ms]. */
  leaseMs?: number;
  /** Dead and expired items kept for inspection, oldest dropped first [10 000]. */
  maxDeadLetters?: number;
}

interface Entry {
  item: QueueItem;
  state: 'queued' | 'inFlight' | 'retrying';
  /** When it may be claimed: `enqueuedAt` (queued), the retry time, or the lease end (in flight). */
  availableAt: number;
}

/**
 * Creates an in-memory `QueueStore`.
 *
 * @example
 * const relay = createRelay({ destinations, queue: memoryQueue({ maxQueued: 10_000 }) });
 */
export function memoryQueue(options: MemoryQueueOptions = {}): QueueStore {
  const maxQueued = options.maxQueued ?? 100_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxDeadLetters = options.maxDeadLetters ?? 10_000;
  // Map iteration follows insertion order, which is enqueue order: claiming in iteration order is
  // "oldest first" without sorting, and a retried item keeps its place.
  const byDestination = new Map<string, Map<string, Entry>>();
  const index = new Map<string, Map<string, Entry>>();
  const deadLetters: DeadLetter[] = [];
  let size = 0;
  let sequence = 0;
  let closed = false;

  function take(key: string): Entry | undefined {
    const entries = index.get(key);
    const entry = entries?.get(key);
    if (!entries || !entry) return undefined;
    entries.delete(key);
    index.delete(key);
    size--;
    return entry;
  }

  return {
    kind: 'memory',

    async enqueue(items: readonly NewQueueItem[]): Promise<void> {
      if (closed) throw new QueueRejectedError('closed', 'the memory queue is closed');
      if (size + items.length > maxQueued) {
        throw new QueueRejectedError(
          'full',
          `the memory queue is full (${size} of ${maxQueued} items)`,
        );
      }
      const enqueuedAt = Date.now();
      for (const item of items) {
        const key = `m${(++sequence).toString(36)}`;
        let entries = byDestination.get(item.destinationId);
        if (!entries) byDestination.set(item.destinationId, (entries = new Map()));
        // `{ ...item, key, attempts: 0, enqueuedAt }`, built so that adding the three fields
        // does not cost microseconds (see copyForAdding).
        const stored = copyForAdding(item) as QueueItem;
        stored.key = key;
        stored.attempts = 0;
        stored.enqueuedAt = enqueuedAt;
        const entry: Entry = {
          item: stored,
          state: 'queued',
          availableAt: Number.NEGATIVE_INFINITY,
        };
        entries.set(key, entry);
        index.set(key, entries);
        size++;
      }
    },

    async claim(destinationId: string, max: number, now: number): Promise<QueueItem[]> {
      const entries = byDestination.get(destinationId);
      const claimed: QueueItem[] = [];
      if (!entries || max <= 0) return claimed;
      for (const entry of entries.values()) {
        if (entry.availableAt > now) continue;
        entry.state = 'inFlight';
        entry.availableAt = now + leaseMs;
        claimed.push({ ...entry.item });
        if (claimed.length >= max) break;
      }
      return claimed;
    },

    async ack(keys: readonly string[]): Promise<void> {
      for (const key of keys) take(key);
    },

    async retry(keys: readonly string[], availableAt: number): Promise<void> {
      for (const key of keys) {
        const entry = index.get(key)?.get(key);
        if (!entry) continue;
        entry.state = 'retrying';
        entry.availableAt = availableAt;
        entry.item = { ...entry.item, attempts: entry.item.attempts + 1 };
      }
    },

    async settle(keys, state, reason, now): Promise<void> {
      for (const key of keys) {
        const entry = take(key);
        if (!entry) continue;
        deadLetters.push({ ...entry.item, state, reason, settledAt: now });
      }
      if (deadLetters.length > maxDeadLetters) {
        deadLetters.splice(0, deadLetters.length - maxDeadLetters);
      }
    },

    async nextDueAt(destinationId: string): Promise<number | undefined> {
      const entries = byDestination.get(destinationId);
      if (!entries) return undefined;
      let earliest: number | undefined;
      for (const entry of entries.values()) {
        const at = entry.state === 'queued' ? entry.item.enqueuedAt : entry.availableAt;
        if (earliest === undefined || at < earliest) earliest = at;
      }
      return earliest;
    },

    async counts(): Promise<Record<string, QueueCounts>> {
      const result: Record<string, QueueCounts> = {};
      const countsFor = (id: string): QueueCounts =>
        (result[id] ??= { queued: 0, inFlight: 0, retrying: 0, dead: 0, expired: 0 });
      for (const [id, entries] of byDestination) {
        const counts = countsFor(id);
        for (const entry of entries.values()) counts[entry.state]++;
      }
      for (const letter of deadLetters) countsFor(letter.destinationId)[letter.state]++;
      return result;
    },

    async deadLetters(query = {}): Promise<DeadLetter[]> {
      const result: DeadLetter[] = [];
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      for (let i = deadLetters.length - 1; i >= 0 && result.length < limit; i--) {
        const letter = deadLetters[i]!;
        if (query.destinationId === undefined || letter.destinationId === query.destinationId) {
          result.push(letter);
        }
      }
      return result;
    },

    async close(): Promise<void> {
      closed = true;
      byDestination.clear();
      index.clear();
      size = 0;
    },
  };
}

/** Settings of `memorySharedState`. */
export interface MemorySharedStateOptions {
  /** Most keys remembered at once [100 000]; the oldest are forgotten first. */
  maxKeys?: number;
  /** The clock [Date.now]. */
  now?: () => number;
}

/**
 * An in-process `SharedStateStore` (replay guard and rate limiter). Bounded: under a flood the
 * oldest replay keys are forgotten first, which at worst lets a very old replay through to the
 * platform, where event-ID dedup still catches it.
 */
export function memorySharedState(options: MemorySharedStateOptions = {}): SharedStateStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  // Up to `maxKeys` replay keys live for 48 h: kept off the JS heap (see key-table.ts).
  const seenUntil = new KeyTable(maxKeys);
  const windows = new Map<string, { start: number; count: number }>();
  const boundWindows = bounder(windows, maxKeys);

  return {
    async seen(key: string, ttlMs: number): Promise<boolean> {
      const at = now();
      const until = seenUntil.get(key);
      if (until !== undefined && until > at) return true;
      if (until !== undefined) seenUntil.delete(key);
      seenUntil.add(key, at + ttlMs);
      return false;
    },
    async hit(key: string, windowMs: number): Promise<number> {
      const at = now();
      const start = at - (at % windowMs);
      const current = windows.get(key);
      if (current && current.start === start) return ++current.count;
      windows.delete(key);
      windows.set(key, { start, count: 1 });
      boundWindows();
      return 1;
    },
    async forget(key: string): Promise<void> {
      seenUntil.delete(key);
    },
  };
}

/**
 * Forgets a map's oldest keys (insertion order) past `maxKeys`. A Map keeps a deleted entry's slot
 * until it rehashes, and a fresh `keys()` iterator walks those slots from the start: at 100 000 keys,
 * evicting through `map.keys().next()` took about 0.1 ms per insert. One live iterator, kept from
 * one eviction to the next, is already past them (every key it passed was evicted; a key moved to
 * the end by delete + set is met again there).
 */
function bounder<T>(map: Map<string, T>, maxKeys: number): () => void {
  let oldest: Iterator<string> | undefined;
  return () => {
    while (map.size > maxKeys) {
      let next = oldest?.next();
      if (next === undefined || next.done === true) {
        oldest = map.keys();
        next = oldest.next();
      }
      map.delete(next.value as string);
    }
  };
}
