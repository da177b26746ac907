/**
 * Fault test 4, Redis restart between enqueue and delivery: with AOF persistence on, Redis is
 * killed (SIGKILL) and started again while the queue holds waiting events, retrying events and
 * events claimed by an instance that then vanished. The relay's connection reconnects by itself,
 * and every event is delivered afterwards: nothing lost.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { meta } from '../../src/destinations/meta/index';
import { createRelay, silentLogger } from '../../src/index';
import { redisQueue } from '../../src/queue/stores/redis/index';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server';
import { eventually } from './relay-process';

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36';

function purchase(id: string) {
  return {
    id,
    name: 'Purchase',
    page: { url: 'https://shop.example.com/done' },
    user: { email: `${id}@example.com`, userAgent: USER_AGENT },
    data: { value: 10, currency: 'EUR' },
  };
}

describe.runIf(redisServerAvailable('the Redis restart fault test'))(
  'redisQueue across a Redis restart',
  () => {
    let fake: FakePlatforms;
    let redis: RedisServer;

    beforeAll(async () => {
      [fake, redis] = await Promise.all([
        startFakePlatforms(),
        startRedisServer({ appendOnly: true }),
      ]);
    });
    afterAll(async () => {
      await fake?.close();
      await redis?.stop();
    });

    it('loses nothing that was enqueued, retrying or claimed when Redis restarts', async () => {
      const keyPrefix = `restart-${randomBytes(4).toString('hex')}:`;
      let offset = 0;
      const now = () => Date.now() + offset;
      const queue = redisQueue({ url: redis.url, keyPrefix, claimTimeoutMs: 300 });
      const relay = createRelay({
        destinations: [meta({ pixelId: '1234567890', accessToken: 'token', baseURL: fake.url })],
        queue,
        autoDeliver: false,
        now,
        logger: silentLogger,
      });

      // 300 events fail during an outage and wait in the retry set…
      fake.meta.setOutage({ kind: 'status', status: 503 });
      const retrying = Array.from({ length: 300 }, (_, index) => `retrying-${index}`);
      await Promise.all(retrying.map((id) => relay.track(purchase(id))));
      await relay.flush();
      // …200 are claimed by an instance that then disappears…
      const claimed = Array.from({ length: 200 }, (_, index) => `claimed-${index}`);
      await Promise.all(claimed.map((id) => relay.track(purchase(id))));
      const ghost = redisQueue({ url: redis.url, keyPrefix, consumerName: 'ghost' });
      expect(await ghost.claim('meta', 1000, now())).toHaveLength(200);
      await ghost.close();
      // …and 500 wait to be read.
      const waiting = Array.from({ length: 500 }, (_, index) => `waiting-${index}`);
      await Promise.all(waiting.map((id) => relay.track(purchase(id))));
      const before = await queue.counts();
      expect(before.meta).toEqual({
        queued: 500,
        inFlight: 200,
        retrying: 300,
        dead: 0,
        expired: 0,
      });

      await redis.kill();
      await redis.start();

      expect(await queue.counts()).toEqual(before);
      fake.meta.setOutage(undefined);
      offset = 24 * 3600_000; // every retry time has come
      const all = [...retrying, ...claimed, ...waiting];
      await eventually(async () => {
        await relay.flush();
        return new Set(fake.meta.events.map((event) => event.eventId)).size >= all.length;
      }, 'every event at Meta after the restart');
      expect([...new Set(fake.meta.events.map((event) => event.eventId))].sort()).toEqual(
        all.sort(),
      );
      expect(fake.meta.events).toHaveLength(all.length);
      expect((await queue.counts()).meta).toEqual({
        queued: 0,
        inFlight: 0,
        retrying: 0,
        dead: 0,
        expired: 0,
      });
      await relay.close();
    }, 90_000);
  },
);
