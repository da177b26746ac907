import { ConfigError, DestinationCallError } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { pinterest } from './pinterest-destination';

const settings = {
  adAccountId: '549755885175',
  accessToken: 'pin-token',
  baseURL: 'http://127.0.0.1:9',
};
const signal = new AbortController().signal;
const prepare = prepareReady;

/** sha256 of Pinterest's normalized city, state and country (platforms.md §1.2). */
const HASHED_PLACE = {
  city: 'e6a4de398edea64e0e057033d684bebe76c975d00b1c919471703d318fb05d7f',
  state: '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126',
  country: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
};

function processed(count: number) {
  return () =>
    Response.json({
      num_events_received: count,
      num_events_processed: count,
      events: Array.from({ length: count }, () => ({
        status: 'processed',
        error_message: null,
        warning_message: null,
      })),
    });
}

async function sendError(answer: () => Response, count = 1): Promise<DestinationCallError> {
  const { fetch } = recordingFetch(answer);
  const destination = pinterest({ ...settings, fetch });
  const batch = [];
  for (let index = 0; index < count; index++) {
    batch.push(await prepare(destination, canonicalEvent({ id: `evt_${index}` })));
  }
  return (await destination
    .doSend(batch, { signal })
    .then(() => undefined)
    .catch((caught: unknown) => caught)) as DestinationCallError;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('pinterest', () => {
  it('throws a ConfigError naming PINTEREST_AD_ACCOUNT_ID when the ad account is missing', () => {
    vi.stubEnv('PINTEREST_AD_ACCOUNT_ID', '');
    expect(() => pinterest({ accessToken: 'x' })).toThrow(ConfigError);
    expect(() => pinterest({ accessToken: 'x' })).toThrow(/adAccountId.*PINTEREST_AD_ACCOUNT_ID/);
  });

  it('throws a ConfigError naming PINTEREST_ACCESS_TOKEN when the token is missing', () => {
    vi.stubEnv('PINTEREST_ACCESS_TOKEN', '');
    expect(() => pinterest({ adAccountId: '1' })).toThrow(/accessToken.*PINTEREST_ACCESS_TOKEN/);
  });

  it('refuses an ad account ID that is not digits (a tag ID, say), without echoing the token', () => {
    expect(() => pinterest({ adAccountId: 'abc/../x', accessToken: 'pin-token' })).toThrow(
      /numeric ad account ID/,
    );
    expect(() => pinterest({ adAccountId: '1'.repeat(19), accessToken: 'pin-token' })).toThrow(
      ConfigError,
    );
  });

  it('reads the ad account, token and test mode from the environment', async () => {
    vi.stubEnv('PINTEREST_AD_ACCOUNT_ID', '42');
    vi.stubEnv('PINTEREST_ACCESS_TOKEN', 'envtoken');
    vi.stubEnv('PINTEREST_TEST_MODE', 'true');
    const { fetch, calls } = recordingFetch(processed(1));
    const destination = pinterest({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v5/ad_accounts/42/events?test=true');
    expect(calls[0]!.headers.authorization).toBe('Bearer envtoken');
  });

  it('declares Pinterest’s limit of 1 000 events per request and a 7-day window', () => {
    const destination = pinterest(settings);
    expect(destination.maxEventsPerRequest).toBe(1000);
    expect(destination.platform).toBe('pinterest');
    expect(destination.id).toBe('pinterest');
    expect(destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: 0, source: 'web' })).toBe(
      7 * 24 * 3600_000,
    );
  });
});

describe('doPrepare', () => {
  it('uses the tag’s event name for every standard name (same core function as the pixel)', async () => {
    const destination = pinterest(settings);
    const names: Array<[string, string]> = [
      ['Purchase', 'checkout'],
      ['PageView', 'page_visit'],
      ['ViewContent', 'page_visit'],
      ['AddToCart', 'add_to_cart'],
      ['CompleteRegistration', 'signup'],
      ['Contact', 'custom'],
      ['ViewCategory', 'view_category'],
    ];
    for (const [name, expected] of names) {
      const prepared = await prepare(destination, canonicalEvent({ name }));
      expect(prepared.payload.event_name).toBe(expected);
    }
  });

  it('flags limited data use as opt_out_type LDP and leaves it out otherwise', async () => {
    const destination = pinterest(settings);
    const limited = await prepare(
      destination,
      canonicalEvent({ consent: { limitedDataUse: true } }),
    );
    expect(limited.payload.custom_data?.opt_out_type).toBe('LDP');
    expect((await prepare(destination)).payload.custom_data).not.toHaveProperty('opt_out_type');
  });

  it('maps sources to Pinterest’s action sources', async () => {
    const destination = pinterest(settings);
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36';
    const iphone = 'MyShop/3.1 CFNetwork/1490.0.4 Darwin/23.2.0 (iPhone)';
    const source = async (event: ReturnType<typeof canonicalEvent>) =>
      (await prepare(destination, event)).payload.action_source;
    expect(await source(canonicalEvent({ source: 'physical_store' }))).toBe('offline');
    expect(await source(canonicalEvent({ source: 'phone_call' }))).toBe('offline');
    const app = canonicalEvent({ source: 'app' });
    app.user = { ...app.user, userAgent: android };
    expect(await source(app)).toBe('app_android');
    app.user = { ...app.user, userAgent: iphone };
    expect(await source(app)).toBe('app_ios');
  });

  it('skips an app event whose user agent names no operating system, with a reason', async () => {
    const event = canonicalEvent({ source: 'app' });
    event.user = { ...event.user, userAgent: 'curl/8.0' };
    expect(await pinterest(settings).doPrepare(event)).toEqual({
      kind: 'skip',
      reason: expect.stringContaining('app_ios or app_android'),
    });
  });

  it('skips an event with neither an e-mail nor IP + user agent, as Pinterest would refuse it', async () => {
    const event = canonicalEvent();
    event.user = { phone: '+16505551212', ip: '203.0.113.7' };
    expect(await pinterest(settings).doPrepare(event)).toEqual({
      kind: 'skip',
      reason: expect.stringContaining('e-mail, or the IP address together with the user agent'),
    });
  });

  it('is ready with IP and user agent alone', async () => {
    const event = canonicalEvent();
    event.user = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', epik: 'dj0yJnU9abc' };
    const prepared = await prepare(pinterest(settings), event);
    expect(prepared.payload.user_data).toEqual({
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0',
      click_id: 'dj0yJnU9abc',
    });
  });
});

describe('doSend', () => {
  it('posts the canonical event as Pinterest wants it: seconds, digit phone, string money, no extra keys', async () => {
    const { fetch, calls } = recordingFetch(processed(1));
    const destination = pinterest({ ...settings, fetch });
    const event = canonicalEvent();
    event.user = { ...event.user, epik: 'dj0yJnU9abc' };
    const result = await destination.doSend([await prepare(destination, event)], { signal });

    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v5/ad_accounts/549755885175/events');
    expect(calls[0]!.headers.authorization).toBe('Bearer pin-token');
    expect(calls[0]!.headers['content-type']).toBe('application/json');
    expect(calls[0]!.body).toEqual({
      data: [
        {
          event_name: 'checkout',
          action_source: 'web',
          event_time: 1767225600,
          event_id: 'evt_01JGZ5M8Q4',
          event_source_url: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
          user_data: {
            em: [CANONICAL_HASHES.emailWithDots],
            ph: [CANONICAL_HASHES.phoneDigits],
            fn: [CANONICAL_HASHES.firstName],
            ln: [CANONICAL_HASHES.lastName],
            ct: [HASHED_PLACE.city],
            st: [HASHED_PLACE.state],
            zp: [CANONICAL_HASHES.zip],
            country: [HASHED_PLACE.country],
            external_id: [CANONICAL_HASHES.externalId],
            client_ip_address: '203.0.113.7',
            client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
            click_id: 'dj0yJnU9abc',
          },
          custom_data: {
            currency: 'USD',
            value: '123.45',
            content_ids: ['sku1'],
            contents: [
              {
                id: 'sku1',
                item_price: '123.45',
                quantity: 1,
                item_name: 'Shirt',
                item_category: 'Apparel',
              },
            ],
            order_id: 'ord_1',
          },
        },
      ],
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    const sent = JSON.stringify(calls[0]!.body);
    for (const raw of ['John.Smith', 'john.smith', '6505551212', 'Mary', 'user-42', '94035']) {
      expect(sent).not.toContain(raw);
    }
    expect(JSON.stringify(result.exchange)).not.toContain('pin-token');
  });

  it('adds ?test=true in test mode', async () => {
    const { fetch, calls } = recordingFetch(processed(1));
    const destination = pinterest({ ...settings, fetch, testMode: true });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v5/ad_accounts/549755885175/events?test=true');
  });

  it('delivers processed events and rejects failed ones of a 200, with Pinterest’s message', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({
        num_events_received: 2,
        num_events_processed: 1,
        events: [
          { status: 'processed', error_message: null, warning_message: null },
          { status: 'failed', error_message: 'event_time is too old', warning_message: null },
        ],
      }),
    );
    const destination = pinterest({ ...settings, fetch });
    const batch = [
      await prepare(destination),
      await prepare(destination, canonicalEvent({ id: 'e2' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(result.outcomes).toEqual([
      { status: 'delivered' },
      { status: 'rejected', reason: 'event_time is too old' },
    ]);
  });

  it('reads a 422’s per-event results: rejects the failed events, delivers the rest', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          code: 1,
          message: 'Not all events were successfully processed.',
          details: {
            num_events_received: 2,
            num_events_processed: 1,
            events: [
              { status: 'failed', error_message: 'em is not hashed', warning_message: null },
              { status: 'processed', error_message: null, warning_message: null },
            ],
          },
        },
        { status: 422 },
      ),
    );
    const destination = pinterest({ ...settings, fetch });
    const batch = [
      await prepare(destination),
      await prepare(destination, canonicalEvent({ id: 'e2' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(result.outcomes).toEqual([
      { status: 'rejected', reason: 'em is not hashed', code: 1 },
      { status: 'delivered' },
    ]);
    expect(result.exchange?.status).toBe(422);
  });
});

describe('error classification', () => {
  const pinterestError =
    (status: number, code: number, message: string, headers = {}) =>
    () =>
      Response.json({ code, message }, { status, headers });

  const table: Array<{
    answer: () => Response;
    retryable: boolean;
    configuration: boolean;
    status: number | undefined;
    code?: number;
    retryAfterMs?: number;
  }> = [
    {
      answer: pinterestError(400, 4196, 'The request was invalid.'),
      retryable: false,
      configuration: false,
      status: 400,
      code: 4196,
    },
    {
      answer: pinterestError(401, 2, 'Authentication failed.'),
      retryable: false,
      configuration: true,
      status: 401,
      code: 2,
    },
    {
      answer: pinterestError(403, 29, 'You are not permitted to access that resource.'),
      retryable: false,
      configuration: true,
      status: 403,
      code: 29,
    },
    {
      answer: () => new Response('Not Found', { status: 404 }),
      retryable: false,
      configuration: true,
      status: 404,
    },
    {
      answer: pinterestError(422, 1, 'Not all events were successfully processed.'),
      retryable: false,
      configuration: false,
      status: 422,
      code: 1,
    },
    {
      answer: pinterestError(429, 8, 'This request exceeded a rate limit.', {
        'retry-after': '30',
      }),
      retryable: true,
      configuration: false,
      status: 429,
      code: 8,
      retryAfterMs: 30_000,
    },
    {
      answer: pinterestError(503, 4197, 'The endpoint has been ramped down.'),
      retryable: true,
      configuration: false,
      status: 503,
      code: 4197,
    },
    {
      answer: () => new Response('<html>bad gateway</html>', { status: 502 }),
      retryable: true,
      configuration: false,
      status: 502,
    },
    {
      answer: () => new Response('<html>ok?</html>', { status: 200 }),
      retryable: true,
      configuration: false,
      status: 200,
    },
    {
      // One result for a batch of two: not an answer we can map to the events.
      answer: processed(1),
      retryable: true,
      configuration: false,
      status: 200,
    },
  ];

  it.each(table.map((row) => [row.status, row.code ?? '-', row] as const))(
    'HTTP %s code %s',
    async (_status, _code, row) => {
      const error = await sendError(row.answer, 2);
      expect(error).toBeInstanceOf(DestinationCallError);
      expect(error.statusCode).toBe(row.status);
      expect(error.isRetryable).toBe(row.retryable);
      expect(error.isConfigurationError).toBe(row.configuration);
      expect(error.platformCode).toBe(row.code);
      expect(error.retryAfterMs).toBe(row.retryAfterMs);
      expect(error.message).not.toContain('pin-token');
      expect(JSON.stringify((error as { exchange?: unknown }).exchange)).not.toContain('pin-token');
    },
  );

  it('keeps Pinterest’s message in the error', async () => {
    const error = await sendError(pinterestError(401, 2, 'Authentication failed.'));
    expect(error.message).toContain('Authentication failed.');
    expect(error.message).toContain('code 2');
  });

  it('turns a network failure into a retryable error', async () => {
    const error = await sendError(() => {
      throw new TypeError('fetch failed');
    });
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
  });
});
