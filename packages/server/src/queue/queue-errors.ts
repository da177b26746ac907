/**
 * The error a queue store throws when it refuses an enqueue, so the relay can answer 503 with a
 * reason instead of acknowledging an event it did not store.
 */
import { CapiKitError } from '@capi-kit/core';

/** Why the store refused: it is at capacity, or it was closed. */
export type QueueRejectionReason = 'full' | 'closed';

/** Thrown by `QueueStore.enqueue` when it stores nothing. */
export class QueueRejectedError extends CapiKitError {
  override name = 'QueueRejectedError';
  readonly reason: QueueRejectionReason;
  constructor(reason: QueueRejectionReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
