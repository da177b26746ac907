/**
 * Per-platform normalization of personal data before hashing (platforms.md §1, §2.4, §3.4, §5.3,
 * §6.3, §7.3, §8.3, §13). A platform matches a hash only if we normalized the value exactly as the
 * platform (and its pixel) does, so each rule cites its source. `normalize` never throws and never
 * returns an empty string: a value it cannot use becomes `undefined` and is left out.
 */
import type { Platform } from '../event';
import { isSha256Hex } from '../hash/sha256';
import {
  countryAlpha2,
  countryNames,
  foldKey,
  nanpCountries,
  regionCodes,
  trunkZeroCallingCodes,
  words,
} from './tables';

/** The personal-data fields `normalize` understands (the personal part of `UserData`). */
export type NormalizableField =
  | 'email'
  | 'phone'
  | 'firstName'
  | 'lastName'
  | 'dateOfBirth'
  | 'gender'
  | 'city'
  | 'state'
  | 'zip'
  | 'country'
  | 'externalId';

/** Options for `normalize` and `hashUserData`. */
export interface NormalizeOptions {
  /** ISO-3166 alpha-2 country used for phone numbers written without a country code. */
  defaultCountry?: string;
  /**
   * Turns a phone number into E.164 (`+16505551212`) or undefined. The server passes one backed by
   * libphonenumber-js; core itself stays dependency-free and without it only understands numbers
   * that carry their country code (`+…` or `00…`), plus national numbers of NANP countries and of
   * the few trunk-`0` countries in its table when `defaultCountry` names one.
   */
  parsePhone?: (value: string, defaultCountry?: string) => string | undefined;
  /** The current time (ms epoch), for the date-of-birth year range. Defaults to `Date.now()`. */
  now?: number;
}

/**
 * Platforms that want phone numbers in E.164 with the `+` (platforms.md §1.3). Reddit's official
 * rule is UNCONFIRMED; this is the form Segment sends (`+` and digits), which Reddit accepts.
 */
const plusPhonePlatforms = /* @__PURE__ */ new Set<Platform>(['google', 'tiktok', 'reddit']);

// ASCII punctuation and symbols plus their Unicode kin (`’`, `–`, `·`): Meta's param builder
// removes the ASCII set (§2.4); a curly apostrophe typed on a phone must give the same hash.
const punctuationAndSpace = /[\p{P}\p{S}\p{Z}\s]+/gu;

