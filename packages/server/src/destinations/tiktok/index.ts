/**
 * `@capi-kit/server/tiktok`: the TikTok Events API 2.0 destination (`tiktok`).
 */
export { tiktok, type TikTokSettings } from './tiktok-destination';
export type {
  TikTokContent,
  TikTokEvent,
  TikTokProperties,
  TikTokResponse,
  TikTokTrackRequest,
  TikTokUser,
} from './tiktok-api-types';
