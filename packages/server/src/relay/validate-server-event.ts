/**
 * Validation of `relay.track()` input with the same rules as beacons (core's `validateEvent` with
 * `origin: 'server'`: any event source, IP and user agent kept, older events allowed), after
 * filling what a server event may leave out: the ID, the time and the source.
 */
import {
  InvalidEventError,
  generateEventId,
  validateEvent,
  type ConversionEvent,
} from '@capi-kit/core';
import type { ServerEventInput } from './relay-types';

/** A validated canonical event, or throws `InvalidEventError` listing every issue. */
export function validateServerEvent(input: ServerEventInput, now: number): ConversionEvent {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidEventError([{ path: 'event', message: 'must be an object' }]);
  }
  // Meta requires a page URL and a user agent for website events; without them a server event is
  // better reported as system-generated than skipped.
  const source = input.source ?? (input.page?.url && input.user?.userAgent ? 'web' : 'system');
  const result = validateEvent(
    { ...input, id: input.id ?? generateEventId(), time: input.time ?? now, source },
    { origin: 'server', now },
  );
  if (!result.ok) throw new InvalidEventError(result.errors);
  return result.event;
}
