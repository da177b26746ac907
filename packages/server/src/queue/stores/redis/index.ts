/**
 * `@capi-kit/server/redis`: the queue store for several relay instances behind a load balancer.
 * Redis Streams with a consumer group hold the events; the replay guard and the rate limiter move
 * to Redis as well, so every instance shares them. Needs the optional peer dependency `ioredis`.
 */
export {
  loadIoredis,
  redisQueue,
  type RedisQueueOptions,
  type RedisQueueStore,
} from './redis-queue';
export { redisSharedState, type RedisSharedStateOptions } from './redis-shared-state';
