/**
 * The ledger: for every event and destination, where it stands (queued, sent, delivered, retrying,
 * rejected, expired, skipped) with timestamps. A bounded ring in memory (oldest events forgotten
 * first) that the inspector, metrics and tests read, and that feeds `onEvent`.
 */
import type { ExchangeRecord, PixelOutcome, Platform } from '@capi-kit/core';

/** Where one event stands with one destination. */
export type DeliveryState =
  'queued' | 'sent' | 'delivered' | 'retrying' | 'rejected' | 'expired' | 'skipped';

/** One event × one destination. */
export interface LedgerDelivery {
  destinationId: string;
  platform: Platform;
  state: DeliveryState;
  /** Sends attempted so far. */
  attempts: number;
  /** Why it was skipped, rejected, expired or is being retried. */
  reason?: string;
  updatedAt: number;
  /** Every state it went through, oldest first (bounded). */
  history: { state: DeliveryState; at: number; reason?: string }[];
  /** The last HTTP exchange: URL without credentials, this event's part of the request, the answer. */
  exchange?: ExchangeRecord;
}

/** One event. */
export interface LedgerEntry {
  eventId: string;
  eventName: string;
  origin: 'browser' | 'server';
  receivedAt: number;
  eventTime: number;
  pageUrl?: string;
  /** What the browser pixels did, as the beacon reported it. */
  pixels?: Partial<Record<Platform, PixelOutcome>>;
  deliveries: Record<string, LedgerDelivery>;
}

/** Read access to the ledger. */
export interface Ledger {
  /** The newest entries first. */
  list(options?: { limit?: number }): LedgerEntry[];
  get(eventId: string): LedgerEntry | undefined;
  /** Calls `listener` on every change of an entry; returns the unsubscribe function. */
  subscribe(listener: (entry: LedgerEntry) => void): () => void;
}

const MAX_HISTORY = 50;

/** The relay's writable ledger. */
export class LedgerBook implements Ledger {
  private readonly entries = new Map<string, LedgerEntry>();
  /** Past the last entry the ring dropped (see `add`). */
  private oldest: Iterator<string> | undefined;
  private readonly listeners = new Set<(entry: LedgerEntry) => void>();

  constructor(
    private readonly capacity: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  list(options: { limit?: number } = {}): LedgerEntry[] {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const all = [...this.entries.values()];
    const result: LedgerEntry[] = [];
    for (let i = all.length - 1; i >= 0 && result.length < limit; i--) result.push(all[i]!);
    return result;
  }

  get(eventId: string): LedgerEntry | undefined {
    return this.entries.get(eventId);
  }

  /** Whether the ring still holds the event (callers skip building details for forgotten ones). */
  has(eventId: string): boolean {
    return this.entries.has(eventId);
  }

  subscribe(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds (or replaces) an entry and notifies. */
  add(entry: LedgerEntry): void {
    this.entries.delete(entry.eventId);
    this.entries.set(entry.eventId, entry);
    // One live iterator across calls: a fresh `keys()` would walk every slot the ring freed (a
    // Map keeps them until it rehashes) before it reached the oldest entry.
    while (this.entries.size > this.capacity) {
      let next = this.oldest?.next();
      if (next === undefined || next.done === true) {
        this.oldest = this.entries.keys();
        next = this.oldest.next();
      }
      this.entries.delete(next.value as string);
    }
    this.notify(entry);
  }

  /** Moves one delivery to a new state. Unknown events (forgotten by the ring) are ignored. */
  update(
    eventId: string,
    destinationId: string,
    state: DeliveryState,
    at: number,
    details: { reason?: string; attempts?: number; exchange?: ExchangeRecord } = {},
  ): void {
    const entry = this.entries.get(eventId);
    const delivery = entry?.deliveries[destinationId];
    if (!entry || !delivery) return;
    delivery.state = state;
    delivery.updatedAt = at;
    if (details.reason !== undefined) delivery.reason = details.reason;
    else if (state === 'delivered' || state === 'sent') delete delivery.reason;
    if (details.attempts !== undefined) delivery.attempts = details.attempts;
    if (details.exchange) delivery.exchange = details.exchange;
    delivery.history.push(
      details.reason === undefined ? { state, at } : { state, at, reason: details.reason },
    );
    if (delivery.history.length > MAX_HISTORY) delivery.history.splice(1, 1);
    this.notify(entry);
  }

  private notify(entry: LedgerEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/** A delivery in its first state. */
export function newDelivery(
  destinationId: string,
  platform: Platform,
  state: DeliveryState,
  at: number,
  reason?: string,
): LedgerDelivery {
  const delivery: LedgerDelivery = {
    destinationId,
    platform,
    state,
    attempts: 0,
    updatedAt: at,
    history: [reason === undefined ? { state, at } : { state, at, reason }],
  };
  if (reason !== undefined) delivery.reason = reason;
  return delivery;
}
