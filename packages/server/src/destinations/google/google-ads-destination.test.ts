import { ConfigError, DestinationCallError } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { googleAds } from './google-ads-destination';

const settings = {
  customerId: '123-456-7890',
  conversionActionId: '987654321',
  accessToken: 'ya29.token',
  baseURL: 'http://127.0.0.1:9',
};
const signal = new AbortController().signal;
const defaultAnswer = () => Response.json({ requestId: 'r1' });
const prepare = prepareReady;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('googleAds', () => {
  it('throws a ConfigError naming GOOGLE_ADS_CUSTOMER_ID when the customer ID is missing', () => {
    vi.stubEnv('GOOGLE_ADS_CUSTOMER_ID', '');
    expect(() => googleAds({ ...settings, customerId: undefined })).toThrow(ConfigError);
    expect(() => googleAds({ ...settings, customerId: undefined })).toThrow(
      /customerId.*GOOGLE_ADS_CUSTOMER_ID/,
    );
  });

  it('throws a ConfigError naming GOOGLE_ADS_CONVERSION_ACTION_ID when the action is missing', () => {
    vi.stubEnv('GOOGLE_ADS_CONVERSION_ACTION_ID', '');
    expect(() => googleAds({ ...settings, conversionActionId: undefined })).toThrow(
      /conversionActionId.*GOOGLE_ADS_CONVERSION_ACTION_ID/,
    );
  });

  it('throws a ConfigError naming GOOGLE_ADS_ACCESS_TOKEN when there is neither a token nor a getter', () => {
    vi.stubEnv('GOOGLE_ADS_ACCESS_TOKEN', '');
    expect(() => googleAds({ ...settings, accessToken: undefined })).toThrow(
      /getAccessToken.*GOOGLE_ADS_ACCESS_TOKEN/,
    );
  });

  it('reads its settings from GOOGLE_ADS_* environment variables', async () => {
    vi.stubEnv('GOOGLE_ADS_CUSTOMER_ID', '111-222-3333');
    vi.stubEnv('GOOGLE_ADS_CONVERSION_ACTION_ID', '444');
    vi.stubEnv('GOOGLE_ADS_ACCESS_TOKEN', 'envtoken');
    vi.stubEnv('GOOGLE_ADS_LOGIN_CUSTOMER_ID', '999-888-7777');
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAds({ fetch, baseURL: 'http://127.0.0.1:9' });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.headers.authorization).toBe('Bearer envtoken');
    expect((calls[0]!.body as { destinations: unknown }).destinations).toEqual([
      {
        operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1112223333' },
        loginAccount: { accountType: 'GOOGLE_ADS', accountId: '9998887777' },
        productDestinationId: '444',
      },
    ]);
  });

  it('declares the Data Manager limit of 2 000 events per request', () => {
    expect(googleAds(settings).maxEventsPerRequest).toBe(2000);
  });
});

describe('doPrepare', () => {
  it('skips an event with neither a click ID nor user identifiers, with a reason', async () => {
    const event = canonicalEvent({
      user: { ip: '203.0.113.7', userAgent: 'UA', gaClientId: '1.2' },
    });
    const result = await googleAds(settings).doPrepare(event);
    expect(result).toEqual({ kind: 'skip', reason: expect.stringContaining('no Google click ID') });
  });

  it('keeps an event that has only a click ID', async () => {
    const event = canonicalEvent({ user: { gbraid: 'GBRAID1' } });
    const prepared = await prepare(googleAds(settings), event);
    expect(prepared.payload.adIdentifiers).toEqual({ gbraid: 'GBRAID1' });
    expect(prepared.payload.userData).toBeUndefined();
  });

  it('sends no user identifiers when ad_user_data consent is denied', async () => {
    const event = canonicalEvent({ consent: { adUserData: 'denied' } });
    const prepared = await prepare(googleAds(settings), event);
    expect(prepared.payload.userData).toBeUndefined();
    expect(prepared.payload.consent).toEqual({ adUserData: 'CONSENT_DENIED' });
    expect(prepared.payload.adIdentifiers?.gclid).toBe('Cj0KCQtest');
  });

  it('uses the event ID as transactionId when there is no order ID', async () => {
    const event = canonicalEvent({ data: { value: 5, currency: 'eur' } });
    const prepared = await prepare(googleAds(settings), event);
    expect(prepared.payload.transactionId).toBe('evt_01JGZ5M8Q4');
    expect(prepared.payload.currency).toBe('EUR');
  });
});

