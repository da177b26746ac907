/**
 * `@capi-kit/server/linkedin`: the LinkedIn Conversions API destination (`linkedin`).
 */
export { linkedin, type LinkedInPayload, type LinkedInSettings } from './linkedin-destination';
export type {
  LinkedInBatchCreateRequest,
  LinkedInBatchCreateResponse,
  LinkedInBatchElementResult,
  LinkedInConversionEvent,
  LinkedInConversionValue,
  LinkedInErrorBody,
  LinkedInIdType,
  LinkedInUser,
  LinkedInUserId,
  LinkedInUserInfo,
} from './linkedin-api-types';
