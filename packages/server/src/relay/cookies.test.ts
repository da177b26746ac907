import { parseFbCookie } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import {
  cookieDomainFor,
  decideMetaCookies,
  parseCookieHeader,
  serializeCookie,
  type CookieOptions,
} from './cookies';

const NOW = 1_767_225_600_000;
const VALID_FBP = 'fb.1.1767000000000.1098115397';
const VALID_FBC = 'fb.1.1767000000000.IwAR-old-click';

function decide(
  cookies: Record<string, string>,
  fbclid?: string,
  options: CookieOptions = {},
  mayWrite = true,
) {
  return decideMetaCookies({
    cookies: new Map(Object.entries(cookies)),
    fbclid,
    host: 'shop.example.co.uk',
    domain: 'example.co.uk',
    now: NOW,
    mayWrite,
    options,
  });
}

describe('decideMetaCookies', () => {
  it('mints _fbp when missing, with the domain index and the current time', () => {
    const decision = decide({});
    expect(decision.set.map((cookie) => cookie.name)).toEqual(['_fbp']);
    const parsed = parseFbCookie(decision.fbp);
    expect(parsed).toMatchObject({ subdomainIndex: 2, creationTime: NOW });
  });

  it('never rewrites a valid _fbp or _fbc', () => {
    const decision = decide({ _fbp: VALID_FBP, _fbc: VALID_FBC });
    expect(decision).toEqual({ fbp: VALID_FBP, fbc: VALID_FBC, set: [] });
  });

  it('keeps a valid _fbc that already holds the same click', () => {
    const decision = decide({ _fbp: VALID_FBP, _fbc: VALID_FBC }, 'IwAR-old-click');
    expect(decision.set).toEqual([]);
    expect(decision.fbc).toBe(VALID_FBC);
  });

  it('builds _fbc from a new fbclid, byte-exact', () => {
    const decision = decide({ _fbp: VALID_FBP, _fbc: VALID_FBC }, 'IwAR2F4-NewClick_Case');
    expect(decision.fbc).toBe(`fb.2.${NOW}.IwAR2F4-NewClick_Case`);
    expect(decision.set).toEqual([{ name: '_fbc', value: decision.fbc }]);
  });

  it('replaces a malformed _fbp and drops a malformed _fbc', () => {
    const decision = decide({ _fbp: 'garbage', _fbc: 'also.garbage' });
    expect(decision.fbp).not.toBe('garbage');
    expect(decision.fbc).toBeUndefined();
    expect(decision.set.map((cookie) => cookie.name)).toEqual(['_fbp']);
  });

  it('writes nothing when consent forbids it or minting is off', () => {
    expect(decide({}, 'IwARclick', {}, false).set).toEqual([]);
    expect(decide({}, undefined, { mintFbp: false })).toEqual({ set: [] });
  });
});

describe('cookieDomainFor', () => {
  it('uses the registrable domain from the public suffix list', () => {
    expect(cookieDomainFor('shop.example.co.uk', undefined)).toBe('example.co.uk');
    expect(cookieDomainFor('www.example.com', undefined)).toBe('example.com');
  });
  it('leaves IPs and localhost host-only', () => {
    expect(cookieDomainFor('127.0.0.1', undefined)).toBeUndefined();
    expect(cookieDomainFor('localhost', undefined)).toBeUndefined();
  });
  it('prefers the configured domain', () => {
    expect(cookieDomainFor('shop.example.com', '.example.com')).toBe('example.com');
  });
});

describe('serializeCookie', () => {
  it('writes a long-lived first-party cookie, Secure on https', () => {
    expect(
      serializeCookie('_fbp', VALID_FBP, {
        domain: 'example.com',
        maxAgeSeconds: 33_696_000,
        secure: true,
      }),
    ).toBe(`_fbp=${VALID_FBP}; Max-Age=33696000; Path=/; SameSite=Lax; Domain=example.com; Secure`);
  });
  it('percent-encodes characters a cookie value cannot hold', () => {
    expect(
      serializeCookie('_fbc', 'a b;c', { domain: undefined, maxAgeSeconds: 1, secure: false }),
    ).toBe('_fbc=a%20b%3Bc; Max-Age=1; Path=/; SameSite=Lax');
  });
});

describe('parseCookieHeader', () => {
  it('reads names and values, keeping the first of duplicates', () => {
    const cookies = parseCookieHeader(
      '_fbp=fb.1.2.3; _ga=GA1.1.123.456; _fbp=second; broken; x="q"',
    );
    expect(Object.fromEntries(cookies)).toEqual({ _fbp: 'fb.1.2.3', _ga: 'GA1.1.123.456', x: 'q' });
  });
});
