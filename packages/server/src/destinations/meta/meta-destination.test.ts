import { createHash } from 'node:crypto';
import { ConfigError, DestinationCallError, type ConversionEvent } from '@capi-kit/core';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ACCESS_TOKEN,
  TEST_EMAIL,
  TEST_IP,
  TEST_PIXEL_ID,
  TEST_USER_AGENT,
} from '../../test-support/pii';
import { meta } from './index';
import type { MetaServerEvent } from './meta-api-types';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const NOW = Date.now();
const FBP = 'fb.1.1767000000000.1098115397';
const FBC = 'fb.1.1767225500000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk';

function purchase(overrides: Partial<ConversionEvent> = {}): ConversionEvent {
  return {
    id: 'ord_1',
    name: 'Purchase',
    time: NOW - 60_000,
    source: 'web',
    page: { url: 'https://shop.example.com/thanks', referrer: 'https://shop.example.com/cart' },
    user: {
      email: TEST_EMAIL,
      // The relay turns phones into E.164 before prepare; Meta wants digits without the `+`.
      phone: '+16505551212',
      firstName: 'Mary',
      lastName: "O'Brien-Smith Jr.",
      country: 'US',
      externalId: 'cust-42',
      ip: TEST_IP,
      userAgent: TEST_USER_AGENT,
      fbp: FBP,
      fbc: FBC,
    },
    data: {
      value: 123.45,
      currency: 'usd',
      orderId: 'A-1',
      contents: [{ id: 'sku1', quantity: 1, price: 123.45 }],
      coupon: 'WELCOME',
    },
    ...overrides,
  };
}

const EXPECTED_PURCHASE: MetaServerEvent = {
  event_name: 'Purchase',
  event_time: Math.floor((NOW - 60_000) / 1000),
  event_id: 'ord_1',
  action_source: 'website',
  event_source_url: 'https://shop.example.com/thanks',
  referrer_url: 'https://shop.example.com/cart',
  user_data: {
    // Meta's published vectors (platforms.md §1.1).
    em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
    ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
    fn: ['6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
    ln: [sha256('obriensmithjr')],
    country: [sha256('us')],
    external_id: [sha256('cust-42')],
    client_ip_address: TEST_IP,
    client_user_agent: TEST_USER_AGENT,
    fbc: FBC,
    fbp: FBP,
  },
  custom_data: {
    value: 123.45,
    currency: 'USD',
    order_id: 'A-1',
    contents: [{ id: 'sku1', quantity: 1, item_price: 123.45 }],
    content_ids: ['sku1'],
    content_type: 'product',
    coupon: 'WELCOME',
  },
};

describe('meta', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('names the setting and the env var when the pixel ID is missing', () => {
    delete process.env.META_PIXEL_ID;
    expect(() => meta({ accessToken: TEST_ACCESS_TOKEN })).toThrow(ConfigError);
    expect(() => meta({ accessToken: TEST_ACCESS_TOKEN })).toThrow(/pixelId.*META_PIXEL_ID/);
  });

  it('names the setting and the env var when the access token is missing', () => {
    delete process.env.META_ACCESS_TOKEN;
    expect(() => meta({ pixelId: TEST_PIXEL_ID })).toThrow(/accessToken.*META_ACCESS_TOKEN/);
  });

  it('reads pixel ID, token and test event code from the environment', async () => {
    process.env.META_PIXEL_ID = TEST_PIXEL_ID;
    process.env.META_ACCESS_TOKEN = TEST_ACCESS_TOKEN;
    process.env.META_TEST_EVENT_CODE = 'TEST123';
    const seen: { url?: string; body?: unknown } = {};
    const destination = meta({
      fetch: async (url, init) => {
        seen.url = String(url);
        seen.body = JSON.parse(String(init?.body));
        return new Response('{"events_received":1,"messages":[],"fbtrace_id":"x"}', {
          status: 200,
        });
      },
    });
    const prepared = await destination.doPrepare(purchase());
    if (prepared.kind !== 'ready') throw new Error(prepared.reason);
    await destination.doSend(
      [{ eventId: 'ord_1', eventName: 'Purchase', eventTime: NOW, payload: prepared.payload }],
      {
        signal: new AbortController().signal,
      },
    );
    expect(seen.url).toBe(`https://graph.facebook.com/v26.0/${TEST_PIXEL_ID}/events`);
    expect(seen.body).toMatchObject({ test_event_code: 'TEST123' });
  });

  it('refuses a pixel ID that is not numeric', () => {
    expect(() => meta({ pixelId: 'abc', accessToken: TEST_ACCESS_TOKEN })).toThrow(ConfigError);
  });
});

