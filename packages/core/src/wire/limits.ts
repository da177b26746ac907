/**
 * Limits of the beacon wire format v1. They bound what one untrusted beacon can make the relay do
 * (parse, hash, store, send) and keep every accepted event inside what all platforms accept.
 */

/** The beacon wire format version this core reads and writes. */
export const WIRE_VERSION = 1;

/**
 * Events in one beacon (`COLLECT_LIMITS.maxEventsPerBeacon`), as its own constant so the browser
 * bundle takes this number without the whole limits table.
 */
export const MAX_EVENTS_PER_BEACON = 50;

/**
 * Limits `parseCollectPayload` and `validateEvent` enforce. Durations are written as literals: esbuild
 * cannot prove `7 * 24 * 60 * 60 * 1000` (printed `…*1e3` in our dist) free of side effects, and
 * then keeps this whole table in every browser bundle built from the published package.
 */
export const COLLECT_LIMITS = /* @__PURE__ */ Object.freeze({
  /** Events in one beacon. A keepalive `fetch`/`sendBeacon` body is capped at 64 KB anyway. */
  maxEventsPerBeacon: MAX_EVENTS_PER_BEACON,
  /** Characters in any string not limited more tightly below (names of products, titles…). */
  maxStringLength: 1000,
  /** Characters in `page.url` and `page.referrer` (GA's own `page_location` limit is 1,000; URLs with click IDs run longer). */
  maxUrlLength: 2048,
  /** Characters in the event ID (`eventID`/`event_id` of every platform). */
  maxIdLength: 100,
  /** Characters in the event name. */
  maxNameLength: 100,
  /** Characters in one personal-data value (e-mail, phone, name…). */
  maxUserValueLength: 256,
  /** Values per personal-data field (`email: [...]`). */
  maxValuesPerUserField: 5,
  /** Lines in `data.contents` and IDs in `data.contentIds`. */
  maxContents: 100,
  /** Nesting depth of one event object (`event` = 1, `event.data.contents[0]` = 4). */
  maxDepth: 6,
  /** Custom scalar fields in `data` (GA4 takes ≤ 25 params per event). */
  maxCustomFields: 25,
  /** Characters in a custom field's name (GA4 param names: ≤ 40). */
  maxCustomNameLength: 40,
  /** Characters in `signature`. */
  maxSignatureLength: 2048,
  /** How old a browser event may be: Meta refuses events older than 7 days (platforms.md §2.3). */
  maxPastMs: 604_800_000, // 7 × 24 × 3 600 000
  /** How far in the future an event may be, after clock-skew correction (Reddit: 5 min, §8.1). */
  maxFutureMs: 300_000, // 5 × 60 000
  /** How old a server-side event (`relay.track`) may be: LinkedIn's 90 days, the longest window (§9.1). */
  maxServerPastMs: 7_776_000_000, // 90 × 24 × 3 600 000
  /** Browser clock error beyond which event times are shifted onto the server's clock via `sentAt`. */
  clockSkewToleranceMs: 60_000,
  /** Issues reported for one payload; beyond this the list ends with a `too_many_issues` entry. */
  maxIssues: 100,
});
