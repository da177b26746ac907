/**
 * `@capi-kit/server/snapchat`: the Snapchat Conversions API v3 destination (`snapchat`).
 */
export { snapchat, type SnapchatPayload, type SnapchatSettings } from './snapchat-destination';
export { isSnapchatResponse, snapchatCallError } from './snapchat-error';
export type {
  SnapchatActionSource,
  SnapchatContent,
  SnapchatCustomData,
  SnapchatEvent,
  SnapchatEventsRequest,
  SnapchatResponse,
  SnapchatUserData,
} from './snapchat-api-types';
