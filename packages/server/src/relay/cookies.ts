/**
 * First-party cookies on the collect path: read the identifiers ad platforms match on (`_fbp`,
 * `_fbc`, `_ga`, `_ttp`, `_scid`, `_epik`, `_rdt_uuid`, `li_fat_id`), mint `_fbp` and build
 * `_fbc` from `fbclid` when missing, keep the landing page's other click IDs in `_ck_clicks`, and
 * write them back as server-set cookies, which outlive Safari's 7-day cap on script-set cookies.
 * A valid cookie is never rewritten (platforms.md §2.8, §11.11): rewriting `_fbp` would split one
 * browser into two for Meta.
 */
import {
  buildFbc,
  buildFbp,
  extractClickIds,
  fbcMatchesClick,
  parseFbCookie,
  subdomainIndexFor,
  type ClickIds,
} from '@capi-kit/core';
import { getDomain } from 'tldts';
import { BoundedCache } from './bounded-cache';

/** The `cookies` option. */
export interface CookieOptions {
  /** The cookie domain [the registrable domain of the collect request's host, via the public suffix list]. */
  domain?: string;
  /** Lifetime in days [390]; browsers cap server-set cookies at 400 days. */
  lifetimeDays?: number;
  /** Mint `_fbp` when the browser has none [true]. */
  mintFbp?: boolean;
  /** Build `_fbc` from a `fbclid` in the page URL [true]. */
  buildFbc?: boolean;
  /**
   * Keep the landing page's click IDs other than `fbclid` (`gclid`, `ttclid`, …) in an HttpOnly
   * `_ck_clicks` cookie for 90 days, and put them on later events whose page URL has none [true].
   */
  keepClickIds?: boolean;
}

/** The cookie that keeps the landing page's click IDs; the browser SDK wrote it before the relay did. */
export const CLICKS_COOKIE = '_ck_clicks';

/**
 * 90 days: Google Ads counts a conversion up to 90 days after the click (its longest click-through
 * conversion window); Meta's `_fbc` and Stape's Google click copies live as long (platforms.md
 * §2.8, §4.3). A newer click replaces the cookie, so it never carries an outdated attribution.
 */
export const CLICKS_COOKIE_MAX_AGE_SECONDS = 90 * 24 * 3600;

/**
 * Reads a `Cookie` header into a map (first value wins, as browsers send the most specific first).
 * Values are percent-decoded except those named in `raw`: `_ck_clicks` holds a query string that
 * `extractClickIds` decodes itself, and decoding it twice would turn an encoded `&` into a separator.
 */
export function parseCookieHeader(
  header: string | null,
  raw: ReadonlySet<string> = NO_RAW_COOKIES,
): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === '' || cookies.has(name) || value.length > 4096) continue;
    if (raw.has(name)) {
      cookies.set(name, value);
      continue;
    }
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

const NO_RAW_COOKIES: ReadonlySet<string> = new Set();

/** The cookie domain for a host: the option, else the registrable domain, else host-only (undefined). */
export function cookieDomainFor(hostname: string, option: string | undefined): string | undefined {
  if (option) return option.replace(/^\./, '');
  // A relay serves a handful of hosts: look each up in the public suffix list once.
  let domain = registrableDomains.get(hostname);
  if (domain === undefined) {
    // IP addresses and single-label hosts (localhost) cannot take a Domain attribute.
    domain = getDomain(hostname, { allowPrivateDomains: false });
    registrableDomains.set(hostname, domain);
  }
  return domain ?? undefined;
}

const registrableDomains = new BoundedCache<string, string | null>(100);

/** The Meta cookies to use for this request, and the ones to set. */
export interface MetaCookieDecision {
  fbp?: string;
  fbc?: string;
  set: { name: '_fbp' | '_fbc'; value: string }[];
}

/**
 * Decides `_fbp`/`_fbc`. Keeps a valid `_fbp`; mints one when missing or malformed (if allowed).
 * Keeps a valid `_fbc` unless the page carries a different `fbclid` (a new click replaces it, as
 * Meta's param builder does); builds one from `fbclid` when missing. A malformed `_fbc` with no
 * click to rebuild it from is dropped rather than sent.
 */
export function decideMetaCookies(input: {
  cookies: Map<string, string>;
  fbclid: string | undefined;
  host: string;
  domain: string | undefined;
  now: number;
  mayWrite: boolean;
  options: CookieOptions;
}): MetaCookieDecision {
  const decision: MetaCookieDecision = { set: [] };
  const subdomainIndex = input.domain
    ? subdomainIndexFor(input.domain)
    : subdomainIndexFor(input.host);
  const existingFbp = input.cookies.get('_fbp');
  if (existingFbp && parseFbCookie(existingFbp)) {
    decision.fbp = existingFbp;
  } else if (input.mayWrite && input.options.mintFbp !== false) {
    decision.fbp = buildFbp({ subdomainIndex, now: input.now });
    decision.set.push({ name: '_fbp', value: decision.fbp });
  }
  const existingFbc = input.cookies.get('_fbc');
  const validFbc = existingFbc && parseFbCookie(existingFbc) ? existingFbc : undefined;
  if (
    input.fbclid &&
    input.options.buildFbc !== false &&
    !fbcMatchesClick(validFbc, input.fbclid)
  ) {
    decision.fbc = buildFbc({ fbclid: input.fbclid, subdomainIndex, now: input.now });
    if (input.mayWrite) decision.set.push({ name: '_fbc', value: decision.fbc });
  } else if (validFbc) {
    decision.fbc = validFbc;
  }
  return decision;
}

