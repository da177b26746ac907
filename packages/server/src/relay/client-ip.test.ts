import { describe, expect, it } from 'vitest';
import { cleanAddress, clientIp, compileTrustProxy, type TrustProxy } from './client-ip';

function ipFor(
  trustProxy: TrustProxy | undefined,
  socket: string | undefined,
  headers: Record<string, string>,
): string | undefined {
  const configured = trustProxy !== undefined && trustProxy !== false;
  return clientIp(new Headers(headers), socket, compileTrustProxy(trustProxy), configured);
}

describe('clientIp', () => {
  it('uses the socket address and ignores forwarding headers by default', () => {
    expect(ipFor(undefined, '198.51.100.1', { 'x-forwarded-for': '203.0.113.7' })).toBe(
      '198.51.100.1',
    );
  });

  it('takes the leftmost X-Forwarded-For address when every hop is trusted', () => {
    expect(ipFor(true, '10.0.0.1', { 'x-forwarded-for': '203.0.113.7, 10.0.0.2' })).toBe(
      '203.0.113.7',
    );
  });

  it('trusts exactly the given number of hops', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' };
    // One hop (the load balancer) trusted: the address it saw is the client; the forged
    // leftmost entry is ignored.
    expect(ipFor(1, '10.0.0.1', headers)).toBe('203.0.113.7');
    expect(ipFor(2, '10.0.0.1', headers)).toBe('6.6.6.6');
  });

  it('walks past trusted proxies in a CIDR list and stops at the first untrusted one', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.1.2.3' };
    expect(ipFor(['10.0.0.0/8'], '10.0.0.1', headers)).toBe('203.0.113.7');
    expect(ipFor('loopback, uniquelocal', '127.0.0.1', headers)).toBe('203.0.113.7');
  });

  it('ignores headers sent by an untrusted peer', () => {
    expect(ipFor(['10.0.0.0/8'], '198.51.100.9', { 'x-forwarded-for': '6.6.6.6' })).toBe(
      '198.51.100.9',
    );
    expect(ipFor(['10.0.0.0/8'], '198.51.100.9', { 'cf-connecting-ip': '6.6.6.6' })).toBe(
      '198.51.100.9',
    );
  });

  it('reads the RFC 7239 Forwarded header, IPv6 included', () => {
    expect(
      ipFor(true, '10.0.0.1', {
        forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https, for=10.0.0.2',
      }),
    ).toBe('2001:db8:cafe::17');
  });

  it('keeps IPv6 client addresses as they are', () => {
    expect(ipFor(undefined, '2001:db8::1', {})).toBe('2001:db8::1');
    expect(ipFor(['::1/128'], '::1', { 'x-forwarded-for': '2001:db8::42' })).toBe('2001:db8::42');
  });

  it('prefers CF-Connecting-IP, then X-Real-IP, from a trusted peer', () => {
    expect(
      ipFor(1, '10.0.0.1', { 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '9.9.9.9' }),
    ).toBe('203.0.113.7');
    expect(ipFor(1, '10.0.0.1', { 'x-real-ip': '203.0.113.8' })).toBe('203.0.113.8');
  });

  it('without a socket address, believes headers only when trustProxy is set', () => {
    expect(ipFor(undefined, undefined, { 'x-forwarded-for': '203.0.113.7' })).toBeUndefined();
    expect(ipFor(1, undefined, { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' })).toBe('203.0.113.7');
  });

  it('stops at a malformed hop instead of trusting garbage', () => {
    expect(ipFor(true, '10.0.0.1', { 'x-forwarded-for': 'not-an-ip, 203.0.113.7' })).toBe(
      '203.0.113.7',
    );
  });
});

describe('cleanAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['203.0.113.7:8080', '203.0.113.7'],
    ['fe80::1%eth0', 'fe80::1'],
    [' 2001:db8::1 ', '2001:db8::1'],
  ])('turns %s into %s', (raw, clean) => {
    expect(cleanAddress(raw)).toBe(clean);
  });
});

describe('compileTrustProxy', () => {
  it('rejects a malformed CIDR at start-up', () => {
    expect(() => compileTrustProxy(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => compileTrustProxy(['nope'])).toThrow(/not an IP/);
  });

  it('matches IPv6 ranges', () => {
    const trust = compileTrustProxy(['2001:db8::/32']);
    expect(trust('2001:db8:1::5', 0)).toBe(true);
    expect(trust('2001:db9::5', 0)).toBe(false);
    expect(trust('10.0.0.1', 0)).toBe(false);
  });
});
