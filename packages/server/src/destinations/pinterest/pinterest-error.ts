/**
 * Reads Pinterest's answers (platforms.md §7.5, §10). Pinterest uses HTTP statuses honestly:
 * 200 with one result per event, 400 invalid request, 401 authentication failed, 403 not
 * permitted, 422 "Not all events were successfully processed", 429 rate limit (`code 8`), 503
 * ramped down (`code 4197`). This module turns the whole-request failures into a
 * `DestinationCallError` the relay can act on, and finds the per-event results where they exist.
 */
import { DestinationCallError } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http/index';
import type { PinterestErrorResponse, PinterestEventResult } from './pinterest-api-types';

/** Whether a body is Pinterest's `Error` / `DetailedError` shape. */
export function isPinterestError(body: unknown): body is PinterestErrorResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { code?: unknown }).code === 'number' &&
    typeof (body as { message?: unknown }).message === 'string'
  );
}

/**
 * The per-event results of an answer, when it carries one result per event of the batch: the 200
 * `ConversionApiResponse.events`, or the same list inside a 422 `DetailedError.details`.
 *
 * What a 422's `details` holds is UNCONFIRMED: the OpenAPI schema types it only as "object". We
 * read it as a `ConversionApiResponse` (the per-event list is the only thing that would make a
 * partial failure actionable); anything else, or a list whose length does not match the batch, is
 * ignored and the 422 is treated as a whole-request rejection, which the relay bisects down to
 * the failing events. Both paths end with the bad events rejected and the good ones delivered.
 */
export function pinterestEventResults(
  body: unknown,
  batchSize: number,
): PinterestEventResult[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const direct = (body as { events?: unknown }).events;
  const details = (body as { details?: unknown }).details;
  const nested =
    typeof details === 'object' && details !== null
      ? (details as { events?: unknown }).events
      : undefined;
  const events = Array.isArray(direct) ? direct : Array.isArray(nested) ? nested : undefined;
  if (!events || events.length !== batchSize) return undefined;
  const valid = events.every(
    (item: unknown) =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { status?: unknown }).status === 'string',
  );
  return valid ? (events as PinterestEventResult[]) : undefined;
}

/**
 * Statuses that mean the setup is wrong, not the events: 401 (bad, expired or revoked conversion
 * token), 403 (the token's user has no role on this ad account), 404 (no such ad account or
 * path: the `adAccountId` or `baseURL` is wrong). Every event would fail the same way, so the
 * relay rejects the batch without bisecting and reports it once.
 */
const CONFIGURATION_STATUSES = new Set([401, 403, 404]);

/** Builds the error for an answer that is not a 200 with per-event results. */
export function pinterestCallError(
  status: number,
  body: unknown,
  headers: Headers,
  now: number = Date.now(),
): DestinationCallError {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  const error = isPinterestError(body) ? body : undefined;
  const httpClass = classifyHttpStatus(status);
  const configuration = CONFIGURATION_STATUSES.has(status);
  // 429 (`code 8`) and 503 (`code 4197`, ramped down) are Pinterest's documented retry cases; any
  // 408 or 5xx is the transport's, and the same request may pass later. A 200 we cannot read
  // is retried too: counting it as delivered could lose conversions, and Pinterest deduplicates a
  // resent event by its `event_id`.
  const retryable = !configuration && (httpClass === 'retryable' || httpClass === 'success');
  const detail = error
    ? `${error.message} (HTTP ${status}, code ${error.code})`
    : `HTTP ${status}${httpClass === 'success' ? ' without per-event results' : ''}`;
  return new DestinationCallError(`Pinterest did not process the request: ${detail}`, {
    statusCode: status,
    isRetryable: retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(error ? { platformCode: error.code } : {}),
    isConfigurationError: configuration,
    responseBody: typeof body === 'string' ? body.slice(0, 500) : body,
  });
}
