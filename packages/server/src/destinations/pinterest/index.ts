/**
 * `@capi-kit/server/pinterest`: the Pinterest API for Conversions (v5) destination (`pinterest`).
 */
export { pinterest, type PinterestPayload, type PinterestSettings } from './pinterest-destination';
export type {
  PinterestActionSource,
  PinterestContent,
  PinterestCustomData,
  PinterestErrorResponse,
  PinterestEvent,
  PinterestEventResult,
  PinterestEventsRequest,
  PinterestResponse,
  PinterestUserData,
} from './pinterest-api-types';
