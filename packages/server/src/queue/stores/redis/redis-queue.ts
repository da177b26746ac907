/**
 * The Redis queue store, for several relay instances behind a load balancer: one shared queue, a
 * shared replay guard and a shared rate limiter, and the claimed work of an instance that dies is
 * taken over by the others.
 *
 * Why Redis Streams with consumer groups rather than BullMQ: the relay sends batches (Meta and
 * TikTok take 1 000 events per request), and a stream read `XREADGROUP … COUNT n` hands over a whole
 * batch in one call, with at-least-once bookkeeping built in (the group's pending list is exactly
 * "claimed, not answered"; `XACK` after delivery; `XAUTOCLAIM` moves a dead consumer's pending
 * entries to a live one after `claimTimeoutMs`). BullMQ is job-at-a-time: a batch of 1 000 would be
 * 1 000 jobs each with its own lock renewals and state hashes, a second scheduler for delays, and
 * an extra dependency (msgpackr's native build) for what a few short Lua scripts do here. Retries go
 * to a sorted set scored by their time and rejoin the stream only when due, so a retrying event is
 * never re-read early; dead letters are kept in a list with their reason.
 *
 * Durability is Redis's: an `enqueue` resolves once Redis has applied it. Run Redis with
 * `appendonly yes` (and `appendfsync always` if an acknowledged event must survive a power loss,
 * `everysec` loses at most about one second of them then) when events must survive a Redis restart.
 * Use `maxmemory-policy noeviction`: an evicting policy could silently drop queued events, while
 * `noeviction` makes a full Redis refuse the enqueue, which the relay answers with a 503 that the
 * browser retries. One Redis (with replicas or Sentinel if you like); Redis Cluster is not
 * supported, since one group commit writes the streams of several destinations at once.
 */
