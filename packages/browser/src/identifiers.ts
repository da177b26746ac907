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

/**
 * First-party copies of click IDs, so a conversion on a later page still carries the click.
 * Names follow the platform tags where one exists (platforms.md §6.6, §8.4, §12: `_scclid`,
 * `_epik`, `_rdt_cid`, `li_fat_id`, `ttclid`); gclid/gbraid/wbraid have no writable standard
 * cookie (gtag owns `_gcl_*`), so they get our own names.
 */
const CLICK_COOKIES: Partial<Record<keyof ClickIds, string>> = {
  gclid: '_ck_gclid',
  gbraid: '_ck_gbraid',
  wbraid: '_ck_wbraid',
  ttclid: 'ttclid',
  scClickId: '_scclid',
  epik: '_epik',
  rdtCid: '_rdt_cid',
  liFatId: 'li_fat_id',
};

/** Reads one cookie of this page, decoded. */
export function readCookie(name: string): string | undefined {
  const value = document.cookie.match('(?:^|; )' + name + '=([^;]*)')?.[1];
  try {
    return value && decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Meta's client code keeps `_fbp`/`_fbc` for 90 days (platforms.md §2.8); so do the click-ID copies.
function setCookie(name: string, value: string, domain?: string, days = 90): void {
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
  if (hostname.includes('.') && !/^[\d.]+$|:/.test(hostname)) {
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
 * Reads the click IDs of `url` and the first-party cookies, mints `_fbp` if missing, writes `_fbc`
 * for a new `fbclid`, and keeps the click IDs in first-party cookies (call it only when
 * `adStorage` consent is not denied). A valid existing value is never rewritten (rewriting `_fbc`
 * for the same click makes Meta report "click ID modified": facebook/capi-param-builder#13). Call
 * it once per page and reuse the result, so every hit of the page shares one `_fbp`.
 */
export function firstPartyIds(url = location.href): UserData {
  const clicks = extractClickIds(url);
  const domain = cookieDomain();
  // Meta's subdomain index counts the labels of the cookie's domain (`example.com` → 1); for a
  // host-only cookie on an IP or `localhost` it is 0, as Meta's own builder does.
  const subdomainIndex = domain ? subdomainIndexFor(domain) : 0;
  const ids: Record<string, string | undefined> = { msclkid: clicks.msclkid };
  const fbclid = clicks.fbclid;
  let fbp = readCookie('_fbp');
  if (!parseFbCookie(fbp)) setCookie('_fbp', (fbp = buildFbp({ subdomainIndex })), domain);
  let fbc = readCookie('_fbc');
  // A new click replaces the old `_fbc` (platforms.md §11.11); the same click keeps it as is.
  if (fbclid && !fbcMatchesClick(fbc, fbclid)) {
    setCookie('_fbc', (fbc = buildFbc({ fbclid, subdomainIndex })), domain);
  }
  ids.fbp = fbp;
  ids.fbc = parseFbCookie(fbc) && fbc;
  for (const key in CLICK_COOKIES) {
    const cookie = CLICK_COOKIES[key as keyof ClickIds]!;
    const fromUrl = clicks[key as keyof ClickIds];
    if (fromUrl) setCookie(cookie, fromUrl, domain);
    ids[key] = fromUrl || readCookie(cookie);
  }
  for (const key in ids) if (!ids[key]) delete ids[key];
  return ids as UserData;
}
