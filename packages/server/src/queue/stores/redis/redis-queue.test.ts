import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@capi-kit/core';
import { describeQueueStoreContract } from '../../queue-store-contract';
import type { NewQueueItem } from '../../queue-store';
import {
  redisServerAvailable,
  startRedisServer,
  type RedisServer,
} from '../../../../test/fault/redis-server';
import {
  loadIoredis,
  redisQueue,
  type RedisQueueOptions,
  type RedisQueueStore,
} from './redis-queue';

const available = redisServerAvailable('redisQueue tests');

function item(index: number, overrides: Partial<NewQueueItem> = {}): NewQueueItem {
  return {
    destinationId: 'meta:1',
    eventId: `event-${index}`,
    eventName: 'Purchase',
    eventTime: 1_700_000_000_000 + index,
    expiresAt: 1_700_000_000_000 + 7 * 86_400_000,
    payload: { event_id: `event-${index}`, value: index },
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(available)('redisQueue', () => {
  let server: RedisServer;
  let admin: Redis;
  let prefix: string;
  const opened: RedisQueueStore[] = [];

  function open(options: Partial<RedisQueueOptions> = {}): RedisQueueStore {
    const store = redisQueue({ url: server.url, keyPrefix: prefix, ...options });
    opened.push(store);
    return store;
  }

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  // A fresh key space per test, as a fresh queue.
  const freshPrefix = () => (prefix = `test-${randomBytes(4).toString('hex')}:`);
  freshPrefix();
  afterEach(freshPrefix);

  describeQueueStoreContract('redisQueue', () =>
    redisQueue({ url: server.url, keyPrefix: `c-${randomBytes(4).toString('hex')}:` }),
  );

  it('shares one queue between instances: what one enqueues another claims', async () => {
    const first = open();
    const second = open();
    await first.enqueue([item(1), item(2)]);
    const claimed = await second.claim('meta:1', 10, Date.now());
    expect(claimed.map((entry) => entry.eventId)).toEqual(['event-1', 'event-2']);
    expect(await first.claim('meta:1', 10, Date.now())).toEqual([]);
  });

  it('gives the claims of an instance that stopped answering to another after claimTimeoutMs', async () => {
    const dead = open({ claimTimeoutMs: 150, consumerName: 'dead' });
    const live = open({ claimTimeoutMs: 150, consumerName: 'live' });
    await dead.enqueue([item(1), item(2)]);
    const claimed = await dead.claim('meta:1', 10, Date.now());
    expect(await live.claim('meta:1', 10, Date.now())).toEqual([]);
    await sleep(200);
    const takenOver = await live.claim('meta:1', 10, Date.now());
    expect(takenOver.map((entry) => entry.key)).toEqual(claimed.map((entry) => entry.key));
    await live.ack(takenOver.map((entry) => entry.key));
    expect((await live.counts())['meta:1']).toEqual({
      queued: 0,
      inFlight: 0,
      retrying: 0,
      dead: 0,
      expired: 0,
    });
  });

  it('leaves claimed items in Redis on close, for another instance to take over', async () => {
    const leaving = open({ claimTimeoutMs: 100 });
    await leaving.enqueue([item(1), item(2)]);
    await leaving.claim('meta:1', 1, Date.now());
    await leaving.close();
    const consumers = (await admin.call(
      'XINFO',
      'CONSUMERS',
      `${prefix}{meta:1}:q`,
      'relay',
    )) as unknown[][];
    expect(consumers).toHaveLength(1);
    const staying = open({ claimTimeoutMs: 100 });
    await sleep(150);
    const claimed = await staying.claim('meta:1', 10, Date.now());
    expect(claimed.map((entry) => entry.eventId).sort()).toEqual(['event-1', 'event-2']);
  });

  it('leaves the consumer group on close when it holds nothing', async () => {
    const store = open({ consumerName: 'short-lived' });
    await store.enqueue([item(1)]);
    await store.ack((await store.claim('meta:1', 10, Date.now())).map((entry) => entry.key));
    await store.close();
    const consumers = (await admin.call(
      'XINFO',
      'CONSUMERS',
      `${prefix}{meta:1}:q`,
      'relay',
    )) as unknown[][];
    expect(consumers).toEqual([]);
  });

  it('reports an in-flight claim as due when it times out', async () => {
    const store = open({ claimTimeoutMs: 60_000 });
    await store.enqueue([item(1)]);
    const before = Date.now();
    await store.claim('meta:1', 10, before);
    const due = await store.nextDueAt('meta:1');
    expect(due).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('keeps the key and attempts of an item across retries, even when another instance claims it', async () => {
    const first = open();
    const second = open();
    await first.enqueue([item(1)]);
    const [claimed] = await first.claim('meta:1', 10, 1_000);
    await first.retry([claimed!.key], 2_000, 'HTTP 503');
    const [again] = await second.claim('meta:1', 10, 2_000);
    expect(again).toMatchObject({ key: claimed!.key, attempts: 1 });
    await second.retry([again!.key], 3_000, 'HTTP 503');
    const [third] = await first.claim('meta:1', 10, 3_000);
    expect(third).toMatchObject({ key: claimed!.key, attempts: 2 });
    await first.settle([third!.key], 'dead', 'out of retries', 4_000);
    const [letter] = await second.deadLetters();
    expect(letter).toMatchObject({ key: claimed!.key, attempts: 2, reason: 'out of retries' });
    expect(await admin.exists(`${prefix}{meta:1}:r`)).toBe(0);
  });

  it('hides a retrying item from every instance until its retry time', async () => {
    const first = open();
    const second = open();
    await first.enqueue([item(1)]);
    const [claimed] = await first.claim('meta:1', 10, 1_000);
    await first.retry([claimed!.key], 61_000, 'HTTP 429');
    expect(await second.claim('meta:1', 10, 60_999)).toEqual([]);
    expect(await first.claim('meta:1', 10, 60_999)).toEqual([]);
    expect(await second.nextDueAt('meta:1')).toBe(61_000);
    expect((await second.claim('meta:1', 10, 61_000)).map((entry) => entry.key)).toEqual([
      claimed!.key,
    ]);
  });

  it('recreates its consumer group when Redis lost it', async () => {
    const store = open();
    await store.enqueue([item(1)]);
    await store.claim('meta:1', 10, 1_000);
    await admin.del(`${prefix}{meta:1}:q`);
    await store.enqueue([item(2)]);
    expect((await store.claim('meta:1', 10, 2_000)).map((entry) => entry.eventId)).toEqual([
      'event-2',
    ]);
  });

  it('keeps the payload of a dead letter exactly, odd characters in the reason included', async () => {
    const store = open();
    const payload = { value: 0.30000000000000004, big: 12345678901234567, text: 'é|"\\\n' };
    await store.enqueue([item(1, { payload })]);
    const [claimed] = await store.claim('meta:1', 1, 1_000);
    await store.settle([claimed!.key], 'dead', 'bad "value" | \\ é', 2_000);
    const [letter] = await store.deadLetters({ destinationId: 'meta:1' });
    expect(letter!.payload).toEqual(payload);
    expect(letter!.reason).toBe('bad "value" | \\ é');
  });

  it('writes the enqueues of one tick in a single transaction', async () => {
    const store = open();
    await store.enqueue([item(0)]); // loads the script into Redis's cache
    await admin.config('RESETSTAT');
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.enqueue([item(index + 1)])));
    const stats = await admin.info('commandstats');
    expect(stats).toMatch(/cmdstat_evalsha:calls=1,/);
    expect(stats).toMatch(/cmdstat_xadd:calls=200,/);
    expect((await store.counts())['meta:1']!.queued).toBe(201);
  });

  it('keeps the newest maxDeadLetters letters of each state', async () => {
    const store = open({ maxDeadLetters: 2 });
    await store.enqueue([item(1), item(2), item(3), item(4)]);
    const claimed = await store.claim('meta:1', 10, 1_000);
    await store.settle(
      claimed.slice(0, 3).map((entry) => entry.key),
      'expired',
      'older than 7 days',
      2_000,
    );
    await store.settle([claimed[3]!.key], 'dead', 'rejected', 3_000);
    expect((await store.deadLetters()).map((letter) => letter.eventId)).toEqual([
      'event-4',
      'event-3',
      'event-2',
    ]);
    expect((await store.counts())['meta:1']).toMatchObject({ dead: 1, expired: 2 });
  });

  it('claims in bounded batches when max is unbounded', async () => {
    const store = open();
    await store.enqueue([item(1), item(2), item(3)]);
    expect(await store.claim('meta:1', Number.POSITIVE_INFINITY, 1_000)).toHaveLength(3);
  });

  it('refuses a whole batch, storing none of it, when Redis is out of memory', async () => {
    const store = open();
    await store.enqueue([item(0)]);
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', String(used + 64 * 1024));
    try {
      const big = { blob: 'x'.repeat(1024) };
      await expect(
        store.enqueue(Array.from({ length: 500 }, (_, index) => item(index + 1, { payload: big }))),
      ).rejects.toThrow(/OOM/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    expect((await store.counts())['meta:1']!.queued).toBe(1);
  });

  it('ignores keys of another store', async () => {
    const store = open();
    await store.enqueue([item(1)]);
    await store.ack(['m1', '12', 'x@meta:1', '1-0@nowhere']);
    expect((await store.counts())['meta:1']!.queued).toBe(1);
  });

  it('uses a client it is given and leaves it open on close', async () => {
    const client = new Redis(server.url);
    const store = redisQueue({ client, keyPrefix: prefix });
    await store.enqueue([item(1)]);
    await store.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  describe('sharedState', () => {
    it('reports a replay seen by any instance within the window, and forgets it after', async () => {
      const first = open().sharedState;
      const second = open().sharedState;
      expect(await first.seen('Purchase:e1', 100)).toBe(false);
      expect(await second.seen('Purchase:e1', 100)).toBe(true);
      expect(await first.seen('Purchase:e2', 100)).toBe(false);
      await sleep(150);
      expect(await second.seen('Purchase:e1', 100)).toBe(false);
    });

    it('forgets a recorded key for every instance', async () => {
      const first = open().sharedState;
      const second = open().sharedState;
      await first.seen('Purchase:e1', 60_000);
      await second.forget!('Purchase:e1');
      expect(await first.seen('Purchase:e1', 60_000)).toBe(false);
    });

    it('counts hits of all instances in one fixed window that the hits do not extend', async () => {
      const first = open().sharedState;
      const second = open().sharedState;
      expect(await first.hit('ip:1', 200)).toBe(1);
      expect(await second.hit('ip:1', 200)).toBe(2);
      expect(await first.hit('ip:2', 200)).toBe(1);
      const ttl = await admin.pttl(`${prefix}rate:ip:1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
      await sleep(250);
      expect(await second.hit('ip:1', 200)).toBe(1);
    });
  });
});

describe('redisQueue options', () => {
  it('needs a url or a client', () => {
    expect(() => redisQueue({})).toThrow(ConfigError);
  });

  it('explains how to install ioredis when it is missing', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'ioredis'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadIoredis(missing)).toThrow(/npm install ioredis/);
  });

  it('loads the installed ioredis', () => {
    expect(loadIoredis()).toBe(Redis);
  });
});
