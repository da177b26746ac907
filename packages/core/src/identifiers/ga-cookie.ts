/**
 * GA4's `_ga` cookie → Measurement Protocol `client_id` (platforms.md §3.5): the cookie is
 * `GA1.{domainLevel}.{random}.{firstSeenUnixSec}` and the client ID is its last two parts.
 */

/**
 * The GA4 `client_id` in an `_ga` cookie value, or undefined when it is not one.
 *
 * @example
 * gaClientIdFromCookie('GA1.1.1827526090.1689745728'); // '1827526090.1689745728'
 */
export function gaClientIdFromCookie(ga: string | undefined): string | undefined {
  if (typeof ga !== 'string' || ga.length > 256) return undefined;
  const parts = ga.trim().split('.');
  // `GA1.2` style prefix (version, domain level; the level may read `2-1` on some setups).
  if (parts.length !== 4 || !/^GA\d+$/.test(parts[0]!) || !/^\d+(-\d+)?$/.test(parts[1]!)) {
    return undefined;
  }
  const random = parts[2]!;
  const firstSeen = parts[3]!;
  if (!/^\d{1,20}$/.test(random) || !/^\d{1,20}$/.test(firstSeen)) return undefined;
  return `${random}.${firstSeen}`;
}
