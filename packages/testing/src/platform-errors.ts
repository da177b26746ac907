/**
 * Error envelopes of TikTok and Google in their real transports, and the rendering of scripted
 * `{ kind: 'error' }` responses for every platform. Meta's envelope lives in `meta-fake.ts`.
 */
import type { ScriptedErrorKind } from './fake-types';
import { linkedinError } from './linkedin-fake';
import { metaError, metaTokenError } from './meta-fake';
import { PINTEREST_ERRORS } from './pinterest-fake';
import { traceId } from './platform-handler';
import { redditInvalidEvents, redditRateLimited, redditUnauthorized } from './reddit-fake';
import { renderSnapchatError } from './snapchat-fake';

/**
 * TikTok answers HTTP 200 whatever happened; only `code` tells success from failure
 * (platforms.md §5.5). `request_id` is UNCONFIRMED but seen in every mirrored sample we read.
 */
export function tiktokBody(code: number, message: string): Record<string, unknown> {
  return { code, message, request_id: `${Date.now()}${traceId(8)}`, data: {} };
}

export type GoogleRpcStatus =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE';

const GOOGLE_HTTP_STATUS: Record<GoogleRpcStatus, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
};

/** google.rpc.Status as Google's JSON APIs return it: `{ error: { code, message, status, details } }`. */
export function googleRpcError(
  status: GoogleRpcStatus,
  message: string,
  details: unknown[] = [],
): { status: number; body: unknown } {
  const code = GOOGLE_HTTP_STATUS[status];
  return { status: code, body: { error: { code, message, status, details } } };
}

/** `ErrorInfo` detail Google attaches to auth errors; `reason` tells expired from missing. */
export function googleErrorInfo(reason: string): Record<string, unknown> {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: {
      service: 'datamanager.googleapis.com',
      method: 'google.ads.datamanager.v1.IngestionService.IngestEvents',
    },
  };
}

export function renderScriptedError(
  kind: ScriptedErrorKind,
  message: string | undefined,
): { status: number; body: unknown } {
  switch (kind) {
    case 'meta_invalid_param':
      return metaError({
        status: 400,
        code: 100,
        subcode: 2804001,
        message: message ?? 'Invalid parameter',
        userTitle: 'Invalid Parameter',
        userMessage: message ?? 'A parameter of this request is invalid.',
      });
    case 'meta_token': {
      const error = metaTokenError('rejected');
      if (message !== undefined) {
        (error.body as { error: { message: string } }).error.message = message;
      }
      return error;
    }
    case 'meta_transient':
      // Graph's generic "unexpected error" (code 2) is the documented transient one (§2.9).
      return metaError({
        status: 500,
        code: 2,
        transient: true,
        message: message ?? 'An unexpected error has occurred. Please retry your request later.',
      });
    case 'meta_rate_limit':
      // Code 4 = application request limit; HTTP status for CAPI throttling is UNCONFIRMED (§2.9).
      return metaError({
        status: 400,
        code: 4,
        transient: true,
        message: message ?? '(#4) Application request limit reached',
      });
    case 'tiktok_throttled':
      return { status: 200, body: tiktokBody(40100, message ?? 'Too many requests') };
    case 'tiktok_invalid':
      return { status: 200, body: tiktokBody(40002, message ?? 'Invalid parameters') };
    case 'tiktok_auth':
      return {
        status: 200,
        body: tiktokBody(40001, message ?? 'No permission to operate this pixel.'),
      };
    case 'google_unauthenticated':
      return googleRpcError(
        'UNAUTHENTICATED',
        message ?? 'Request had invalid authentication credentials. Expected OAuth 2 access token.',
        [googleErrorInfo('ACCESS_TOKEN_EXPIRED')],
      );
    case 'google_invalid_argument':
      return googleRpcError('INVALID_ARGUMENT', message ?? 'Request contains an invalid argument.');
    case 'google_resource_exhausted':
      return googleRpcError('RESOURCE_EXHAUSTED', message ?? 'Quota exceeded.');
    case 'google_unavailable':
      return googleRpcError('UNAVAILABLE', message ?? 'The service is currently unavailable.');
    case 'linkedin_token':
      return linkedinError(401, message ?? 'Invalid access token', {
        serviceErrorCode: 65600,
        code: 'INVALID_ACCESS_TOKEN',
      });
    case 'linkedin_invalid':
      return linkedinError(422, message ?? 'Request validation failed', {
        fieldPath: '/elements/0',
      });
    case 'linkedin_throttled':
      return linkedinError(
        429,
        message ??
          'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
        { serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS' },
      );
    case 'linkedin_version':
      return linkedinError(426, message ?? 'Requested version is not active', {
        code: 'NONEXISTENT_VERSION',
      });
    case 'reddit_invalid':
      return redditInvalidEvents([{ error_message: message ?? 'invalid conversion event' }]);
    case 'reddit_unauthorized':
      return redditUnauthorized(message);
    case 'reddit_rate_limited':
      return redditRateLimited(message);
    case 'snapchat_invalid':
    case 'snapchat_unauthorized':
    case 'snapchat_rate_limited':
      return renderSnapchatError(kind, message);
    case 'pinterest_invalid':
      return PINTEREST_ERRORS.invalid(message);
    case 'pinterest_auth':
      return PINTEREST_ERRORS.auth(message);
    case 'pinterest_forbidden':
      return PINTEREST_ERRORS.forbidden(message);
    case 'pinterest_rate_limit':
      return PINTEREST_ERRORS.rateLimit(message);
    case 'pinterest_unavailable':
      return PINTEREST_ERRORS.unavailable(message);
  }
}
