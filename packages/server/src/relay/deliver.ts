/**
 * The deliver step. Per destination: claim up to a batch of due items, expire those past the
 * platform's window (never sent), send the rest, and classify the answer: delivered → ack; a
 * retryable failure → retry with backoff and jitter honoring `Retry-After`, until the budget is
 * spent; a configuration failure (bad token) → reject all, reported once; any other whole-batch
 * rejection → bisect to isolate the bad event (Meta rejects a whole request for one invalid
 * event, platforms.md §2.2); a single rejected event → dead letter with the platform's reason.
 * Destinations run independently (`Promise.allSettled`): one failing never holds up another.
 */
import {
  DestinationCallError,
  type Destination,
  type EventOutcome,
  type ExchangeRecord,
  type PreparedEvent,
} from '@capi-kit/core';
import type { QueueItem, QueueStore } from '../queue/queue-store';
import type { LedgerBook } from './ledger';
import type { Logger } from './logger';
import { retryDelayMs, type RetryPolicy } from './retry-policy';

/** What the deliverer needs from the relay. */
export interface DelivererOptions {
  queue: QueueStore;
  destinations: readonly Destination[];
  ledger: LedgerBook;
  logger: Logger;
  now: () => number;
  retry: RetryPolicy;
  lingerMs: number;
  maxEventsPerRequest: number | undefined;
  autoDeliver: boolean;
  sendTimeoutMs: number;
}

interface DestinationState {
  destination: Destination;
  batchSize: number;
  draining: Promise<void> | undefined;
  again: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  timerAt: number;
  pending: number;
  /** A configuration error was logged and nothing was delivered since: stay quiet. */
  configurationErrorReported: boolean;
  /**
   * After a whole batch failed with a retryable error (platform down, 429, network), the delivery
   * timers claim nothing more for this destination before this instant (relay clock): the next
   * batch would meet the same outage. `flush()` is not held back. Without it every pass re-sent every due batch (thousands of doomed requests
   * and megabytes of request bodies per pass during a long outage) and burned the retry budget of
   * events that were never the problem.
   */
  pausedUntil: number;
  /** Whole-batch retryable failures since the last delivery: sets the length of the pause. */
  failuresInARow: number;
  /** A `flush()` asked for a pass that goes on until nothing due is left. */
  untilEmpty: boolean;
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * How many events one `doSend` takes: the destination's optional `maxEventsPerSend` (a destination
 * that splits a batch into several requests itself, such as GA4 with one browser per request,
 * fills its requests better from a larger claim), else `maxEventsPerRequest`.
 */
function maxEventsPerSend(destination: Destination): number {
  const perSend = destination.maxEventsPerSend;
  return typeof perSend === 'number' && perSend >= destination.maxEventsPerRequest
    ? perSend
    : destination.maxEventsPerRequest;
}

/** Runs deliveries for every destination of one relay. */
export class Deliverer {
  private readonly states: DestinationState[];
  private readonly stop = new AbortController();
  private closed = false;

  constructor(private readonly options: DelivererOptions) {
    this.states = options.destinations.map((destination) => ({
      destination,
      batchSize: Math.max(
        1,
        Math.min(maxEventsPerSend(destination), options.maxEventsPerRequest ?? Infinity),
      ),
      draining: undefined,
      again: false,
      timer: undefined,
      timerAt: Infinity,
      pending: 0,
      configurationErrorReported: false,
      pausedUntil: Number.NEGATIVE_INFINITY,
      untilEmpty: false,
      failuresInARow: 0,
    }));
    // A store that survived a restart (SQLite, Redis) may already hold a backlog: look once at
    // start, and each pass then schedules the next from the store's due times.
    if (options.autoDeliver) for (const state of this.states) this.schedule(state, 0);
  }

  /** New items were queued: send at once when a batch is full, else after the linger time. */
  enqueued(counts: Map<string, number>): void {
    if (!this.options.autoDeliver || this.closed) return;
    for (const state of this.states) {
      const count = counts.get(state.destination.id);
      if (!count) continue;
      state.pending += count;
      if (state.pending >= state.batchSize) this.schedule(state, 0);
      else this.schedule(state, this.options.lingerMs);
    }
  }

