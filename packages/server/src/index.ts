/**
 * `@capi-kit/server`: the relay that receives beacons from `@capi-kit/browser`, enriches, guards,
 * normalizes and hashes them, queues them and delivers them to ad-platform Conversion APIs, plus
 * the pieces destination and queue-store authors build on (`postJson`, `parseRetryAfter`,
 * `classifyHttpStatus`, the `QueueStore` contract).
 */
export {
  classifyHttpStatus,
  DEFAULT_TIMEOUT_MS,
  parseRetryAfter,
  postJson,
  redactUrl,
  type HttpStatusClass,
  type JsonResponse,
  type PostJsonOptions,
} from './http/index';
export {
  memoryQueue,
  memorySharedState,
  type MemoryQueueOptions,
  type MemorySharedStateOptions,
} from './queue/memory-queue';
export { QueueRejectedError, type QueueRejectionReason } from './queue/queue-errors';
export type {
  DeadLetter,
  NewQueueItem,
  QueueCounts,
  QueueItem,
  QueueStore,
  SharedStateStore,
} from './queue/queue-store';
