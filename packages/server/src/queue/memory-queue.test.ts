import { describe, expect, it } from 'vitest';
import { memoryQueue, memorySharedState } from './memory-queue';
import { QueueRejectedError } from './queue-errors';
import { describeQueueStoreContract, sampleQueueItem } from './queue-store-contract';

describeQueueStoreContract('memoryQueue', () => memoryQueue({ leaseMs: 30_000 }), {
  leaseMs: 30_000,
});

describe('memoryQueue', () => {
  it('refuses a batch that does not fit, storing none of it', async () => {
    const store = memoryQueue({ maxQueued: 3 });
    await store.enqueue([sampleQueueItem(), sampleQueueItem()]);
    const error = await store
      .enqueue([sampleQueueItem(), sampleQueueItem()])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueRejectedError);
    expect((error as QueueRejectedError).reason).toBe('full');
    expect((await store.counts()).meta?.queued).toBe(2);
  });

  it('frees room as items are acked', async () => {
    const store = memoryQueue({ maxQueued: 1 });
    await store.enqueue([sampleQueueItem()]);
    const claimed = await store.claim('meta', 1, Date.now());
    await store.ack(claimed.map((item) => item.key));
    await expect(store.enqueue([sampleQueueItem()])).resolves.toBeUndefined();
  });

  it('keeps only the newest dead letters', async () => {
    const store = memoryQueue({ maxDeadLetters: 2 });
    await store.enqueue([sampleQueueItem(), sampleQueueItem(), sampleQueueItem()]);
    const claimed = await store.claim('meta', 3, Date.now());
    await store.settle(
      claimed.map((item) => item.key),
      'dead',
      'x',
      Date.now(),
    );
    const letters = await store.deadLetters();
    expect(letters.map((letter) => letter.eventId)).toEqual([
      claimed[2]!.eventId,
      claimed[1]!.eventId,
    ]);
  });
});

describe('memorySharedState', () => {
  it('reports a key as seen within its time to live and not after', async () => {
    let now = 1_000_000;
    const state = memorySharedState({ now: () => now });
    expect(await state.seen('Purchase:1', 1000)).toBe(false);
    expect(await state.seen('Purchase:1', 1000)).toBe(true);
    now += 1000;
    expect(await state.seen('Purchase:1', 1000)).toBe(false);
  });

  it('counts hits per fixed window', async () => {
    let now = 60_000;
    const state = memorySharedState({ now: () => now });
    expect(await state.hit('ip', 60_000)).toBe(1);
    expect(await state.hit('ip', 60_000)).toBe(2);
    expect(await state.hit('other', 60_000)).toBe(1);
    now += 60_000;
    expect(await state.hit('ip', 60_000)).toBe(1);
  });

  it('forgets the oldest keys beyond its bound', async () => {
    const state = memorySharedState({ maxKeys: 2 });
    await state.seen('a', 60_000);
    await state.seen('b', 60_000);
    await state.seen('c', 60_000);
    expect(await state.seen('a', 60_000)).toBe(false);
    expect(await state.seen('c', 60_000)).toBe(true);
  });

  it('keeps forgetting the oldest first through a long run of keys, renewed ones included', async () => {
    let now = 0;
    const state = memorySharedState({ maxKeys: 50, now: () => now });
    // The model: keys in the order they were last (re)stored, the oldest first.
    const model: string[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 5000; step++) {
      // Short TTLs so that some keys expire and are stored again (moved to the newest place).
      const key = `k${Math.floor(random() * 120)}`;
      now += 1;
      const remembered = await state.seen(key, 40 + Math.floor(random() * 40));
      const index = model.indexOf(key);
      if (!remembered) {
        if (index !== -1) model.splice(index, 1);
        model.push(key);
        while (model.length > 50) model.shift();
      }
      expect(remembered ? index !== -1 : true).toBe(true);
    }
    // Every key the model still holds is remembered (or expired); none it dropped is.
    now += 1;
    for (let k = 0; k < 120; k++) {
      const key = `k${k}`;
      if (!model.includes(key)) expect(await state.seen(key, 1_000_000)).toBe(false);
    }
  });
});
