/**
 * First-party identifiers: Meta's `_fbp`/`_fbc` cookies, minted in the browser before the first
 * pixel call so that the pixel and the beacon share them from the very first hit (peers mint them
 * on the server per request, which gives batched first hits different `_fbp` values:
 * stape-io/facebook-tag#17). The other click IDs (`gclid`, `ttclid`, `ScCid`, `epik`, `rdt_cid`,
 * `li_fat_id`…) need nothing from the browser: the relay reads them from the beacon's `page.url`
 * and keeps the landing page's in an HTTP cookie for later pages, and it re-issues `_fbp`/`_fbc`
 * as long-lived HTTP cookies (Safari caps script-set cookies at 7 days), see
 * `packages/server/src/relay/{enrich,cookies}.ts`.
 */
import { isFbCookie, type UserData } from '@capi-kit/core';

/** Reads one cookie of this page (values are written URL-safe, so no decoding). */
export function readCookie(name: string): string | undefined {
  return document.cookie.match('(^|; )' + name + '=([^;]*)')?.[2];
}

// Meta's client code keeps `_fbp`/`_fbc` for 90 days (platforms.md §2.8).
function setCookie(name: string, value: unknown, domain?: string, days = 90): void {
  document.cookie =
    name +
    '=' +
    value +
    ';path=/;SameSite=Lax;max-age=' +
    days * 86400 +
    (domain ? ';domain=' + domain : '') +
    (location.protocol == 'https:' ? ';Secure' : '');
}

/**
 * The highest domain that accepts a cookie, probed like Meta's client code (platforms.md §2.8):
 * try `com`, then `example.com`, … and keep the first one that reads back (the browser refuses
 * public suffixes). IP addresses and single-label hosts get host-only cookies.
 */
export function cookieDomain(hostname = location.hostname): string | undefined {
  const labels = hostname.split('.');
  if (/\.[a-z]/i.test(hostname))
    for (let index = labels.length; index--;) {
      const domain = labels.slice(index).join('.');
      setCookie('_ck_probe', 1, domain, 1);
      // A negative max-age deletes (happy-dom ignores max-age=0 on a cookie that has one).
      if (readCookie('_ck_probe')) return (setCookie('_ck_probe', '', domain, -1), domain);
    }
}

/**
 * Reads `_fbp`/`_fbc`, mints `_fbp` if missing and writes `_fbc` for a new `fbclid` in `url` (call
 * it only when `adStorage` consent is not denied). A valid existing value is never rewritten
 * (rewriting `_fbc` for the same click makes Meta report "click ID modified":
 * facebook/capi-param-builder#13). Call it once per page and reuse the result, so every hit of
 * the page shares one `_fbp`.
 */
export function firstPartyIds(url = location.href): UserData {
  const domain = cookieDomain();
  // Meta's subdomain index counts the labels of the cookie's domain (`example.com` → 1); for a
  // host-only cookie on an IP or `localhost` it is 0, as Meta's own builder does.
  const fb = (payload: unknown) =>
    'fb.' + (domain ? domain.split('.').length - 1 : 0) + '.' + Date.now() + '.' + payload;
  let fbp = readCookie('_fbp');
  let fbc = readCookie('_fbc');
  // fbclid is case-sensitive and goes into `_fbc` byte for byte (Meta's fbp-and-fbc page). A new
  // click replaces the old `_fbc` (platforms.md §11.11); the same click keeps it as is. An fbclid
  // that cannot form a valid cookie (a dot, over 500 characters) is ignored.
  const fbclid = /[?&]fbclid=([^&#]{1,500})(?:[&#]|$)/.exec(url)?.[1];
  const next = fbclid && fb(fbclid);
  // The random part is an integer below 2^31, as Meta's builder makes it (§2.8); it tells
  // browsers apart, it is no secret.
  if (!isFbCookie(fbp)) setCookie('_fbp', (fbp = fb((Math.random() * 2 ** 31) | 0)), domain);
  if (isFbCookie(next) && !(isFbCookie(fbc) && fbc!.split('.')[3] == fbclid))
    setCookie('_fbc', (fbc = next!), domain);
  return { fbp, fbc: isFbCookie(fbc) ? fbc : undefined };
}
