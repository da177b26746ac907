import { describe, expect, it } from 'vitest';
import { rawHeaderReader } from './node-request';

describe('rawHeaderReader', () => {
  it('reads rawHeaders as a Request built from them would', () => {
    const raw = [
      'Host',
      'shop.example.com',
      'Cookie',
      '_fbp=fb.1.1.1',
      'X-Forwarded-For',
      '203.0.113.1',
      'cookie',
      '_fbc=fb.1.1.abc',
      'x-forwarded-for',
      ' 198.51.100.7\t',
      'User-Agent',
      'first',
      'User-Agent',
      'second',
      'Origin',
      'https://shop.example.com',
      'X-Empty',
      '',
    ];
    const pairs: [string, string][] = [];
    for (let index = 0; index < raw.length; index += 2) pairs.push([raw[index]!, raw[index + 1]!]);
    const expected = new Request('http://shop.example.com/e', { headers: pairs }).headers;
    const reader = rawHeaderReader(raw);
    for (const name of [
      'host',
      'Cookie',
      'cookie',
      'x-forwarded-for',
      'user-agent',
      'ORIGIN',
      'x-empty',
      'referer',
      'content-length',
    ]) {
      expect(reader.get(name), name).toBe(expected.get(name));
    }
  });

  it('leaves out HTTP/2 pseudo-headers', () => {
    expect(rawHeaderReader([':authority', 'shop.example.com']).get(':authority')).toBeNull();
  });
});
