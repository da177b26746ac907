import { describe, expect, it, vi } from 'vitest';
import metaPurchase from './__fixtures__/meta-purchase.json';
import tiktokPurchase from './__fixtures__/tiktok-complete-payment.json';
import { type Json, useFakePlatforms } from './__fixtures__/fake-test-kit';
import { startFakePlatforms } from './start-fake-platforms';
import type { ScriptedErrorKind } from './fake-types';

const NOW = Date.UTC(2026, 0, 1, 1);
const META_PATH = '/v26.0/1234567890/events?access_token=token';

const platforms = useFakePlatforms(() => NOW);

function postMeta(signal?: AbortSignal): Promise<Response> {
  return fetch(`${platforms.fake.url}${META_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metaPurchase),
    ...(signal ? { signal } : {}),
  });
}

function postTiktok(): Promise<Response> {
  return fetch(`${platforms.fake.url}/open_api/v1.3/event/track/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'access-token': 'token' },
    body: JSON.stringify(tiktokPurchase),
  });
}

describe('startFakePlatforms', () => {
  it('listens on 127.0.0.1 and reports its URL', () => {
    expect(platforms.fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startFakePlatforms({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('logs every platform request in order on platforms.fake.requests', async () => {
    await postMeta();
    await postTiktok();
    await postMeta();
    expect(platforms.fake.requests.map((request) => request.platform)).toEqual([
      'meta',
      'tiktok',
      'meta',
    ]);
    expect(platforms.fake.meta.requests).toHaveLength(2);
    expect(platforms.fake.tiktok.requests).toHaveLength(1);
  });

  it('answers 404 for a path no platform serves', async () => {
    const response = await fetch(`${platforms.fake.url}/nowhere`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(platforms.fake.requests).toEqual([]);
  });

  it('closes with held connections open, failing the waiting client', async () => {
    const own = await startFakePlatforms();
    own.meta.setOutage({ kind: 'timeout' });
    const pending = fetch(`${own.url}${META_PATH}`, { method: 'POST', body: '{}' });
    await vi.waitFor(() => expect(own.meta.requests).toHaveLength(1));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('FakePlatform.respondWith', () => {
  it('answers scripted statuses in order, then validates normally', async () => {
    platforms.fake.meta.respondWith(
      { kind: 'status', status: 503 },
      {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: 'slow down' },
      },
    );
    const first = await postMeta();
    const second = await postMeta();
    const third = await postMeta();
    expect([first.status, second.status, third.status]).toEqual([503, 429, 200]);
    expect(second.headers.get('retry-after')).toBe('7');
    expect(await second.json()).toEqual({ error: 'slow down' });
    expect(platforms.fake.meta.requests.map((request) => request.fault)).toEqual([
      'scripted',
      'scripted',
      undefined,
    ]);
    expect(platforms.fake.meta.events).toHaveLength(1);
  });

  it('sends a string body as text', async () => {
    platforms.fake.meta.respondWith({
      kind: 'status',
      status: 502,
      body: '<html>Bad Gateway</html>',
    });
    const response = await postMeta();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
  });

  const errorCases: Array<[ScriptedErrorKind, number, Json]> = [
    [
      'meta_invalid_param',
      400,
      { error: expect.objectContaining({ code: 100, is_transient: false }) },
    ],
    ['meta_token', 400, { error: expect.objectContaining({ code: 190, type: 'OAuthException' }) }],
    ['meta_transient', 500, { error: expect.objectContaining({ code: 2, is_transient: true }) }],
    ['meta_rate_limit', 400, { error: expect.objectContaining({ code: 4 }) }],
    ['tiktok_throttled', 200, expect.objectContaining({ code: 40100 })],
    ['tiktok_invalid', 200, expect.objectContaining({ code: 40002 })],
    ['tiktok_auth', 200, expect.objectContaining({ code: 40001 })],
    [
      'google_unauthenticated',
      401,
      { error: expect.objectContaining({ status: 'UNAUTHENTICATED' }) },
    ],
    [
      'google_invalid_argument',
      400,
      { error: expect.objectContaining({ status: 'INVALID_ARGUMENT' }) },
    ],
    ['google_resource_exhausted', 429, { error: expect.objectContaining({ code: 429 }) }],
    ['google_unavailable', 503, { error: expect.objectContaining({ status: 'UNAVAILABLE' }) }],
  ];

  it.each(errorCases)('answers the real shape for %s', async (error, status, body) => {
    platforms.fake.meta.respondWith({ kind: 'error', error });
    const response = await postMeta();
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
    expect(platforms.fake.meta.events).toEqual([]);
  });

  it('uses a scripted message in the platform shape', async () => {
    platforms.fake.meta.respondWith({
      kind: 'error',
      error: 'meta_invalid_param',
      message: 'bad thing',
    });
    const body = (await (await postMeta()).json()) as Json;
    expect(body.error.message).toBe('bad thing');
  });

  it('holds a timeout until the client aborts, recording it as a timeout', async () => {
    platforms.fake.meta.respondWith({ kind: 'timeout' });
    const controller = new AbortController();
    const pending = postMeta(controller.signal);
    await vi.waitFor(() => expect(platforms.fake.meta.requests).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(platforms.fake.meta.requests[0]?.fault).toBe('timeout');
    expect(platforms.fake.meta.requests[0]?.response).toBeUndefined();
    expect(platforms.fake.meta.events).toEqual([]);
    expect((await postMeta()).status).toBe(200);
  });

  it('resets the connection after reading the request', async () => {
    platforms.fake.meta.respondWith({ kind: 'reset' });
    await expect(postMeta()).rejects.toThrow();
    expect(platforms.fake.meta.requests[0]?.fault).toBe('reset');
    expect(platforms.fake.meta.requests[0]?.response).toBeUndefined();
    expect(platforms.fake.meta.events).toEqual([]);
    expect((await postMeta()).status).toBe(200);
  });

  it('answers normally after scripted latency', async () => {
    platforms.fake.meta.respondWith({ kind: 'latency', ms: 30 });
    const response = await postMeta();
    expect(response.status).toBe(200);
    expect(platforms.fake.meta.events).toHaveLength(1);
    expect(platforms.fake.meta.requests[0]?.fault).toBeUndefined();
  });

  it('scripts one platform only', async () => {
    platforms.fake.meta.respondWith({ kind: 'status', status: 503 });
    expect(((await (await postTiktok()).json()) as Json).code).toBe(0);
    expect((await postMeta()).status).toBe(503);
  });
});

describe('FakePlatform.setOutage', () => {
  it('answers every request with the outage response until cleared', async () => {
    platforms.fake.meta.setOutage({ kind: 'status', status: 503 });
    const statuses = [(await postMeta()).status, (await postMeta()).status];
    platforms.fake.meta.setOutage(undefined);
    statuses.push((await postMeta()).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(platforms.fake.meta.requests.map((request) => request.fault)).toEqual([
      'outage',
      'outage',
      undefined,
    ]);
  });

  it('takes precedence over scripted responses, which wait for the outage to end', async () => {
    platforms.fake.meta.respondWith({ kind: 'status', status: 429 });
    platforms.fake.meta.setOutage({ kind: 'error', error: 'meta_transient' });
    expect((await postMeta()).status).toBe(500);
    platforms.fake.meta.setOutage(undefined);
    expect((await postMeta()).status).toBe(429);
  });

  it('is cleared by reset()', async () => {
    platforms.fake.meta.setOutage({ kind: 'status', status: 503 });
    platforms.fake.reset();
    expect((await postMeta()).status).toBe(200);
  });
});

describe('POST /__pixel/{platform}', () => {
  function postPixel(platform: string, body: string, contentType = 'application/json') {
    return fetch(`${platforms.fake.url}/__pixel/${platform}`, {
      method: 'POST',
      headers: { 'content-type': contentType, origin: 'http://localhost:3000' },
      body,
    });
  }

  it('answers a CORS preflight from another origin', async () => {
    const response = await fetch(`${platforms.fake.url}/__pixel/meta`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('records a pixel hit that pairs with the server copy', async () => {
    const response = await postPixel(
      'meta',
      JSON.stringify({ pixelId: '1234567890', eventName: 'Purchase', eventId: 'ord_1' }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({
      recorded: true,
      platform: 'meta',
      verdict: 'pixel_only',
    });
    await postMeta();
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', '1234567890')).toBe('matched');
    expect(platforms.fake.requests.map((request) => request.platform)).toEqual(['meta']);
  });

  it('accepts a text/plain body as sendBeacon sends it', async () => {
    const response = await postPixel(
      'tiktok',
      JSON.stringify({ eventName: 'CompletePayment', eventId: 'ord_1' }),
      'text/plain;charset=UTF-8',
    );
    expect(response.status).toBe(200);
    expect(platforms.fake.tiktok.dedupVerdict('CompletePayment', 'ord_1')).toBe('pixel_only');
  });

  it('routes google to the Data Manager ledger', async () => {
    await postPixel('google', JSON.stringify({ eventName: 'purchase', eventId: 'ord_1' }));
    expect(platforms.fake.dataManager.dedupVerdict('purchase', 'ord_1')).toBe('pixel_only');
  });

  it('rejects a hit without an eventId', async () => {
    const response = await postPixel('ga4', JSON.stringify({ eventName: 'purchase' }));
    expect(response.status).toBe(400);
    expect(platforms.fake.ga4.dedupEntries()).toEqual([]);
  });

  it('answers 404 for an unknown platform', async () => {
    const response = await postPixel('myspace', JSON.stringify({ eventName: 'a', eventId: 'b' }));
    expect(response.status).toBe(404);
  });
});

describe('GET /__fake/state', () => {
  it('returns events, dedup rows and stats per platform with open CORS', async () => {
    platforms.fake.meta.recordPixelHit({
      pixelId: '1234567890',
      eventName: 'Purchase',
      eventId: 'ord_1',
    });
    await postMeta();
    const response = await fetch(`${platforms.fake.url}/__fake/state`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const state = (await response.json()) as Json;
    expect(state.platforms.meta).toMatchObject({
      requests: 1,
      events: [expect.objectContaining({ eventId: 'ord_1', eventName: 'Purchase' })],
      dedup: [
        {
          pixelId: '1234567890',
          eventName: 'Purchase',
          eventId: 'ord_1',
          serverCopies: 1,
          pixelCopies: 1,
          firstSeenAt: NOW,
          verdict: 'matched',
        },
      ],
      stats: { matched: 1, serverOnly: 0, pixelOnly: 0, duplicates: 0 },
    });
    expect(Object.keys(state.platforms)).toEqual([
      'meta',
      'ga4',
      'dataManager',
      'tiktok',
      'linkedin',
      'reddit',
      'snapchat',
      'pinterest',
    ]);
  });
});
