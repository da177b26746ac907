/**
 * TikTok reports errors inside HTTP 200 answers, as a body `code` (platforms.md §5.5, §11.6), so
 * the HTTP status alone says nothing. This module sorts the codes into what the relay can act on.
 */

/** What a TikTok body code means for the batch that got it. */
export type TikTokCodeClass =
  /** 0, and 20001 (partial success, which RudderStack also counts as delivered). */
  | 'success'
  /** 40100 "Too many requests", and TikTok's 5xxxx server-side codes: same request later. */
  | 'retryable'
  /** The pixel, token or permission is wrong: no event can get through until the config changes. */
  | 'configuration'
  /** The events are wrong (40002 and other 4xxxx): reject, never resend as is. */
  | 'invalid';

/** TikTok's throttling code. */
export const TIKTOK_THROTTLED = 40100;

/**
 * Sorts a TikTok body code. 40001 (no permission on the pixel) and the 401xx family around it
 * (token missing, invalid or expired; UNCONFIRMED beyond 40001, chosen because those codes concern
 * the credentials) are configuration errors, so the relay reports them once rather than per event.
 */
export function classifyTikTokCode(code: number): TikTokCodeClass {
  if (code === 0 || code === 20001) return 'success';
  if (code === TIKTOK_THROTTLED || code >= 50000) return 'retryable';
  if (code === 40001 || (code > 40100 && code < 40200)) return 'configuration';
  return 'invalid';
}

/**
 * The index of the event a validation message blames: TikTok writes it as the first path
 * segment after `Batch` or `data` (`Batch.3.properties.contents.0.content_id: Not a valid string`).
 */
export function tiktokMessageEventIndex(message: string | undefined): number | undefined {
  const match = /\b(?:Batch|data)\.(\d+)\b/.exec(message ?? '');
  return match ? Number(match[1]) : undefined;
}
