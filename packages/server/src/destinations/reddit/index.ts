/**
 * `@capi-kit/server/reddit`: the Reddit Conversions API v3 destination (`reddit`).
 */
export { reddit, type RedditPayload, type RedditSettings } from './reddit-destination';
export type {
  RedditActionSource,
  RedditConversionEventsRequest,
  RedditDataProcessingOptions,
  RedditEvent,
  RedditEventType,
  RedditInvalidEvent,
  RedditMetadata,
  RedditProduct,
  RedditResponse,
  RedditTrackingType,
  RedditUser,
} from './reddit-api-types';
