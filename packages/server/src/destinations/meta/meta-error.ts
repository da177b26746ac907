/**
 * Reads Meta's Graph API error envelope into a `DestinationCallError` whose flags drive the relay:
 * `isRetryable` (timeouts, 5xx, `is_transient`, rate limits), `isConfigurationError` (token or
 * pixel problems that no retry or batch split can fix). Source: platforms.md §2.9 and §10.
 */
import { DestinationCallError } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http/index';
import type { MetaErrorResponse } from './meta-api-types';

/**
 * Graph rate-limit codes (app, user, page, custom limits). Meta documents them for the Graph API;
 * that CAPI uses them is UNCONFIRMED (platforms.md §2.9). We retry them anyway: a wrong guess
 * costs a few extra attempts, while dropping throttled events would lose conversions.
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);

/**
 * Codes that mean the setup is wrong, not the events: 190 invalid or expired token, 102 session,
 * 10 and 200–299 missing permissions. Every event would fail the same way, so the relay rejects
 * the batch without bisecting and reports it once.
 */
function isConfigurationCode(code: number | undefined, subcode: number | undefined): boolean {
  if (code === undefined) return false;
  if (code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299)) return true;
  // 100/33: "Object with ID … does not exist" — a wrong pixel ID.
  return code === 100 && subcode === 33;
}

/** Whether a body is the Graph error envelope. */
export function isMetaErrorResponse(body: unknown): body is MetaErrorResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'object' &&
    (body as { error?: unknown }).error !== null
  );
}

/** Builds the error for a non-2xx answer. */
export function metaCallError(
  status: number,
  body: unknown,
  headers: Headers,
  now: number,
): DestinationCallError {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  if (!isMetaErrorResponse(body)) {
    return new DestinationCallError(`Meta answered HTTP ${status}`, {
      statusCode: status,
      isRetryable: classifyHttpStatus(status) === 'retryable',
      retryAfterMs,
      responseBody: typeof body === 'string' ? body.slice(0, 500) : body,
    });
  }
  const { error } = body;
  const code = typeof error.code === 'number' ? error.code : undefined;
  const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : undefined;
  const configuration = isConfigurationCode(code, subcode);
  const retryable =
    !configuration &&
    (error.is_transient === true ||
      (code !== undefined && RATE_LIMIT_CODES.has(code)) ||
      classifyHttpStatus(status) === 'retryable');
  const detail =
    error.error_user_msg && error.error_user_msg !== error.message
      ? `${error.message} ${error.error_user_title ? `${error.error_user_title}: ` : ''}${error.error_user_msg}`
      : error.message;
  const codes = [code !== undefined ? `code ${code}` : '', subcode ? `subcode ${subcode}` : '']
    .filter(Boolean)
    .join(', ');
  const trace = error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : '';
  return new DestinationCallError(
    `Meta rejected the request: ${detail} (HTTP ${status}${codes ? `, ${codes}` : ''}${trace})`,
    {
      statusCode: status,
      isRetryable: retryable,
      retryAfterMs,
      platformCode: code,
      traceId: error.fbtrace_id,
      isConfigurationError: configuration,
      responseBody: body,
    },
  );
}
