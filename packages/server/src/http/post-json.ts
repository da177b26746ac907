/**
 * The one HTTP call every destination makes: POST a JSON body, get back the status, headers and
 * parsed body, and turn every failure that never produced a response (DNS, refused or reset
 * connection, timeout) into a retryable `DestinationCallError`. Destinations decide what a status
 * means with `classifyHttpStatus` and their own platform rules; this module never throws for an
 * HTTP status.
 */
import { DestinationCallError } from '@capi-kit/core';

/** What `postJson` needs. */
export interface PostJsonOptions {
  /** The full URL. Keep credentials out of it where the platform allows (use a header). */
  url: string;
  /** Serialized with `JSON.stringify`. */
  body: unknown;
  /** Extra headers; `content-type: application/json` is always set. */
  headers?: Record<string, string>;
  /** The fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /**
   * Gives up after this long [10 000 ms]. Meta recommends a 1.5 s client timeout, but most
   * responses arrive in < 600 ms (platforms.md §2.1); we default higher because the relay sends
   * large batches off the request path, where waiting costs nothing and a premature abort costs a
   * duplicate send.
   */
  timeoutMs?: number;
  /** Aborts the call (the relay aborts in-flight sends only when forced to stop). */
  signal?: AbortSignal;
}

/** The platform's answer. */
export interface JsonResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body parsed as JSON, or the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
  /** Time from sending to the end of the body, in ms. */
  durationMs: number;
}

/** The default timeout of one platform call. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * POSTs JSON and reads the answer. Never throws for an HTTP status; throws a retryable
 * `DestinationCallError` when no complete response arrived (network error, reset, timeout, abort).
 *
 * @example
 * const response = await postJson({ url: 'https://graph.facebook.com/v26.0/123/events', body: { data: [] } });
 * if (classifyHttpStatus(response.status) === 'success') console.log(response.body);
 */
export async function postJson(options: PostJsonOptions): Promise<JsonResponse> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeoutSignal]) : timeoutSignal;
  const started = performance.now();
  try {
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json' },
      body: JSON.stringify(options.body),
      signal,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: parseBody(text),
      durationMs: performance.now() - started,
    };
  } catch (error) {
    // Described only on failure: parsing the URL on every call costs more than the rest of it.
    const target = describeTarget(options.url);
    const timedOut = timeoutSignal.aborted && !options.signal?.aborted;
    const message = timedOut
      ? `no answer from ${target} within ${timeoutMs} ms`
      : options.signal?.aborted
        ? `call to ${target} aborted`
        : `network error calling ${target}: ${errorCode(error)}`;
    // No response means we cannot know whether the platform processed the batch; retrying is
    // safe because every platform deduplicates by event ID.
    throw new DestinationCallError(message, { isRetryable: true, cause: error });
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Origin and path only: never the query, which may hold a token. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the platform';
  }
}

/** The low-level cause (`ECONNRESET`, `ECONNREFUSED`…) without its message, which may echo the URL. */
function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.name : 'unknown';
}