// The same classes restricted to ASCII, for the common all-ASCII value: a plain (non-`u`) regex is
// several times cheaper, and on ASCII text the results are identical (every ASCII punctuation mark
// and symbol is in \p{P} or \p{S}; NFC, NFD and diacritic folding change nothing).
const asciiOnly = /^[\x00-\x7f]*$/;
const asciiPunctuationAndSpace = /[\s!-/:-@[-`{-~]+/g;
const asciiDigitsPunctuation = /[0-9!-/:-@[-`{-~]+/g;

/**
 * U+0300 starts the combining diacritical marks. Every character below it is its own NFC and NFD
 * starter (canonical combining class 0) and no two of them compose, so a string made only of
 * them is already NFC and folds character by character (`normalize.test.ts` checks every single
 * character and every pair). Names and cities typed in Latin scripts (`Jörg`, `São Paulo`) stay
 * below it, which lets the fast paths below skip ICU and the Unicode-aware regexes.
 */
const LATIN_END = 0x300;

// A code unit at or above U+0300. A regex, not a charCodeAt loop: it reads a concatenated or
// sliced string once instead of resolving it per character.
const fromCombiningMarks = /[^\0-\u02ff]/;

/** Whether every code unit of `text` is below U+0300 (then `text` already is NFC). */
function isBelowCombiningMarks(text: string): boolean {
  return !fromCombiningMarks.test(text);
}

/**
 * Per character below U+0300, whether the Meta-style name rule removes it: read once from the
 * rule's own Unicode class, so the table and `punctuationAndSpace` cannot disagree.
 */
let latinSeparators: Uint8Array | undefined;

/** Whether the name rule would remove nothing from `text` (false when it cannot tell cheaply). */
function hasNoSeparator(text: string): boolean {
  if (!latinSeparators) {
    const separator = /[\p{P}\p{S}\p{Z}\s]/u;
    latinSeparators = new Uint8Array(LATIN_END);
    for (let code = 0; code < LATIN_END; code++) {
      latinSeparators[code] = separator.test(String.fromCharCode(code)) ? 1 : 0;
    }
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= LATIN_END || latinSeparators[code] === 1) return false;
  }
  return true;
}

/**
 * Normalizes one personal-data value the way `platform` wants it before hashing (or before sending
 * it plain, for the fields a platform takes in clear text).
 *
 * - Returns `undefined` for empty, whitespace-only, non-string or unusable values; never throws.
 * - A value that already is a SHA-256 hex digest is returned lowercased, so it is never hashed twice.
 * - Phones: Meta, Snap and Pinterest get digits with country code and no `+` (`16505551212`);
 *   Google, TikTok and Reddit get E.164 with `+`.
 * - E-mail: trimmed and lowercased; Google also drops the dots of gmail/googlemail local parts;
 *   Reddit applies its own canonicalization (§8.3).
 *
 * @example
 * normalize('phone', '+44 844 412 4653'); // '448444124653'
 * normalize('phone', '+44 844 412 4653', 'google'); // '+448444124653'
 * normalize('lastName', "O'Brien-Smith Jr."); // 'obriensmithjr'
 * normalize('state', 'California'); // 'ca'
 */
export function normalize(
  field: NormalizableField,
  value: unknown,
  platform: Platform = 'meta',
  options?: NormalizeOptions,
): string | undefined {
  if (field === 'dateOfBirth' && value instanceof Date) {
    try {
      return dateFromParts(value, options);
    } catch {
      return undefined;
    }
  }
  return normalizeWith(normalizers[field], value, platform, options);
}

/**
 * `normalize` for one field, as a function: for callers that walk many fields of many events
 * (`hashUserData`), so each call skips looking the field's rule up by name.
 */
export function fieldNormalizer(
  field: NormalizableField,
): (
  value: unknown,
  platform: Platform,
  options: NormalizeOptions | undefined,
) => string | undefined {
  if (field === 'dateOfBirth') {
    return (value, platform, options) => normalize(field, value, platform, options);
  }
  const normalizer = normalizers[field];
  return (value, platform, options) => normalizeWith(normalizer, value, platform, options);
}

/**
 * What every field shares: strings and finite numbers only, NFC, trimmed, a SHA-256 digest passed
 * through lowercased, never throws, never an empty string.
 */
function normalizeWith(
  normalizer: Normalizer,
  value: unknown,
  platform: Platform = 'meta',
  options?: NormalizeOptions,
): string | undefined {
  try {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else return undefined;
    // NFC leaves Latin text unchanged; skipping it there saves a trip through ICU per field.
    text = (isBelowCombiningMarks(text) ? text : text.normalize('NFC')).trim();
    if (text === '') return undefined;
    if (isSha256Hex(text)) return text.toLowerCase();
    const result = normalizer(text, platform, options);
    return result === undefined || result === '' ? undefined : result;
  } catch {
    return undefined;
  }
}

/**
 * `normalize('email', value, platform)` on its own, for bundles that should not carry the country
 * and state tables (the browser's advanced matching).
 *
 * @example
 * normalizeEmail(' Ada.L@GMail.com ', 'google'); // 'adal@gmail.com'
 */
export function normalizeEmail(value: unknown, platform?: Platform): string | undefined {
  return normalizeWith(emailRule, value, platform);
}

/**
 * `normalize('phone', value, platform, options)` on its own (no country or state tables beyond
 * the small phone ones).
 *
 * @example
 * normalizePhone('+44 844 412 4653', 'tiktok'); // '+448444124653'
 */
export function normalizePhone(
  value: unknown,
  platform?: Platform,
  options?: NormalizeOptions,
): string | undefined {
  return normalizeWith(phoneRule, value, platform, options);
}

/**
 * `normalize('firstName' | 'lastName', value, platform)` on its own.
 *
 * @example
 * normalizeName("O'Brien-Smith Jr."); // 'obriensmithjr'
 */
export function normalizeName(value: unknown, platform?: Platform): string | undefined {
  return normalizeWith(nameRule, value, platform);
}

/**
 * `normalize('externalId', value, platform)` on its own.
 *
 * @example
 * normalizeExternalId(' User 42 '); // 'user42'
 */
export function normalizeExternalId(value: unknown, platform?: Platform): string | undefined {
  return normalizeWith(externalIdRule, value, platform);
}

type Normalizer = (
  text: string,
  platform: Platform,
  options: NormalizeOptions | undefined,
) => string | undefined;

const normalizers: Record<NormalizableField, Normalizer> = {
  email: emailRule,
  phone: phoneRule,
  firstName: nameRule,
  lastName: nameRule,
  dateOfBirth: (text, _platform, options) => normalizeDateOfBirth(text, options),
  gender: normalizeGender,
  city: normalizeCity,
  state: normalizeState,
  zip: normalizeZip,
  country: normalizeCountry,
  externalId: externalIdRule,
};

// Loose on purpose (no TLD list, Unicode allowed): Meta's param builder drops what fails an
// RFC-2822-like pattern; one `@`, no spaces, a dot in the domain.
// No `u` flag: `[^\s@]` accepts the same strings code unit by code unit (a surrogate pair is two
// units that are neither space nor `@`), and the non-Unicode matcher is faster.
const emailShape = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function emailRule(text: string, platform: Platform): string | undefined {
  const email = text.toLowerCase();
  if (!emailShape.test(email)) return undefined;
  // Only Google and Reddit rewrite the local part; for everyone else the lowercased address is
  // the answer (its shape guarantees a non-empty local part).
  if (platform !== 'google' && platform !== 'reddit') return email;
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (platform === 'google' && (domain === 'gmail.com' || domain === 'googlemail.com')) {
    // Google (GA4 uid-data, Enhanced Conversions): remove ALL periods of a gmail local part.
    // Segment removes only the first one (platforms.md §11.1); that is a bug we do not copy.
    local = local.replace(/\./g, '');
  } else if (platform === 'reddit') {
    // Reddit's manual advanced matching (§8.3): cut from the first `+`, then keep only letters
    // and digits in the local part, for every domain.
    const plus = local.indexOf('+');
    if (plus >= 0) local = local.slice(0, plus);
    local = local.replace(/[^\p{L}\p{N}]+/gu, '');
  }
  if (local === '') return undefined;
  return `${local}@${domain}`;
}

const e164 = /^\+[1-9]\d{6,14}$/;

function phoneRule(
  text: string,
  platform: Platform,
  options: NormalizeOptions | undefined,
): string | undefined {
  if (!options?.parsePhone && e164.test(text)) {
    // Already E.164 (what the relay's enrich step produces): the rules below would return exactly
    // these digits, so skip them.
    return plusPhonePlatforms.has(platform) ? text : text.slice(1);
  }
  // Extensions are not part of the number (Segment cuts `ext`, `x`, `#` for Reddit, §1.3).
  const withoutExtension = text.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '');
  const defaultCountry = options?.defaultCountry?.trim().toLowerCase() || undefined;
  let digits: string | undefined;
  if (options?.parsePhone) {
    try {
      const parsed = options.parsePhone(withoutExtension, defaultCountry?.toUpperCase());
      if (parsed && /^\+[1-9]\d{6,14}$/.test(parsed)) digits = parsed.slice(1);
    } catch {
      // A throwing parser is treated like one that did not understand the number.
    }
  }
  digits ??= internationalDigits(withoutExtension, defaultCountry);
  if (digits === undefined || !/^[1-9]\d{6,14}$/.test(digits)) return undefined;
  return plusPhonePlatforms.has(platform) ? `+${digits}` : digits;
}

