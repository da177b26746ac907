import { createHash } from 'node:crypto';
import { ConfigError, DestinationCallError, type PreparedEvent } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import {
  googleAnalytics,
  groupForRequests,
  type GoogleAnalyticsPayload,
} from './google-analytics-destination';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const settings = { measurementId: 'G-ABC123', apiSecret: 's3cr3t' };
const signal = new AbortController().signal;
const defaultAnswer = () => new Response(null, { status: 204 });
const prepare = prepareReady;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('googleAnalytics', () => {
  it('throws a ConfigError naming the setting and its env var when the measurement ID is missing', () => {
    vi.stubEnv('GA4_MEASUREMENT_ID', '');
    expect(() => googleAnalytics({ apiSecret: 'x' })).toThrow(ConfigError);
    expect(() => googleAnalytics({ apiSecret: 'x' })).toThrow(/measurementId.*GA4_MEASUREMENT_ID/);
  });

  it('throws a ConfigError naming GA4_API_SECRET when the API secret is missing', () => {
    vi.stubEnv('GA4_API_SECRET', '');
    expect(() => googleAnalytics({ measurementId: 'G-1' })).toThrow(/apiSecret.*GA4_API_SECRET/);
  });

  it('reads the measurement ID and API secret from the environment', async () => {
    vi.stubEnv('GA4_MEASUREMENT_ID', 'G-FROMENV');
    vi.stubEnv('GA4_API_SECRET', 'envsecret');
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe(
      'http://127.0.0.1:9/mp/collect?measurement_id=G-FROMENV&api_secret=envsecret',
    );
  });

  it('declares GA4 limits: 25 events per request and a 72 h window less a safety margin', () => {
    const destination = googleAnalytics(settings);
    expect(destination.maxEventsPerRequest).toBe(25);
    const age = destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: 0 });
    expect(age).toBeLessThanOrEqual(72 * 3600_000);
    expect(age).toBeGreaterThan(71 * 3600_000);
  });
});

describe('doPrepare', () => {
  it('skips an event without a _ga client ID with a plain reason', async () => {
    const event = canonicalEvent();
    delete event.user!.gaClientId;
    const result = await googleAnalytics(settings).doPrepare(event);
    expect(result).toEqual({ kind: 'skip', reason: expect.stringContaining('no _ga cookie') });
  });

  it('takes the client ID out of a raw _ga cookie value', async () => {
    const event = canonicalEvent();
    event.user!.gaClientId = 'GA1.1.1827526090.1689745728';
    const prepared = await prepare(googleAnalytics(settings), event);
    expect(prepared.payload.client_id).toBe('1827526090.1689745728');
  });

  it('leaves user_data out when ad_user_data consent is denied, and says so in consent', async () => {
    const event = canonicalEvent({
      consent: { adUserData: 'denied', adPersonalization: 'denied' },
    });
    const prepared = await prepare(googleAnalytics(settings), event);
    expect(prepared.payload.user_data).toBeUndefined();
    expect(prepared.payload.consent).toEqual({
      ad_user_data: 'DENIED',
      ad_personalization: 'DENIED',
    });
  });

  it('maps a custom event to a valid snake_case GA4 name and passes custom scalars as params', async () => {
    const event = canonicalEvent({
      name: 'WatchedDemo',
      data: { videoLength: 42, 'plan tier': 'pro', nested: { no: 1 } },
    });
    const prepared = await prepare(googleAnalytics(settings), event);
    expect(prepared.payload.event.name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,39}$/);
    expect(prepared.payload.event.params).toMatchObject({ video_length: 42, plan_tier: 'pro' });
    expect(prepared.payload.event.params).not.toHaveProperty('nested');
  });

  it('keeps at most 25 params and clips values to 100 characters', async () => {
    const data: Record<string, unknown> = { value: 1, currency: 'EUR' };
    for (let index = 0; index < 40; index++) data[`custom${index}`] = 'x'.repeat(150);
    const prepared = await prepare(googleAnalytics(settings), canonicalEvent({ data }));
    const params = prepared.payload.event.params;
    expect(Object.keys(params)).toHaveLength(25);
    expect(params.currency).toBe('EUR');
    expect(params.custom0).toBe('x'.repeat(100));
  });
});

