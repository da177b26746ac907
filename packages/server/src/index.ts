/**
 * `@capi-kit/server`: the relay that receives beacons from `@capi-kit/browser`, enriches, guards,
 * normalizes and hashes them, queues them and delivers them to ad-platform Conversion APIs, plus
 * the pieces destination and queue-store authors build on (`postJson`, `parseRetryAfter`,
 * `classifyHttpStatus`, the `QueueStore` contract).
 */
export { createRelay } from './relay/create-relay';
export type {
  ConsentAction,
  Relay,
  RelayOptions,
  ServerEventInput,
  TrackResult,
} from './relay/relay-types';
export type { DeliveryState, Ledger, LedgerDelivery, LedgerEntry } from './relay/ledger';
export { consoleLogger, silentLogger, type Logger } from './relay/logger';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './relay/retry-policy';
export type { TrustProxy } from './relay/client-ip';
export type { OriginRule } from './relay/accept';
export type { CookieOptions } from './relay/cookies';
export type { SignedEventClaims } from './relay/signing';
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
