/**
 * The guard and prepare steps for one event: per destination, consent (skip where the person
 * denied sending personal data to ad platforms), then `doPrepare` (normalize + hash), then the
 * queue item with its expiry. Only the prepared, hashed payload is queued: the raw e-mail or phone
 * never reaches a store.
 */
import type { ConversionEvent, Destination, Platform } from '@capi-kit/core';
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
  // One slot per destination, filled in parallel, read in destination order so ledgers and
  // queue items come out the same way every time.
  const slots: { delivery?: LedgerDelivery; item?: NewQueueItem }[] = destinations.map(() => ({}));
  await Promise.all(
    destinations.map(async (destination, index) => {
      const slot = slots[index]!;
      const id = destination.id;
      const action = consentPolicy[destination.platform] ?? DEFAULT_CONSENT[destination.platform];
      if (event.consent?.adUserData === 'denied' && action === 'skip') {
        slot.delivery = newDelivery(
          id,
          destination.platform,
          'skipped',
          now,
          'consent: adUserData denied',
        );
        return;
      }
      const maxAge = destination.maxEventAgeMs({
        eventName: event.name,
        eventTime: event.time,
        source: event.source,
      });
      const expiresAt = event.time + maxAge;
      if (expiresAt <= now) {
        slot.delivery = newDelivery(
          id,
          destination.platform,
          'expired',
          now,
          `older than ${destination.platform}'s ${Math.round(maxAge / 3600_000)} h window`,
        );
        return;
      }
      let prepared;
      try {
        prepared = await destination.doPrepare(event);
      } catch (error) {
        prepared = {
          kind: 'skip' as const,
          reason: `prepare failed: ${error instanceof Error ? error.name : 'unknown error'}`,
        };
      }
      if (prepared.kind === 'skip') {
        slot.delivery = newDelivery(id, destination.platform, 'skipped', now, prepared.reason);
        return;
      }
      slot.delivery = newDelivery(id, destination.platform, 'queued', now);
      slot.item = {
        destinationId: id,
        eventId: event.id,
        eventName: event.name,
        eventTime: event.time,
        expiresAt,
        payload: prepared.payload,
      };
    }),
  );
  const items: NewQueueItem[] = [];
  const deliveries: Record<string, LedgerDelivery> = {};
  destinations.forEach((destination, index) => {
    const slot = slots[index]!;
    if (slot.delivery) deliveries[destination.id] = slot.delivery;
    if (slot.item) items.push(slot.item);
  });
  return { items, deliveries };
}
