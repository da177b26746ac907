/**
 * Reads a Snapchat Conversions API failure into a `DestinationCallError` whose flags drive the
 * relay. Snap answers a rejected request with an HTTP error status and a `{ status, reason }`
 * body (HTTP 400 `INVALID` on the validate endpoint, platforms.md §6.5), so unlike TikTok the
 * status decides: 408, 429 and 5xx are retried (§10, UNCONFIRMED for Snap but the usual gateway
 * behaviour), 401/403/404 are the setup, every other 4xx is the events.
 */
import { DestinationCallError } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http/index';
import type { SnapchatResponse } from './snapchat-api-types';

/**
 * 401 (token missing, invalid or revoked) and 403 (the token's organisation does not own the
 * pixel) are the setup, not the events. 404 is what a wrong pixel ID gets at `/v3/{id}/events`
 * (UNCONFIRMED, but no event could fix it either). Every batch would fail the same way, so the
 * relay rejects without bisecting and reports it once.
 */
const CONFIGURATION_STATUSES = new Set([401, 403, 404]);

/** Whether a body is Snap's `{ status, reason }` answer. */
export function isSnapchatResponse(body: unknown): body is SnapchatResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    (typeof (body as { status?: unknown }).status === 'string' ||
      typeof (body as { reason?: unknown }).reason === 'string')
  );
}

/**
 * Builds the error for a non-2xx answer. The message holds Snap's `reason` (which never echoes a
 * token) and never the URL, so the access token cannot leak through it.
 */
export function snapchatCallError(
  status: number,
  body: unknown,
  headers: Headers,
  now: number = Date.now(),
): DestinationCallError {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  const answer = isSnapchatResponse(body) ? body : undefined;
  const configuration = CONFIGURATION_STATUSES.has(status);
  const detail = answer?.reason
    ? `${answer.status ? `${answer.status}: ` : ''}${answer.reason}${answer.param ? ` (${answer.param})` : ''}`
    : undefined;
  return new DestinationCallError(
    `Snapchat answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
    {
      statusCode: status,
      isRetryable: !configuration && classifyHttpStatus(status) === 'retryable',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(answer?.status ? { platformCode: answer.status } : {}),
      isConfigurationError: configuration,
      responseBody: typeof body === 'string' ? body.slice(0, 500) : body,
    },
  );
}
