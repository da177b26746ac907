export type {
  Consent,
  ConsentState,
  ContentItem,
  ConversionEvent,
  EventData,
  EventName,
  EventSource,
  OneOrMany,
  PageInfo,
  PixelOutcome,
  Platform,
  StandardEventName,
  UserData,
} from './event';
export type {
  Destination,
  DestinationSettings,
  EventOutcome,
  ExchangeRecord,
  PrepareResult,
  PreparedEvent,
  SendResult,
} from './destination';
export {
  CapiKitError,
  ConfigError,
  DestinationCallError,
  InvalidEventError,
  type ValidationIssue,
} from './errors';
export {
  PLATFORMS,
  STANDARD_EVENT_NAMES,
  googleEventName,
  isStandardEventName,
  linkedinEventName,
  metaEventName,
  pinterestEventName,
  platformEventName,
  redditEventName,
  snapchatEventName,
  tiktokEventName,
} from './event-names';
export { generateEventId } from './event-id';
export { isSha256Hex, sha256Hex } from './hash/sha256';
export {
  normalize,
  normalizeEmail,
  normalizeExternalId,
  normalizeName,
  normalizePhone,
  type NormalizableField,
  type NormalizeOptions,
} from './normalize/normalize';
export {
  hashUserData,
  isHashedField,
  tryHashUserDataSync,
  type HashedUserData,
  type HashUserDataOptions,
  type PlainUserField,
} from './hash/hash-user-data';
export { subdomainIndexFor } from './identifiers/subdomain-index';
export {
  buildFbc,
  buildFbp,
  fbcMatchesClick,
  isFbCookie,
  isUsableFbclid,
  parseFbCookie,
  type FbCookie,
} from './identifiers/fb-cookies';
export { gaClientIdFromCookie } from './identifiers/ga-cookie';
export { extractClickIds, type ClickIds } from './identifiers/click-ids';
export { COLLECT_LIMITS, MAX_EVENTS_PER_BEACON, WIRE_VERSION } from './wire/limits';
export {
  parseCollectPayload,
  type BeaconEvent,
  type CollectPayload,
  type ParseResult,
} from './wire/collect-payload';
export {
  validateEvent,
  type ValidateEventOptions,
  type ValidateEventResult,
} from './wire/validate-event';
