/**
 * First-party cookies on the collect path: read the identifiers ad platforms match on (`_fbp`,
 * `_fbc`, `_ga`, `_ttp`, `_scid`, `_epik`, `_rdt_uuid`, `li_fat_id`), mint `_fbp` and build
 * `_fbc` from `fbclid` when missing, and write them back as server-set cookies, which outlive
 * Safari's 7-day cap on script-set cookies. A valid cookie is never rewritten (platforms.md §2.8,
 * §11.11): rewriting `_fbp` would split one browser into two for Meta.
 */
import {
  buildFbc,
  buildFbp,
  fbcMatchesClick,
  parseFbCookie,
  subdomainIndexFor,
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
}

/** Reads a `Cookie` header into a map (first value wins, as browsers send the most specific first). */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === '' || cookies.has(name) || value.length > 4096) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

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

/** One `Set-Cookie` header value. */
export function serializeCookie(
  name: string,
  value: string,
  options: { domain: string | undefined; maxAgeSeconds: number; secure: boolean },
): string {
  // Cookie values may not hold `;`, `,`, spaces or quotes; `_fbc` carries the fbclid byte-exact,
  // which is URL-safe in practice; anything else is percent-encoded rather than breaking the header.
  const safe = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(value)
    ? value
    : encodeURIComponent(value);
  let cookie = `${name}=${safe}; Max-Age=${options.maxAgeSeconds}; Path=/; SameSite=Lax`;
  if (options.domain) cookie += `; Domain=${options.domain}`;
  if (options.secure) cookie += '; Secure';
  return cookie;
}
