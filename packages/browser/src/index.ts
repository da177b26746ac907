/**
 * `@capi-kit/browser`: fire the ad pixels and beacon the same event ID to your own server, which
 * relays it to the platforms' Conversion APIs. Pixel adapters are subpath exports
 * (`@capi-kit/browser/meta`, `/google`, `/tiktok`, `/snapchat`, `/pinterest`, `/reddit`,
 * `/linkedin`), so a page bundles only the pixels it uses.
 */
export { createTracker } from './tracker';
export {
  createBeaconTransport,
  MAX_REQUEST_BYTES,
  packBodies,
  type BeaconTransportOptions,
} from './transport/beacon-transport';
export { OUTBOX_KEY, OUTBOX_MAX_AGE_MS, OUTBOX_MAX_EVENTS } from './transport/outbox';
export { firstPartyIds } from './identifiers';
export type { MatchNormalizer } from './pixels/define-pixel';
export type {
  PixelAdapter,
  PixelEvent,
  TrackOptions,
  Tracker,
  TrackerOptions,
  Transport,
} from './types';