/** Country code + national number as digits, without `+`, or undefined. */
function internationalDigits(text: string, defaultCountry: string | undefined): string | undefined {
  // `+44 (0)20 …` writes the trunk 0 in parentheses; it is not dialled internationally.
  const cleaned = text.replace(/^\s*tel:/i, '').replace(/\(\s*0\s*\)/g, '');
  if (/[a-z]{2,}/i.test(cleaned)) return undefined;
  const hasPlus = /^\s*\+/.test(cleaned);
  let digits = cleaned.replace(/\D+/g, '');
  if (digits === '') return undefined;
  if (hasPlus) return digits.replace(/^0+/, '');
  if (digits.startsWith('00')) return digits.slice(2).replace(/^0+/, '');
  if (defaultCountry && nanpCountries.has(defaultCountry)) {
    if (/^[2-9]\d{9}$/.test(digits)) return `1${digits}`;
    if (/^1[2-9]\d{9}$/.test(digits)) return digits;
  }
  const callingCode = defaultCountry ? trunkZeroCallingCodes[defaultCountry] : undefined;
  if (callingCode && /^0[1-9]/.test(digits)) return callingCode + digits.slice(1);
  // Otherwise the number is taken as already carrying its country code, which is what Meta's own
  // param builder assumes (§2.4: digits only, leading zeros removed, no country-code inference).
  digits = digits.replace(/^0+/, '');
  return digits;
}

