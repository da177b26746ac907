/**
 * The outbox: beacon events that could not be sent (offline, 5xx, 429), kept in `localStorage`
 * and sent again by the next page (or when the browser comes back online). Bounded and expiring,
 * and never holding personal data: user fields are dropped before writing (not hashed, because
 * each platform hashes differently — Google strips Gmail dots and keeps `+` on phones, Meta does
 * not — so one stored hash would be wrong for some of them; the identifiers `fbp`, `fbc` and click
 * IDs stay, they carry the attribution).
 */
import type { BeaconEvent } from '@capi-kit/core';
import { withoutPersonalData } from '../consent';

/** The `localStorage` key of the outbox. */
export const OUTBOX_KEY = 'capiKit:outbox';
/** At most this many events are kept; the oldest go first. */
export const OUTBOX_MAX_EVENTS = 50;
/** Events older than this are dropped: 7 days, Meta's window for web events (platforms.md §0). */
export const OUTBOX_MAX_AGE_MS = 7 * 86_400_000;

/** Adds events to the outbox (storage errors and quota are ignored: the outbox is best effort). */
export function keep(storage: Storage | undefined, events: BeaconEvent[]): void {
  try {
    const all = takeAll(storage).concat(
      events.map((event) =>
        event.user ? { ...event, user: withoutPersonalData(event.user) } : event,
      ),
    );
    storage!.setItem(OUTBOX_KEY, JSON.stringify(all.slice(-OUTBOX_MAX_EVENTS)));
  } catch {
    // No storage, storage full or disabled (private mode): nothing more can be done for these.
  }
}

/**
 * Empties the outbox and returns its unexpired events; none when storage is missing or failing
 * (events that cannot be removed are not returned, or every page would send them again).
 */
export function takeAll(storage: Storage | undefined): BeaconEvent[] {
  try {
    const events = JSON.parse(storage!.getItem(OUTBOX_KEY) || '[]') as BeaconEvent[];
    storage!.removeItem(OUTBOX_KEY);
    return events.filter((event) => Date.now() - event.time < OUTBOX_MAX_AGE_MS);
  } catch {
    return [];
  }
}