describe('meta doPrepare', () => {
  const destination = meta({ pixelId: TEST_PIXEL_ID, accessToken: TEST_ACCESS_TOKEN });

  it('maps a web purchase to the exact Meta server event, hashing personal data', async () => {
    expect(await destination.doPrepare(purchase())).toEqual({
      kind: 'ready',
      payload: EXPECTED_PURCHASE,
    });
  });

  it('hashes every value of a multi-valued field once, dropping duplicates', async () => {
    const result = await destination.doPrepare(
      purchase({
        user: {
          email: [TEST_EMAIL, ' john_smith@gmail.com ', 'other@example.com'],
          userAgent: TEST_USER_AGENT,
        },
      }),
    );
    expect((result as { payload: MetaServerEvent }).payload.user_data.em).toEqual([
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      sha256('other@example.com'),
    ]);
  });

  it('passes an already hashed value through unchanged', async () => {
    const hash = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176';
    const result = await destination.doPrepare(
      purchase({ user: { phone: hash.toUpperCase(), userAgent: TEST_USER_AGENT } }),
    );
    expect((result as { payload: MetaServerEvent }).payload.user_data.ph).toEqual([hash]);
  });

  it('maps an event without commerce data to a payload without custom_data', async () => {
    const result = await destination.doPrepare(purchase({ name: 'PageView', data: undefined }));
    expect(result).toMatchObject({ kind: 'ready', payload: { event_name: 'PageView' } });
    expect((result as { payload: MetaServerEvent }).payload.custom_data).toBeUndefined();
  });

  it('adds Limited Data Use with geolocation when the event asks for it', async () => {
    const result = await destination.doPrepare(purchase({ consent: { limitedDataUse: true } }));
    expect(result).toMatchObject({
      kind: 'ready',
      payload: {
        data_processing_options: ['LDU'],
        data_processing_options_country: 0,
        data_processing_options_state: 0,
      },
    });
  });

  it('skips a website event without a user agent, saying why', async () => {
    const event = purchase();
    delete event.user!.userAgent;
    expect(await destination.doPrepare(event)).toEqual({
      kind: 'skip',
      reason: 'Meta needs the user agent for website events',
    });
  });

  it('skips a website event without a page URL', async () => {
    expect(await destination.doPrepare(purchase({ page: {} }))).toMatchObject({ kind: 'skip' });
  });

  it('takes an http or https page URL in any letter case and skips every other scheme', async () => {
    const kinds: Record<string, string> = {};
    for (const url of [
      'https://shop.example.com/thanks',
      'HTTP://shop.example.com/',
      'hTTpS://shop.example.com/',
      'ftp://shop.example.com/',
      'https:/shop.example.com/',
      'httpss://shop.example.com/',
      'http//shop.example.com/',
      'shop.example.com/thanks',
      'h',
    ]) {
      kinds[url] = (await destination.doPrepare(purchase({ page: { url } }))).kind;
    }
    expect(kinds).toEqual({
      'https://shop.example.com/thanks': 'ready',
      'HTTP://shop.example.com/': 'ready',
      'hTTpS://shop.example.com/': 'ready',
      'ftp://shop.example.com/': 'skip',
      'https:/shop.example.com/': 'skip',
      'httpss://shop.example.com/': 'skip',
      'http//shop.example.com/': 'skip',
      'shop.example.com/thanks': 'skip',
      h: 'skip',
    });
  });

  it('sends the currency uppercase whatever case it came in', async () => {
    const currencies: (string | undefined)[] = [];
    for (const currency of ['EUR', 'eur', 'Usd', 'ÿen']) {
      const result = await destination.doPrepare(purchase({ data: { value: 1, currency } }));
      currencies.push((result as { payload: MetaServerEvent }).payload.custom_data?.currency);
    }
    expect(currencies).toEqual(['EUR', 'EUR', 'USD', 'ŸEN']);
  });

  it('skips a server event with no customer information at all, saying why', async () => {
    expect(
      await destination.doPrepare(
        purchase({ source: 'system', page: undefined, user: { email: 'not an e-mail' } }),
      ),
    ).toEqual({
      kind: 'skip',
      reason: 'Meta needs at least one customer information parameter',
    });
  });

  it('maps server sources to Meta action sources and keeps non-web events without a page', async () => {
    const result = await destination.doPrepare(
      purchase({ source: 'physical_store', page: undefined, user: { email: TEST_EMAIL } }),
    );
    expect(result).toMatchObject({
      kind: 'ready',
      payload: {
        action_source: 'physical_store',
        user_data: { em: [EXPECTED_PURCHASE.user_data.em![0]] },
      },
    });
    expect((result as { payload: MetaServerEvent }).payload.event_source_url).toBeUndefined();
  });

  it('uses a 7-day window, 62 days for store events, with a safety margin', () => {
    const day = 24 * 3600_000;
    const web = destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: NOW, source: 'web' });
    const store = destination.maxEventAgeMs({
      eventName: 'Purchase',
      eventTime: NOW,
      source: 'physical_store',
    });
    expect(web).toBeLessThan(7 * day);
    expect(web).toBeGreaterThan(7 * day - 3600_000);
    expect(store).toBeLessThan(62 * day);
    expect(store).toBeGreaterThan(61 * day);
  });
});