describe('doSend', () => {
  it('posts the canonical event as Data Manager wants it: RFC 3339 time, HEX hashes, one identifier each', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAds({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination)], { signal });

    expect(calls[0]!.url).toBe('http://127.0.0.1:9/v1/events:ingest');
    expect(calls[0]!.headers.authorization).toBe('Bearer ya29.token');
    expect(calls[0]!.body).toEqual({
      destinations: [
        {
          operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1234567890' },
          productDestinationId: '987654321',
        },
      ],
      encoding: 'HEX',
      events: [
        {
          transactionId: 'ord_1',
          eventTimestamp: '2026-01-01T00:00:00Z',
          eventSource: 'WEB',
          currency: 'USD',
          conversionValue: 123.45,
          adIdentifiers: {
            gclid: 'Cj0KCQtest',
            landingPageDeviceInfo: {
              userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
              ipAddress: '203.0.113.7',
            },
          },
          userData: {
            userIdentifiers: [
              { emailAddress: CANONICAL_HASHES.emailGoogle },
              { phoneNumber: CANONICAL_HASHES.phoneE164 },
              {
                address: {
                  givenName: CANONICAL_HASHES.firstName,
                  familyName: CANONICAL_HASHES.lastName,
                  regionCode: 'US',
                  postalCode: '94035',
                },
              },
            ],
          },
          consent: { adUserData: 'CONSENT_GRANTED', adPersonalization: 'CONSENT_DENIED' },
          cartData: { items: [{ merchantProductId: 'sku1', quantity: 1, unitPrice: 123.45 }] },
        },
      ],
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(JSON.stringify(result.exchange)).not.toContain('ya29.token');
  });

  it('sends validateOnly when asked', async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({}));
    const destination = googleAds({ ...settings, fetch, validateOnly: true });
    await destination.doSend([await prepare(destination)], { signal });
    expect(calls[0]!.body).toMatchObject({ validateOnly: true });
  });

  it('refreshes the token once on 401 and resends with the new one', async () => {
    const { fetch, calls } = recordingFetch((call) =>
      call.headers.authorization === 'Bearer fresh'
        ? Response.json({ requestId: 'r2' })
        : Response.json(
            { error: { code: 401, status: 'UNAUTHENTICATED', message: 'expired' } },
            { status: 401 },
          ),
    );
    const requests: boolean[] = [];
    const destination = googleAds({
      ...settings,
      accessToken: undefined,
      fetch,
      getAccessToken: async ({ forceRefresh }) => {
        requests.push(forceRefresh);
        return forceRefresh ? 'fresh' : 'stale';
      },
    });
    const result = await destination.doSend([await prepare(destination)], { signal });
    expect(requests).toEqual([false, true]);
    expect(calls.map((call) => call.headers.authorization)).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ]);
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
  });

  it('gives up after one refresh with a configuration error', async () => {
    const { fetch, calls } = recordingFetch(() =>
      Response.json(
        { error: { code: 401, status: 'UNAUTHENTICATED', message: 'bad creds' } },
        { status: 401 },
      ),
    );
    let refreshes = 0;
    const destination = googleAds({
      ...settings,
      accessToken: undefined,
      fetch,
      getAccessToken: async ({ forceRefresh }) => {
        if (forceRefresh) refreshes++;
        return 'never-good';
      },
    });
    const error = await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught);
    expect(refreshes).toBe(1);
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect((error as DestinationCallError).isConfigurationError).toBe(true);
    expect((error as DestinationCallError).isRetryable).toBe(false);
  });

  it('reports a 401 on a static token as a configuration error without calling again', async () => {
    const { fetch, calls } = recordingFetch(() =>
      Response.json(
        { error: { code: 401, status: 'UNAUTHENTICATED', message: 'expired' } },
        { status: 401 },
      ),
    );
    const destination = googleAds({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(calls).toHaveLength(1);
    expect(error.isConfigurationError).toBe(true);
    expect(error.message).toContain('UNAUTHENTICATED');
  });

  it('turns a failing token getter into a retryable error without calling Google', async () => {
    const { fetch, calls } = recordingFetch(defaultAnswer);
    const destination = googleAds({
      ...settings,
      accessToken: undefined,
      fetch,
      getAccessToken: async () => {
        throw new Error('token endpoint down');
      },
    });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('treats RESOURCE_EXHAUSTED as retryable and honors Retry-After', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'quota' } },
        { status: 429, headers: { 'retry-after': '30' } },
      ),
    );
    const destination = googleAds({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.platformCode).toBe('RESOURCE_EXHAUSTED');
  });

  it('rejects the events a 400 names and resends the others', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          error: {
            code: 400,
            status: 'INVALID_ARGUMENT',
            message: 'Request contains an invalid argument.',
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.BadRequest',
                fieldViolations: [{ field: 'events[1].transactionId', description: 'too short' }],
              },
            ],
          },
        },
        { status: 400 },
      ),
    );
    const destination = googleAds({ ...settings, fetch });
    const result = await destination.doSend(
      [await prepare(destination), await prepare(destination, canonicalEvent({ id: 'e2' }))],
      { signal },
    );
    expect(result.outcomes).toEqual([
      { status: 'retry', retryAfterMs: 0, reason: expect.any(String) },
      {
        status: 'rejected',
        reason: 'events[1].transactionId: too short',
        code: 'INVALID_ARGUMENT',
      },
    ]);
  });

  it('throws a non-retryable error for a 400 that names no event, so the relay bisects', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'bad' } },
        { status: 400 },
      ),
    );
    const destination = googleAds({ ...settings, fetch });
    const error = (await destination
      .doSend([await prepare(destination)], { signal })
      .catch((caught: unknown) => caught)) as DestinationCallError;
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(false);
    expect(error.isConfigurationError).toBe(false);
  });
});
