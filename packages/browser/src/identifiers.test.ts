import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieDomain, firstPartyIds, readCookie } from './identifiers';

const page = window as any;

function clearCookies() {
  for (const pair of document.cookie.split('; ')) {
    const name = pair.split('=')[0];
    if (!name) continue;
    document.cookie = `${name}=;path=/;max-age=-1`;
    document.cookie = `${name}=;path=/;domain=example.com;max-age=-1`;
  }
}

beforeEach(() => page.happyDOM.setURL('https://www.shop.example.com/landing'));
afterEach(clearCookies);

describe('cookieDomain', () => {
  it('probes up to the highest domain that accepts a cookie, skipping the public suffix', () => {
    expect(cookieDomain()).toBe('example.com');
    expect(readCookie('_ck_probe')).toBeUndefined();
  });

  it('uses host-only cookies on IP addresses and single-label hosts', () => {
    expect(cookieDomain('127.0.0.1')).toBeUndefined();
    expect(cookieDomain('localhost')).toBeUndefined();
  });
});

describe('firstPartyIds', () => {
  it('mints _fbp with the subdomain index of the cookie domain and writes it', () => {
    const ids = firstPartyIds();
    expect(ids.fbp).toMatch(/^fb\.1\.\d{13}\.\d+$/);
    expect(readCookie('_fbp')).toBe(ids.fbp);
  });

  it('never rewrites a valid _fbp', () => {
    document.cookie = '_fbp=fb.1.1558571054389.1098115397;path=/';
    expect(firstPartyIds().fbp).toBe('fb.1.1558571054389.1098115397');
    expect(readCookie('_fbp')).toBe('fb.1.1558571054389.1098115397');
  });

  it('replaces an _fbp that is not in Meta format', () => {
    document.cookie = '_fbp=garbage;path=/';
    expect(firstPartyIds().fbp).toMatch(/^fb\.1\.\d{13}\.\d+$/);
  });

  it('writes _fbc from fbclid with the click ID byte-exact (case kept)', () => {
    const before = Date.now();
    const ids = firstPartyIds('https://www.shop.example.com/landing?fbclid=IwAR2xYz_AbC-9');
    const [prefix, index, time, payload] = ids.fbc!.split('.');
    expect([prefix, index, payload]).toEqual(['fb', '1', 'IwAR2xYz_AbC-9']);
    expect(Number(time)).toBeGreaterThanOrEqual(before);
    expect(readCookie('_fbc')).toBe(ids.fbc);
  });

  it('keeps an existing _fbc for the same click, replaces it for a new click', () => {
    document.cookie = '_fbc=fb.1.1554763741205.IwAR2xYz;path=/';
    expect(firstPartyIds('https://www.shop.example.com/?fbclid=IwAR2xYz').fbc).toBe(
      'fb.1.1554763741205.IwAR2xYz',
    );
    expect(firstPartyIds('https://www.shop.example.com/?fbclid=NewClick').fbc).toMatch(
      /^fb\.1\.\d{13}\.NewClick$/,
    );
  });

  it('keeps an _fbc with a 5th segment for the same click, ignores an fbclid that cannot form a cookie', () => {
    document.cookie = '_fbc=fb.1.1554763741205.IwAR2xYz.AQ;path=/';
    expect(firstPartyIds('https://www.shop.example.com/?fbclid=IwAR2xYz').fbc).toBe(
      'fb.1.1554763741205.IwAR2xYz.AQ',
    );
    expect(firstPartyIds('https://www.shop.example.com/?fbclid=a.b').fbc).toBe(
      'fb.1.1554763741205.IwAR2xYz.AQ',
    );
  });

  it('keeps an existing _fbc when the URL has no fbclid', () => {
    document.cookie = '_fbc=fb.1.1554763741205.IwAR2xYz;path=/';
    expect(firstPartyIds().fbc).toBe('fb.1.1554763741205.IwAR2xYz');
  });

  it('leaves the other click IDs to the relay: no cookie, nothing on the result', () => {
    const ids = firstPartyIds('https://www.shop.example.com/?gclid=G1&ttclid=E.C.P.x&fbclid=F1');
    expect(Object.keys(ids).sort()).toEqual(['fbc', 'fbp']);
    expect(document.cookie).not.toMatch(/G1|E\.C\.P/);
  });
});
