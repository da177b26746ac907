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
});
