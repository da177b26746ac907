import { ConfigError, DestinationCallError } from '@capi-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANONICAL_HASHES, CANONICAL_NOW, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, recordingFetch } from '../__fixtures__/destination-test-kit';
import { linkedin } from './linkedin-destination';

const settings = {
  accessToken: 'li-secret-token',
  conversions: { Purchase: 104012, Lead: '104013' },
  baseURL: 'http://127.0.0.1:9',
};
const signal = new AbortController().signal;
const prepare = prepareReady;
const created = () => Response.json({ elements: [{ status: 201 }] });

/** The canonical event with the `li_fat_id` click ID the relay reads from the landing page. */
function linkedinEvent(overrides: Parameters<typeof canonicalEvent>[0] = {}) {
  const event = canonicalEvent(overrides);
  event.user = { ...event.user, liFatId: 'li-fat-abc' };
  return event;
}

async function sendError(destination: ReturnType<typeof linkedin>) {
  return (await destination
    .doSend([await prepare(destination, linkedinEvent())], { signal })
    .catch((caught: unknown) => caught)) as DestinationCallError;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('linkedin settings', () => {
  it('throws a ConfigError naming LINKEDIN_ACCESS_TOKEN when the token is missing', () => {
    vi.stubEnv('LINKEDIN_ACCESS_TOKEN', '');
    expect(() => linkedin({ conversions: { Purchase: 1 } })).toThrow(ConfigError);
    expect(() => linkedin({ conversions: { Purchase: 1 } })).toThrow(
      /accessToken.*LINKEDIN_ACCESS_TOKEN/,
    );
  });

  it('throws a ConfigError when no conversion rule is mapped, or a rule ID is not a number', () => {
    vi.stubEnv('LINKEDIN_CONVERSIONS', '');
    expect(() => linkedin({ accessToken: 't' })).toThrow(/conversions.*LINKEDIN_CONVERSIONS/);
    expect(() => linkedin({ accessToken: 't', conversions: {} })).toThrow(ConfigError);
    expect(() => linkedin({ accessToken: 't', conversions: { Purchase: 'urn:x' } })).toThrow(
      /Purchase.*positive integer/,
    );
  });

  it('reads the token and the rules from the environment', async () => {
    vi.stubEnv('LINKEDIN_ACCESS_TOKEN', 'env-token');
    vi.stubEnv('LINKEDIN_CONVERSIONS', '{"Purchase":777}');
    const { fetch, calls } = recordingFetch(created);
    const destination = linkedin({ baseURL: settings.baseURL, fetch });
    await destination.doSend([await prepare(destination, linkedinEvent())], { signal });
    expect(calls[0]!.headers.authorization).toBe('Bearer env-token');
    expect(calls[0]!.body).toMatchObject({
      elements: [{ conversion: 'urn:lla:llaPartnerConversion:777' }],
    });
  });

  it('rejects an apiVersion that is not YYYYMM', () => {
    expect(() => linkedin({ ...settings, apiVersion: 'v2' })).toThrow(/202604/);
  });

  it('declares LinkedIn’s limits: 5 000 events a request, 90 days less a safety margin', () => {
    const destination = linkedin(settings);
    expect(destination.id).toBe('linkedin');
    expect(destination.platform).toBe('linkedin');
    expect(destination.maxEventsPerRequest).toBe(5000);
    const age = destination.maxEventAgeMs({ eventName: 'Purchase', eventTime: CANONICAL_NOW });
    expect(age).toBeLessThan(90 * 24 * 3600_000);
    expect(age).toBeGreaterThan(90 * 24 * 3600_000 - 3600_000);
  });
});

describe('linkedin request', () => {
  it('sends the canonical event as this exact BATCH_CREATE body and headers', async () => {
    const { fetch, calls } = recordingFetch(created);
    const destination = linkedin({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination, linkedinEvent())], {
      signal,
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/rest/conversionEvents');
    expect(calls[0]!.headers).toEqual({
      authorization: 'Bearer li-secret-token',
      'content-type': 'application/json',
      'linkedin-version': '202604',
      'x-restli-method': 'BATCH_CREATE',
      'x-restli-protocol-version': '2.0.0',
    });
    expect(calls[0]!.body).toEqual({
      elements: [
        {
          conversion: 'urn:lla:llaPartnerConversion:104012',
          conversionHappenedAt: 1767225600000,
          eventId: 'evt_01JGZ5M8Q4',
          user: {
            userIds: [
              { idType: 'SHA256_EMAIL', idValue: CANONICAL_HASHES.emailWithDots },
              { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'li-fat-abc' },
            ],
            userInfo: { firstName: 'mary', lastName: 'obriensmith', countryCode: 'US' },
            externalIds: ['user-42'],
          },
          conversionValue: { currencyCode: 'USD', amount: '123.45' },
        },
      ],
    });
    // Only the hash of the e-mail leaves; the phone and IP have no LinkedIn field (§13).
    const text = JSON.stringify(calls[0]!.body);
    for (const raw of ['John.Smith', 'john.smith@', '6505551212', '203.0.113.7', 'Mozilla']) {
      expect(text).not.toContain(raw);
    }
  });

  it('looks the rule up by the canonical name, like the Insight Tag adapter', async () => {
    const destination = linkedin(settings);
    const lead = await prepare(destination, linkedinEvent({ name: 'Lead', data: {} }));
    expect(lead.payload.conversion).toBe('urn:lla:llaPartnerConversion:104013');
    expect(lead.payload).not.toHaveProperty('conversionValue');
  });

  it('skips an event without a conversion rule, with a reason for the ledger', async () => {
    const result = await linkedin(settings).doPrepare(linkedinEvent({ name: 'AddToCart' }));
    expect(result).toEqual({
      kind: 'skip',
      reason: expect.stringContaining('no LinkedIn conversion rule for "AddToCart"'),
    });
  });

  it('skips an event with neither an e-mail nor li_fat_id', async () => {
    const event = canonicalEvent();
    delete event.user!.email;
    const result = await linkedin(settings).doPrepare(event);
    expect(result).toMatchObject({ kind: 'skip', reason: expect.stringContaining('li_fat_id') });
  });

  it('matches on li_fat_id alone when there is no e-mail', async () => {
    const event = linkedinEvent();
    delete event.user!.email;
    const prepared = await prepare(linkedin(settings), event);
    expect(prepared.payload.user.userIds).toEqual([
      { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'li-fat-abc' },
    ]);
  });

  it('leaves userInfo out unless both names are known', async () => {
    const event = linkedinEvent();
    delete event.user!.lastName;
    const prepared = await prepare(linkedin(settings), event);
    expect(prepared.payload.user).not.toHaveProperty('userInfo');
  });

  it('skips an event under limited data use, which LinkedIn has no mode for', async () => {
    const event = linkedinEvent();
    event.consent = { ...event.consent, limitedDataUse: true };
    const result = await linkedin(settings).doPrepare(event);
    expect(result).toMatchObject({ kind: 'skip', reason: expect.stringContaining('limited data') });
  });
});

describe('linkedin answers', () => {
  it.each([
    // status, retryable, configuration
    [401, false, true],
    [403, false, true],
    [404, false, true],
    [426, false, true],
    [400, false, false],
    [422, false, false],
    [429, true, false],
    [500, true, false],
    [503, true, false],
  ] as const)(
    'classifies HTTP %i: retryable %s, configuration %s',
    async (status, retryable, configuration) => {
      const { fetch } = recordingFetch(() =>
        Response.json(
          { status, serviceErrorCode: 100, message: `LinkedIn says ${status}` },
          { status },
        ),
      );
      const error = await sendError(linkedin({ ...settings, fetch }));
      expect(error).toBeInstanceOf(DestinationCallError);
      expect(error.statusCode).toBe(status);
      expect(error.isRetryable).toBe(retryable);
      expect(error.isConfigurationError).toBe(configuration);
      expect(error.platformCode).toBe(100);
      expect(error.message).toContain(`LinkedIn says ${status}`);
    },
  );

  it('passes Retry-After of a 429 on to the relay', async () => {
    const { fetch } = recordingFetch(
      () => new Response('', { status: 429, headers: { 'retry-after': '30' } }),
    );
    const error = await sendError(linkedin({ ...settings, fetch }));
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('keeps the field-level reasons of a 422 and never the token', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          status: 422,
          message: 'Validation failed',
          errorDetails: {
            inputErrors: [
              {
                description: 'must be a SHA-256 hex string',
                input: { inputPath: { fieldPath: '/elements/0/user/userIds/0/idValue' } },
              },
            ],
          },
        },
        { status: 422 },
      ),
    );
    const error = await sendError(linkedin({ ...settings, fetch }));
    expect(error.message).toContain('/elements/0/user/userIds/0/idValue: must be a SHA-256 hex');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('li-secret-token');
  });

  it('reads per-element statuses of a BATCH_CREATE answer', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json({
        elements: [
          { status: 201 },
          { status: 400, error: { status: 400, serviceErrorCode: 100, message: 'Too old' } },
          { status: 503, error: { status: 503, message: 'Busy' } },
        ],
      }),
    );
    const destination = linkedin({ ...settings, fetch });
    const batch = [
      await prepare(destination, linkedinEvent({ id: 'e1' })),
      await prepare(destination, linkedinEvent({ id: 'e2' })),
      await prepare(destination, linkedinEvent({ id: 'e3' })),
    ];
    const result = await destination.doSend(batch, { signal });
    expect(result.outcomes).toEqual([
      { status: 'delivered' },
      { status: 'rejected', reason: 'Too old', code: 100 },
      { status: 'retry', reason: 'HTTP 503: Busy' },
    ]);
    expect(JSON.stringify(result.exchange)).not.toContain('li-secret-token');
  });

  it('counts a 2xx without per-element statuses as created', async () => {
    const { fetch } = recordingFetch(() => new Response(null, { status: 201 }));
    const destination = linkedin({ ...settings, fetch });
    const result = await destination.doSend([await prepare(destination, linkedinEvent())], {
      signal,
    });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
  });
});
