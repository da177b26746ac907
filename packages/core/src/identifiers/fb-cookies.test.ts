import { describe, expect, it } from 'vitest';
import { extractClickIds } from './click-ids';
import { buildFbc, buildFbp, fbcMatchesClick, isFbCookie, parseFbCookie } from './fb-cookies';

describe('isFbCookie', () => {
  it('accepts exactly the values parseFbCookie parses', () => {
    for (const value of [
      'fb.1.1558571054389.1098115397',
      'fb.2.1767225500000.IwAR2F4-dbP0.AQ',
      'fb.1.1558571054389.abc.12345678',
      'fb.1.1558571054389',
      'fb.1.x.123',
      'garbage',
      '',
      'fb.1.1558571054389.' + 'a'.repeat(1100),
      undefined,
    ]) {
      expect(isFbCookie(value)).toBe(parseFbCookie(value) !== undefined);
    }
    expect(isFbCookie('fb.1.1558571054389.1098115397')).toBe(true);
    expect(isFbCookie('garbage')).toBe(false);
  });
});

describe('parseFbCookie', () => {
  it('reads the 4-segment form of Meta docs examples', () => {
    expect(parseFbCookie('fb.1.1558571054389.1098115397')).toEqual({
      subdomainIndex: 1,
      creationTime: 1558571054389,
      payload: '1098115397',
    });
    expect(parseFbCookie('fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890')).toEqual({
      subdomainIndex: 1,
      creationTime: 1554763741205,
      payload: 'AbCdEfGhIjKlMnOpQrStUvWxYz1234567890',
    });
  });

  it.each([
    ['fb.2.1767225500000.IwAR2F4-dbP0.AQ', 'AQ'],
    ['fb.2.1767225500000.IwAR2F4-dbP0.Bg', 'Bg'],
    ['fb.0.1767225500000.IwAR2F4-dbP0.AQQCAQIB', 'AQQCAQIB'],
  ])('reads the 5-segment param-builder form %s', (value, appendix) => {
    expect(parseFbCookie(value)?.appendix).toBe(appendix);
  });

  it('keeps the payload case exactly', () => {
    expect(parseFbCookie('fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQ')?.payload).toBe(
      'IwAR2F4-dbP0l7Mn1IawQQ',
    );
  });

  it.each([
    undefined,
    '',
    'fb.1.1554763741205',
    'fb.1.1554763741205.',
    'fb.1.1554763741205.abc.de.fg',
    'FB.1.1554763741205.abc',
    'gb.1.1554763741205.abc',
    'fb.x.1554763741205.abc',
    'fb.1.15547637412o5.abc',
    'fb.1.1554763741205.abc.ZZ',
    'fb.1.1554763741205.abc.ABCDEFG',
    'fb..1554763741205.abc',
    'fb.1.1554763741205.a b',
    'GA1.1.1827526090.1689745728',
  ])('rejects %j', (value) => {
    expect(parseFbCookie(value)).toBeUndefined();
  });
});

describe('buildFbp', () => {
  it('builds fb.{index}.{ms}.{random below 2^31-1} from the cookie domain', () => {
    expect(buildFbp({ domain: 'www.example.com', now: 1558571054389, random: () => 0.5 })).toBe(
      'fb.2.1558571054389.1073741823',
    );
  });

  it('uses an explicit subdomainIndex over the domain, and 1 when given neither', () => {
    expect(buildFbp({ domain: 'example.com', subdomainIndex: 0, now: 5, random: () => 0 })).toBe(
      'fb.0.5.0',
    );
    expect(buildFbp({ now: 5, random: () => 0.999999999999 })).toBe('fb.1.5.2147483646');
  });

  it('produces values parseFbCookie accepts, with fresh randomness each time', () => {
    const values = Array.from({ length: 200 }, () => buildFbp({ domain: 'example.co.uk' }));
    for (const value of values) {
      const parsed = parseFbCookie(value);
      expect(parsed?.subdomainIndex).toBe(2);
      expect(Number(parsed?.payload)).toBeLessThan(2147483647);
    }
    expect(new Set(values).size).toBeGreaterThan(190);
  });

  it('rejects a negative or fractional subdomainIndex', () => {
    expect(() => buildFbp({ subdomainIndex: -1 })).toThrow(RangeError);
    expect(() => buildFbp({ subdomainIndex: 1.5 })).toThrow(RangeError);
  });
});

describe('buildFbc', () => {
  it('keeps the fbclid byte for byte', () => {
    const fbclid = 'IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk';
    expect(buildFbc({ fbclid, domain: 'shop.example.com', now: 1767225500000 })).toBe(
      `fb.2.1767225500000.${fbclid}`,
    );
    expect(buildFbc({ fbclid: 'AbC%2Fx', subdomainIndex: 1, now: 1 })).toBe('fb.1.1.AbC%2Fx');
  });

  it.each(['', 'a.b', 'a b', 'x'.repeat(501)])('refuses the fbclid %j', (fbclid) => {
    expect(() => buildFbc({ fbclid, now: 1 })).toThrow(TypeError);
  });

  it('builds a value that records its own click', () => {
    const fbc = buildFbc({ fbclid: 'AbCdEf', domain: 'example.com' });
    expect(fbcMatchesClick(fbc, 'AbCdEf')).toBe(true);
  });
});

describe('fbcMatchesClick', () => {
  it('matches the same fbclid, with or without appendix, and only case-sensitively', () => {
    expect(fbcMatchesClick('fb.1.1554763741205.AbCdEf', 'AbCdEf')).toBe(true);
    expect(fbcMatchesClick('fb.1.1554763741205.AbCdEf.AQ', 'AbCdEf')).toBe(true);
    expect(fbcMatchesClick('fb.1.1554763741205.AbCdEf', 'abcdef')).toBe(false);
    expect(fbcMatchesClick('fb.1.1554763741205.Other', 'AbCdEf')).toBe(false);
    expect(fbcMatchesClick(undefined, 'AbCdEf')).toBe(false);
    expect(fbcMatchesClick('garbage', 'garbage')).toBe(false);
  });
});

describe('buildFbc and extractClickIds together', () => {
  it('carry random URL-safe fbclids from a landing URL into a cookie unchanged', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (let round = 0; round < 500; round += 1) {
      const length = 1 + Math.floor(random() * 500);
      let fbclid = '';
      for (let index = 0; index < length; index += 1) {
        fbclid += alphabet[Math.floor(random() * alphabet.length)];
      }
      const extracted = extractClickIds(`https://shop.example.com/?utm=x&fbclid=${fbclid}#top`);
      expect(extracted.fbclid).toBe(fbclid);
      const fbc = buildFbc({ fbclid: extracted.fbclid!, domain: 'shop.example.com', now: 1 });
      expect(parseFbCookie(fbc)).toEqual({ subdomainIndex: 2, creationTime: 1, payload: fbclid });
      expect(fbcMatchesClick(fbc, fbclid)).toBe(true);
    }
  });
});
