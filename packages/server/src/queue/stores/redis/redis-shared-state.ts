/**
 * The replay guard and the collect rate limiter in Redis, so that every relay instance behind a
 * load balancer sees the same `(name, id)` replays and the same per-client counts.
 */
import type { Redis } from 'ioredis';
import type { SharedStateStore } from '../../queue-store';

/** Settings of `redisSharedState`. */
export interface RedisSharedStateOptions {
  /** The ioredis client; not closed by this store. */
  client: Redis;
  /** Prefix of the keys ['capi-kit:']. */
  keyPrefix?: string;
}

function milliseconds(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be positive`);
  return Math.max(1, Math.ceil(value));
}

/**
 * Creates a `SharedStateStore` in Redis. `redisQueue` creates one on its own client as
 * `queue.sharedState`; use this directly to share state while keeping another queue store.
 *
 * @example
 * const relay = createRelay({ destinations, sharedState: redisSharedState({ client }) });
 */
export function redisSharedState(options: RedisSharedStateOptions): SharedStateStore {
  const { client } = options;
  const prefix = options.keyPrefix ?? 'capi-kit:';
  return {
    async seen(key: string, ttlMs: number): Promise<boolean> {
      // SET NX is the whole check-and-record in one atomic step: of two instances receiving the
      // same replay at once, exactly one gets OK. PX lets Redis forget it after the 48 h window.
      const recorded = await client.set(
        `${prefix}seen:${key}`,
        '1',
        'PX',
        milliseconds(ttlMs, 'ttlMs'),
        'NX',
      );
      return recorded === null;
    },
    async hit(key: string, windowMs: number): Promise<number> {
      // Fixed window: the first hit starts it. INCR and PEXPIRE … NX (Redis 7) run in one MULTI,
      // so a crash between them cannot leave a counter that never expires, and later hits do not
      // push the window's end back.
      const redisKey = `${prefix}rate:${key}`;
      const results = await client
        .multi()
        .incr(redisKey)
        .call('PEXPIRE', redisKey, milliseconds(windowMs, 'windowMs'), 'NX')
        .exec();
      const [error, count] = results?.[0] ?? [new Error('Redis discarded the transaction')];
      if (error) throw error;
      return Number(count);
    },
    async forget(key: string): Promise<void> {
      await client.del(`${prefix}seen:${key}`);
    },
  };
}
