/**
 * `@capi-kit/testing`: fake ad-platform Conversion APIs for tests. `startFakePlatforms()` starts one
 * real HTTP server on loopback that validates requests the way Meta, GA4, Google Data Manager,
 * TikTok, LinkedIn, Reddit, Snapchat and Pinterest do, answers with their real success and error
 * shapes, records every request and accepted event, keeps each platform's dedup ledger, and injects
 * faults (scripted errors, outages, timeouts, connection resets, latency) so retry code can be
 * exercised.
 */
export { startFakePlatforms } from './start-fake-platforms';
export type {
  DedupEntry,
  DedupStats,
  DedupVerdict,
  FakePlatform,
  FakePlatformName,
  FakePlatforms,
  Ga4ValidationMessage,
  PixelHit,
  ReceivedEvent,
  RecordedRequest,
  ScriptedErrorKind,
  ScriptedResponse,
  StartFakePlatformsOptions,
} from './fake-types';
export { DEDUP_WINDOW_MS } from './fake-platform';