function nameRule(text: string, platform: Platform): string | undefined {
  const lower = text.toLowerCase();
  if (platform === 'google') {
    const ascii = asciiOnly.test(lower);
    // GA4/Google Ads (§3.4): remove digits and symbols, lowercase, trim; inner spaces stay.
    return lower
      .replace(ascii ? asciiDigitsPunctuation : /[\p{N}\p{P}\p{S}]+/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
  }
  // Meta/Snap/Pinterest/TikTok (§2.4, §6.3): lowercase, no punctuation, no spaces, UTF-8 letters
  // (accents) kept; NFC was applied by the caller, the only form the official vectors match.
  // Most names (`mary`, `jörg`) have nothing to remove: a table scan answers without a regex.
  if (hasNoSeparator(lower)) return lower;
  return lower.replace(asciiOnly.test(lower) ? asciiPunctuationAndSpace : punctuationAndSpace, '');
}

const femaleWords = /* @__PURE__ */ words(
  'f female woman women w girl lady mrs ms miss she her femme feminin feminine frau weiblich mujer femenino feminino donna',
);
const maleWords = /* @__PURE__ */ words(
  'm male man men boy mr sir he him homme masculin masculine herr mann mannlich hombre masculino uomo',
);
const nonBinaryWords = /* @__PURE__ */ words('n x nonbinary other diverse divers');

function normalizeGender(text: string, platform: Platform): string | undefined {
  const word = foldKey(text);
  if (femaleWords.has(word)) return 'f';
  if (maleWords.has(word)) return 'm';
  // Pinterest alone documents a third value, `n` (§7.3); elsewhere it is left out.
  if (platform === 'pinterest' && nonBinaryWords.has(word)) return 'n';
  return undefined;
}

function normalizeDateOfBirth(
  text: string,
  options: NormalizeOptions | undefined,
): string | undefined {
  // An ISO date-time (`1997-02-16T00:00:00Z`) carries the date in its first three groups.
  const isoDateTime = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ]\d/.exec(text);
  const groups = isoDateTime ? isoDateTime.slice(1, 4) : text.match(/\d+/g);
  if (!groups) return undefined;
  if (groups.length === 1) {
    const only = groups[0]!;
    if (only.length !== 8) return undefined;
    return checkedDate(+only.slice(0, 4), +only.slice(4, 6), +only.slice(6, 8), options);
  }
  if (groups.length !== 3) return undefined;
  // Meta's param builder (§2.4): the year is the group > 31 (or the 4-digit one), else the last;
  // of the two others, month comes first unless the first is > 12 (US order by default).
  let yearIndex = groups.findIndex((group) => group.length >= 3 || Number(group) > 31);
  if (yearIndex < 0) yearIndex = 2;
  const rest = groups.filter((_, index) => index !== yearIndex).map(Number);
  let year = Number(groups[yearIndex]);
  if (groups[yearIndex]!.length <= 2) {
    const currentYear = new Date(options?.now ?? Date.now()).getUTCFullYear();
    year += year > currentYear % 100 ? 1900 : 2000;
  }
  const [first, second] = rest as [number, number];
  return first > 12
    ? checkedDate(year, second, first, options)
    : checkedDate(year, first, second, options);
}

function dateFromParts(date: Date, options: NormalizeOptions | undefined): string | undefined {
  const time = date.getTime();
  if (!Number.isFinite(time)) return undefined;
  return checkedDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), options);
}

function checkedDate(
  year: number,
  month: number,
  day: number,
  options: NormalizeOptions | undefined,
): string | undefined {
  const currentYear = new Date(options?.now ?? Date.now()).getUTCFullYear();
  // Meta's docs (§2.4): year 1900..now; a real calendar day (no 31 Feb).
  if (!(year >= 1900 && year <= currentYear && month >= 1 && month <= 12 && day >= 1)) {
    return undefined;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

/**
 * Cities. Meta's docs ask for lowercase with no spaces, punctuation or special characters and
 * recommend a–z letters; its param builder deletes every non-`[a-z0-9]` character, so `São Paulo`
 * becomes `sopaulo` (§11.4). We decide to fold diacritics instead (`saopaulo`), which is what the
 * docs' a–z advice produces and what a person typing without accents produces, and to keep letters
 * of other scripts (`東京`) rather than deleting the whole name. Google takes the city in clear text
 * (§3.4: digits and symbols removed, lowercase, trimmed), so it keeps its spaces and accents.
 */
function normalizeCity(text: string, platform: Platform): string | undefined {
  if (platform === 'google') {
    return text
      .toLowerCase()
      .replace(asciiOnly.test(text) ? asciiDigitsPunctuation : /[\p{N}\p{P}\p{S}]+/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
  }
  return foldLettersAndDigits(text);
}

function foldLettersAndDigits(text: string): string {
  let ascii = true;
  let folded = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) {
      ascii = false;
      break;
    }
    // Already lowercase letters and digits only: nothing to change.
    if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))) folded = false;
  }
  if (ascii) return folded ? text : text.toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (isBelowCombiningMarks(text)) {
    // Latin text folds one character at a time (see LATIN_END): `ü` → `u`, `ß` → `ß`, `-` → ``.
    latinFolds ??= Array.from({ length: LATIN_END }, (_, code) =>
      foldUnicode(String.fromCharCode(code)),
    );
    let result = '';
    for (let index = 0; index < text.length; index++) result += latinFolds[text.charCodeAt(index)];
    return result;
  }
  return foldUnicode(text);
}

