/**
 * First-party identifiers: Meta's `_fbp`/`_fbc` cookies, minted in the browser before the first
 * pixel call so that the pixel and the beacon share them from the very first hit (peers mint them
 * on the server per request, which gives batched first hits different `_fbp` values:
 * stape-io/facebook-tag#17), and the landing page's click IDs, kept for later pages. Only what the
 * first hit needs is done here: the relay reads every click ID from `page.url` itself and re-issues
 * `_fbp`/`_fbc` as long-lived HTTP cookies (Safari caps script-set cookies at 7 days), see
 * `packages/server/src/relay/{enrich,cookies}.ts`.
 */
import { isFbCookie, type UserData } from '@capi-kit/core';

/**
 * The click parameters other than `fbclid` (platforms.md §4.3, §5.6, §6.6, §7.3, §8.4, §12), as
 * they appear in the query. Values are taken raw (not percent-decoded: click IDs are URL-safe
 * tokens; the relay validates them), the first occurrence wins.
 */
const CLICK_PARAMS =
  /(?:^|[?&])(gclid|gbraid|wbraid|ttclid|ScCid|sccid|epik|rdt_cid|li_fat_id|msclkid)=([^&#\s;,]{1,500})(?![^&])/g;
/** `UserData` names of the parameters whose name differs. */
const FIELD: Record<string, string> = {
  ScCid: 'scClickId',
  sccid: 'scClickId',
  rdt_cid: 'rdtCid',
  li_fat_id: 'liFatId',
};
/** One cookie holds the landing page's click parameters (`gclid=…&epik=…`) for later pages. */
const CLICKS_COOKIE = '_ck_clicks';

/** Reads one cookie of this page (values are written URL-safe, so no decoding). */
export function readCookie(name: string): string | undefined {
  return document.cookie.match('(?:^|; )' + name + '=([^;]*)')?.[1];
}

// Meta's client code keeps `_fbp`/`_fbc` for 90 days (platforms.md §2.8); so does the click copy.
function setCookie(name: string, value: string, domain?: string, days = 90): void {
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
  if (/\.[a-z]/i.test(hostname)) {
    const labels = hostname.split('.');
    for (let index = labels.length; index--;) {
      const domain = labels.slice(index).join('.');
      setCookie('_ck_probe', '1', domain, 1);
      if (readCookie('_ck_probe')) {
        // A negative max-age deletes (happy-dom ignores max-age=0 on a cookie that has one).
        setCookie('_ck_probe', '', domain, -1);
        return domain;
      }
    }
  }
}

/**
 * Reads the first-party cookies and the click IDs of `url` (else those kept from the landing
 * page), mints `_fbp` if missing, writes `_fbc` for a new `fbclid`, and keeps the landing click
 * IDs in one first-party cookie (call it only when `adStorage` consent is not denied). A valid
 * existing value is never rewritten (rewriting `_fbc` for the same click makes Meta report "click
 * ID modified": facebook/capi-param-builder#13). Call it once per page and reuse the result, so
 * every hit of the page shares one `_fbp`.
 */
export function firstPartyIds(url = location.href): UserData {
  const domain = cookieDomain();
  // Meta's subdomain index counts the labels of the cookie's domain (`example.com` → 1); for a
  // host-only cookie on an IP or `localhost` it is 0, as Meta's own builder does.
  const fb = (payload: string | number) =>
    'fb.' + (domain ? domain.split('.').length - 1 : 0) + '.' + Date.now() + '.' + payload;
  const ids: Record<string, string> = {};
  let fbp = readCookie('_fbp');
  // The random part is an integer below 2^31 - 1, as Meta's builder makes it (§2.8).
  if (!isFbCookie(fbp))
    setCookie('_fbp', (fbp = fb(crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1)), domain);
  let fbc = readCookie('_fbc');
  // fbclid is case-sensitive and goes into `_fbc` byte for byte (Meta's fbp-and-fbc page). A new
  // click replaces the old `_fbc` (platforms.md §11.11); the same click keeps it as is. An fbclid
  // that cannot form a valid cookie (a dot, over 500 characters) is ignored.
  const fbclid = /[?&]fbclid=([^&#]{1,500})(?:[&#]|$)/.exec(url)?.[1];
  const next = fbclid && fb(fbclid);
  if (isFbCookie(next) && !(isFbCookie(fbc) && fbc!.split('.')[3] == fbclid))
    setCookie('_fbc', (fbc = next!), domain);
  ids.fbp = fbp!;
  if (isFbCookie(fbc)) ids.fbc = fbc!;
  // The click parameters of this URL replace the kept ones; without any, the kept ones apply.
  const clicks = (url.split('#')[0]!.split('?')[1] || '').match(CLICK_PARAMS)?.join('');
  if (clicks) setCookie(CLICKS_COOKIE, clicks, domain);
  for (const [, name, value] of (clicks || readCookie(CLICKS_COOKIE) || '').matchAll(CLICK_PARAMS))
    ids[FIELD[name!] || name!] ||= value!;
  return ids as UserData;
}
