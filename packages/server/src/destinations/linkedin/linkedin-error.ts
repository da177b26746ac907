/**
 * What LinkedIn's answers mean for the relay (platforms.md §9.3, §10): 429 and 5xx are retried,
 * 400/422 reject the events, and a bad token, a missing permission or a sunset `LinkedIn-Version`
 * are configuration errors that no retry or batch split can fix. LinkedIn reports errors with the
 * HTTP status (unlike TikTok), with a Rest.li error body.
 */
import { DestinationCallError, type EventOutcome } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter } from '../../http';
import type { LinkedInErrorBody } from './linkedin-api-types';

/**
 * Statuses that concern the setup, not the events: 401 (the member token is invalid or expired;
 * LinkedIn's OAuth tokens live 60 days and this destination cannot refresh them), 403 (the token's
 * member has no access to the ad account or conversion rule), 404 (no such resource under that
 * version) and 426 (the `LinkedIn-Version` is sunset or does not exist). 404 and 426 are
 * UNCONFIRMED for this endpoint (platforms.md lists only 401 as "refresh token"); they are LinkedIn's
 * statuses for an unknown or retired API version on its other REST APIs, and every event would fail
 * the same way until the settings change, which is what a configuration error means to the relay.
 */
const CONFIGURATION_STATUSES = new Set([401, 403, 404, 426]);

/** Whether a body looks like LinkedIn's error body. */
function errorBody(body: unknown): LinkedInErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const candidate = body as LinkedInErrorBody;
  return typeof candidate.message === 'string' ||
    typeof candidate.serviceErrorCode === 'number' ||
    typeof candidate.code === 'string'
    ? candidate
    : undefined;
}

/**
 * LinkedIn's message in plain words: the top-level message, then the field-level descriptions of a
 * validation error (`/elements/0/conversionHappenedAt: …`), cut to a ledger-friendly length.
 */
export function linkedinErrorMessage(body: unknown): string | undefined {
  const error = errorBody(body);
  if (!error) return typeof body === 'string' && body !== '' ? body.slice(0, 300) : undefined;
  const parts: string[] = [];
  if (error.message) parts.push(error.message);
  for (const input of error.errorDetails?.inputErrors ?? []) {
    const path = input.input?.inputPath?.fieldPath;
    const text = [path, input.description ?? input.code].filter(Boolean).join(': ');
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.length > 0 ? parts.join('; ').slice(0, 500) : undefined;
}

/** LinkedIn's own code for an error body: `serviceErrorCode`, else the symbolic `code`. */
export function linkedinErrorCode(body: unknown): string | number | undefined {
  const error = errorBody(body);
  return error?.serviceErrorCode ?? error?.code;
}

/** The error for a non-2xx answer to a whole request. */
export function linkedinCallError(
  status: number,
  body: unknown,
  headers: Headers,
  now: number = Date.now(),
): DestinationCallError {
  const configuration = CONFIGURATION_STATUSES.has(status);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  const message = linkedinErrorMessage(body);
  const code = linkedinErrorCode(body);
  return new DestinationCallError(
    `LinkedIn answered HTTP ${status}${message ? `: ${message}` : ''}${code !== undefined ? ` (code ${code})` : ''}`,
    {
      statusCode: status,
      isRetryable: !configuration && classifyHttpStatus(status) === 'retryable',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(code !== undefined ? { platformCode: code } : {}),
      isConfigurationError: configuration,
      responseBody: typeof body === 'string' ? body.slice(0, 500) : body,
    },
  );
}

/**
 * The outcome of one element of a `BATCH_CREATE` answer (`{ status: 201 }`, or a failed element's
 * status and error). An element without a numeric status counts as created: the request as a whole
 * succeeded, and LinkedIn reports failures by status.
 */
export function linkedinElementOutcome(element: unknown): EventOutcome {
  const status =
    typeof element === 'object' && element !== null
      ? (element as { status?: unknown }).status
      : undefined;
  if (typeof status !== 'number') return { status: 'delivered' };
  const kind = classifyHttpStatus(status);
  if (kind === 'success') return { status: 'delivered' };
  const error = (element as { error?: unknown }).error;
  const message = linkedinErrorMessage(error) ?? `LinkedIn element status ${status}`;
  if (kind === 'retryable') return { status: 'retry', reason: `HTTP ${status}: ${message}` };
  const code = linkedinErrorCode(error) ?? status;
  return { status: 'rejected', reason: message, code };
}
