/**
 * The enrich step: facts only the server knows, added to each event. The client IP (socket, then
 * trusted proxy headers), the user agent, first-party cookies and click IDs, and phone numbers in
 * E.164 (libphonenumber-js, so core can format them per platform). Browser-sent `ip`/`userAgent`
 * never get here: the wire validator drops them.
 */
import {
  extractClickIds,
  gaClientIdFromCookie,
  type ConversionEvent,
  type UserData,
} from '@capi-kit/core';
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/min';
import type { MetaCookieDecision } from './cookies';
import { copyForAdding } from './copy-object';

/** What the request tells about the person. */
export interface RequestFacts {
  ip: string | undefined;
  userAgent: string | undefined;
  cookies: Map<string, string>;
  meta: MetaCookieDecision;
}

/** Identifier cookies read as they are, by the `UserData` field they fill. */
const COOKIE_FIELDS = [
  ['_ttp', 'ttp'],
  ['_scid', 'scCookie1'],
  ['_epik', 'epik'],
  ['_rdt_uuid', 'rdtUuid'],
  ['li_fat_id', 'liFatId'],
] as const;

/**
 * Click IDs read from the page URL (else kept in `_ck_clicks`, see cookies.ts) when the event does
 * not carry them yet: an ID sent on `event.user` wins.
 */
const CLICK_FIELDS = [
  'gclid',
  'gbraid',
  'wbraid',
  'ttclid',
  'scClickId',
  'epik',
  'rdtCid',
  'liFatId',
  'msclkid',
] as const;

/** A new event with the request facts merged into `user`. */
export function enrichEvent(
  event: ConversionEvent,
  facts: RequestFacts,
  defaultCountry: string | undefined,
  clickIds: ReturnType<typeof extractClickIds> = extractClickIds(event.page?.url),
): ConversionEvent {
  const user: UserData = copyForAdding(event.user);
  if (facts.ip) user.ip = facts.ip;
  else delete user.ip;
  if (facts.userAgent) user.userAgent = facts.userAgent;
  else delete user.userAgent;
  // The server's cookie decision wins over what the page script saw: it validated or minted them.
  if (facts.meta.fbp) user.fbp = facts.meta.fbp;
  if (facts.meta.fbc) user.fbc = facts.meta.fbc;
  const ga = gaClientIdFromCookie(facts.cookies.get('_ga'));
  if (ga && !user.gaClientId) user.gaClientId = ga;
  for (const [cookie, field] of COOKIE_FIELDS) {
    const value = facts.cookies.get(cookie);
    if (value && !user[field]) user[field] = value.slice(0, 500);
  }
  const clicks = clickIds as Partial<Record<(typeof CLICK_FIELDS)[number], string>>;
  for (const field of CLICK_FIELDS) {
    const value = clicks[field];
    if (value && !user[field]) user[field] = value;
  }
  normalizePhones(user, defaultCountry);
  const enriched = copyForAdding(event);
  enriched.user = user;
  return enriched;
}

/**
 * Turns phone numbers into E.164 (`+16505551212`) using the person's country or the default, so
 * `(650) 555-1212` typed by a US shopper keeps its country code. Unparseable numbers are left for
 * core's normalizer, which keeps only numbers that carry their own country code.
 */
export function normalizePhones(user: UserData, defaultCountry: string | undefined): void {
  if (user.phone === undefined) return;
  // The country is looked up only for a number that needs it (not already international).
  let country: CountryCode | undefined | null = null;
  const countryFor = (): CountryCode | undefined => {
    if (country !== null) return country;
    const countryValue = Array.isArray(user.country) ? user.country[0] : user.country;
    const candidate =
      typeof countryValue === 'string' && /^[a-z]{2}$/i.test(countryValue.trim())
        ? countryValue.trim().toUpperCase()
        : defaultCountry?.toUpperCase();
    country = candidate && isSupportedCountry(candidate) ? candidate : undefined;
    return country;
  };
  const convert = (value: string): string => {
    if (/^[0-9a-f]{64}$/i.test(value)) return value;
    // Already international (`+1 650-555-1212`): E.164 is just the digits, no need for the
    // metadata lookup, which costs more than the rest of the collect path together.
    const compact = value.replace(/[\s().-]/g, '');
    if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
    const parsed = parsePhoneNumberFromString(value, countryFor());
    return parsed?.isPossible() ? parsed.number : value;
  };
  user.phone = Array.isArray(user.phone)
    ? (user.phone as readonly string[]).map(convert)
    : convert(user.phone as string);
}
