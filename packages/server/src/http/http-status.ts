/**
 * Retry rules shared by every destination: which HTTP statuses are worth retrying, and how long a
 * platform asked us to wait. Platform-specific codes (Meta `is_transient`, TikTok `40100`) are
 * layered on top by each destination (platforms.md §10).
 */

/** What an HTTP status means for delivery. */
export type HttpStatusClass = 'success' | 'retryable' | 'non-retryable';

/**
 * Classifies a status: 2xx success; 408 (timeout), 429 (rate limit) and every 5xx retryable,
 * since the same request may succeed later; every other status (4xx, and unexpected 1xx/3xx)
 * non-retryable, since sending the same bytes again would fail the same way.
 *
 * @example
 * classifyHttpStatus(503); // 'retryable'
 */
export function classifyHttpStatus(status: number): HttpStatusClass {
  if (status >= 200 && status < 300) return 'success';
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) return 'retryable';
  return 'non-retryable';
}

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns the wait
 * in ms from `now` (never negative), or `undefined` when absent or unreadable.
 *
 * @example
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now());
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only IMF-fixdate and the two obsolete forms are legal; Date.parse reads all three and more, so
  // require a letter (a weekday or month) to avoid reading "1.5" or "-3" as a date.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Removes credentials from a URL before it is stored in a ledger or logged: the query parameters
 * platforms use for secrets (`access_token`, `api_secret`, `key`, …) become `[redacted]`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable url]';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/token|secret|key|password|signature/i.test(name)) {
      parsed.searchParams.set(name, '[redacted]');
    }
  }
  return parsed.toString();
}
