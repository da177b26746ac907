/**
 * Meta's first-party cookies `_fbp` (browser ID) and `_fbc` (click ID), format
 * `fb.{subdomainIndex}.{creationTime ms}.{payload}[.{appendix}]` (platforms.md §2.8, Meta's
 * "fbp and fbc parameters" page). A valid existing cookie is never rewritten: Meta attributes by
 * its creation time, and a fresh one would look like a new browser or a new click.
 */
import { subdomainIndexFor } from './subdomain-index';

/** A parsed `_fbp` or `_fbc` value. */
export interface FbCookie {
  /** 0 = `com`, 1 = `example.com`, 2 = `www.example.com`. */
  subdomainIndex: number;
  /** When the cookie was created, ms since the epoch. */
  creationTime: number;
  /** The random number (`_fbp`) or the raw, case-sensitive `fbclid` (`_fbc`). */
  payload: string;
  /** The param builder's 5th segment (`AQ`…`Bg`, or an 8-character token), if present. */
  appendix?: string;
}

/**
 * The param builder's acceptance rule (§2.8 step 1) as one expression (no tables built at import,
 * so the browser bundle stays small): `fb`, a subdomain index of up to 3 digits, a creation time of
 * up to 16 digits, a non-empty payload without whitespace, `;` or `,`, and an optional 5th segment
 * that is one of capi-param-builder's 2-character language tokens or its 8-character version
 * appendix.
 */
const fbCookiePattern =
  /^fb\.(\d{1,3})\.(\d{1,16})\.([^.\s;,]+)(?:\.(AQ|Ag|Aw|BA|BQ|Bg|[^.]{8}))?$/;

/**
 * Parses an `_fbp` or `_fbc` cookie by the param builder's acceptance rule (§2.8 step 1): 4 or 5
 * dot-separated segments, `fb` first, digits in the 2nd and 3rd, a non-empty payload, and a 5th
 * segment that is a known 2-character token or exactly 8 characters. Anything else is undefined.
 *
 * @example
 * parseFbCookie('fb.1.1558571054389.1098115397');
 * // { subdomainIndex: 1, creationTime: 1558571054389, payload: '1098115397' }
 */
export function parseFbCookie(value: string | undefined): FbCookie | undefined {
  const match =
    typeof value === 'string' && value.length <= 1024 ? fbCookiePattern.exec(value) : null;
  if (!match) return undefined;
  const cookie: FbCookie = {
    subdomainIndex: Number(match[1]),
    creationTime: Number(match[2]),
    payload: match[3]!,
  };
  if (match[4] !== undefined) cookie.appendix = match[4];
  return cookie;
}

/**
 * Whether `value` is a valid `_fbp`/`_fbc` by the same rule as `parseFbCookie`, without building
 * the parsed object (the browser bundle only needs the yes/no).
 *
 * @example
 * isFbCookie('fb.1.1558571054389.1098115397'); // true
 */
export function isFbCookie(value: string | undefined): boolean {
  return typeof value === 'string' && value.length <= 1024 && fbCookiePattern.test(value);
}

/**
 * `fb.{index}.{now}.{payload}`: the index from `subdomainIndex`, else from `domain` (the cookie's
 * domain), else 1 (`example.com`, the common case and what Meta's docs examples show).
 */
function fbValue(
  options: { domain?: string; subdomainIndex?: number; now?: number },
  payload: string | number,
): string {
  const index =
    options.subdomainIndex ??
    (options.domain !== undefined ? subdomainIndexFor(options.domain) : 1);
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError('subdomainIndex must be a non-negative integer');
  }
  return `fb.${index}.${Math.floor(options.now ?? Date.now())}.${payload}`;
}

/**
 * Mints a new `_fbp` value: `fb.{index}.{now}.{random}`, the random part an integer below 2^31 - 1
 * as Meta's server builder makes it (§2.8). The index comes from `subdomainIndex`, else from
 * `domain` (the cookie's domain), else 1.
 *
 * @example
 * buildFbp({ domain: 'example.com' }); // 'fb.1.1767225600000.1098115397'
 */
export function buildFbp(options: {
  domain?: string;
  subdomainIndex?: number;
  now?: number;
  random?: () => number;
}): string {
  const random = options.random
    ? Math.min(Math.max(options.random(), 0), 1 - 2 ** -53)
    : crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
  return fbValue(options, Math.floor(random * 2147483647));
}

/** Whether `fbclid` can be the payload of an `_fbc` cookie (no dots, no spaces, ≤ 500 chars). */
export function isUsableFbclid(fbclid: string): boolean {
  // Meta's client builder ignores fbclid over 500 chars (§2.8); a dot would split the cookie.
  return fbclid.length > 0 && fbclid.length <= 500 && !/[\s.;,\u0000-\u001f\u007f]/.test(fbclid);
}

/**
 * Builds an `_fbc` value from a click's `fbclid`: `fb.{index}.{now}.{fbclid}`. The fbclid is kept
 * byte for byte (case-sensitive, never decoded or re-encoded: Meta's docs). Throws a `TypeError`
 * for an fbclid that cannot form a cookie (empty, over 500 characters, a dot or whitespace).
 *
 * @example
 * buildFbc({ fbclid: 'IwAR2F4-dbP0l7Mn1', domain: 'www.example.com', now: 1554763741205 });
 * // 'fb.2.1554763741205.IwAR2F4-dbP0l7Mn1'
 */
export function buildFbc(options: {
  fbclid: string;
  domain?: string;
  subdomainIndex?: number;
  now?: number;
}): string {
  if (typeof options.fbclid !== 'string' || !isUsableFbclid(options.fbclid)) {
    throw new TypeError('fbclid must be 1–500 characters without dots or whitespace');
  }
  return fbValue(options, options.fbclid);
}

/**
 * Whether an existing `_fbc` already records this click. When it does, keep it; when it records
 * another click (or is invalid), a new `_fbc` is due (§2.8 step 4, §11.11: a new fbclid replaces it).
 */
export function fbcMatchesClick(fbc: string | undefined, fbclid: string): boolean {
  const parsed = parseFbCookie(fbc);
  return parsed !== undefined && parsed.payload === fbclid;
}
