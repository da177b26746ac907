import { parseFbCookie } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import {
  CLICKS_COOKIE,
  clickIdsWithKept,
  cookieDomainFor,
  decideClickCookie,
  decideMetaCookies,
  formatClickCookie,
  parseClickCookie,
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
  it('marks a cookie HttpOnly when asked', () => {
    expect(
      serializeCookie('_ck_clicks', 'gclid=a&ttclid=b', {
        domain: undefined,
        maxAgeSeconds: 7_776_000,
        secure: false,
        httpOnly: true,
      }),
    ).toBe('_ck_clicks=gclid=a&ttclid=b; Max-Age=7776000; Path=/; SameSite=Lax; HttpOnly');
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
  it('leaves the values of raw cookies undecoded', () => {
    const cookies = parseCookieHeader('_ck_clicks=gclid=a%26b; x=a%26b', new Set([CLICKS_COOKIE]));
    expect(Object.fromEntries(cookies)).toEqual({ _ck_clicks: 'gclid=a%26b', x: 'a&b' });
  });
});

describe('decideClickCookie', () => {
  function decideClicks(
    clicks: Record<string, string>[],
    cookie?: string,
    options: CookieOptions = {},
    mayWrite = true,
  ) {
    return decideClickCookie({
      cookie,
      events: clicks.map((_, index) => ({ time: NOW - index * 1000 })),
      clicks,
      mayWrite,
      options,
    });
  }

  it('keeps the click IDs other than fbclid, under their URL names', () => {
    const decision = decideClicks([{ fbclid: 'IwAR', gclid: 'G1', scClickId: 'S1', rdtCid: 'R1' }]);
    expect(decision.set).toBe('gclid=G1&ScCid=S1&rdt_cid=R1');
  });

  it('takes the newest event that has click IDs, not the first', () => {
    const decision = decideClickCookie({
      cookie: undefined,
      events: [{ time: NOW - 5000 }, { time: NOW }, { time: NOW - 1000 }],
      clicks: [{ gclid: 'old' }, { ttclid: 'new' }, {}],
      mayWrite: true,
      options: {},
    });
    expect(decision.set).toBe('ttclid=new');
  });

  it('sets nothing for an fbclid alone, without consent, or when turned off', () => {
    expect(decideClicks([{ fbclid: 'IwAR' }]).set).toBeUndefined();
    expect(decideClicks([{ gclid: 'G1' }], undefined, {}, false).set).toBeUndefined();
    expect(decideClicks([{ gclid: 'G1' }], 'ttclid=T', { keepClickIds: false })).toEqual({
      kept: {},
    });
  });

  it('reads the kept click IDs from the cookie even when it may not write', () => {
    expect(decideClicks([{}], 'gclid=G0&msclkid=M0', {}, false)).toEqual({
      kept: { gclid: 'G0', msclkid: 'M0' },
    });
  });
});

describe('formatClickCookie and parseClickCookie', () => {
  it('round-trip through Set-Cookie and Cookie, whatever the values hold', () => {
    const ids = { gclid: 'a&b=c', ttclid: 'E.C.P.100%+/', liFatId: 'ünï' };
    const value = formatClickCookie(ids)!;
    const header = serializeCookie(CLICKS_COOKIE, value, {
      domain: undefined,
      maxAgeSeconds: 1,
      secure: false,
    });
    // The value needed no second encoding: it holds nothing a cookie cannot.
    expect(header.startsWith(`${CLICKS_COOKIE}=${value};`)).toBe(true);
    const sent = parseCookieHeader(header.split(';')[0]!, new Set([CLICKS_COOKIE]));
    expect(parseClickCookie(sent.get(CLICKS_COOKIE))).toEqual(ids);
  });

  it('leaves out a value that would push the cookie past the browsers limit', () => {
    // Each `é` takes 6 characters encoded: gclid and wbraid fill 3 514 of the 4 000, ttclid does not fit.
    const wide = '\u00e9'.repeat(500);
    const value = formatClickCookie({
      gclid: 'g'.repeat(500),
      wbraid: wide,
      ttclid: wide,
      msclkid: 'm',
    });
    expect(value).toMatch(/^gclid=g{500}&wbraid=(%C3%A9){500}&msclkid=m$/);
  });

  it('drops fbclid and anything core would not take from a URL', () => {
    expect(parseClickCookie('fbclid=IwAR&gclid=&ttclid=a%20b&epik=ok&x=1')).toEqual({ epik: 'ok' });
    expect(parseClickCookie('%E0%A4%A')).toEqual({});
    expect(parseClickCookie(undefined)).toEqual({});
  });
});

describe('clickIdsWithKept', () => {
  const kept = { gclid: 'kept-g', ttclid: 'kept-t' };
  it('lends the kept click IDs to an event whose URL has none but fbclid', () => {
    expect(clickIdsWithKept({ fbclid: 'IwAR' }, kept, false)).toEqual({ ...kept, fbclid: 'IwAR' });
  });
  it('lets the URL click IDs replace the kept ones entirely', () => {
    expect(clickIdsWithKept({ msclkid: 'url' }, kept, false)).toEqual({ msclkid: 'url' });
  });
  it('lends nothing when the person denied ad storage', () => {
    expect(clickIdsWithKept({}, kept, true)).toEqual({});
  });
});
