/**
 * Fault test 3, instance loss: three relay processes share one Redis queue and receive beacons
 * round-robin, as behind a load balancer. Meta hangs, so each instance is stuck mid-delivery with a
 * claimed batch; one instance is killed (SIGKILL) right then. Once Meta answers again, the two
 * survivors take over the dead instance's claimed batch after `claimTimeoutMs` and deliver
 * everything, its claims included.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { buildRelayChild, type BuiltChild } from './build-child';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server';
import { eventually, startRelayProcess, type RelayProcess } from './relay-process';

const BEACONS = 300;
const EVENTS_PER_BEACON = 5;
const CLAIM_TIMEOUT_MS = 1_500;

function beacon(index: number) {
  return {
    v: 1,
    events: Array.from({ length: EVENTS_PER_BEACON }, (_, offset) => {
      const id = `lb-${index}-${offset}`;
      return {
        id,
        name: 'AddToCart',
        time: Date.now(),
        page: { url: 'https://shop.example.com/product/42' },
        user: { email: `${id}@example.com` },
        data: { value: 19.9, currency: 'EUR', contents: [{ id: 'sku-42', quantity: 1 }] },
      };
    }),
  };
}

describe.runIf(redisServerAvailable('the instance-loss fault test'))(
  'three relay instances on redisQueue, one killed mid-delivery',
  () => {
    let fake: FakePlatforms;
    let redis: RedisServer;
    let admin: Redis;
    let child: BuiltChild;
    const instances: RelayProcess[] = [];

    beforeAll(async () => {
      [fake, redis, child] = await Promise.all([
        startFakePlatforms(),
        startRedisServer(),
        buildRelayChild(),
      ]);
      admin = new Redis(redis.url);
    });
    afterAll(async () => {
      for (const instance of instances) await instance.kill();
      await admin?.quit();
      await redis?.stop();
      await fake?.close();
      child?.remove();
    });

    it('delivers everything the dead instance had claimed', async () => {
      const keyPrefix = `lb-${randomBytes(4).toString('hex')}:`;
      const stream = `${keyPrefix}{meta}:q`;
      // Meta holds every request open: each instance gets stuck on its first claimed batch.
      fake.meta.setOutage({ kind: 'timeout' });
      const names = ['relay-a', 'relay-b', 'relay-c'];
      for (const consumerName of names) {
        instances.push(
          await startRelayProcess(child.file, {
            store: {
              kind: 'redis',
              url: redis.url,
              keyPrefix,
              claimTimeoutMs: CLAIM_TIMEOUT_MS,
              consumerName,
            },
            metaBaseURL: fake.url,
            pixelId: '1234567890',
            sendTimeoutMs: 4_000,
            maxEventsPerRequest: 200,
          }),
        );
      }

      // Round-robin beacons; each is acknowledged (204) only once it is in Redis.
      const statuses = await Promise.all(
        Array.from({ length: BEACONS }, (_, index) => instances[index % 3]!.beacon(beacon(index))),
      );
      expect(statuses.filter((status) => status !== 204)).toEqual([]);

      // Kill relay-b while it holds a claimed, unanswered batch.
      const pendingOf = async (consumer: string) =>
        (await admin.call('XPENDING', stream, 'relay', '-', '+', 10_000, consumer)) as [string][];
      await eventually(
        async () => (await pendingOf('relay-b')).length > 0,
        'relay-b to claim a batch',
      );
      await instances[1]!.kill();
      const orphanIds = (await pendingOf('relay-b')).map(([id]) => id);
      const orphans: string[] = [];
      for (const id of orphanIds) {
        const [entry] = (await admin.xrange(stream, id, id)) as [string, string[]][];
        const fields = entry![1];
        orphans.push((JSON.parse(fields[fields.indexOf('d') + 1]!) as { eventId: string }).eventId);
      }
      expect(orphans.length).toBeGreaterThan(0);

      fake.meta.setOutage(undefined);
      const all = Array.from({ length: BEACONS }, (_, index) =>
        Array.from({ length: EVENTS_PER_BEACON }, (_, offset) => `lb-${index}-${offset}`),
      ).flat();
      const received = () => new Set(fake.meta.events.map((event) => event.eventId));
      await eventually(
        () => received().size >= all.length,
        'every event at Meta',
        60_000,
        async () =>
          `${received().size} of ${all.length} arrived; queue ${JSON.stringify(await instances[0]!.counts())}; ` +
          `stderr a: ${instances[0]!.stderr()} c: ${instances[2]!.stderr()}`,
      );
      expect([...received()].sort()).toEqual([...all].sort());
      expect(orphans.filter((id) => !received().has(id))).toEqual([]);
      expect(await pendingOf('relay-b')).toEqual([]);
      await eventually(async () => {
        const counts = (await instances[0]!.counts()).meta;
        return counts !== undefined && counts.queued + counts.inFlight + counts.retrying === 0;
      }, 'an empty shared queue');
      expect(await instances[0]!.stop()).toBe(0);
      expect(await instances[2]!.stop()).toBe(0);
    }, 120_000);
  },
);
