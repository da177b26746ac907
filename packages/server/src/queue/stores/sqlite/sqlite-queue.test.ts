import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapiKitError, ConfigError } from '@capi-kit/core';
import { QueueRejectedError } from '../../queue-errors';
import type { NewQueueItem, QueueStore } from '../../queue-store';
import { loadBetterSqlite3, type SqliteDatabaseConstructor } from './sqlite-driver';
import { sqliteQueue } from './sqlite-queue';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as SqliteDatabaseConstructor;

function item(index: number, overrides: Partial<NewQueueItem> = {}): NewQueueItem {
  return {
    destinationId: 'meta:1',
    eventId: `event-${index}`,
    eventName: 'Purchase',
    eventTime: 1_700_000_000_000 + index,
    expiresAt: 1_700_000_000_000 + 7 * 86_400_000,
    payload: { event_id: `event-${index}`, user_data: { em: ['a'.repeat(64)] }, value: index },
    ...overrides,
  };
}

let directory: string;
let path: string;
const opened: QueueStore[] = [];

function open(options: Partial<Parameters<typeof sqliteQueue>[0]> = {}): QueueStore {
  const store = sqliteQueue({ path, ...options });
  opened.push(store);
  return store;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'capi-kit-sqlite-'));
  path = join(directory, 'queue.db');
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('sqliteQueue', () => {
  it('hands out enqueued items with their payload, zero attempts and a key', async () => {
    const store = open();
    await store.enqueue([item(1), item(2)]);
    const claimed = await store.claim('meta:1', 10, Date.now());
    expect(claimed.map(({ key, enqueuedAt, ...rest }) => rest)).toEqual([
      { ...item(1), attempts: 0 },
      { ...item(2), attempts: 0 },
    ]);
    expect(new Set(claimed.map((entry) => entry.key)).size).toBe(2);
  });

  it('claims only the asked destination, at most max items, oldest first', async () => {
    const store = open();
    await store.enqueue([item(1), item(2, { destinationId: 'tiktok:1' }), item(3), item(4)]);
    const claimed = await store.claim('meta:1', 2, Date.now());
    expect(claimed.map((entry) => entry.eventId)).toEqual(['event-1', 'event-3']);
  });

  it('claims everything due when max is unbounded', async () => {
    const store = open();
    await store.enqueue([item(1), item(2), item(3)]);
    expect(await store.claim('meta:1', Number.POSITIVE_INFINITY, 1_000)).toHaveLength(3);
  });

  it('does not hand an in-flight item to a second claim', async () => {
    const store = open();
    await store.enqueue([item(1)]);
    await store.claim('meta:1', 10, 1_000);
    expect(await store.claim('meta:1', 10, 1_000)).toEqual([]);
    expect((await store.counts())['meta:1']).toMatchObject({ queued: 0, inFlight: 1 });
  });

  it('makes an unanswered claim claimable again once its lease ends', async () => {
    const store = open({ leaseMs: 5_000 });
    await store.enqueue([item(1)]);
    await store.claim('meta:1', 10, 1_000);
    expect(await store.claim('meta:1', 10, 5_999)).toEqual([]);
    expect((await store.claim('meta:1', 10, 6_000)).map((entry) => entry.eventId)).toEqual([
      'event-1',
    ]);
  });

  it('removes acked items for good', async () => {
    const store = open();
    await store.enqueue([item(1), item(2)]);
    const claimed = await store.claim('meta:1', 10, 1_000);
    await store.ack([claimed[0]!.key]);
    await store.close();
    const reopened = open();
    expect((await reopened.claim('meta:1', 10, 1_000)).map((entry) => entry.eventId)).toEqual([
      'event-2',
    ]);
  });

  it('keeps a retried item until its retry time, then hands it out with one more attempt', async () => {
    const store = open();
    await store.enqueue([item(1)]);
    const [claimed] = await store.claim('meta:1', 10, 1_000);
    await store.retry([claimed!.key], 10_000, 'HTTP 503');
    expect(await store.nextDueAt('meta:1')).toBe(10_000);
    expect((await store.counts())['meta:1']).toMatchObject({ retrying: 1, inFlight: 0 });
    expect(await store.claim('meta:1', 10, 9_999)).toEqual([]);
    const [again] = await store.claim('meta:1', 10, 10_000);
    expect(again).toMatchObject({ key: claimed!.key, eventId: 'event-1', attempts: 1 });
  });

  it('keeps settled items as dead letters with their reason, newest first', async () => {
    const store = open();
    await store.enqueue([item(1), item(2), item(3, { destinationId: 'tiktok:1' })]);
    const meta = await store.claim('meta:1', 10, 1_000);
    const tiktok = await store.claim('tiktok:1', 10, 1_000);
    await store.settle([meta[0]!.key], 'dead', 'code 100: invalid parameter', 2_000);
    await store.settle([meta[1]!.key], 'expired', 'older than 7 days', 3_000);
    await store.settle([tiktok[0]!.key], 'dead', '40002', 4_000);

    const letters = await store.deadLetters();
    expect(
      letters.map(({ eventId, state, reason, settledAt }) => [eventId, state, reason, settledAt]),
    ).toEqual([
      ['event-3', 'dead', '40002', 4_000],
      ['event-2', 'expired', 'older than 7 days', 3_000],
      ['event-1', 'dead', 'code 100: invalid parameter', 2_000],
    ]);
    expect(letters[2]!.payload).toEqual(item(1).payload);
    expect(
      (await store.deadLetters({ destinationId: 'meta:1', limit: 1 })).map((l) => l.eventId),
    ).toEqual(['event-2']);
    expect(await store.claim('meta:1', 10, 1_000_000)).toEqual([]);
  });

  it('keeps the newest maxDeadLetters letters of each destination', async () => {
    const store = open({ maxDeadLetters: 2 });
    await store.enqueue([item(1), item(2), item(3), item(4, { destinationId: 'ga4:1' })]);
    const claimed = await store.claim('meta:1', 10, 1_000);
    for (const [index, entry] of claimed.entries()) {
      await store.settle([entry.key], 'dead', 'rejected', 2_000 + index);
    }
    const [other] = await store.claim('ga4:1', 10, 1_000);
    await store.settle([other!.key], 'expired', 'window', 1_500);
    expect((await store.deadLetters()).map((letter) => letter.eventId)).toEqual([
      'event-3',
      'event-2',
      'event-4',
    ]);
    expect((await store.counts())['meta:1']).toMatchObject({ dead: 2 });
  });

  it('counts items per destination by state', async () => {
    const store = open();
    await store.enqueue([
      item(1),
      item(2),
      item(3),
      item(4),
      item(5),
      item(6, { destinationId: 'ga4:1' }),
    ]);
    const claimed = await store.claim('meta:1', 4, 1_000);
    await store.retry([claimed[0]!.key], 5_000, 'HTTP 429');
    await store.settle([claimed[1]!.key], 'dead', 'rejected', 1_000);
    await store.settle([claimed[2]!.key], 'expired', 'window', 1_000);
    expect(await store.counts()).toEqual({
      'meta:1': { queued: 1, inFlight: 1, retrying: 1, dead: 1, expired: 1 },
      'ga4:1': { queued: 1, inFlight: 0, retrying: 0, dead: 0, expired: 0 },
    });
  });

  it('reports when the next item of a destination becomes due', async () => {
    const store = open({ leaseMs: 1_000 });
    expect(await store.nextDueAt('meta:1')).toBeUndefined();
    const before = Date.now();
    await store.enqueue([item(1)]);
    const due = await store.nextDueAt('meta:1');
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now());
    await store.claim('meta:1', 10, 50_000);
    expect(await store.nextDueAt('meta:1')).toBe(51_000);
  });

  it('resumes the in-flight claims of a process that died, without waiting for the lease', async () => {
    const crashed = open({ leaseMs: 3_600_000 });
    await crashed.enqueue([item(1), item(2)]);
    const claimed = await crashed.claim('meta:1', 1, 1_000);
    const [retried] = await crashed.claim('meta:1', 1, 1_000);
    await crashed.retry([retried!.key], 1_000, 'HTTP 503');
    await crashed.claim('meta:1', 1, 1_000);
    // The first connection is never closed, as after kill -9; a new process opens the same file.
    const restarted = open({ leaseMs: 3_600_000 });
    const resumed = await restarted.claim('meta:1', 10, 1_000);
    expect(resumed.map(({ eventId, attempts }) => [eventId, attempts])).toEqual([
      ['event-1', 0],
      ['event-2', 1],
    ]);
    expect(resumed[0]!.key).toBe(claimed[0]!.key);
  });

  it('refuses a batch that would pass maxQueued and stores none of it', async () => {
    const store = open({ maxQueued: 3 });
    await store.enqueue([item(1), item(2)]);
    const refusal = store.enqueue([item(3), item(4)]);
    await expect(refusal).rejects.toBeInstanceOf(QueueRejectedError);
    await expect(refusal).rejects.toMatchObject({ reason: 'full' });
    expect((await store.counts())['meta:1']!.queued).toBe(2);
  });

  it('accepts new items again once delivered ones leave', async () => {
    const store = open({ maxQueued: 2 });
    await store.enqueue([item(1), item(2)]);
    await store.ack((await store.claim('meta:1', 1, 1_000)).map((entry) => entry.key));
    await expect(store.enqueue([item(3)])).resolves.toBeUndefined();
  });

  it('refuses to enqueue once closed', async () => {
    const store = open();
    await store.close();
    await expect(store.enqueue([item(1)])).rejects.toMatchObject({ reason: 'closed' });
  });

  it('writes enqueues already accepted when it is closed, and keeps unanswered items', async () => {
    const store = open();
    await store.enqueue([item(2)]);
    await store.claim('meta:1', 1, 1_000);
    const accepted = store.enqueue([item(1)]);
    const closing = store.close();
    await accepted;
    await closing;
    const reopened = open();
    expect(
      (await reopened.claim('meta:1', 10, 1_000)).map((entry) => entry.eventId).sort(),
    ).toEqual(['event-1', 'event-2']);
  });

  it('commits the enqueues of one tick in a single transaction', async () => {
    let commits = 0;
    class CountingDatabase extends (BetterSqlite3 as unknown as new (...parameters: unknown[]) => {
      transaction: (body: (...values: never[]) => unknown) => (...values: never[]) => unknown;
    }) {
      override transaction = (body: (...values: never[]) => unknown) => {
        const run = super.transaction(body);
        return (...values: never[]) => {
          commits++;
          return run(...values);
        };
      };
    }
    const store = open({ driver: CountingDatabase as unknown as SqliteDatabaseConstructor });
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.enqueue([item(index)])));
    expect(commits).toBe(1);
    expect((await store.counts())['meta:1']!.queued).toBe(200);
  });

  it('rejects only the enqueue whose payload is not JSON', async () => {
    const store = open();
    const bad = store.enqueue([item(1, { payload: { value: 1n } })]);
    const good = store.enqueue([item(2)]);
    await expect(bad).rejects.toThrow();
    await expect(good).resolves.toBeUndefined();
    expect((await store.claim('meta:1', 10, 1_000)).map((entry) => entry.eventId)).toEqual([
      'event-2',
    ]);
  });

  it('ignores keys it never handed out', async () => {
    const store = open();
    await store.enqueue([item(1)]);
    await store.ack(['nope', '999999', 'm1']);
    await store.settle(['abc'], 'dead', 'x', 1);
    expect((await store.counts())['meta:1']!.queued).toBe(1);
  });

  it('handles acks and retries of more keys than one statement can bind', async () => {
    const store = open({ maxQueued: 10_000 });
    await store.enqueue(Array.from({ length: 1_200 }, (_, index) => item(index)));
    const claimed = await store.claim('meta:1', 1_200, 1_000);
    expect(claimed).toHaveLength(1_200);
    await store.retry(
      claimed.slice(0, 700).map((entry) => entry.key),
      2_000,
      'HTTP 500',
    );
    await store.ack(claimed.slice(700).map((entry) => entry.key));
    expect((await store.counts())['meta:1']).toMatchObject({ retrying: 700, inFlight: 0 });
  });

  it('refuses a file written by a newer schema', async () => {
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => open()).toThrow(ConfigError);
  });

  it('says which file it cannot open', () => {
    expect(() => sqliteQueue({ path: join(directory, 'missing-dir', 'queue.db') })).toThrow(
      /cannot open .*missing-dir/,
    );
  });

  it('requires a path', () => {
    expect(() => sqliteQueue({ path: '' })).toThrow(/path/);
  });
});

describe('loadBetterSqlite3', () => {
  it('explains how to install better-sqlite3 when it is missing', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => loadBetterSqlite3(missing)).toThrow(ConfigError);
    expect(() => loadBetterSqlite3(missing)).toThrow(/install better-sqlite3/);
  });

  it('says to rebuild when the native module does not load', () => {
    const broken = () => {
      throw new Error('was compiled against a different Node.js version');
    };
    expect(() => loadBetterSqlite3(broken)).toThrow(/npm rebuild better-sqlite3/);
    expect(CapiKitError.isInstance(captureError(() => loadBetterSqlite3(broken)))).toBe(true);
  });

  it('returns the installed constructor', () => {
    expect(loadBetterSqlite3()).toBe(BetterSqlite3);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
