/**
 * The one canonical event every destination's exact-body test starts from, so the tests show the
 * per-platform differences side by side: the same phone becomes `16505551212` for Meta and
 * `+16505551212` for Google and TikTok, the Gmail dots are removed only for Google, and the same
 * instant is seconds (Meta, TikTok), microseconds (GA4) or RFC 3339 (Data Manager).
 *
 * The phone is already E.164 because the relay's enrich step converts `user.phone` with
 * libphonenumber-js before any `doPrepare` sees it.
 */
import type { ConversionEvent } from '@capi-kit/core';

/** 2026-01-01T00:00:00.000Z, the instant of the canonical event (ms epoch). */
export const CANONICAL_EVENT_TIME = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A clock one hour after the canonical event: inside every platform's window. */
export const CANONICAL_NOW = CANONICAL_EVENT_TIME + 60 * 60 * 1000;

/** Hashes of the canonical personal data (platforms.md §1.1 and §1.2), for readable assertions. */
export const CANONICAL_HASHES = {
  /** sha256('john.smith@gmail.com'): Meta and TikTok keep the dot. */
  emailWithDots: 'd0c648bc36f12061bec770df216cea2ab95851b9350fd54b658de53b0407767a',
  /** sha256('johnsmith@gmail.com'): Google removes dots in Gmail local parts. */
  emailGoogle: '3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586',
  /** sha256('16505551212'): Meta, no `+`. */
  phoneDigits: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
  /** sha256('+16505551212'): Google and TikTok, E.164 with `+`. */
  phoneE164: '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
  /** sha256('mary') (Meta's official first-name vector). */
  firstName: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
  /** sha256('obriensmith'): punctuation and spaces removed from `O'Brien-Smith`. */
  lastName: '16765783f9c8c8a3accf27f1abb877688cb5904c21a4a7afb5f125bcfcb246ba',
  /** sha256('user-42'): the external ID, for platforms that want it hashed (TikTok). */
  externalId: '6d894aa3ee802549d7f340e7c1cf0d1c1cb14cd84f768d92ffaa6785337c4997',
  /** sha256('94035'): the ZIP, for platforms that want it hashed (TikTok). */
  zip: '1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e',
} as const;

/**
 * A fresh copy of the canonical Purchase event (callers may mutate it). `overrides` replaces
 * top-level keys; pass a full `user` or `data` to change those.
 */
export function canonicalEvent(overrides: Partial<ConversionEvent> = {}): ConversionEvent {
  return {
    id: 'evt_01JGZ5M8Q4',
    name: 'Purchase',
    time: CANONICAL_EVENT_TIME,
    source: 'web',
    page: {
      url: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
      referrer: 'https://shop.example.com/checkout',
      title: 'Thank you',
    },
    user: {
      email: 'John.Smith@gmail.com',
      phone: '+16505551212',
      firstName: 'Mary',
      lastName: "O'Brien-Smith",
      city: 'South San Francisco',
      state: 'CA',
      zip: '94035',
      country: 'US',
      externalId: 'user-42',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
      fbp: 'fb.1.1767000000000.1098115397',
      fbc: 'fb.1.1767225500000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk',
      gaClientId: '1827526090.1689745728',
      gaSessionId: '1767225000',
      gclid: 'Cj0KCQtest',
      ttclid: 'E.C.P.abc',
      ttp: '2F7h37YkS1j57AYSKTI7IHhJPYH',
    },
    data: {
      value: 123.45,
      currency: 'USD',
      orderId: 'ord_1',
      contents: [{ id: 'sku1', quantity: 1, price: 123.45, name: 'Shirt', category: 'Apparel' }],
    },
    consent: {
      adStorage: 'granted',
      adUserData: 'granted',
      adPersonalization: 'denied',
      analyticsStorage: 'granted',
      limitedDataUse: false,
    },
    ...overrides,
  };
}