/** `foldLettersAndDigits` of each character below U+0300, built on first use. */
let latinFolds: string[] | undefined;

/** Diacritics off, lowercase, letters and digits of every script only. */
function foldUnicode(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * States: 2-letter lowercase codes; US state and Canadian province names map to theirs (§2.4), as
 * does an ISO-3166-2 code such as `US-CA`. Other regions are sent as their folded name (Meta's docs:
 * "states outside the US: no punctuation, no special characters, no white space"), not the param
 * builder's first two letters (`Bavaria` → `ba`), which collide with real codes.
 */
function normalizeState(text: string): string | undefined {
  const iso = /^[a-z]{2}-([a-z0-9]{1,3})$/i.exec(text);
  if (iso) return iso[1]!.toLowerCase();
  const folded = foldLettersAndDigits(text);
  if (/^[a-z]{2}$/.test(folded)) return folded;
  return regionCodes.get(foldKey(text)) ?? folded;
}

/**
 * Postal codes: a US ZIP or ZIP+4 becomes its 5 digits (§2.4); others are lowercased with spaces and
 * dashes removed (Meta's docs: "no spaces and no dash"; the param builder's cut at the first dash
 * would turn Poland's `00-950` into `00`).
 */
// Pinterest documents "digits only" for `zp` (§7.3), which cannot express a UK or Canadian postcode;
// letters are kept for those rather than destroying the value.
function normalizeZip(text: string): string | undefined {
  // Five digits, the usual input, already is the answer (the pattern below would return it).
  if (text.length === 5 && isDigits(text)) return text;
  const us = /^(\d{5})(?:[\s-]?\d{4})?$/.exec(text);
  if (us) return us[1];
  const compact = text.toLowerCase().replace(/[\s\-–]+/g, '');
  if (!/^[\p{L}\p{N}]{2,10}$/u.test(compact)) return undefined;
  return compact;
}

function isDigits(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** Every assigned alpha-2 code at index `26 × first letter + second letter`, built on first use. */
let alpha2ByLetters: (string | undefined)[] | undefined;

function alpha2Table(): (string | undefined)[] {
  const table: (string | undefined)[] = new Array(26 * 26).fill(undefined);
  for (const code of countryAlpha2) {
    table[(code.charCodeAt(0) - 0x61) * 26 + (code.charCodeAt(1) - 0x61)] = code;
  }
  return table;
}

/** ISO-3166-1 alpha-2, lowercase (§2.4); known names and alpha-3 codes are mapped, unknown → undefined. */
function normalizeCountry(text: string): string | undefined {
  if (text.length === 2) {
    // Two ASCII letters (`US`, `de`), the usual input: `foldKey` would only lowercase them.
    // (`| 0x20` lowercases A–Z and keeps a–z; nothing else lands in a–z.)
    const first = text.charCodeAt(0) | 0x20;
    const second = text.charCodeAt(1) | 0x20;
    if (first >= 0x61 && first <= 0x7a && second >= 0x61 && second <= 0x7a) {
      // The code itself from a table: no new string, no set lookup.
      alpha2ByLetters ??= alpha2Table();
      return alpha2ByLetters[(first - 0x61) * 26 + (second - 0x61)];
    }
  }
  const key = foldKey(text);
  if (key.length === 2) return countryAlpha2.has(key) ? key : undefined;
  return countryNames.get(key);
}

/**
 * External IDs: the hashing platforms get Meta's param-builder form (lowercase, whitespace removed,
 * §2.4; Segment lowercases for TikTok too) so pixel and server hashes agree; platforms that take it
 * in clear text (GA4 `user_id`, LinkedIn, Reddit) get it only trimmed, since it is the shop's own key.
 */
function externalIdRule(text: string, platform: Platform): string | undefined {
  if (platform === 'google' || platform === 'linkedin' || platform === 'reddit') return text;
  return text.toLowerCase().replace(/\s+/g, '');
}