import { randomBytes, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import { ConfigError } from '@capi-kit/core';
import { QueueRejectedError } from '../../queue-errors';
import type {
  DeadLetter,
  NewQueueItem,
  QueueCounts,
  QueueItem,
  QueueStore,
  SharedStateStore,
} from '../../queue-store';
import {
  ACK_SCRIPT,
  CLAIM_SCRIPT,
  ENQUEUE_SCRIPT,
  LEAVE_SCRIPT,
  RETRY_SCRIPT,
  SETTLE_SCRIPT,
} from './redis-scripts';
import { redisSharedState } from './redis-shared-state';

/** Settings of `redisQueue`: give either `url` or `client`. */
export interface RedisQueueOptions {
  /** `redis://[:password@]host:port[/db]`; the store opens (and on `close` quits) its own connection. */
  url?: string;
  /** Extra ioredis options for the connection opened from `url`. */
  redisOptions?: RedisOptions;
  /** An ioredis client you own; `close()` leaves it open. */
  client?: Redis;
  /** Prefix of every key the store writes ['capi-kit:']. Instances sharing a queue use the same prefix. */
  keyPrefix?: string;
  /**
   * How long a claimed batch may stay unanswered before another instance takes it over [60 000 ms].
   * Keep it well above the slowest send (destination timeout × retries inside one send).
   */
  claimTimeoutMs?: number;
  /** This instance's consumer name in the group [`hostname:pid:random`]; unique per running process. */
  consumerName?: string;
  /** The consumer group every instance joins ['relay']. */
  groupName?: string;
  /** Dead and expired letters kept per destination and state, the oldest dropped first [100 000]. */
  maxDeadLetters?: number;
}

/** A Redis `QueueStore` that also carries the shared replay guard and rate limiter. */
export interface RedisQueueStore extends QueueStore {
  /** The replay guard and rate limiter in Redis, shared by every instance; the relay uses it. */
  readonly sharedState: SharedStateStore;
  /** The ioredis client in use. */
  readonly client: Redis;
}

type RedisConstructor = new (url: string, options?: RedisOptions) => Redis;
type RequireFunction = (id: string) => unknown;

function defaultRequire(): RequireFunction {
  // ESM: resolve from this module's URL. The CommonJS build has no `import.meta` (tsup leaves it
  // empty) but has `__filename`. Do not test `typeof require`: the ESM bundle defines a `require`
  // shim that only throws.
  const url = (import.meta as { url?: string } | undefined)?.url;
  return createRequire(url ?? __filename);
}

/**
 * Returns the ioredis constructor or throws a `ConfigError` saying how to install it;
 * `requireModule` is injectable for tests.
 */
export function loadIoredis(requireModule: RequireFunction = defaultRequire()): RedisConstructor {
  let loaded: unknown;
  try {
    loaded = requireModule('ioredis');
  } catch (error) {
    throw new ConfigError(
      'redisQueue({ url }) needs the optional peer dependency ioredis: install it with ' +
        '`npm install ioredis`, or pass your own client as `redisQueue({ client })`',
      { cause: error },
    );
  }
  const module = loaded as { Redis?: unknown; default?: unknown } | null;
  const constructor = module?.Redis ?? module?.default ?? loaded;
  if (typeof constructor !== 'function') {
    throw new ConfigError('redisQueue: ioredis did not export a Redis constructor');
  }
  return constructor as RedisConstructor;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

interface StoredItem {
  destinationId: string;
  eventId: string;
  eventName: string;
  eventTime: number;
  expiresAt: number;
  enqueuedAt: number;
  payload: unknown;
}

interface StoredDeadLetter {
  key: string;
  attempts: number;
  state: 'dead' | 'expired';
  reason: string;
  settledAt: number;
  item: StoredItem;
}

interface PendingEnqueue {
  entries: { destinationId: string; data: string }[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // The script cache is empty after a Redis restart or on a new server: send the source once.
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const enqueueScript = new Script(ENQUEUE_SCRIPT);
const claimScript = new Script(CLAIM_SCRIPT);
const ackScript = new Script(ACK_SCRIPT);
const retryScript = new Script(RETRY_SCRIPT);
const settleScript = new Script(SETTLE_SCRIPT);
const leaveScript = new Script(LEAVE_SCRIPT);

/** Splits a key into its destination and stable stream ID, or undefined for a foreign key. */
function parseKey(key: string): { destinationId: string; id: string } | undefined {
  const at = key.indexOf('@');
  if (at <= 0) return undefined;
  const id = key.slice(0, at);
  if (!STREAM_ID.test(id)) return undefined;
  return { destinationId: key.slice(at + 1), id };
}

function groupKeys(keys: readonly string[]): Map<string, string[]> {
  const byDestination = new Map<string, string[]>();
  for (const key of keys) {
    const parsed = parseKey(key);
    if (!parsed) continue;
    let ids = byDestination.get(parsed.destinationId);
    if (!ids) byDestination.set(parsed.destinationId, (ids = []));
    ids.push(parsed.id);
  }
  return byDestination;
}

/** Fields of a stream entry as a map (replies are flat `[name, value, …]` arrays). */
function fieldsOf(flat: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(flat)) return fields;
  for (let index = 0; index + 1 < flat.length; index += 2) {
    fields.set(String(flat[index]), String(flat[index + 1]));
  }
  return fields;
}

function finiteTime(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
  return Math.floor(value);
}

/** Keys larger batches are split into, to keep each script short (Redis is single-threaded). */
const KEYS_PER_SCRIPT = 1_000;
/** Items handed out by one claim at most; above every platform's batch limit (Snap: 2 000). */
const MAX_CLAIM = 10_000;
/** Items written by one enqueue script call, at most (one enqueue call is never split). */
const ITEMS_PER_COMMIT = 5_000;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += size) {
    result.push(values.slice(start, start + size));
  }
  return result;
}

/**
 * Creates a `QueueStore` in Redis (ioredis), shared by every relay instance that uses the same
 * Redis and `keyPrefix`. Its `sharedState` moves the replay guard and the rate limiter to Redis too;
 * `createRelay` picks it up from the queue.
 *
 * @example
 * import { createRelay } from '@capi-kit/server';
 * import { redisQueue } from '@capi-kit/server/redis';
 * const relay = createRelay({ destinations, queue: redisQueue({ url: process.env.REDIS_URL }) });
 * process.once('SIGTERM', () => void relay.close().then(() => process.exit(0)));
 */
export function redisQueue(options: RedisQueueOptions): RedisQueueStore {
  if (!options || (options.url === undefined && options.client === undefined)) {
    throw new ConfigError('redisQueue: give `url` (e.g. process.env.REDIS_URL) or `client`');
  }
  if (options.url !== undefined && options.client !== undefined) {
    throw new ConfigError('redisQueue: give either `url` or `client`, not both');
  }
  const prefix = options.keyPrefix ?? 'capi-kit:';
  const claimTimeoutMs = options.claimTimeoutMs ?? 60_000;
  if (!Number.isFinite(claimTimeoutMs) || claimTimeoutMs <= 0) {
    throw new ConfigError('redisQueue: `claimTimeoutMs` must be a positive number');
  }
  const group = options.groupName ?? 'relay';
  const consumer =
    options.consumerName ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const maxDeadLetters = options.maxDeadLetters ?? 100_000;
  const ownsClient = options.client === undefined;
  let client: Redis;
  if (options.client) {
    client = options.client;
  } else {
    const RedisClient = loadIoredis();
    client = new RedisClient(options.url as string, options.redisOptions);
    // Connection errors also fail the commands that need the connection, and ioredis reconnects
    // by itself; without a listener it would print each one as an unhandled error event.
    client.on('error', () => {});
  }

  const destinationsKey = `${prefix}destinations`;
  const keysOf = (destinationId: string) => {
    const base = `${prefix}{${destinationId}}`;
    return {
      stream: `${base}:q`,
      retry: `${base}:r`,
      keymap: `${base}:k`,
      dead: `${base}:x:dead`,
      expired: `${base}:x:expired`,
    };
  };

  let pending: PendingEnqueue[] = [];
  let commitScheduled = false;
  let closed = false;
  let inFlightCommits = 0;
  let commitsSettled: (() => void) | undefined;

  async function writeBatch(batch: PendingEnqueue[]): Promise<void> {
    const streams = new Map<string, number>();
    const pairs: string[] = [];
    for (const entry of batch) {
      for (const { destinationId, data } of entry.entries) {
        let index = streams.get(destinationId);
        if (index === undefined) streams.set(destinationId, (index = streams.size + 1));
        pairs.push(String(index), data);
      }
    }
    const destinations = [...streams.keys()];
    await enqueueScript.run(
      client,
      [destinationsKey, ...destinations.map((id) => keysOf(id).stream)],
      [destinations.length, ...destinations, ...pairs],
    );
  }

  async function commitPending(): Promise<void> {
    commitScheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    inFlightCommits++;
    // A burst of concurrent enqueues becomes one script call (split into parts of whole enqueue
    // calls so no single call keeps Redis busy for long); each enqueue is all-or-nothing.
    const parts: PendingEnqueue[][] = [];
    let part: PendingEnqueue[] = [];
    let size = 0;
    for (const entry of batch) {
      if (size > 0 && size + entry.entries.length > ITEMS_PER_COMMIT) {
        parts.push(part);
        part = [];
        size = 0;
      }
      part.push(entry);
      size += entry.entries.length;
    }
    parts.push(part);
    try {
      await Promise.all(
        parts.map(async (entries) => {
          try {
            await writeBatch(entries);
            for (const entry of entries) entry.resolve();
          } catch (error) {
            for (const entry of entries) entry.reject(error);
          }
        }),
      );
    } finally {
      inFlightCommits--;
      if (inFlightCommits === 0) commitsSettled?.();
    }
  }

  function toItem(destinationId: string, entry: unknown): QueueItem | undefined {
    if (!Array.isArray(entry)) return undefined;
    const fields = fieldsOf(entry[1]);
    const data = fields.get('d');
    if (data === undefined) return undefined;
    const stored = JSON.parse(data) as StoredItem;
    return {
      key: `${fields.get('k') ?? String(entry[0])}@${destinationId}`,
      destinationId: stored.destinationId,
      eventId: stored.eventId,
      eventName: stored.eventName,
      eventTime: stored.eventTime,
      expiresAt: stored.expiresAt,
      payload: stored.payload,
      attempts: Number(fields.get('a') ?? 0),
      enqueuedAt: stored.enqueuedAt,
    };
  }

  const store: RedisQueueStore = {
    kind: 'redis',
    client,
    sharedState: redisSharedState({ client, keyPrefix: prefix }),

    enqueue(items: readonly NewQueueItem[]): Promise<void> {
      if (closed) {
        return Promise.reject(new QueueRejectedError('closed', 'the Redis queue is closed'));
      }
      if (items.length === 0) return Promise.resolve();
      const enqueuedAt = Date.now();
      let entries: PendingEnqueue['entries'];
      try {
        entries = items.map((item) => {
          const stored: StoredItem = {
            destinationId: item.destinationId,
            eventId: item.eventId,
            eventName: item.eventName,
            eventTime: item.eventTime,
            expiresAt: item.expiresAt,
            enqueuedAt,
            payload: item.payload,
          };
          if (item.payload === undefined) throw new TypeError('queue item payload is not JSON');
          return { destinationId: item.destinationId, data: JSON.stringify(stored) };
        });
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        pending.push({ entries, resolve, reject });
        if (!commitScheduled) {
          commitScheduled = true;
          setImmediate(() => void commitPending());
        }
      });
    },

    async claim(destinationId: string, max: number, now: number): Promise<QueueItem[]> {
      if (closed || max <= 0) return [];
      const keys = keysOf(destinationId);
      // One script call holds Redis while it runs: take at most MAX_CLAIM per call.
      const batch = Math.min(MAX_CLAIM, Math.floor(max));
      const entries = (await claimScript.run(
        client,
        [keys.stream, keys.retry, keys.keymap],
        [group, consumer, finiteTime(now, 'now'), batch, Math.ceil(claimTimeoutMs)],
      )) as unknown[];
      const items: QueueItem[] = [];
      for (const entry of entries) {
        const item = toItem(destinationId, entry);
        if (item) items.push(item);
      }
      return items;
    },

    async ack(keys: readonly string[]): Promise<void> {
      if (closed) return;
      for (const [destinationId, ids] of groupKeys(keys)) {
        const { stream, keymap } = keysOf(destinationId);
        for (const part of chunks(ids, KEYS_PER_SCRIPT)) {
          await ackScript.run(client, [stream, keymap], [group, ...part]);
        }
      }
    },

    async retry(keys: readonly string[], availableAt: number): Promise<void> {
      if (closed) return;
      const at = finiteTime(availableAt, 'availableAt');
      for (const [destinationId, ids] of groupKeys(keys)) {
        const { stream, keymap, retry } = keysOf(destinationId);
        for (const part of chunks(ids, KEYS_PER_SCRIPT)) {
          await retryScript.run(client, [stream, keymap, retry], [group, at, ...part]);
        }
      }
    },

    async settle(keys, state, reason, now): Promise<void> {
      if (closed) return;
      if (state !== 'dead' && state !== 'expired') throw new TypeError(`unknown state ${state}`);
      const at = finiteTime(now, 'now');
      for (const [destinationId, ids] of groupKeys(keys)) {
        const keys = keysOf(destinationId);
        for (const part of chunks(ids, KEYS_PER_SCRIPT)) {
          await settleScript.run(
            client,
            [keys.stream, keys.keymap, keys[state]],
            [group, state, JSON.stringify(String(reason)), at, maxDeadLetters, ...part],
          );
        }
      }
    },

    async nextDueAt(destinationId: string): Promise<number | undefined> {
      if (closed) return undefined;
      const keys = keysOf(destinationId);
      const [retryReply, groupsReply, pendingReply] = (await client
        .pipeline()
        .call('ZRANGE', keys.retry, 0, 0, 'WITHSCORES')
        .call('XINFO', 'GROUPS', keys.stream)
        .call('XPENDING', keys.stream, group, '-', '+', 100)
        .exec()) ?? [
        [null, []],
        [null, []],
        [null, []],
      ];
      const candidates: number[] = [];
      // ioredis 6 turns `WITHSCORES` replies into [member, score] pairs; older versions keep them flat.
      const retryFirst = retryReply?.[1] as unknown[] | undefined;
      if (Array.isArray(retryFirst?.[0])) candidates.push(Number(retryFirst[0][1]));
      else if (retryFirst && retryFirst.length >= 2) candidates.push(Number(retryFirst[1]));

      // In flight: due when its claim times out and another consumer may take it over. Pending
      // entries are listed oldest first, and the oldest have usually been idle longest.
      if (!pendingReply?.[0] && Array.isArray(pendingReply?.[1])) {
        const wallNow = Date.now();
        for (const entry of pendingReply[1] as unknown[][]) {
          candidates.push(wallNow - Number(entry[2]) + claimTimeoutMs);
        }
      }

      // Waiting: the first entry after the group's last delivered one (all of them if no
      // instance has read the stream yet). Due since it was enqueued.
      let lastDelivered: string | undefined;
      if (!groupsReply?.[0] && Array.isArray(groupsReply?.[1])) {
        for (const description of groupsReply[1] as unknown[]) {
          const fields = fieldsOf(description);
          if (fields.get('name') === group) lastDelivered = fields.get('last-delivered-id');
        }
      }
      const first = (await client.xrange(
        keys.stream,
        lastDelivered === undefined ? '-' : `(${lastDelivered}`,
        '+',
        'COUNT',
        1,
      )) as unknown[];
      const waiting = first.length > 0 ? toItem(destinationId, first[0]) : undefined;
      if (waiting) candidates.push(waiting.enqueuedAt);
      return candidates.length > 0 ? Math.min(...candidates) : undefined;
    },

    async counts(): Promise<Record<string, QueueCounts>> {
      const result: Record<string, QueueCounts> = {};
      if (closed) return result;
      const destinations = await client.smembers(destinationsKey);
      if (destinations.length === 0) return result;
      const pipeline = client.pipeline();
      for (const destinationId of destinations) {
        const keys = keysOf(destinationId);
        pipeline.xlen(keys.stream);
        pipeline.call('XPENDING', keys.stream, group);
        pipeline.zcard(keys.retry);
        pipeline.llen(keys.dead);
        pipeline.llen(keys.expired);
      }
      const replies = (await pipeline.exec()) ?? [];
      destinations.forEach((destinationId, index) => {
        const [length, pendingSummary, retrying, dead, expired] = replies
          .slice(index * 5, index * 5 + 5)
          .map(([error, value]) => (error ? undefined : value));
        // A stream whose group does not exist yet (no claim so far) has nothing in flight.
        const inFlight = Array.isArray(pendingSummary) ? Number(pendingSummary[0] ?? 0) : 0;
        result[destinationId] = {
          queued: Math.max(0, Number(length ?? 0) - inFlight),
          inFlight,
          retrying: Number(retrying ?? 0),
          dead: Number(dead ?? 0),
          expired: Number(expired ?? 0),
        };
      });
      return result;
    },

    async deadLetters(query = {}): Promise<DeadLetter[]> {
      if (closed) return [];
      const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const destinations =
        query.destinationId === undefined
          ? await client.smembers(destinationsKey)
          : [query.destinationId];
      const pipeline = client.pipeline();
      for (const destinationId of destinations) {
        const keys = keysOf(destinationId);
        pipeline.lrange(keys.dead, 0, limit < 0 ? -1 : limit - 1);
        pipeline.lrange(keys.expired, 0, limit < 0 ? -1 : limit - 1);
      }
      const replies = (await pipeline.exec()) ?? [];
      const letters: DeadLetter[] = [];
      replies.forEach(([error, raw], index) => {
        if (error || !Array.isArray(raw)) return;
        const destinationId = destinations[Math.floor(index / 2)]!;
        for (const text of raw as string[]) {
          const stored = JSON.parse(text) as StoredDeadLetter;
          letters.push({
            key: `${stored.key}@${destinationId}`,
            destinationId: stored.item.destinationId,
            eventId: stored.item.eventId,
            eventName: stored.item.eventName,
            eventTime: stored.item.eventTime,
            expiresAt: stored.item.expiresAt,
            payload: stored.item.payload,
            attempts: stored.attempts,
            enqueuedAt: stored.item.enqueuedAt,
            state: stored.state,
            reason: stored.reason,
            settledAt: stored.settledAt,
          });
        }
      });
      // Each list is newest first; a stable sort merges them without reordering equal times.
      letters.sort((left, right) => right.settledAt - left.settledAt);
      return limit < 0 ? letters : letters.slice(0, limit);
    },

    async close(): Promise<void> {
      if (closed) return;
      // Enqueues already accepted were promised a write: send them before closing.
      if (commitScheduled) await commitPending();
      if (inFlightCommits > 0) {
        await new Promise<void>((resolve) => (commitsSettled = resolve));
      }
      closed = true;
      // Claimed but unanswered entries stay in the group's pending list; another instance (or this
      // one, restarted) takes them over after `claimTimeoutMs`. A consumer that holds nothing
      // leaves the group. Best effort: closing must not fail because Redis is away.
      try {
        if (client.status !== 'ready') throw new Error('not connected');
        for (const destinationId of await client.smembers(destinationsKey)) {
          await leaveScript.run(client, [keysOf(destinationId).stream], [group, consumer]);
        }
      } catch {
        // The name stays listed in the group, holding nothing; harmless.
      }
      if (ownsClient) await client.quit().catch(() => client.disconnect());
    },
  };
  return store;
}
