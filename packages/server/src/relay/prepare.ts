/**
 * The guard and prepare steps for one event: per destination, consent (skip where the person
 * denied sending personal data to ad platforms), then `doPrepare` (normalize + hash), then the
 * queue item with its expiry. Only the prepared, hashed payload is queued: the raw e-mail or phone
 * never reaches a store.
 */
import type { ConversionEvent, Destination, Platform, PrepareResult } from '@capi-kit/core';
import type { NewQueueItem } from '../queue/queue-store';
import { newDelivery, type LedgerDelivery } from './ledger';
import type { ConsentAction } from './relay-types';

/**
 * Platforms with no consent field of their own get nothing once `adUserData` is denied. Google's
 * APIs (GA4 `consent.ad_user_data`, Data Manager `consent.adUserData`) take the signal with the
 * event and apply it themselves, so Google gets the event and its destination maps the consent.
 */
const DEFAULT_CONSENT: Record<Platform, ConsentAction> = {
  meta: 'skip',
  google: 'forward',
  tiktok: 'skip',
  snapchat: 'skip',
  pinterest: 'skip',
  reddit: 'skip',
  linkedin: 'skip',
};

/** What one event becomes. */
export interface PreparedForQueue {
  items: NewQueueItem[];
  deliveries: Record<string, LedgerDelivery>;
}

/** Runs consent and `doPrepare` for every destination (in parallel: hashing is per destination). */
export async function prepareEvent(
  event: ConversionEvent,
  destinations: readonly Destination[],
  consentPolicy: Partial<Record<Platform, ConsentAction>>,
  now: number,
): Promise<PreparedForQueue> {
  // Consent and expiry are decided synchronously; only `doPrepare` is awaited, all destinations
  // together. Results are read in destination order so ledgers and queue items come out the same
  // way every time.
  const deliveries: Record<string, LedgerDelivery> = {};
  const pending: { destination: Destination; expiresAt: number; result: Promise<PrepareResult> }[] =
    [];
  for (const destination of destinations) {
    const id = destination.id;
    const action = consentPolicy[destination.platform] ?? DEFAULT_CONSENT[destination.platform];
    if (event.consent?.adUserData === 'denied' && action === 'skip') {
      deliveries[id] = newDelivery(
        id,
        destination.platform,
        'skipped',
        now,
        'consent: adUserData denied',
      );
      continue;
    }
    const maxAge = destination.maxEventAgeMs({
      eventName: event.name,
      eventTime: event.time,
      source: event.source,
    });
    const expiresAt = event.time + maxAge;
    if (expiresAt <= now) {
      deliveries[id] = newDelivery(
        id,
        destination.platform,
        'expired',
        now,
        `older than ${destination.platform}'s ${Math.round(maxAge / 3600_000)} h window`,
      );
      continue;
    }
    let result: Promise<PrepareResult>;
    try {
      result = Promise.resolve(destination.doPrepare(event));
    } catch (error) {
      result = Promise.reject(error);
    }
    pending.push({ destination, expiresAt, result });
  }
  const outcomes =
    pending.length === 1
      ? [await settle(pending[0]!.result)]
      : await Promise.all(pending.map((one) => settle(one.result)));
  const items: NewQueueItem[] = [];
  pending.forEach(({ destination, expiresAt }, index) => {
    const prepared = outcomes[index]!;
    const id = destination.id;
    if (prepared.kind === 'skip') {
      deliveries[id] = newDelivery(id, destination.platform, 'skipped', now, prepared.reason);
      return;
    }
    deliveries[id] = newDelivery(id, destination.platform, 'queued', now);
    items.push({
      destinationId: id,
      eventId: event.id,
      eventName: event.name,
      eventTime: event.time,
      expiresAt,
      payload: prepared.payload,
    });
  });
  // Ledger deliveries in destination order (skips decided early would otherwise come first).
  if (pending.length === 0 || pending.length === destinations.length) {
    return { items, deliveries };
  }
  const ordered: Record<string, LedgerDelivery> = {};
  for (const destination of destinations) {
    const delivery = deliveries[destination.id];
    if (delivery) ordered[destination.id] = delivery;
  }
  return { items, deliveries: ordered };
}

/** A `doPrepare` that throws or rejects counts as a skip with the error's name, never a crash. */
function settle(result: Promise<PrepareResult>): Promise<PrepareResult> {
  return result.then(undefined, (error: unknown) => ({
    kind: 'skip' as const,
    reason: `prepare failed: ${error instanceof Error ? error.name : 'unknown error'}`,
  }));
}
