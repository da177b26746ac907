/**
 * The contract between the shared server and each platform module, plus the validation helpers
 * several platforms share (hash format, ISO-4217 currencies, digit counts). A platform module is a
 * pure function from a received request to an answer, so it can be reasoned about without sockets.
 */
import { randomBytes } from 'node:crypto';
import type { AcceptedEvent, FakePlatformState } from './fake-platform';
import type { Ga4ValidationMessage } from './fake-types';

export interface PlatformRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  bodyText: string;
  bodyBytes: number;
  /** The fake's clock at receipt, ms since the epoch. */
  now: number;
  state: FakePlatformState;
}

export interface PlatformAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; `undefined` answers with no body (GA4's 204). */
  body: unknown;
  /** The body as the platform parsed it, for the request log. */
  parsedBody: unknown;
  accepted?: AcceptedEvent[];
  validationMessages?: Ga4ValidationMessage[];
  testMode: boolean;
}

export type PlatformHandler = (request: PlatformRequest) => PlatformAnswer;

/** Lowercase SHA-256 hex, as every platform wants it (platforms.md §1, §15). */
export const SHA256_HEX = /^[a-f0-9]{64}$/;

/**
 * Meta also accepts the capi-param-builder appendix after the hash: a 2-char or 8-char base64url
 * token (platforms.md §2.4, "Appendix suffix").
 */
export const META_HASHED = /^[a-f0-9]{64}(\.[A-Za-z0-9_-]{2}|\.[A-Za-z0-9_-]{8})?$/;

/** Base64 of 32 bytes, for Data Manager with `encoding: "BASE64"` (platforms.md §15). */
export const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** A value that is one string or an array of strings, as hashed user fields may be. */
export function stringValues(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value as string[];
  }
  return undefined;
}

/** Human hint for a value that should have been hashed, so a failing test says what leaked. */
export function describeUnhashed(value: string): string {
  if (value.includes('@')) return 'looks like a plain e-mail address';
  if (/^\+?[\d\s().-]{6,20}$/.test(value)) return 'looks like a plain phone number';
  if (/^[A-F0-9]{64}$/.test(value)) return 'is upper-case hex';
  return 'is not a lowercase SHA-256 hex digest';
}

/** Number of decimal digits of a non-negative integer. */
export function digitCount(value: number): number {
  return String(Math.trunc(Math.abs(value))).length;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** An opaque trace/request ID like the platforms return. */
export function traceId(length = 11): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

/**
 * ISO-4217 active currency codes (list of the ISO 4217 maintenance agency, current codes only;
 * funds and precious-metal codes left out because no shop charges in them).
 */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN ' +
    'BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
    'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN ' +
    'NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK ' +
    'SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU ' +
    'UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Case-insensitive: Meta's own docs sample sends `"usd"` (platforms.md §2.5). */
export function isIso4217(value: unknown): boolean {
  return typeof value === 'string' && ISO_4217.has(value.toUpperCase());
}
