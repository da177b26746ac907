/**
 * The pieces every server destination shares, written once: settings read with their environment
 * fallback, the `ConfigError` a missing one raises, the skip a `doPrepare` returns when mapping
 * throws, and the platform call with the exchange record the ledger keeps. Each takes the
 * platform's name, so messages stay the platform's own; what a platform's answer means stays in its
 * destination.
 */
import {
  ConfigError,
  type DestinationSettings,
  type ExchangeRecord,
  type PrepareResult,
} from '@capi-kit/core';
import { postJson, type JsonResponse } from '../http/index';

/** An environment variable, trimmed; `undefined` when unset, blank, or there is no `process`. */
export function readEnv(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * A required setting, else its environment variable, else a `ConfigError` that names both, so a
 * missing secret fails at start-up and never per event.
 *
 * @example
 * requireSetting('tiktok', 'accessToken', settings.accessToken, 'TIKTOK_ACCESS_TOKEN');
 */
export function requireSetting(
  factory: string,
  setting: string,
  value: string | undefined,
  envName: string,
): string {
  const resolved = (value ?? readEnv(envName))?.trim();
  if (resolved === undefined || resolved === '') {
    throw new ConfigError(
      `${factory}: the \`${setting}\` setting is required (pass it, or set the ${envName} environment variable)`,
    );
  }
  return resolved;
}

/** An optional setting, else its environment variable; trimmed, `undefined` when blank. */
export function optionalSetting(value: string | undefined, envName: string): string | undefined {
  const resolved = value ?? readEnv(envName);
  return resolved === undefined || resolved.trim() === '' ? undefined : resolved.trim();
}

/** A number that is neither `NaN` nor infinite. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A non-empty string, or `undefined`. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * What went wrong, in a word: the error's name. Never its message, which may quote a field of the
 * event (personal data) into the ledger.
 */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}

/**
 * The skip `doPrepare` returns when mapping throws: the contract says `doPrepare` never throws, and
 * one odd field must not stop the pipeline. Made once per destination, so the per-event path
 * allocates no closure.
 *
 * @example
 * const prepareFailed = prepareFailure<MetaPayload>('Meta');
 * // → { kind: 'skip', reason: 'could not prepare the Meta event: TypeError' }
 */
export function prepareFailure<TPayload>(
  platformName: string,
): (error: unknown) => PrepareResult<TPayload> {
  return (error) => ({
    kind: 'skip',
    reason: `could not prepare the ${platformName} event: ${errorName(error)}`,
  });
}

/** What `sendToPlatform` needs. */
export interface PlatformRequest {
  /** The full URL. Keep credentials out of it where the platform allows (use a header). */
  url: string;
  /** The URL as the exchange record keeps it [`url`]: pass a redacted one when `url` holds a secret. */
  exchangeUrl?: string;
  body: unknown;
  headers: Record<string, string>;
  /** The destination's settings: their `fetch` and `timeoutMs` are used when set. */
  settings: Pick<DestinationSettings, 'fetch'> & { timeoutMs?: number };
  signal?: AbortSignal;
}

/**
 * POSTs a destination's request body and returns the platform's answer with the exchange record
 * for the ledger. Never throws for an HTTP status (see `postJson`): the destination reads it.
 */
export async function sendToPlatform(
  request: PlatformRequest,
): Promise<{ response: JsonResponse; exchange: ExchangeRecord }> {
  const { settings } = request;
  const response = await postJson({
    url: request.url,
    body: request.body,
    headers: request.headers,
    signal: request.signal,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  });
  const exchange = {
    url: request.exchangeUrl ?? request.url,
    requestBody: request.body,
    status: response.status,
    responseBody: response.body,
  };
  return { response, exchange };
}
