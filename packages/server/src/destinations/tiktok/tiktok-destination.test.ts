import { ConfigError, DestinationCallError } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { tiktok } from './tiktok-destination';

const settings = {
  pixelCode: 'C1234567890',
  accessToken: 'tt-token',
  baseURL: 'http://127.0.0.1:9',
};
const signal = new AbortController().signal;
const defaultAnswer = () => Response.json({ code: 0, message: 'OK', request_id: 'r1' });
const prepare = prepareReady;

function answering(code: number, message: string) {
  return recordingFetch(() => Response.json({ code, message, request_id: 'r1', data: {} }));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tiktok', () => {
  it('throws a ConfigError naming TIKTOK_PIXEL_CODE when the pixel code is missing', () => {
    vi.stubEnv('TIKTOK_PIXEL_CODE', '');
    expect(() => tiktok({ accessToken: 'x' })).toThrow(ConfigError);
    expect(() => tiktok({ accessToken: 'x' })).toThrow(/pixelCode.*TIKTOK_PIXEL_CODE/);
  });

  it('throws a ConfigError naming TIKTOK_ACCESS_TOKEN when the token is missing', () => {
    vi.stubEnv('TIKTOK_ACCESS_TOKEN', '');
    expect(() => tiktok({ pixelCode: 'C1' })).toThrow(/accessToken.*TIKTOK_ACCESS_TOKEN/);
  });

  it('reads pixel code, token and test event code from the environment', async () => {
    vi.stubEnv('TIKTOK_PIXEL_CODE', 'CENV');
    vi.stubEnv('TIKTOK_ACCESS_TOKEN', 'envtoken');
    vi.stubEnv('TIKTOK_TEST_EVENT_CODE', 'TEST42');
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = tiktok({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.headers['access-token']).toBe('envtoken');
    expect(calls[0]!.body).toMatchObject({ event_source_id: 'CENV', test_event_code: 'TEST42' });
  });

  it('declares the TikTok limit of 1 000 events per request', () => {
    expect(tiktok(settings).maxEventsPerRequest).toBe(1000);
  });
});

describe('doPrepare', () => {
  it('skips events that did not happen on the web, with a reason', async () => {
    const result = await tiktok(settings).doPrepare(canonicalEvent({ source: 'physical_store' }));
    expect(result).toEqual({ kind: 'skip', reason: expect.stringContaining('web events only') });
  });

  it('sets limited_data_use from consent', async () => {
    const prepared = await prepare(
      tiktok(settings),
      canonicalEvent({ consent: { limitedDataUse: true } }),
    );
    expect(prepared.payload.limited_data_use).toBe(true);
  });
});

describe('doSend', () => {
  it('posts the canonical event as TikTok wants it: seconds, +E.164 phone, Gmail dots kept', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = tiktok({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });

    expect(calls[0]!.url).toBe('http://127.0.0.1:9/open_api/v1.3/event/track/');
    expect(calls[0]!.headers['access-token']).toBe('tt-token');
    expect(calls[0]!.body).toEqual({
      event_source: 'web',
      event_source_id: 'C1234567890',
      data: [
        {
          event: 'CompletePayment',
          event_time: 1767225600,
          event_id: 'evt_01JGZ5M8Q4',
          user: {
            email: [CANONICAL_HASHES.emailWithDots],
            phone: [CANONICAL_HASHES.phoneE164],
            external_id: [CANONICAL_HASHES.externalId],
            first_name: CANONICAL_HASHES.firstName,
            last_name: CANONICAL_HASHES.lastName,
            zip_code: CANONICAL_HASHES.zip,
            city: 'southsanfrancisco',
            state: 'ca',
            country: 'us',
            ttclid: 'E.C.P.abc',
            ttp: '2F7h37YkS1j57AYSKTI7IHhJPYH',
            ip: '203.0.113.7',
            user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
          },
          properties: {
            contents: [
              {
                content_id: 'sku1',
                content_type: 'product',
                content_name: 'Shirt',
                content_category: 'Apparel',
                price: 123.45,
                quantity: 1,
              },
            ],
            content_type: 'product',
            currency: 'USD',
            value: 123.45,
            order_id: 'ord_1',
          },
          page: {
            url: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
            referrer: 'https://shop.example.com/checkout',
          },
          limited_data_use: false,
        },
      ],
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(JSON.stringify(result.exchange)).not.toContain('tt-token');
  });

  it('throws a retryable error for HTTP 200 with code 40100', async () => {
    const { fetch } = answering(40100, 'Too many requests');
    const destination = tiktok({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
    expect(error.platformCode).toBe(40100);
  });

  it('rejects a single event with TikTok’s message for HTTP 200 with code 40002', async () => {
    const message = 'Batch.0.properties.contents.0.content_id: Not a valid string';
    const { fetch } = answering(40002, message);
    const destination = tiktok({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(result.outcomes).toEqual([{ status: 'rejected', reason: message, code: 40002 }]);
  });

  it('rejects only the event a 40002 message names and resends the others', async () => {
    const message = 'Batch.1.event_time: Not a valid timestamp';
    const { fetch } = answering(40002, message);
    const destination = tiktok({ ...settings, fetch });
    const batch = [
      await prepare(destination),
      await prepare(destination, canonicalEvent({ id: 'e2' })),
      await prepare(destination, canonicalEvent({ id: 'e3' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      'retry',
      'rejected',
      'retry',
    ]);
    expect(result.outcomes[1]).toEqual({ status: 'rejected', reason: message, code: 40002 });
  });

  it('throws a non-retryable error for a 40002 that names no event in a batch, so the relay bisects', async () => {
    const { fetch } = answering(40002, 'Invalid parameters');
    const destination = tiktok({ ...settings, fetch });
    const batch = [
      await prepare(destination),
      await prepare(destination, canonicalEvent({ id: 'e2' })),
    ];
    const error = (await destination
      .doSend(batch, { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(false);
    expect(error.isConfigurationError).toBe(false);
  });

  it('reports 40001 (no permission) as a configuration error', async () => {
    const { fetch } = answering(40001, 'No permission to operate pixel');
    const destination = tiktok({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error.isConfigurationError).toBe(true);
    expect(error.isRetryable).toBe(false);
  });

  it('does not count an HTTP 200 without a body code as delivered', async () => {
    const { fetch } = recordingFetch(() => new Response('<html>gateway</html>', { status: 200 }));
    const destination = tiktok({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
  });

  it('counts 20001 (partial success) as delivered', async () => {
    const { fetch } = answering(20001, 'Partial success');
    const destination = tiktok({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
  });

  it('throws a retryable error for an HTTP 503', async () => {
    const { fetch } = recordingFetch(() => new Response('busy', { status: 503 }));
    const destination = tiktok({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error.isRetryable).toBe(true);
    expect(error.statusCode).toBe(503);
  });
});
