/**
 * The replay guard and the rate limiter move to Redis with `redisQueue`, so relay instances behind
 * a load balancer share them: a beacon replayed to another instance is still a replay, and a
 * client's beacons count against one limit wherever they land.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta } from '../../src/destinations/meta/index';
import { createRelay, silentLogger } from '../../src/index';
import { redisQueue } from '../../src/queue/stores/redis/index';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server';

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36';

describe.runIf(redisServerAvailable('the shared replay guard test'))(
  'relay instances sharing redisQueue',
  () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    function instances(options: { rateLimit?: { max: number; windowMs: number } } = {}) {
      const keyPrefix = `guard-${randomBytes(4).toString('hex')}:`;
      return [1, 2].map(() =>
        createRelay({
          destinations: [
            meta({ pixelId: '1234567890', accessToken: 'token', baseURL: 'http://127.0.0.1:9' }),
          ],
          queue: redisQueue({ url: redis.url, keyPrefix }),
          autoDeliver: false,
          allowedOrigins: ['http://shop.test'],
          logger: silentLogger,
          ...options,
        }),
      );
    }

    function beacon(id: string): Request {
      return new Request('http://relay.test/e', {
        method: 'POST',
        headers: {
          origin: 'http://shop.test',
          'user-agent': USER_AGENT,
          'content-type': 'text/plain',
        },
        body: JSON.stringify({
          v: 1,
          events: [
            { id, name: 'Lead', time: Date.now(), page: { url: 'https://shop.example.com/' } },
          ],
        }),
      });
    }

    it('treats an event replayed to another instance as a replay', async () => {
      const [first, second] = instances();
      const event = {
        id: 'order-1',
        name: 'Purchase',
        page: { url: 'https://shop.example.com/done' },
        user: { email: 'buyer@example.com', userAgent: USER_AGENT },
        data: { value: 10, currency: 'EUR' },
      };
      expect((await first!.track(event)).status).toBe('queued');
      expect((await second!.track(event)).status).toBe('duplicate');
      expect((await second!.queueCounts()).meta?.queued).toBe(1);
      await Promise.all([first!.close(), second!.close()]);
    });

    it('counts one client’s beacons against one limit across instances', async () => {
      const [first, second] = instances({ rateLimit: { max: 3, windowMs: 60_000 } });
      const context = { remoteAddress: '203.0.113.9' };
      const statuses = [];
      for (let index = 0; index < 4; index++) {
        const relay = index % 2 === 0 ? first! : second!;
        statuses.push((await relay.handle(beacon(`lead-${index}`), context)).status);
      }
      expect(statuses).toEqual([204, 204, 204, 429]);
      await Promise.all([first!.close(), second!.close()]);
    });
  },
);