describe('meta doSend', () => {
  let fake: FakePlatforms;
  beforeAll(async () => {
    fake = await startFakePlatforms();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => fake.reset());

  async function sendOne(settings: Parameters<typeof meta>[0] = {}) {
    const destination = meta({
      pixelId: TEST_PIXEL_ID,
      accessToken: TEST_ACCESS_TOKEN,
      baseURL: fake.url,
      ...settings,
    });
    const prepared = await destination.doPrepare(purchase());
    if (prepared.kind !== 'ready') throw new Error(prepared.reason);
    return destination.doSend(
      [{ eventId: 'ord_1', eventName: 'Purchase', eventTime: NOW, payload: prepared.payload }],
      { signal: new AbortController().signal },
    );
  }

  it('posts the exact body with the token in a Bearer header and reports delivery', async () => {
    const result = await sendOne({ testEventCode: 'TEST123' });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    const [request] = fake.meta.requests;
    expect(request!.path).toBe(`/v26.0/${TEST_PIXEL_ID}/events`);
    expect(request!.query).toEqual({});
    expect(request!.headers.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(request!.body).toEqual({
      data: [EXPECTED_PURCHASE],
      partner_agent: 'capi-kit',
      test_event_code: 'TEST123',
    });
    expect(fake.meta.events.map((event) => event.eventId)).toEqual(['ord_1']);
    expect(result.exchange?.url).toBe(`${fake.url}/v26.0/${TEST_PIXEL_ID}/events`);
    expect(JSON.stringify(result.exchange)).not.toContain(TEST_ACCESS_TOKEN);
  });

  it('turns a token error into a non-retryable configuration error with code 190', async () => {
    fake.meta.respondWith({ kind: 'error', error: 'meta_token' });
    const error = (await sendOne().catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error).toMatchObject({
      isRetryable: false,
      isConfigurationError: true,
      platformCode: 190,
    });
    expect(error.traceId).toEqual(expect.any(String));
  });

  it('turns an invalid-parameter error into a non-retryable event error with the trace ID', async () => {
    fake.meta.respondWith({ kind: 'error', error: 'meta_invalid_param' });
    const error = (await sendOne().catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toMatchObject({
      isRetryable: false,
      isConfigurationError: false,
      platformCode: 100,
    });
    expect(error.message).toContain('fbtrace_id');
  });

  it.each([
    ['is_transient', { kind: 'error', error: 'meta_transient' }],
    ['rate-limit code 4', { kind: 'error', error: 'meta_rate_limit' }],
    ['HTTP 503', { kind: 'status', status: 503 }],
    ['HTTP 500', { kind: 'status', status: 500 }],
  ] as const)('treats %s as retryable', async (_name, response) => {
    fake.meta.respondWith(response);
    const error = (await sendOne().catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
  });

  it('reads Retry-After from a 429', async () => {
    fake.meta.respondWith({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const error = (await sendOne().catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toMatchObject({ isRetryable: true, retryAfterMs: 7000, statusCode: 429 });
  });

  it('turns a reset connection into a retryable error', async () => {
    fake.meta.respondWith({ kind: 'reset' });
    const error = (await sendOne().catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error.isRetryable).toBe(true);
  });

  it('gives up on a platform that never answers after its timeout', async () => {
    fake.meta.respondWith({ kind: 'timeout' });
    const error = (await sendOne({ timeoutMs: 100 }).catch(
      (caught: unknown) => caught,
    )) as DestinationCallError;
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('within 100 ms');
  });
});
