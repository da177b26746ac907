import { describe, expect, it } from 'vitest';
import { extractClickIds } from './click-ids';
import { gaClientIdFromCookie } from './ga-cookie';
import { subdomainIndexFor } from './subdomain-index';

describe('subdomainIndexFor', () => {
  it.each([
    ['com', 0],
    ['example.com', 1],
    ['www.example.com', 2],
    ['.example.com', 1],
    ['shop.example.co.uk', 3],
    ['example.com.', 1],
    ['EXAMPLE.COM', 1],
    ['localhost', 0],
    ['127.0.0.1', 0],
    ['203.0.113.7', 0],
    ['::1', 0],
    ['[2001:db8::1]', 0],
    ['', 0],
  ])('%j → %i', (domain, expected) => {
    expect(subdomainIndexFor(domain)).toBe(expected);
  });
});

describe('gaClientIdFromCookie', () => {
  it.each([
    ['GA1.1.1827526090.1689745728', '1827526090.1689745728'],
    ['GA1.2.123.456', '123.456'],
    ['GA1.3-2.123.456', '123.456'],
    [' GA1.1.123.456 ', '123.456'],
    ['GA1.1.123', undefined],
    ['GA1.1.abc.456', undefined],
    ['GS1.1.123.456', undefined],
    ['GA1.1.123.456.789', undefined],
    ['fb.1.1554763741205.abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (cookie, expected) => {
    expect(gaClientIdFromCookie(cookie)).toBe(expected);
  });
});

describe('extractClickIds', () => {
  it('reads every supported click ID under its UserData name', () => {
    const url =
      'https://shop.example.com/p?fbclid=IwAR2F4-dbP0&gclid=Cj0KCQ&gbraid=0AAA&wbraid=Cl0K' +
      '&ttclid=E.C.P.abc&ScCid=sc-1&epik=dj0yJnU9&rdt_cid=rd-1&li_fat_id=li-1&msclkid=ms-1&utm_source=x';
    expect(extractClickIds(url)).toEqual({
      fbclid: 'IwAR2F4-dbP0',
      gclid: 'Cj0KCQ',
      gbraid: '0AAA',
      wbraid: 'Cl0K',
      ttclid: 'E.C.P.abc',
      scClickId: 'sc-1',
      epik: 'dj0yJnU9',
      rdtCid: 'rd-1',
      liFatId: 'li-1',
      msclkid: 'ms-1',
    });
  });

  it('keeps fbclid byte-exact: case kept, percent-escapes neither decoded nor added', () => {
    expect(extractClickIds('/?fbclid=AbC%2FdEf_-x').fbclid).toBe('AbC%2FdEf_-x');
    expect(extractClickIds('/landing?x=1&fbclid=IwAR2F4').fbclid).toBe('IwAR2F4');
  });

  it('decodes the other IDs', () => {
    expect(extractClickIds('/?gclid=Cj0%2BKCQ').gclid).toBe('Cj0+KCQ');
  });

  it('ignores the fragment, empty, oversized and whitespace values, and keeps the first one', () => {
    expect(extractClickIds('/#?fbclid=abc')).toEqual({});
    expect(extractClickIds('/?gclid=&fbclid=' + 'x'.repeat(501))).toEqual({});
    expect(extractClickIds('/?fbclid=' + 'x'.repeat(500)).fbclid).toHaveLength(500);
    expect(extractClickIds('/?gclid=a%20b&ttclid=%E0%A4%A')).toEqual({});
    expect(extractClickIds('/?gclid=first&gclid=second')).toEqual({ gclid: 'first' });
    expect(extractClickIds('/?fbclid=a.b')).toEqual({});
  });

  it('returns nothing for a URL without query, or no URL at all, and ignores prototype keys', () => {
    expect(extractClickIds('https://example.com/')).toEqual({});
    expect(extractClickIds(undefined)).toEqual({});
    const ids = extractClickIds('/?__proto__=x&constructor=y&toString=z');
    expect(ids).toEqual({});
    expect(Object.getPrototypeOf(ids)).toBe(Object.prototype);
  });

  it('splits pairs like a query parser: bare names, a second "=", a "?" in the fragment', () => {
    expect(extractClickIds('/?gclid&ttclid=a=b&=x&fbclid=F1#&gbraid=no')).toEqual({
      ttclid: 'a=b',
      fbclid: 'F1',
    });
    expect(extractClickIds('/p#x?gclid=no')).toEqual({});
    expect(extractClickIds('/?x=1&%67clid=decoded-name')).toEqual({ gclid: 'decoded-name' });
  });

  it('takes a later fbclid when the first one cannot form a cookie', () => {
    expect(extractClickIds('/?fbclid=a.b&fbclid=AbC')).toEqual({ fbclid: 'AbC' });
  });
});
