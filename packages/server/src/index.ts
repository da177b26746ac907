export type {
  DeadLetter,
  NewQueueItem,
  QueueCounts,
  QueueItem,
  QueueStore,
  SharedStateStore,
} from './queue/queue-store';
