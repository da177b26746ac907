/**
 * `@capi-kit/server/meta`: the Meta Conversions API destination.
 */
export { meta, type MetaPayload, type MetaSettings } from './meta-destination';
export { isMetaErrorResponse, metaCallError } from './meta-error';
export type {
  MetaActionSource,
  MetaContent,
  MetaCustomData,
  MetaErrorResponse,
  MetaEventsRequest,
  MetaEventsResponse,
  MetaServerEvent,
  MetaUserData,
} from './meta-api-types';
