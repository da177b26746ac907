/**
 * Reads Reddit's answers (platforms.md §8.5, §10). Reddit uses plain HTTP statuses: 2xx accepted;
 * 400 with `invalid_events[]` when events broke a rule (then **none** of the request was
 * processed, and each bad event is echoed back with its `metadata.conversion_id`); 400 with
 * `{ error: { code, message } }` when the body did not decode; 401 for the token; 429 and 5xx
 * are worth retrying.
 */
import { DestinationCallError } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http/index';
import type { RedditInvalidEvent, RedditResponse } from './reddit-api-types';

/** Bodies can be plain text (`Authorization Required`); keep error messages short. */
const MAX_TEXT = 200;

function asResponse(body: unknown): RedditResponse | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as RedditResponse)
    : undefined;
}

/** The events Reddit says are invalid, if the body lists any. */
export function redditInvalidEvents(body: unknown): RedditInvalidEvent[] {
  const list = asResponse(body)?.invalid_events;
  return Array.isArray(list)
    ? list.filter((item): item is RedditInvalidEvent => typeof item === 'object' && item !== null)
    : [];
}

/** The `conversion_id` an invalid event was echoed back with. */
export function invalidEventConversionId(item: RedditInvalidEvent): string | undefined {
  const id = item.event?.metadata?.conversion_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Reddit's words for what went wrong, from any of its shapes. */
export function redditMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? undefined : text.slice(0, MAX_TEXT);
  }
  const response = asResponse(body);
  if (!response) return undefined;
  const error = response.error;
  if (error && typeof error === 'object') {
    const parts = [error.reason, error.explanation ?? error.message].filter(
      (part): part is string => typeof part === 'string' && part !== '',
    );
    if (parts.length > 0) return parts.join(': ');
  }
  const first = redditInvalidEvents(body)[0]?.error_message;
  if (typeof response.message === 'string' && response.message !== '') {
    return first ? `${response.message} ${first}` : response.message;
  }
  return first;
}

/**
 * Statuses no retry or batch split can fix: 401 (token missing, expired or revoked; Reddit's
 * conversion tokens do not expire, so it was revoked or is wrong) and 403 (the token has no access
 * to this pixel). 404 on the pixel's own URL means the pixel ID is wrong; that Reddit answers 404
 * for an unknown pixel is UNCONFIRMED, but every event would fail the same way, so reporting it
 * once as a setup problem beats dead-lettering each event.
 */
export function isRedditConfigurationStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

/** The error for a whole-request failure. Never carries the token: Reddit's body does not echo it. */
export function redditCallError(
  status: number,
  body: unknown,
  headers: Headers,
  now: number,
): DestinationCallError {
  const message = redditMessage(body);
  const response = asResponse(body);
  const reason = response?.error?.reason;
  const code = response?.error?.code;
  const configuration = isRedditConfigurationStatus(status);
  return new DestinationCallError(
    `Reddit answered HTTP ${status}${message ? `: ${message}` : ''}`,
    {
      statusCode: status,
      isRetryable: !configuration && classifyHttpStatus(status) === 'retryable',
      retryAfterMs: parseRetryAfter(headers.get('retry-after'), now),
      platformCode:
        typeof reason === 'string' ? reason : typeof code === 'number' ? code : undefined,
      isConfigurationError: configuration,
      responseBody: typeof body === 'string' ? body.slice(0, MAX_TEXT) : body,
    },
  );
}
