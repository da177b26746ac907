/**
 * The behaviour every `QueueStore` must show, as a reusable vitest suite. The memory store runs it
 * here; the SQLite and Redis stores call `describeQueueStoreContract` from their own tests so all
 * stores answer the relay the same way. Times passed to `claim`, `retry` and `settle` are the
 * relay's clock (injectable, so it may lag or lead the wall clock); `enqueuedAt` is the store's.
 *
 * Not exported from the package entry (it imports vitest); import it by path from a test file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewQueueItem, QueueStore } from './queue-store';

/** Optional behaviours a store can opt into. */
export interface QueueStoreContractOptions {
  /**
   * The lease the store was created with, when the store measures it with the `now` given to
   * `claim` (memory, SQLite). Leave undefined for stores whose lease runs on their own clock (Redis
   * idle time); the lease test is then left to the store's own tests.
   */
  leaseMs?: number;
  /** Called after each test, once the store is closed (remove temp files, flush Redis keys…). */
  cleanup?: () => void | Promise<void>;
}

let sequence = 0;

/** A small valid item; `payload` mimics a prepared Meta event. */
export function sampleQueueItem(overrides: Partial<NewQueueItem> = {}): NewQueueItem {
  sequence++;
  const eventTime = Date.now();
  return {
    destinationId: 'meta',
    eventId: `evt-${sequence}`,
    eventName: 'Purchase',
    eventTime,
    expiresAt: eventTime + 7 * 24 * 3600_000,
    payload: {
      event_name: 'Purchase',
      event_id: `evt-${sequence}`,
      user_data: { em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'] },
      custom_data: { value: 12.5, currency: 'EUR', contents: [{ id: 'sku', quantity: 2 }] },
    },
    ...overrides,
  };
}

/**
 * Registers the contract tests for one store. `makeStore` is called once per test and must return
 * an empty store.
 *
 * @example
 * describeQueueStoreContract('sqliteQueue', () => sqliteQueue({ path: tempFile() }), { leaseMs: 60_000 });
 */
export function describeQueueStoreContract(
  name: string,
  makeStore: () => QueueStore | Promise<QueueStore>,
  options: QueueStoreContractOptions = {},
): void {
  describe(`${name} (QueueStore contract)`, () => {
    let current: QueueStore | undefined;
    async function open(): Promise<QueueStore> {
      current = await makeStore();
      return current;
    }
    afterEach(async () => {
      await current?.close();
      current = undefined;
      await options.cleanup?.();
    });

    it('hands back an enqueued item with its fields, a key and zero attempts', async () => {
      const store = await open();
      const item = sampleQueueItem();
      const before = Date.now();
      await store.enqueue([item]);
      const [claimed, ...rest] = await store.claim('meta', 10, Date.now());
      expect(rest).toEqual([]);
      expect(claimed).toMatchObject({ ...item, attempts: 0 });
      expect(claimed!.payload).toEqual(item.payload);
      expect(typeof claimed!.key).toBe('string');
      expect(claimed!.enqueuedAt).toBeGreaterThanOrEqual(before - 1000);
    });

    it('claims new items even when the relay clock lags the wall clock', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem()]);
      expect(await store.claim('meta', 10, Date.now() - 3600_000)).toHaveLength(1);
    });

    it('claims at most max items, oldest first, and only of the asked destination', async () => {
      const store = await open();
      const items = Array.from({ length: 5 }, () => sampleQueueItem());
      await store.enqueue(items.slice(0, 3));
      await store.enqueue([sampleQueueItem({ destinationId: 'tiktok' })]);
      await store.enqueue(items.slice(3));
      const first = await store.claim('meta', 2, Date.now());
      const second = await store.claim('meta', 10, Date.now());
      expect(first.map((item) => item.eventId)).toEqual(items.slice(0, 2).map((i) => i.eventId));
      expect(second.map((item) => item.eventId)).toEqual(items.slice(2).map((i) => i.eventId));
      expect(await store.claim('tiktok', 10, Date.now())).toHaveLength(1);
    });

    it('does not hand a claimed item to a second claim', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem()]);
      expect(await store.claim('meta', 10, Date.now())).toHaveLength(1);
      expect(await store.claim('meta', 10, Date.now())).toEqual([]);
    });

    it('returns nothing for an unknown destination or an empty store', async () => {
      const store = await open();
      expect(await store.claim('meta', 10, Date.now())).toEqual([]);
      expect(await store.nextDueAt('meta')).toBeUndefined();
    });

    it('removes acked items for good', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem(), sampleQueueItem()]);
      const claimed = await store.claim('meta', 10, Date.now());
      await store.ack(claimed.map((item) => item.key));
      expect(await store.claim('meta', 10, Date.now() + 365 * 24 * 3600_000)).toEqual([]);
      expect(await store.nextDueAt('meta')).toBeUndefined();
      expect((await store.counts()).meta ?? emptyCounts()).toEqual(emptyCounts());
    });

    it('holds a retried item until its time, then hands it back with one more attempt', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem()]);
      const now = Date.now();
      const [claimed] = await store.claim('meta', 10, now);
      await store.retry([claimed!.key], now + 60_000, 'HTTP 503');
      expect(await store.claim('meta', 10, now + 59_999)).toEqual([]);
      expect(await store.nextDueAt('meta')).toBe(now + 60_000);
      expect((await store.counts()).meta).toEqual({ ...emptyCounts(), retrying: 1 });
      const [again] = await store.claim('meta', 10, now + 60_000);
      expect(again).toMatchObject({ key: claimed!.key, eventId: claimed!.eventId, attempts: 1 });
      await store.retry([again!.key], now + 120_000, 'HTTP 503');
      const [third] = await store.claim('meta', 10, now + 120_000);
      expect(third!.attempts).toBe(2);
    });

    it('keeps settled items as dead letters with state and reason, newest first', async () => {
      const store = await open();
      const items = [sampleQueueItem(), sampleQueueItem(), sampleQueueItem({ destinationId: 'x' })];
      await store.enqueue(items);
      const now = Date.now();
      const claimed = await store.claim('meta', 10, now);
      const [other] = await store.claim('x', 10, now);
      await store.settle([claimed[0]!.key], 'dead', 'Invalid parameter (code 100)', now);
      await store.settle([claimed[1]!.key], 'expired', 'older than 7 days', now + 1);
      await store.settle([other!.key], 'dead', 'bad', now + 2);
      const letters = await store.deadLetters({ destinationId: 'meta' });
      expect(letters.map((letter) => [letter.eventId, letter.state, letter.reason])).toEqual([
        [items[1]!.eventId, 'expired', 'older than 7 days'],
        [items[0]!.eventId, 'dead', 'Invalid parameter (code 100)'],
      ]);
      expect(letters[0]!.settledAt).toBe(now + 1);
      expect(letters[0]!.payload).toEqual(items[1]!.payload);
      expect(await store.deadLetters({ limit: 1 })).toHaveLength(1);
      expect((await store.deadLetters()).map((letter) => letter.eventId)[0]).toBe(
        items[2]!.eventId,
      );
      expect(await store.claim('meta', 10, now + 365 * 24 * 3600_000)).toEqual([]);
      const counts = await store.counts();
      expect(counts.meta).toEqual({ ...emptyCounts(), dead: 1, expired: 1 });
      expect(counts.x).toEqual({ ...emptyCounts(), dead: 1 });
    });

    it('counts queued, in-flight and retrying items per destination', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem(), sampleQueueItem(), sampleQueueItem()]);
      await store.enqueue([sampleQueueItem({ destinationId: 'tiktok' })]);
      const now = Date.now();
      const [first, second] = await store.claim('meta', 2, now);
      await store.retry([second!.key], now + 1000, 'HTTP 429');
      expect(first).toBeDefined();
      const counts = await store.counts();
      expect(counts.meta).toEqual({ ...emptyCounts(), queued: 1, inFlight: 1, retrying: 1 });
      expect(counts.tiktok).toEqual({ ...emptyCounts(), queued: 1 });
    });

    it('reports the earliest due time of a destination', async () => {
      const store = await open();
      await store.enqueue([sampleQueueItem()]);
      const due = await store.nextDueAt('meta');
      expect(due).toBeDefined();
      expect(due!).toBeLessThanOrEqual(Date.now());
    });

    it('moves thousands of items through claim in batches without losing one', async () => {
      const store = await open();
      const items = Array.from({ length: 2500 }, () => sampleQueueItem());
      await store.enqueue(items);
      const seen = new Set<string>();
      for (let round = 0; round < 3; round++) {
        const claimed = await store.claim('meta', 1000, Date.now());
        expect(claimed.length).toBe(round < 2 ? 1000 : 500);
        for (const item of claimed) seen.add(item.eventId);
        await store.ack(claimed.map((item) => item.key));
      }
      expect(seen.size).toBe(2500);
      expect(await store.claim('meta', 1000, Date.now())).toEqual([]);
    });

    it('ignores unknown keys in ack, retry and settle', async () => {
      const store = await open();
      await store.ack(['nope']);
      await store.retry(['nope'], Date.now(), 'x');
      await store.settle(['nope'], 'dead', 'x', Date.now());
      expect(await store.deadLetters()).toEqual([]);
    });

    it('refuses to enqueue once closed', async () => {
      const store = await open();
      await store.close();
      await expect(store.enqueue([sampleQueueItem()])).rejects.toThrow();
    });

    if (options.leaseMs !== undefined) {
      const leaseMs = options.leaseMs;
      it('makes an unanswered claim claimable again after the lease', async () => {
        const store = await open();
        await store.enqueue([sampleQueueItem()]);
        const now = Date.now();
        const [claimed] = await store.claim('meta', 10, now);
        expect(await store.claim('meta', 10, now + leaseMs - 1)).toEqual([]);
        const [again] = await store.claim('meta', 10, now + leaseMs);
        expect(again?.key).toBe(claimed!.key);
      });
    }
  });
}

function emptyCounts() {
  return { queued: 0, inFlight: 0, retrying: 0, dead: 0, expired: 0 };
}
