/**
 * How the Google APIs report failure, turned into capi-kit's terms. The Data Manager API answers
 * with an HTTP status and a google.rpc.Status body; GA4 answers 2xx to everything in production
 * and reports problems only from its validation server, as `validationMessages`.
 */
import { DestinationCallError } from '@capi-kit/core';
import { classifyHttpStatus, parseRetryAfter, type JsonResponse } from '../../http';
import type { Ga4ValidationMessage, GoogleRpcErrorBody } from './google-api-types';

/** Reads the google.rpc.Status of an error answer, when the body has that shape. */
export function readRpcError(body: unknown): GoogleRpcErrorBody['error'] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  return error as GoogleRpcErrorBody['error'];
}

/**
 * A whole-request failure of the Data Manager API. 429/`RESOURCE_EXHAUSTED` and 5xx are worth
 * retrying (platforms.md §10); 401/403 concern the credentials or the account, not the events, so
 * the relay reports them once instead of bisecting the batch.
 */
export function dataManagerCallError(response: JsonResponse, now: number): DestinationCallError {
  const rpc = readRpcError(response.body);
  const status = rpc?.status;
  const retryable =
    classifyHttpStatus(response.status) === 'retryable' || status === 'RESOURCE_EXHAUSTED';
  const configuration =
    response.status === 401 ||
    response.status === 403 ||
    status === 'UNAUTHENTICATED' ||
    status === 'PERMISSION_DENIED';
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  return new DestinationCallError(
    `Data Manager API answered ${response.status}${status ? ` ${status}` : ''}: ${
      rpc?.message ?? 'no error message'
    }`,
    {
      statusCode: response.status,
      isRetryable: retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(status !== undefined ? { platformCode: status } : {}),
      isConfigurationError: configuration,
      responseBody: response.body,
    },
  );
}

/**
 * The event indexes a google.rpc `BadRequest` blames (`fieldViolations[].field` such as
 * `events[3].eventTimestamp`), each with the description Google gave. Empty when the error names
 * no event, so the caller cannot isolate the bad one itself.
 */
export function fieldViolationsByEvent(body: unknown): Map<number, string> {
  const blamed = new Map<number, string>();
  for (const detail of readRpcError(body)?.details ?? []) {
    for (const violation of detail.fieldViolations ?? []) {
      const match = /^events\[(\d+)\]/.exec(violation.field ?? '');
      if (!match) continue;
      const index = Number(match[1]);
      const text = `${violation.field}: ${violation.description ?? violation.reason ?? 'invalid'}`;
      blamed.set(index, blamed.has(index) ? `${blamed.get(index)}; ${text}` : text);
    }
  }
  return blamed;
}

/**
 * The event a GA4 validation message is about: from `fieldPath` (`events[2].params.value`) or,
 * as the validation server writes it for event-level findings, from the description
 * (`Event at index: [2] has invalid name …`). `undefined` means the whole request is at fault
 * (client_id, body size, too many events).
 */
export function ga4MessageEventIndex(message: Ga4ValidationMessage): number | undefined {
  const fromPath = /^events\[(\d+)\]/.exec(message.fieldPath ?? '');
  if (fromPath) return Number(fromPath[1]);
  const fromDescription = /index:?\s*\[(\d+)\]/i.exec(message.description ?? '');
  if (fromDescription) return Number(fromDescription[1]);
  return undefined;
}

/** A GA4 validation message in plain words for the ledger. */
export function describeGa4Message(message: Ga4ValidationMessage): string {
  const parts = [message.validationCode, message.fieldPath, message.description].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(': ') : 'rejected by the GA4 validation server';
}
