import { describe, expect, it } from 'vitest';
import { compileOrigins, isSameOrigin, readBodyText, requestOrigin } from './accept';

describe('compileOrigins', () => {
  const allowed = compileOrigins([
    'https://shop.example.com',
    'https://*.example.org',
    /^https:\/\/preview-\d+\.example\.net$/,
  ]);
  it.each([
    ['https://shop.example.com', true],
    ['https://SHOP.example.com', true],
    ['http://shop.example.com', false],
    ['https://evil.com', false],
    ['https://a.example.org', true],
    ['https://a.b.example.org', true],
    ['https://example.org.evil.com', false],
    ['https://preview-12.example.net', true],
  ])('%s → %s', (origin, expected) => {
    expect(allowed(origin)).toBe(expected);
  });
});

describe('requestOrigin', () => {
  it('uses Origin, else the Referer origin', () => {
    expect(requestOrigin(new Request('http://x/e', { headers: { origin: 'https://a.com' } }))).toBe(
      'https://a.com',
    );
    expect(
      requestOrigin(new Request('http://x/e', { headers: { referer: 'https://b.com/p?q=1' } })),
    ).toBe('https://b.com');
    expect(requestOrigin(new Request('http://x/e'))).toBeUndefined();
  });
});

describe('isSameOrigin', () => {
  it('compares hosts, not schemes (TLS ends at the proxy)', () => {
    expect(isSameOrigin('https://shop.example.com', 'http://shop.example.com/e')).toBe(true);
    expect(isSameOrigin('https://other.example.com', 'http://shop.example.com/e')).toBe(false);
  });
});

describe('readBodyText', () => {
  it('refuses a declared oversize body without reading it', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://x/e', {
      method: 'POST',
      body,
      headers: { 'content-length': String(1024 * 1024) },
      duplex: 'half',
    } as RequestInit);
    expect(await readBodyText(request, 64 * 1024)).toMatchObject({ ok: false, status: 413 });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('stops reading an undeclared stream as soon as it passes the limit', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const request = new Request('http://x/e', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await readBodyText(request, 64 * 1024)).toMatchObject({ ok: false, status: 413 });
    // 1 MB would be 64 chunks; the reader stops after the fifth.
    expect(pulled).toBeLessThan(8);
  });

  it('reads a text body whatever the content type', async () => {
    const request = new Request('http://x/e', {
      method: 'POST',
      body: '{"v":1}',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(await readBodyText(request, 100)).toEqual({ ok: true, text: '{"v":1}' });
  });
});
