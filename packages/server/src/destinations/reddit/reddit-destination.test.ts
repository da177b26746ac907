import { ConfigError, DestinationCallError, type ConversionEvent } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { reddit } from './reddit-destination';

const settings = {
  pixelId: 't2_abc123',
  accessToken: 'rdt-secret-token',
  baseURL: 'http://127.0.0.1:9',
};
const signal = new AbortController().signal;
const ok = () => Response.json({ message: 'Successfully processed 1 conversion events.' });
const prepare = prepareReady;

/** The canonical event plus the Reddit identifiers the relay's enrich step adds. */
function redditEvent(overrides: Partial<ConversionEvent> = {}): ConversionEvent {
  const event = canonicalEvent(overrides);
  if (!overrides.user) {
    event.user = {
      ...event.user,
      rdtCid: 't3_rdtclick123',
      rdtUuid: '1767225500000.6a1f0b9e-2c4d-4e8f-9a7b-1c2d3e4f5a6b',
    };
  }
  return event;
}

async function sendFailing(
  answer: () => Response,
  batchSize = 1,
): Promise<{ error: DestinationCallError; calls: unknown[] }> {
  const { fetch, calls } = recordingFetch(answer);
  const destination = reddit({ ...settings, fetch });
  const batch = [];
  for (let index = 0; index < batchSize; index++) {
    batch.push(await prepare(destination, redditEvent({ id: `evt_${index}` })));
  }
  const error = (await destination
    .doSend(batch, { signal })
    .then(() => undefined)
    .catch((caught: unknown) => caught)) as DestinationCallError;
  return { error, calls };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('reddit', () => {
  it('throws a ConfigError naming REDDIT_PIXEL_ID when the pixel ID is missing', () => {
    vi.stubEnv('REDDIT_PIXEL_ID', '');
    expect(() => reddit({ accessToken: 'x' })).toThrow(ConfigError);
    expect(() => reddit({ accessToken: 'x' })).toThrow(/pixelId.*REDDIT_PIXEL_ID/);
  });

  it('throws a ConfigError naming REDDIT_ACCESS_TOKEN when the token is missing', () => {
    vi.stubEnv('REDDIT_ACCESS_TOKEN', '');
    expect(() => reddit({ pixelId: 't2_a' })).toThrow(/accessToken.*REDDIT_ACCESS_TOKEN/);
  });

  it('reads pixel ID, token and test ID from the environment', async () => {
    vi.stubEnv('REDDIT_PIXEL_ID', 't2_env');
    vi.stubEnv('REDDIT_ACCESS_TOKEN', 'envtoken');
    vi.stubEnv('REDDIT_TEST_ID', 't2_test');
    const { fetch, calls } = recordingFetch(ok);
    const destination = reddit({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/v3/pixels/t2_env/conversion_events');
    expect(calls[0]!.headers.authorization).toBe('Bearer envtoken');
    expect(calls[0]!.body).toMatchObject({ data: { test_id: 't2_test' } });
  });

  it('declares Reddit’s limits: 1 000 events per request, 168 h less a safety margin', () => {
    const destination = reddit(settings);
    expect(destination.maxEventsPerRequest).toBe(1000);
    const age = destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: 0 });
    expect(age).toBeLessThan(168 * 3600_000);
    expect(age).toBeGreaterThan(167 * 3600_000);
  });
});

describe('doSend: the request', () => {
  it('posts the canonical event as Reddit v3 wants it: ms, UPPER_SNAKE type, conversion_id = event ID', async () => {
    const { fetch, calls } = recordingFetch(ok);
    const destination = reddit({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination, redditEvent())], {
      signal,
    });

    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/v3/pixels/t2_abc123/conversion_events');
    expect(calls[0]!.headers.authorization).toBe('Bearer rdt-secret-token');
    expect(calls[0]!.body).toEqual({
      data: {
        events: [
          {
            event_at: 1767225600000,
            action_source: 'WEBSITE',
            type: { tracking_type: 'PURCHASE' },
            metadata: {
              conversion_id: 'evt_01JGZ5M8Q4',
              currency: 'USD',
              value: 123.45,
              item_count: 1,
              products: [
                { id: 'sku1', name: 'Shirt', category: 'Apparel', quantity: 1, item_price: 123.45 },
              ],
            },
            click_id: 't3_rdtclick123',
            event_source_url: 'https://shop.example.com/thanks?gclid=Cj0KCQtest',
            user: {
              // Reddit's canonicalization drops every non-alphanumeric of the local part, for
              // every domain, so the Gmail dot goes as it does for Google (platforms.md §8.3).
              email: CANONICAL_HASHES.emailGoogle,
              phone_number: CANONICAL_HASHES.phoneE164,
              external_id: CANONICAL_HASHES.externalId,
              ip_address: '203.0.113.7',
              user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
              uuid: '6a1f0b9e-2c4d-4e8f-9a7b-1c2d3e4f5a6b',
            },
          },
        ],
      },
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(JSON.stringify(result.exchange)).not.toContain('rdt-secret-token');
  });

  it('sends only hashes of the e-mail, phone and external ID, never the raw values', async () => {
    const { fetch, calls } = recordingFetch(ok);
    const destination = reddit({ ...settings, fetch });
    await destination.doSend([await prepare(destination, redditEvent())], { signal });
    const sent = JSON.stringify(calls[0]!.body);
    for (const raw of ['John.Smith@gmail.com', 'john.smith', '6505551212', 'user-42', 'Mary']) {
      expect(sent.toLowerCase()).not.toContain(raw.toLowerCase());
    }
  });

  it('hashes Reddit’s published e-mail vector to the published hash', async () => {
    const destination = reddit(settings);
    const prepared = await prepare(
      destination,
      canonicalEvent({ user: { email: 'Al.ice$+Apple@Example.Com' } }),
    );
    expect(prepared.payload.user?.email).toBe(
      'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976',
    );
  });

  it.each([
    ['PageView', { tracking_type: 'PAGE_VISIT' }],
    ['ViewContent', { tracking_type: 'VIEW_CONTENT' }],
    ['AddToCart', { tracking_type: 'ADD_TO_CART' }],
    ['AddToWishlist', { tracking_type: 'ADD_TO_WISHLIST' }],
    ['Search', { tracking_type: 'SEARCH' }],
    ['Lead', { tracking_type: 'LEAD' }],
    ['CompleteRegistration', { tracking_type: 'SIGN_UP' }],
    ['InitiateCheckout', { tracking_type: 'CUSTOM', custom_event_name: 'InitiateCheckout' }],
    ['NewsletterSignup', { tracking_type: 'CUSTOM', custom_event_name: 'NewsletterSignup' }],
  ])('names %s as the pixel does, in v3 spelling', async (name, type) => {
    const prepared = await prepare(reddit(settings), redditEvent({ name }));
    expect(prepared.payload.type).toEqual(type);
  });

  it('maps the event source to action_source', async () => {
    const destination = reddit(settings);
    const source = async (value: ConversionEvent['source']) =>
      (await prepare(destination, redditEvent({ source: value }))).payload.action_source;
    expect(await source('app')).toBe('APP');
    expect(await source('offline')).toBe('PHYSICAL_STORE');
    expect(await source('physical_store')).toBe('PHYSICAL_STORE');
    expect(await source('phone_call')).toBe('OTHER');
  });

  it('adds LDU with the known country, upper-cased, when consent says limited data use', async () => {
    const prepared = await prepare(
      reddit(settings),
      redditEvent({ consent: { limitedDataUse: true } }),
    );
    expect(prepared.payload.user?.data_processing_options).toEqual({
      modes: ['LDU'],
      country: 'US',
    });
    const withoutCountry = await prepare(
      reddit(settings),
      canonicalEvent({ user: { email: 'a@b.co' }, consent: { limitedDataUse: true } }),
    );
    expect(withoutCountry.payload.user?.data_processing_options).toEqual({ modes: ['LDU'] });
  });

  it('prefers numItems for item_count and counts units otherwise', async () => {
    const destination = reddit(settings);
    const withNumItems = await prepare(
      destination,
      redditEvent({ data: { value: 10, currency: 'eur', numItems: 4 } }),
    );
    expect(withNumItems.payload.metadata).toEqual({
      conversion_id: 'evt_01JGZ5M8Q4',
      currency: 'EUR',
      value: 10,
      item_count: 4,
    });
    const counted = await prepare(
      destination,
      redditEvent({ data: { contents: [{ id: 'a', quantity: 2 }, { id: 'b' }] } }),
    );
    expect(counted.payload.metadata.item_count).toBe(3);
  });

  it('sends a cookie without the timestamp prefix as it is, and leaves out a relative URL', async () => {
    const event = canonicalEvent({ page: { url: '/thanks' } });
    event.user = { ...event.user, rdtUuid: 'plain-uuid' };
    const prepared = await prepare(reddit(settings), event);
    expect(prepared.payload.user?.uuid).toBe('plain-uuid');
    expect(prepared.payload.event_source_url).toBeUndefined();
  });
});

describe('doSend: answers', () => {
  it('rejects only the events Reddit lists as invalid and resends the rest at once', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          message: 'There were 1 invalid conversion events. None were processed.',
          invalid_events: [
            {
              error_message: 'event_at timestamp must be less than 168h0m0s old',
              event: { metadata: { conversion_id: 'e2' } },
            },
          ],
        },
        { status: 400 },
      ),
    );
    const destination = reddit({ ...settings, fetch });
    const batch = [
      await prepare(destination, redditEvent({ id: 'e1' })),
      await prepare(destination, redditEvent({ id: 'e2' })),
      await prepare(destination, redditEvent({ id: 'e3' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(result.outcomes).toEqual([
      { status: 'retry', retryAfterMs: 0, reason: expect.stringContaining('another event') },
      {
        status: 'rejected',
        reason: 'event_at timestamp must be less than 168h0m0s old',
        code: 400,
      },
      { status: 'retry', retryAfterMs: 0, reason: expect.stringContaining('another event') },
    ]);
  });

  it('rejects invalid events a 2xx answer still lists, and delivers the others', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({
        message: 'ok',
        invalid_events: [{ error_message: 'bad', event: { metadata: { conversion_id: 'e1' } } }],
      }),
    );
    const destination = reddit({ ...settings, fetch });
    const batch = [
      await prepare(destination, redditEvent({ id: 'e1' })),
      await prepare(destination, redditEvent({ id: 'e2' })),
    ];
    expect((await destination.doSend(batch, { signal })).outcomes).toEqual([
      { status: 'rejected', reason: 'bad' },
      { status: 'delivered' },
    ]);
  });

  it('rejects a lone event with Reddit’s decode message', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        { error: { code: 400, message: 'JSON error "unknown field" on field "x"' } },
        { status: 400 },
      ),
    );
    const destination = reddit({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(result.outcomes).toEqual([
      {
        status: 'rejected',
        reason: 'Reddit: JSON error "unknown field" on field "x"',
        code: 400,
      },
    ]);
  });

  // status, body, headers → retryable, configuration, retryAfterMs, platformCode
  it.each([
    [
      '400 naming no event, in a batch: bisect',
      400,
      { error: { code: 400, message: 'JSON error' } },
      {},
      false,
      false,
      undefined,
      400,
    ],
    [
      '401 Authorization Required (text)',
      401,
      'Authorization Required',
      {},
      false,
      true,
      undefined,
      undefined,
    ],
    [
      '401 UNAUTHORIZED',
      401,
      { success: false, error: { reason: 'UNAUTHORIZED', explanation: 'nope' } },
      {},
      false,
      true,
      undefined,
      'UNAUTHORIZED',
    ],
    ['403 forbidden', 403, { error: { code: 403 } }, {}, false, true, undefined, 403],
    ['404 unknown pixel', 404, 'not found', {}, false, true, undefined, undefined],
    [
      '429 with Retry-After',
      429,
      { error: { code: 429, message: 'Too Many Requests' } },
      { 'retry-after': '7' },
      true,
      false,
      7000,
      429,
    ],
    ['500', 500, 'oops', {}, true, false, undefined, undefined],
    ['503 with Retry-After', 503, '', { 'retry-after': '2' }, true, false, 2000, undefined],
    ['413 too large', 413, 'too large', {}, false, false, undefined, undefined],
  ] as const)(
    'classifies %s',
    async (_name, status, body, headers, retryable, configuration, retryAfterMs, code) => {
      const { error } = await sendFailing(
        () =>
          typeof body === 'string'
            ? new Response(body, { status, headers })
            : Response.json(body, { status, headers }),
        2,
      );
      expect(error).toBeInstanceOf(DestinationCallError);
      expect(error.statusCode).toBe(status);
      expect(error.isRetryable).toBe(retryable);
      expect(error.isConfigurationError).toBe(configuration);
      expect(error.retryAfterMs).toBe(retryAfterMs);
      expect(error.platformCode).toBe(code);
      expect(error.message).not.toContain('rdt-secret-token');
      expect(JSON.stringify(error)).not.toContain('rdt-secret-token');
    },
  );

  it('turns a connection failure into a retryable error without the token', async () => {
    const destination = reddit({
      ...settings,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
    expect(error.message).not.toContain('rdt-secret-token');
  });
});
