/**
 * First-party identifiers: click IDs from the landing URL and the Meta `_fbp`/`_fbc` cookies,
 * minted in the browser before the first pixel call so that the pixel and the beacon share them
 * from the very first hit (peers mint them on the server per request, which gives batched first
 * hits different `_fbp` values: stape-io/facebook-tag#17). The server re-issues them as long-lived
 * HTTP cookies (Safari caps script-set cookies at 7 days).
 */
import {
  buildFbc,
  buildFbp,
  extractClickIds,
  fbcMatchesClick,
  parseFbCookie,
  subdomainIndexFor,
  type ClickIds,
  type UserData,
} from '@capi-kit/core';

/** Meta's client code keeps `_fbp`/`_fbc` for 90 days (platforms.md §2.8); so do the click-ID copies. */
const COOKIE_DAYS = 90;

/**
 * First-party copies of click IDs, so a conversion on a later page still carries the click.
 * Names follow the platform tags where one exists (platforms.md §6.6, §8.4, §12: `_scclid`,
 * `_epik`, `_rdt_cid`, `li_fat_id`, `ttclid`); gclid/gbraid/wbraid have no writable standard
 * cookie (gtag owns `_gcl_*`), so they get our own names.
 */
const CLICK_COOKIES: [keyof ClickIds, string][] = [
  ['gclid', '_ck_gclid'],
  ['gbraid', '_ck_gbraid'],
  ['wbraid', '_ck_wbraid'],
  ['ttclid', 'ttclid'],
  ['scClickId', '_scclid'],
  ['epik', '_epik'],
  ['rdtCid', '_rdt_cid'],
  ['liFatId', 'li_fat_id'],
];

/** Reads one cookie of this page, decoded. */
export function readCookie(name: string): string | undefined {
  const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

function setCookie(name: string, value: string, domain: string | undefined, days: number): void {
  document.cookie =
    name +
    '=' +
    encodeURIComponent(value) +
    ';path=/;SameSite=Lax' +
    (domain ? ';domain=' + domain : '') +
    (location.protocol == 'https:' ? ';Secure' : '') +
    ';max-age=' +
    days * 86400;
}

/**
 * The highest domain that accepts a cookie, probed like Meta's client code (platforms.md §2.8):
 * try `com`, then `example.com`, … and keep the first one that reads back (the browser refuses
 * public suffixes). IP addresses and single-label hosts get host-only cookies.
 */
export function cookieDomain(hostname = location.hostname): string | undefined {
  if (!hostname.includes('.') || /^[\d.]+$|:/.test(hostname)) return undefined;
  const labels = hostname.split('.');
  for (let index = labels.length - 1; index >= 0; index--) {
    const domain = labels.slice(index).join('.');
    setCookie('_ck_probe', '1', domain, 1);
    if (readCookie('_ck_probe')) {
      // A negative max-age deletes (happy-dom ignores max-age=0 on a cookie that has one).
      setCookie('_ck_probe', '', domain, -1);
      return domain;
    }
  }
  return undefined;
}

/**
 * Reads the click IDs of `url` and the first-party cookies, mints `_fbp` if missing, writes `_fbc`
 * for a new `fbclid`, and keeps the click IDs in first-party cookies (call it only when
 * `adStorage` consent is not denied). A valid existing value is never rewritten (rewriting `_fbc` for the same click makes
 * Meta report "click ID modified": facebook/capi-param-builder#13). Call it once per page and reuse
 * the result, so every hit of the page shares one `_fbp`.
 */
export function firstPartyIds(url = location.href): UserData {
  const clicks = extractClickIds(url);
  const ids: Record<string, string | undefined> = {};
  const domain = cookieDomain();
  // Meta's subdomain index counts the labels of the cookie's domain (`example.com` → 1); for a
  // host-only cookie on an IP or `localhost` it is 0, as Meta's own builder does.
  const subdomainIndex = domain ? subdomainIndexFor(domain) : 0;

  let fbp = readCookie('_fbp');
  if (!parseFbCookie(fbp)) {
    fbp = buildFbp({ subdomainIndex });
    setCookie('_fbp', fbp, domain, COOKIE_DAYS);
  }
  let fbc = readCookie('_fbc');
  const fbclid = clicks.fbclid;
  if (!parseFbCookie(fbc)) fbc = undefined;
  // A new click replaces the old `_fbc` (platforms.md §11.11); the same click keeps it as is.
  if (fbclid && !fbcMatchesClick(fbc, fbclid)) {
    fbc = buildFbc({ fbclid, subdomainIndex });
    setCookie('_fbc', fbc, domain, COOKIE_DAYS);
  }
  ids.fbp = fbp;
  ids.fbc = fbc;
  for (const [key, cookie] of CLICK_COOKIES) {
    const fromUrl = clicks[key];
    if (fromUrl) setCookie(cookie, fromUrl, domain, COOKIE_DAYS);
    ids[key] = fromUrl ?? readCookie(cookie);
  }
  ids.msclkid = clicks.msclkid;
  for (const key in ids) if (!ids[key]) delete ids[key];
  return ids as UserData;
}