  /** Delivers everything due now, for every destination. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.states.map((state) => this.drain(state, true)));
  }

  /** Stops the timers and waits for in-flight sends; `flush` still works afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const state of this.states) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
    }
    await Promise.allSettled(this.states.map((state) => state.draining));
  }

  /** Aborts in-flight sends (they are retried later, being still in the queue). */
  abort(): void {
    this.stop.abort();
  }

  private schedule(state: DestinationState, delayMs: number): void {
    if (this.closed) return;
    const delay = Math.min(Math.max(0, delayMs), MAX_TIMER_MS);
    const at = Date.now() + delay;
    if (state.timer && state.timerAt <= at) return;
    if (state.timer) clearTimeout(state.timer);
    state.timerAt = at;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.timerAt = Infinity;
      void this.drain(state);
    }, delay);
    // Never keep a process alive just for a retry timer; `close()` flushes what is due.
    (state.timer as { unref?: () => void }).unref?.();
  }

  /**
   * One delivery pass. A timer's pass stops after a part-filled batch: what is due after it
   * arrived while that batch was being sent, and waits for its linger (or a full batch) like any
   * new event, instead of going out a handful per request under steady load. `flush()` (and a
   * flush asked for during a pass) goes on until nothing due is left.
   */
  private drain(state: DestinationState, untilEmpty = false): Promise<void> {
    if (untilEmpty) state.untilEmpty = true;
    if (state.draining) {
      state.again = true;
      return state.draining;
    }
    state.draining = (async () => {
      let claimedAny = false;
      try {
        do {
          state.again = false;
          state.pending = 0;
          const untilEmptyNow = state.untilEmpty;
          state.untilEmpty = false;
          claimedAny = (await this.drainOnce(state, untilEmptyNow)) || claimedAny;
        } while (state.again);
      } catch (error) {
        this.options.logger.error('delivery loop failed', {
          destinationId: state.destination.id,
          error: error instanceof Error ? error.message : 'unknown',
        });
      } finally {
        state.draining = undefined;
      }
      if (this.options.autoDeliver && !this.closed) await this.scheduleNext(state, claimedAny);
    })();
    return state.draining;
  }

  private async scheduleNext(state: DestinationState, claimedAny: boolean): Promise<void> {
    try {
      const due = await this.options.queue.nextDueAt(state.destination.id);
      if (due === undefined) return;
      const next = Math.max(due, state.pausedUntil);
      const delay = next - this.options.now();
      // A pass ends when nothing due is left, so what is due now arrived while it was sending:
      // like any new event it waits for the linger (or for a full batch, which `enqueued` sends
      // at once). Going again at once sent a request per handful of events under steady load
      // (bench: ~27 events per request). If this pass found nothing to claim, what is "due" is
      // held elsewhere (another process's lease): wait a linger too instead of spinning.
      const full = claimedAny && state.pending >= state.batchSize;
      this.schedule(state, full ? delay : Math.max(delay, this.options.lingerMs));
    } catch {
      this.schedule(state, this.options.lingerMs);
    }
  }

  /** Claims and sends until nothing is due. Returns whether anything was claimed. */
  private async drainOnce(state: DestinationState, untilEmpty: boolean): Promise<boolean> {
    const { queue, ledger, now } = this.options;
    const id = state.destination.id;
    let claimedAny = false;
    for (;;) {
      const at = now();
      if (!untilEmpty && at < state.pausedUntil) return claimedAny;
      const items = await queue.claim(id, state.batchSize, at);
      if (items.length === 0) return claimedAny;
      claimedAny = true;
      const expired = items.filter((item) => item.expiresAt <= at);
      if (expired.length > 0) {
        const reason = `older than ${state.destination.platform}'s window: expired, not sent`;
        await queue.settle(
          expired.map((item) => item.key),
          'expired',
          reason,
          at,
        );
        for (const item of expired) ledger.update(item.eventId, id, 'expired', at, { reason });
        this.options.logger.warn('events expired before delivery', {
          destinationId: id,
          count: expired.length,
        });
      }
      const live = items.filter((item) => item.expiresAt > at);
      if (live.length > 0) await this.send(state, live);
      if (!untilEmpty && (items.length < state.batchSize || at < state.pausedUntil)) {
        return claimedAny;
      }
    }
  }

  private async send(state: DestinationState, items: QueueItem[]): Promise<void> {
    const { queue, ledger, logger, now } = this.options;
    const destination = state.destination;
    const id = destination.id;
    const sentAt = now();
    for (const item of items) {
      ledger.update(item.eventId, id, 'sent', sentAt, { attempts: item.attempts + 1 });
    }
    const batch: PreparedEvent[] = items.map((item) => ({
      eventId: item.eventId,
      eventName: item.eventName,
      eventTime: item.eventTime,
      payload: item.payload,
    }));
    let outcomes: EventOutcome[];
    let exchange: ExchangeRecord | undefined;
    try {
      const signal = AbortSignal.any([
        this.stop.signal,
        AbortSignal.timeout(this.options.sendTimeoutMs),
      ]);
      const result = await destination.doSend(batch, { signal });
      outcomes = result.outcomes;
      exchange = result.exchange;
    } catch (error) {
      await this.handleFailure(state, items, error);
      return;
    }

    const delivered: QueueItem[] = [];
    const retrying = new Map<number | undefined, { items: QueueItem[]; reason: string }>();
    const rejected: { item: QueueItem; reason: string }[] = [];
    items.forEach((item, index) => {
      const outcome = outcomes[index] ?? {
        status: 'retry' as const,
        reason: 'the destination gave no outcome for this event',
      };
      if (outcome.status === 'delivered') delivered.push(item);
      else if (outcome.status === 'retry') {
        const group = retrying.get(outcome.retryAfterMs) ?? { items: [], reason: outcome.reason };
        group.items.push(item);
        retrying.set(outcome.retryAfterMs, group);
      } else {
        const code = outcome.code !== undefined ? ` (code ${outcome.code})` : '';
        rejected.push({ item, reason: `${outcome.reason}${code}` });
      }
    });
    const at = now();
    if (delivered.length > 0) {
      state.configurationErrorReported = false;
      state.pausedUntil = Number.NEGATIVE_INFINITY;
      state.failuresInARow = 0;
      await queue.ack(delivered.map((item) => item.key));
      for (const item of delivered) {
        ledger.update(item.eventId, id, 'delivered', at, {
          exchange: exchangeFor(exchange, item),
        });
      }
      logger.debug('delivered', { destinationId: id, count: delivered.length });
    }
    for (const [retryAfterMs, group] of retrying) {
      await this.retryItems(state, group.items, group.reason, retryAfterMs, exchange);
    }
    for (const { item, reason } of rejected) {
      await queue.settle([item.key], 'dead', reason, at);
      ledger.update(item.eventId, id, 'rejected', at, {
        reason,
        exchange: exchangeFor(exchange, item),
      });
    }
    if (rejected.length > 0) {
      logger.warn('events rejected by the platform', {
        destinationId: id,
        count: rejected.length,
        eventIds: rejected.slice(0, 5).map(({ item }) => item.eventId),
        reason: rejected[0]!.reason,
      });
    }
  }

  /**
   * Pauses a destination after a whole-batch retryable failure. The pause grows with failures in
   * a row, not with the failed batch's own attempts: during an outage probes get rarer, while one
   * batch that keeps failing on its own (its items back off individually) holds the others for
   * at most one short pause each time, since the next batch that goes through resets the count.
   * Never past the failed batch's own retry time. Only the delivery timers honor the pause:
   * `flush()` keeps its contract of sending everything due.
   */
  private pause(
    state: DestinationState,
    retryAfterMs: number | undefined,
    availableAt: number | undefined,
  ): void {
    state.failuresInARow++;
    const until =
      this.options.now() + retryDelayMs(this.options.retry, state.failuresInARow, retryAfterMs);
    state.pausedUntil = Math.min(until, availableAt ?? until);
  }

  private async handleFailure(
    state: DestinationState,
    items: QueueItem[],
    error: unknown,
  ): Promise<void> {
    const { queue, ledger, logger, now } = this.options;
    const id = state.destination.id;
    const exchange = (error as { exchange?: ExchangeRecord } | undefined)?.exchange;
    if (!isDestinationCallError(error)) {
      // A bug in a destination, not a platform answer: keep the events and try again later.
      logger.error('destination threw an unexpected error; events will be retried', {
        destinationId: id,
        error: error instanceof Error ? error.name : 'unknown',
      });
      const availableAt = await this.retryItems(
        state,
        items,
        'unexpected destination error',
        undefined,
        exchange,
      );
      this.pause(state, undefined, availableAt);
      return;
    }
    if (error.isConfigurationError) {
      const at = now();
      const reason = error.message;
      await queue.settle(
        items.map((item) => item.key),
        'dead',
        reason,
        at,
      );
      for (const item of items) {
        ledger.update(item.eventId, id, 'rejected', at, {
          reason,
          exchange: exchangeFor(exchange, item),
        });
      }
      // Loud once, not per event: a bad token fails every batch until someone fixes the setup.
      if (!state.configurationErrorReported) {
        state.configurationErrorReported = true;
        logger.error(`destination ${id} is misconfigured; its events are rejected until fixed`, {
          destinationId: id,
          platformCode: error.platformCode,
          traceId: error.traceId,
          reason,
        });
      }
      return;
    }
    if (error.isRetryable) {
      const availableAt = await this.retryItems(
        state,
        items,
        error.message,
        error.retryAfterMs,
        exchange,
      );
      // The platform is down or asked us to slow down: hold this destination's other batches
      // (Retry-After, or a backoff) instead of sending them into it now.
      this.pause(state, error.retryAfterMs, availableAt);
      return;
    }
    if (items.length > 1) {
      const middle = Math.ceil(items.length / 2);
      logger.debug('batch rejected as a whole; bisecting', {
        destinationId: id,
        count: items.length,
      });
      await this.send(state, items.slice(0, middle));
      await this.send(state, items.slice(middle));
      return;
    }
    const at = now();
    const item = items[0]!;
    await queue.settle([item.key], 'dead', error.message, at);
    ledger.update(item.eventId, id, 'rejected', at, {
      reason: error.message,
      exchange: exchangeFor(exchange, item),
    });
    logger.warn('event rejected by the platform', {
      destinationId: id,
      eventId: item.eventId,
      platformCode: error.platformCode,
      traceId: error.traceId,
    });
  }

  private async retryItems(
    state: DestinationState,
    items: QueueItem[],
    reason: string,
    retryAfterMs: number | undefined,
    exchange: ExchangeRecord | undefined,
  ): Promise<number | undefined> {
    const { queue, ledger, logger, now, retry } = this.options;
    const id = state.destination.id;
    const at = now();
    const spent = items.filter((item) => item.attempts + 1 >= retry.maxAttempts);
    const again = items.filter((item) => item.attempts + 1 < retry.maxAttempts);
    if (spent.length > 0) {
      const deadReason = `gave up after ${retry.maxAttempts} attempts: ${reason}`;
      await queue.settle(
        spent.map((item) => item.key),
        'dead',
        deadReason,
        at,
      );
      for (const item of spent) {
        ledger.update(item.eventId, id, 'rejected', at, {
          reason: deadReason,
          exchange: exchangeFor(exchange, item),
        });
      }
      logger.warn('events dead-lettered after the retry budget', {
        destinationId: id,
        count: spent.length,
      });
    }
    if (again.length === 0) return undefined;
    const attempt = Math.max(...again.map((item) => item.attempts + 1));
    const availableAt = at + retryDelayMs(retry, attempt, retryAfterMs);
    await queue.retry(
      again.map((item) => item.key),
      availableAt,
      reason,
    );
    const nextAt = new Date(availableAt).toISOString();
    for (const item of again) {
      // Only events still in the ledger's ring get a reason string and an exchange record.
      if (!ledger.has(item.eventId)) continue;
      ledger.update(item.eventId, id, 'retrying', at, {
        reason: `attempt ${item.attempts + 1} failed: ${reason}; next at ${nextAt}`,
        exchange: exchangeFor(exchange, item),
      });
    }
    logger.warn('send failed; will retry', {
      destinationId: id,
      count: again.length,
      attempt,
      reason,
      retryInMs: availableAt - at,
    });
    return availableAt;
  }
}

function isDestinationCallError(error: unknown): error is DestinationCallError {
  return (
    error instanceof DestinationCallError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'DestinationCallError' &&
      typeof (error as { isRetryable?: unknown }).isRetryable === 'boolean')
  );
}

/** The exchange as it concerns one event: its own payload instead of the whole batch. */
function exchangeFor(
  exchange: ExchangeRecord | undefined,
  item: QueueItem,
): ExchangeRecord | undefined {
  if (!exchange) return undefined;
  return { ...exchange, requestBody: item.payload };
}
