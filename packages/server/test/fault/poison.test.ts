/**
 * Fault test 5, poison event in a durable batch: one stored event that Meta refuses (a plain
 * e-mail where Meta wants a SHA-256 hash, as an item written by a buggy older version would be)
 * sits among good ones in a durable store that was closed and reopened. Meta rejects any batch
 * holding it as a whole (platforms.md §2.2), so the relay must bisect: the poison event ends as a
 * dead letter with Meta's reason, alone, and every other event is delivered exactly once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { meta } from '../../src/destinations/meta/index';
import { createRelay, silentLogger } from '../../src/index';
import type { QueueStore } from '../../src/queue/queue-store';
import { redisQueue } from '../../src/queue/stores/redis/index';
import { sqliteQueue } from '../../src/queue/stores/sqlite/index';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server';

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36';
const GOOD = 99;

const withRedis = redisServerAvailable('the Redis poison-event test');

describe('poison event in a durable batch', () => {
  let fake: FakePlatforms;
  let directory: string;
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    fake = await startFakePlatforms();
    directory = mkdtempSync(join(tmpdir(), 'capi-kit-poison-'));
    if (withRedis) redis = await startRedisServer();
  });
  afterAll(async () => {
    await fake?.close();
    await redis?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const stores: [string, () => QueueStore][] = [
    ['sqliteQueue', () => sqliteQueue({ path: join(directory, 'poison.db') })],
  ];
  if (withRedis) {
    const keyPrefix = `poison-${randomBytes(4).toString('hex')}:`;
    stores.push(['redisQueue', () => redisQueue({ url: redis!.url, keyPrefix })]);
  }

  it.each(stores)(
    '%s: bisects, rejects the poison event alone, delivers the rest',
    async (_, open) => {
      fake.reset();
      const relayOn = (queue: QueueStore) =>
        createRelay({
          destinations: [meta({ pixelId: '1234567890', accessToken: 'token', baseURL: fake.url })],
          queue,
          autoDeliver: false,
          logger: silentLogger,
        });

      // Write the good events through the relay, and the poison one straight into the store.
      const writer = open();
      const writing = relayOn(writer);
      const ids = Array.from({ length: GOOD }, (_, index) => `good-${index}`);
      for (const id of ids.slice(0, 50)) {
        await writing.track({
          id,
          name: 'Purchase',
          page: { url: 'https://shop.example.com/done' },
          user: { email: `${id}@example.com`, userAgent: USER_AGENT },
          data: { value: 10, currency: 'EUR' },
        });
      }
      const [template] = await writer.claim('meta', 1, Date.now());
      await writer.retry([template!.key], 0, 'test: put back');
      const payload = structuredClone(template!.payload) as {
        event_id: string;
        user_data: Record<string, unknown>;
      };
      payload.event_id = 'poison';
      payload.user_data.em = ['plain@example.com'];
      await writer.enqueue([{ ...template!, eventId: 'poison', payload, destinationId: 'meta' }]);
      for (const id of ids.slice(50)) {
        await writing.track({
          id,
          name: 'Purchase',
          page: { url: 'https://shop.example.com/done' },
          user: { email: `${id}@example.com`, userAgent: USER_AGENT },
          data: { value: 10, currency: 'EUR' },
        });
      }
      await writing.close();

      // A new process on the same durable store.
      const queue = open();
      const relay = relayOn(queue);
      await relay.flush();

      const delivered = fake.meta.events.map((event) => event.eventId);
      expect([...delivered].sort()).toEqual([...ids].sort());
      const letters = await queue.deadLetters();
      expect(letters.map((letter) => [letter.eventId, letter.state])).toEqual([['poison', 'dead']]);
      expect(letters[0]!.reason).toMatch(/hash/i);
      expect(await queue.counts()).toEqual({
        meta: { queued: 0, inFlight: 0, retrying: 0, dead: 1, expired: 0 },
      });
      // Bisection, not one request per event: about 2·log2(100) requests, every one rejected
      // request held the poison event.
      const requests = fake.meta.requests;
      expect(requests.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(GOOD + 1)) + 1);
      for (const request of requests.filter((r) => r.response?.status !== 200)) {
        const sent = (request.body as { data: { event_id: string }[] }).data.map((e) => e.event_id);
        expect(sent).toContain('poison');
      }
      await relay.close();
    },
    60_000,
  );
});