/** The click IDs to use for events whose page URL has none, and the `_ck_clicks` value to set. */
export interface ClickCookieDecision {
  /** Click IDs kept from an earlier landing page (from the request's `_ck_clicks`), validated. */
  kept: ClickIds;
  /** The new `_ck_clicks` value, when the request carries a click and may write. */
  set?: string;
}

/**
 * The click parameters `_ck_clicks` keeps, as `[ClickIds field, URL parameter]`. Not `fbclid`:
 * `_fbc` keeps that one in Meta's own format. Snapchat's `sccid` spelling is written as `ScCid`,
 * the name Snapchat documents (platforms.md §6.6); core reads both.
 */
const KEPT_CLICK_PARAMETERS = [
  ['gclid', 'gclid'],
  ['gbraid', 'gbraid'],
  ['wbraid', 'wbraid'],
  ['ttclid', 'ttclid'],
  ['scClickId', 'ScCid'],
  ['epik', 'epik'],
  ['rdtCid', 'rdt_cid'],
  ['liFatId', 'li_fat_id'],
  ['msclkid', 'msclkid'],
] as const satisfies readonly (readonly [keyof ClickIds, string])[];

/** Browsers drop a cookie whose name and value exceed 4096 bytes; stay below with room to spare. */
const MAX_CLICKS_COOKIE_VALUE = 4000;

/** The kept click IDs of `ids` (all but `fbclid`); empty when it has none. */
export function adClickIds(ids: ClickIds): ClickIds {
  const kept: ClickIds = {};
  for (const [field] of KEPT_CLICK_PARAMETERS) {
    const value = ids[field];
    if (value !== undefined) kept[field] = value;
  }
  return kept;
}

/**
 * `_ck_clicks` as a query string (`gclid=Cj0K&ttclid=E.C.P`), the format the browser SDK wrote, so
 * cookies written by browsers and by the relay read the same. Values come from `extractClickIds`
 * (validated there) and are percent-encoded, so the cookie never holds `;`, `,`, spaces or quotes.
 * A parameter that would push the cookie past the browsers' size limit is left out.
 */
export function formatClickCookie(ids: ClickIds): string | undefined {
  let value = '';
  for (const [field, parameter] of KEPT_CLICK_PARAMETERS) {
    const id = ids[field];
    if (id === undefined) continue;
    const pair = `${value ? '&' : ''}${parameter}=${encodeURIComponent(id)}`;
    if (value.length + pair.length <= MAX_CLICKS_COOKIE_VALUE) value += pair;
  }
  return value || undefined;
}

/**
 * Reads `_ck_clicks` (its raw value) with core's URL parser, so the cookie obeys the same rules as
 * a page URL: unknown parameters, empty, overlong or control-character values are dropped, and a
 * malformed cookie yields nothing rather than an error.
 */
export function parseClickCookie(value: string | undefined): ClickIds {
  if (!value) return {};
  return adClickIds(extractClickIds(`https://x/?${value}`));
}

/**
 * Decides `_ck_clicks`. The click IDs of the newest event (highest `time`) whose page URL has any
 * replace the kept ones entirely: a new ad click is a new attribution, and mixing the `ttclid` of
 * one click with the `gclid` of another would credit a click that did not lead here.
 */
export function decideClickCookie(input: {
  cookie: string | undefined;
  events: readonly { time: number }[];
  clicks: readonly ClickIds[];
  mayWrite: boolean;
  options: CookieOptions;
}): ClickCookieDecision {
  if (input.options.keepClickIds === false) return { kept: {} };
  const decision: ClickCookieDecision = { kept: parseClickCookie(input.cookie) };
  if (!input.mayWrite) return decision;
  let newest: ClickIds | undefined;
  let newestTime = -Infinity;
  input.events.forEach((event, index) => {
    const ids = adClickIds(input.clicks[index] ?? {});
    if (Object.keys(ids).length > 0 && event.time >= newestTime) {
      newest = ids;
      newestTime = event.time;
    }
  });
  // Written even when the cookie already holds this value: a script-set copy (the browser SDK's)
  // then becomes a server-set one, which Safari keeps past its 7-day cap.
  const value = newest && formatClickCookie(newest);
  if (value) decision.set = value;
  return decision;
}

/**
 * The click IDs for one event: its page URL's when they hold any other than `fbclid`, else the kept
 * ones (as the browser SDK did: `clicks || readCookie('_ck_clicks')`). An event whose person denied
 * ad storage gets none from the cookie: reading stored ad identifiers needs that consent, and the
 * browser SDK did not read the cookie without it either.
 */
export function clickIdsWithKept(
  ids: ClickIds,
  kept: ClickIds,
  adStorageDenied: boolean,
): ClickIds {
  if (adStorageDenied || Object.keys(adClickIds(ids)).length > 0) return ids;
  return { ...kept, ...ids };
}

/** One `Set-Cookie` header value. */
export function serializeCookie(
  name: string,
  value: string,
  options: {
    domain: string | undefined;
    maxAgeSeconds: number;
    secure: boolean;
    /** Hide it from page scripts: for cookies only the relay reads [false]. */
    httpOnly?: boolean;
  },
): string {
  // Cookie values may not hold `;`, `,`, spaces or quotes; `_fbc` carries the fbclid byte-exact,
  // which is URL-safe in practice; anything else is percent-encoded rather than breaking the header.
  const safe = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(value)
    ? value
    : encodeURIComponent(value);
  let cookie = `${name}=${safe}; Max-Age=${options.maxAgeSeconds}; Path=/; SameSite=Lax`;
  if (options.domain) cookie += `; Domain=${options.domain}`;
  if (options.secure) cookie += '; Secure';
  if (options.httpOnly) cookie += '; HttpOnly';
  return cookie;
}
