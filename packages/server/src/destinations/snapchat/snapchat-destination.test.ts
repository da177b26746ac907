import { createHash } from 'node:crypto';
import { ConfigError, DestinationCallError, snapchatEventName } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { snapchat } from './snapchat-destination';

const PIXEL = 'b6e1c0d2-4f3a-4c5b-8d7e-9f0a1b2c3d4e';
const settings = { pixelId: PIXEL, accessToken: 'snap-token', baseURL: 'http://127.0.0.1:9' };
const signal = new AbortController().signal;
const ok = () =>
  Response.json({ status: 'VALID', reason: 'Events have been processed successfully.' });
const prepare = prepareReady;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

afterEach(() => {
  vi.unstubAllEnvs();
});

async function sendError(response: () => Response): Promise<DestinationCallError> {
  const { fetch } = recordingFetch(response);
  const destination = snapchat({ ...settings, fetch });
  const error = await destination
    .doSend([await prepare(destination)], { signal })
    .then(() => undefined)
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DestinationCallError);
  return error as DestinationCallError;
}

describe('snapchat', () => {
  it('throws a ConfigError naming SNAPCHAT_PIXEL_ID when the pixel ID is missing', () => {
    vi.stubEnv('SNAPCHAT_PIXEL_ID', '');
    expect(() => snapchat({ accessToken: 'x' })).toThrow(ConfigError);
    expect(() => snapchat({ accessToken: 'x' })).toThrow(/pixelId.*SNAPCHAT_PIXEL_ID/);
  });

  it('throws a ConfigError naming SNAPCHAT_ACCESS_TOKEN when the token is missing', () => {
    vi.stubEnv('SNAPCHAT_ACCESS_TOKEN', '');
    expect(() => snapchat({ pixelId: PIXEL })).toThrow(/accessToken.*SNAPCHAT_ACCESS_TOKEN/);
  });

  it('reads the pixel ID and token from the environment', async () => {
    vi.stubEnv('SNAPCHAT_PIXEL_ID', 'env-pixel');
    vi.stubEnv('SNAPCHAT_ACCESS_TOKEN', 'env-token');
    const { fetch, calls } = recordingFetch(ok);
    const destination = snapchat({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v3/env-pixel/events');
    expect(calls[0]!.headers.authorization).toBe('Bearer env-token');
  });

  it('declares Snap’s limits: 2 000 events per request, 7 days less a safety margin', () => {
    const destination = snapchat(settings);
    expect(destination.maxEventsPerRequest).toBe(2000);
    const age = destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: 0 });
    expect(age).toBeLessThan(7 * 24 * 3600_000);
    expect(age).toBeGreaterThan(7 * 24 * 3600_000 - 3600_000);
  });
});

describe('doPrepare', () => {
  it('uses the event name the browser pixel uses', async () => {
    for (const name of ['Purchase', 'AddToCart', 'PageView', 'Lead', 'Newsletter']) {
      const event = canonicalEvent({ name, data: { value: 1, currency: 'EUR' } });
      const prepared = await prepare(snapchat(settings), event);
      expect(prepared.payload.event_name).toBe(snapchatEventName(name));
    }
  });

  it('sends Snap’s click ID and _scid cookie plain', async () => {
    const event = canonicalEvent();
    event.user = { ...event.user, scClickId: 'click-123', scCookie1: 'cookie-456' };
    const prepared = await prepare(snapchat(settings), event);
    expect(prepared.payload.user_data).toMatchObject({
      sc_click_id: 'click-123',
      sc_cookie1: 'cookie-456',
    });
  });

  it('sends offline events with action_source OFFLINE and no page URL required', async () => {
    const prepared = await prepare(
      snapchat(settings),
      canonicalEvent({ source: 'physical_store', page: undefined }),
    );
    expect(prepared.payload.action_source).toBe('OFFLINE');
    expect(prepared.payload.event_source_url).toBeUndefined();
  });

  it('adds data_processing_options LDU for limited data use', async () => {
    const prepared = await prepare(
      snapchat(settings),
      canonicalEvent({ consent: { limitedDataUse: true } }),
    );
    expect(prepared.payload.data_processing_options).toEqual(['LDU']);
  });

  it.each([
    ['an app event', canonicalEvent({ source: 'app' }), 'Snap App ID'],
    ['a web event without a page URL', canonicalEvent({ page: undefined }), 'page URL'],
    [
      'a Purchase without currency',
      canonicalEvent({ data: { value: 10 } }),
      'value and currency for Purchase',
    ],
    [
      'an event without e-mail, phone, or IP with user agent',
      canonicalEvent({ user: { ip: '203.0.113.7', firstName: 'Mary' } }),
      'an e-mail, a phone',
    ],
  ])('skips %s, with a reason', async (_name, event, reason) => {
    const result = await snapchat(settings).doPrepare(event);
    expect(result).toEqual({ kind: 'skip', reason: expect.stringContaining(reason) });
  });
});

