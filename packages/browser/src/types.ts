/**
 * The shapes shared by the tracker, the pixel adapters and the transport. A pixel adapter is a
 * small object with the same four methods for every platform, so adding a platform is copying one
 * file under `src/pixels/` and filling in the platform's own calls.
 */
import type { MatchNormalizer } from './pixels/define-pixel';
import type {
  BeaconEvent,
  Consent,
  EventData,
  PixelOutcome,
  Platform,
  UserData,
} from '@capi-kit/core';

/** One event as a pixel adapter receives it. */
export interface PixelEvent {
  /** The shared event ID: the pixel passes it under its own dedup key, the beacon carries it too. */
  id: string;
  /** The canonical name (`Purchase`); the adapter maps it with core's `platformEventName`. */
  name: string;
  /** Commerce data, canonical field names. */
  data: EventData;
}

/** A browser pixel of one ad platform. Every adapter in `src/pixels/` has this shape. */
export interface PixelAdapter {
  /** The platform this pixel reports to (the key of the beacon's `pixels` outcomes). */
  readonly platform: Platform;
  /**
   * Called once, before the first event the person consented to: installs the platform's queue
   * stub and loads its script when `load` is set, and initializes the pixel with the
   * advanced-matching data known so far (`undefined` when `adUserData` is denied).
   */
  setup(user: UserData): void;
  /**
   * Fires the event. Returns `fired`, `blocked` (global missing, script failed to load, or the call
   * threw), a promise of one of them while the pixel's script is still loading, or `undefined` when
   * this pixel does not take this event (LinkedIn without a conversion rule for it). Consent is
   * decided by the tracker before this is called.
   */
  track(event: PixelEvent): PixelOutcome | Promise<PixelOutcome> | undefined;
  /** New advanced-matching data (only called when `adUserData` is not denied). */
  identify(user: UserData): void;
  /** Forwards a consent change to platforms that have their own consent API (gtag, fbq). */
  consent(consent: Consent): void;
}

/** Where beacon events go. The default sends them to the relay; tests inject their own. */
export interface Transport {
  /** Queues one event; events queued in the same tick leave in one request. */
  send(event: BeaconEvent): void;
  /** Sends everything queued now and resolves when the requests have settled. */
  flush(): Promise<void>;
}

/** Options of `track()`. */
export interface TrackOptions {
  /** Personal data for this event only (merged over `identify()`'s data). */
  user?: UserData;
  /** Use this event ID instead of a new one (e.g. rendered by the server for an order). */
  eventId?: string;
  /** The server's signature over this event (signed events, see the relay's `sign()`). */
  signature?: string;
}

/** Options of `createTracker()`. */
export interface TrackerOptions {
  /** The relay's collect URL on your own origin, e.g. `/e` (avoid `/collect`, `/track`: ad-block lists match them). */
  endpoint: string;
  /** Pixel adapters to fire with every event (`metaPixel(…)`, `tiktokPixel(…)`…). */
  pixels?: PixelAdapter[];
  /** Initial consent (Google consent-mode keys). Absent keys are "not stated" and do not block. */
  consent?: Consent;
  /** Personal data known up front (kept in memory only). */
  user?: UserData;
  /** Replace the beacon transport (tests, custom queues). */
  transport?: Transport;
  /** Send a PageView on every SPA route change (`pushState`, `replaceState` to a new path, `popstate`). */
  autoPageViews?: boolean;
  /**
   * Normalizer for the pixels' advanced-matching data; pass `normalize` from `@capi-kit/core` so
   * pixels get exactly what the server hashes. Without it values go trimmed, as typed, and each
   * pixel normalizes them itself.
   */
  normalize?: MatchNormalizer;
}

/** The object `createTracker()` returns. */
export interface Tracker {
  /** Fires every pixel and beacons the event with one shared event ID, which it returns. */
  track(name: string, data?: EventData, options?: TrackOptions): string;
  /** A `PageView`. */
  page(data?: EventData, options?: TrackOptions): string;
  /** Remembers personal data for later events (memory only, never written to storage). */
  identify(user: UserData): void;
  /** Updates consent; pixels and beacons follow it from the next event on. */
  consent(update: Consent): void;
  /** Sends queued beacons now, including events still waiting for a pixel script to load. */
  flush(): Promise<void>;
}