describe('doSend', () => {
  it('posts the canonical event as GA4 wants it: µs time, +E.164 phone, Gmail dots removed', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const result = await destination.doSend([await prepare(destination)], { signal });

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(
      'http://127.0.0.1:9/mp/collect?measurement_id=G-ABC123&api_secret=s3cr3t',
    );
    expect(calls[0]!.body).toEqual({
      client_id: '1827526090.1689745728',
      user_id: 'user-42',
      timestamp_micros: 1767225600000000,
      user_data: {
        sha256_email_address: [CANONICAL_HASHES.emailGoogle],
        sha256_phone_number: [CANONICAL_HASHES.phoneE164],
        address: [
          {
            sha256_first_name: CANONICAL_HASHES.firstName,
            sha256_last_name: CANONICAL_HASHES.lastName,
            // Plain for GA4, spaces kept (uid-data removes only digits and symbols); TikTok's
            // plain city drops them (see tiktok-destination.test.ts).
            city: 'south san francisco',
            region: 'ca',
            postal_code: '94035',
            country: 'us',
          },
        ],
      },
      consent: { ad_user_data: 'GRANTED', ad_personalization: 'DENIED' },
      ip_override: '203.0.113.7',
      events: [
        {
          name: 'purchase',
          timestamp_micros: 1767225600000000,
          params: {
            transaction_id: 'ord_1',
            currency: 'USD',
            value: 123.45,
            items: [
              {
                item_id: 'sku1',
                item_name: 'Shirt',
                item_category: 'Apparel',
                price: 123.45,
                quantity: 1,
              },
            ],
            event_id: 'evt_01JGZ5M8Q4',
            session_id: '1767225000',
            page_location: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
            page_referrer: 'https://shop.example.com/checkout',
            page_title: 'Thank you',
          },
        },
      ],
    });
    expect(CANONICAL_HASHES.emailGoogle).toBe(sha256('johnsmith@gmail.com'));
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
  });

  it('records the exchange without the API secret', async () => {
    const { fetch } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(result.exchange?.url).not.toContain('s3cr3t');
    expect(result.exchange?.url).toContain('measurement_id=G-ABC123');
    expect(JSON.stringify(result.exchange)).not.toContain('s3cr3t');
  });

  it("sends to region1.google-analytics.com when region is 'eu'", async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ ...settings, fetch, region: 'eu' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(new URL(calls[0]!.url).origin).toBe('https://region1.google-analytics.com');
  });

  it('sends events of different browsers in separate requests', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const other = canonicalEvent({ id: 'evt_2' });
    other.user!.gaClientId = '555.666';
    const batch = [
      await prepare(destination),
      await prepare(destination, other),
      await prepare(destination, canonicalEvent({ id: 'evt_3' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(calls.map((call) => (call.body as { client_id: string }).client_id)).toEqual([
      '1827526090.1689745728',
      '555.666',
    ]);
    expect((calls[0]!.body as { events: unknown[] }).events).toHaveLength(2);
    expect(result.outcomes).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
      { status: 'delivered' },
    ]);
  });

  it('throws a retryable DestinationCallError when the only request meets a 503', async () => {
    const { fetch } = recordingFetch(
      () => new Response('down', { status: 503, headers: { 'retry-after': '7' } }),
    );
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const error = await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect((error as DestinationCallError).isRetryable).toBe(true);
    expect((error as DestinationCallError).retryAfterMs).toBe(7000);
  });

  it('retries only the failed request when one of several requests fails', async () => {
    const { fetch } = recordingFetch((_call, index) =>
      index === 1 ? new Response('down', { status: 503 }) : new Response(null, { status: 204 }),
    );
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const other = canonicalEvent({ id: 'evt_2' });
    other.user!.gaClientId = '555.666';
    const result = await destination.doSend(
      [await prepare(destination), await prepare(destination, other)],
      { signal },
    );
    expect(result.outcomes[0]).toEqual({ status: 'delivered' });
    expect(result.outcomes[1]).toMatchObject({ status: 'retry' });
  });

  it('with validate: true, rejects what the validation server reports and sends only the rest', async () => {
    const { fetch, calls } = recordingFetch((call) =>
      call.url.includes('/debug/')
        ? Response.json({
            validationMessages: [
              {
                fieldPath: 'events',
                description:
                  'Event at index: [1] has invalid name [_bad]. Names must start with an alphabetic character.',
                validationCode: 'NAME_INVALID',
              },
            ],
          })
        : new Response(null, { status: 204 }),
    );
    const destination = googleAnalytics({
      ...settings,
      fetch,
      baseURL: 'http://127.0.0.1:9',
      validate: true,
    });
    const result = await destination.doSend(
      [await prepare(destination), await prepare(destination, canonicalEvent({ id: 'evt_2' }))],
      { signal },
    );
    expect(calls.map((call) => new URL(call.url).pathname)).toEqual([
      '/debug/mp/collect',
      '/mp/collect',
    ]);
    expect((calls[1]!.body as { events: unknown[] }).events).toHaveLength(1);
    expect(result.outcomes).toEqual([
      { status: 'delivered' },
      { status: 'rejected', reason: expect.stringContaining('invalid name'), code: 'NAME_INVALID' },
    ]);
  });

  it('with validate: true, rejects every event of a request the validation server refuses as a whole', async () => {
    const { fetch, calls } = recordingFetch(() =>
      Response.json({
        validationMessages: [
          {
            fieldPath: 'client_id',
            description: 'client_id is required for web streams.',
            validationCode: 'VALUE_REQUIRED',
          },
        ],
      }),
    );
    const destination = googleAnalytics({
      ...settings,
      fetch,
      baseURL: 'http://127.0.0.1:9',
      validate: true,
    });
    const result = await destination.doSend(
      [await prepare(destination), await prepare(destination, canonicalEvent({ id: 'evt_2' }))],
      { signal },
    );
    expect(calls).toHaveLength(1);
    expect(result.outcomes).toEqual([
      { status: 'rejected', reason: expect.stringContaining('client_id'), code: 'VALUE_REQUIRED' },
      { status: 'rejected', reason: expect.stringContaining('client_id'), code: 'VALUE_REQUIRED' },
    ]);
  });

  it('never lets events with different consent share a request', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAnalytics({ ...settings, fetch, baseURL: 'http://127.0.0.1:9' });
    const personalized = canonicalEvent({
      id: 'evt_2',
      consent: { adUserData: 'granted', adPersonalization: 'granted' },
    });
    await destination.doSend(
      [await prepare(destination), await prepare(destination, personalized)],
      {
        signal,
      },
    );
    expect(calls.map((call) => (call.body as { consent: unknown }).consent)).toEqual([
      { ad_user_data: 'GRANTED', ad_personalization: 'DENIED' },
      { ad_user_data: 'GRANTED', ad_personalization: 'GRANTED' },
    ]);
  });

  it("with validate: 'only', never posts to /mp/collect", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ validationMessages: [] }));
    const destination = googleAnalytics({
      ...settings,
      fetch,
      baseURL: 'http://127.0.0.1:9',
      validate: 'only',
    });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(calls.map((call) => new URL(call.url).pathname)).toEqual(['/debug/mp/collect']);
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
  });
});

describe('groupForRequests', () => {
  it('keeps every request under 130 kB', async () => {
    const destination = googleAnalytics(settings);
    const batch: PreparedEvent<GoogleAnalyticsPayload>[] = [];
    for (let index = 0; index < 25; index++) {
      const event = canonicalEvent({ id: `evt_${index}` });
      event.data!.contents = Array.from({ length: 60 }, (_, item) => ({
        id: `sku-${item}-${'x'.repeat(80)}`,
        name: 'n'.repeat(100),
        category: 'c'.repeat(100),
        price: 1,
        quantity: 1,
      }));
      batch.push(await prepare(destination, event));
    }
    const groups = groupForRequests(batch);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(batch.map((_, index) => index));
    for (const group of groups) {
      const body = {
        client_id: batch[0]!.payload.client_id,
        events: group.map((index) => batch[index]!.payload.event),
      };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(130_000);
    }
  });
});