describe('doSend', () => {
  it('posts the canonical event as Snap wants it: seconds, digits-only phone, everything personal hashed', async () => {
    const { fetch, calls } = recordingFetch(ok);
    const destination = snapchat({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });

    expect(calls[0]!.url).toBe(`http://127.0.0.1:9/v3/${PIXEL}/events`);
    expect(calls[0]!.headers.authorization).toBe('Bearer snap-token');
    expect(calls[0]!.body).toEqual({
      data: [
        {
          event_name: 'PURCHASE',
          event_time: 1767225600,
          event_id: 'evt_01JGZ5M8Q4',
          action_source: 'WEB',
          event_source_url: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
          user_data: {
            em: [CANONICAL_HASHES.emailWithDots],
            ph: [CANONICAL_HASHES.phoneDigits],
            fn: [CANONICAL_HASHES.firstName],
            ln: [CANONICAL_HASHES.lastName],
            ct: [sha256('southsanfrancisco')],
            st: [sha256('ca')],
            zp: [CANONICAL_HASHES.zip],
            country: [sha256('us')],
            external_id: [CANONICAL_HASHES.externalId],
            client_ip_address: '203.0.113.7',
            client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
          },
          custom_data: {
            currency: 'USD',
            value: '123.45',
            contents: [{ id: 'sku1', quantity: '1', item_price: '123.45' }],
            content_ids: ['sku1'],
            order_id: 'ord_1',
          },
        },
      ],
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(JSON.stringify(result.exchange)).not.toContain('snap-token');
  });

  it('sends nothing personal in clear text', async () => {
    const { fetch, calls } = recordingFetch(ok);
    const destination = snapchat({ ...settings, fetch });
    await destination.doSend([await prepare(destination)], { signal });
    const sent = JSON.stringify(calls[0]!.body);
    for (const raw of [
      'John.Smith',
      'john.smith',
      '6505551212',
      'Mary',
      'mary',
      'Brien',
      'user-42',
    ]) {
      expect(sent).not.toContain(raw);
    }
  });

  it('posts to /events/validate in validateOnly mode', async () => {
    const { fetch, calls } = recordingFetch(ok);
    const destination = snapchat({ ...settings, fetch, validateOnly: true });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe(`http://127.0.0.1:9/v3/${PIXEL}/events/validate`);
  });
});

describe('doSend error classification', () => {
  const invalid = { status: 'INVALID', reason: 'Timestamp invalid or out of range' };
  it.each([
    // [status, retryable, configuration, body, headers]
    [400, false, false, invalid, {}],
    [401, false, true, { status: 'UNAUTHORIZED', reason: 'Invalid access token' }, {}],
    [403, false, true, { status: 'FORBIDDEN', reason: 'Not allowed' }, {}],
    [404, false, true, 'not found', {}],
    [413, false, false, 'too large', {}],
    [408, true, false, '', {}],
    [
      429,
      true,
      false,
      { status: 'RATE_LIMITED', reason: 'Too many requests' },
      { 'retry-after': '7' },
    ],
    [500, true, false, 'oops', {}],
    [503, true, false, '<html>busy</html>', {}],
  ] as const)(
    'HTTP %i → retryable %s, configuration %s',
    async (status, retryable, configuration, body, headers) => {
      const error = await sendError(() =>
        typeof body === 'string'
          ? new Response(body, { status, headers })
          : Response.json(body, { status, headers }),
      );
      expect(error.statusCode).toBe(status);
      expect(error.isRetryable).toBe(retryable);
      expect(error.isConfigurationError).toBe(configuration);
    },
  );

  it('honours Retry-After on a 429', async () => {
    const error = await sendError(() =>
      Response.json({ status: 'RATE_LIMITED' }, { status: 429, headers: { 'retry-after': '7' } }),
    );
    expect(error.retryAfterMs).toBe(7000);
  });

  it('puts Snap’s reason in the message and its status as the platform code', async () => {
    const error = await sendError(() => Response.json(invalid, { status: 400 }));
    expect(error.message).toContain('Timestamp invalid or out of range');
    expect(error.platformCode).toBe('INVALID');
  });

  it('keeps the token out of the error and its exchange record', async () => {
    const error = await sendError(() =>
      Response.json({ status: 'UNAUTHORIZED', reason: 'Invalid access token' }, { status: 401 }),
    );
    const exchange = (error as { exchange?: unknown }).exchange;
    expect(
      JSON.stringify({ message: error.message, body: error.responseBody, exchange }),
    ).not.toContain('snap-token');
    expect(exchange).toMatchObject({ url: `http://127.0.0.1:9/v3/${PIXEL}/events`, status: 401 });
  });
});
