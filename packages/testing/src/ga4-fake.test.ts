import { describe, expect, it } from 'vitest';
import ga4Purchase from './__fixtures__/ga4-purchase.json';
import { type Json, useFakePlatforms } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const QUERY = '?measurement_id=G-ABC123&api_secret=s3cr3t';
const HOUR_MICROS = 60 * 60 * 1_000_000;

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(ga4Purchase) as Json;
}

async function postGa4(
  body: unknown,
  options: { debug?: boolean; query?: string; raw?: string } = {},
): Promise<{ status: number; body: Json | undefined }> {
  const path = options.debug ? '/debug/mp/collect' : '/mp/collect';
  const response = await fetch(`${platforms.fake.url}${path}${options.query ?? QUERY}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
}

async function debugMessages(body: unknown, query?: string): Promise<Json[]> {
  const result = await postGa4(body, { debug: true, ...(query !== undefined ? { query } : {}) });
  expect(result.status).toBe(200);
  return result.body?.validationMessages as Json[];
}

describe('ga4 fake: /mp/collect', () => {
  it('answers 204 with no body for the §14 fixture and records the event', async () => {
    const body = fixture();
    expect(await postGa4(body)).toEqual({ status: 204, body: undefined });
    expect(platforms.fake.ga4.events).toEqual([
      {
        platform: 'ga4',
        pixelId: 'G-ABC123',
        eventName: 'purchase',
        eventId: 'ord_1',
        eventTime: 1767225600000,
        body: body.events[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
    expect(platforms.fake.ga4.requests[0]?.validationMessages).toEqual([]);
  });

  it('still answers 204 for an invalid request, records what it would reject and accepts nothing', async () => {
    const body = fixture();
    body.events[0].name = '_bad';
    expect((await postGa4(body)).status).toBe(204);
    expect(platforms.fake.ga4.events).toEqual([]);
    expect(platforms.fake.ga4.requests[0]?.validationMessages).toEqual([
      expect.objectContaining({ fieldPath: 'events', validationCode: 'NAME_INVALID' }),
    ]);
  });

  it('answers 204 even without api_secret, flagging it', async () => {
    expect((await postGa4(fixture(), { query: '?measurement_id=G-ABC123' })).status).toBe(204);
    expect(platforms.fake.ga4.requests[0]?.validationMessages).toEqual([
      expect.objectContaining({ fieldPath: 'api_secret', validationCode: 'VALUE_REQUIRED' }),
    ]);
    expect(platforms.fake.ga4.events).toEqual([]);
  });

  it('uses the event_id param as the dedup ID when there is no transaction_id', async () => {
    const body = fixture();
    body.events[0] = { name: 'sign_up', params: { event_id: 'evt_7' } };
    await postGa4(body);
    expect(platforms.fake.ga4.events[0]?.eventId).toBe('evt_7');
  });
});

describe('ga4 fake: /debug/mp/collect', () => {
  it('returns empty validationMessages for the §14 fixture', async () => {
    expect(await postGa4(fixture(), { debug: true })).toEqual({
      status: 200,
      body: { validationMessages: [] },
    });
  });

  it('records debug events as validation-only test traffic outside the dedup ledger', async () => {
    await postGa4(fixture(), { debug: true });
    expect(platforms.fake.ga4.events[0]?.validationOnly).toBe(true);
    expect(platforms.fake.ga4.requests[0]?.testMode).toBe(true);
    expect(platforms.fake.ga4.dedupVerdict('purchase', 'ord_1')).toBe('unknown');
  });

  const cases: Array<[string, (body: Json) => void, string, string]> = [
    [
      'a name starting with _',
      (body) => (body.events[0].name = '_purchase'),
      'events',
      'NAME_INVALID',
    ],
    [
      'a name with a dash',
      (body) => (body.events[0].name = 'add-to-cart'),
      'events',
      'NAME_INVALID',
    ],
    [
      'a 41-character name',
      (body) => (body.events[0].name = 'a'.repeat(41)),
      'events',
      'NAME_INVALID',
    ],
    [
      'a reserved name',
      (body) => (body.events[0].name = 'session_start'),
      'events',
      'NAME_RESERVED',
    ],
    [
      'a reserved prefix',
      (body) => (body.events[0].name = 'google_thing'),
      'events',
      'NAME_RESERVED',
    ],
    [
      '26 params',
      (body) => {
        for (let index = 0; index < 26; index += 1) body.events[0].params[`p${index}`] = index;
      },
      'events[0].params',
      'EXCEEDED_MAX_ENTITIES',
    ],
    [
      'a 101-character param value',
      (body) => (body.events[0].params.coupon = 'x'.repeat(101)),
      'events[0].params.coupon',
      'VALUE_OUT_OF_BOUNDS',
    ],
    [
      'an object param',
      (body) => (body.events[0].params.extra = { a: 1 }),
      'events[0].params.extra',
      'VALUE_INVALID',
    ],
    [
      'an array param other than items',
      (body) => (body.events[0].params.tags = ['a']),
      'events[0].params.tags',
      'VALUE_INVALID',
    ],
    [
      'a param name with a space',
      (body) => (body.events[0].params['bad name'] = 1),
      'events[0].params.bad name',
      'NAME_INVALID',
    ],
    [
      '26 events',
      (body) => (body.events = Array.from({ length: 26 }, () => body.events[0])),
      'events',
      'EXCEEDED_MAX_ENTITIES',
    ],
    ['no events', (body) => (body.events = []), 'events', 'VALUE_REQUIRED'],
    ['a missing client_id', (body) => delete body.client_id, 'client_id', 'VALUE_REQUIRED'],
    [
      'timestamp_micros in milliseconds',
      (body) => (body.timestamp_micros = 1767225600000),
      'timestamp_micros',
      'VALUE_INVALID',
    ],
    [
      'timestamp_micros older than 72 hours',
      (body) => (body.timestamp_micros = NOW * 1000 - 73 * HOUR_MICROS),
      'timestamp_micros',
      'VALUE_OUT_OF_BOUNDS',
    ],
    [
      'an event timestamp_micros in seconds',
      (body) => (body.events[0].timestamp_micros = 1767225600),
      'events[0].timestamp_micros',
      'VALUE_INVALID',
    ],
    [
      'a plain e-mail in sha256_email_address',
      (body) => (body.user_data.sha256_email_address = ['john@example.com']),
      'user_data.sha256_email_address',
      'VALUE_INVALID',
    ],
    [
      'an unhashed address first name',
      (body) => (body.user_data.address = [{ sha256_first_name: 'mary', city: 'paris' }]),
      'user_data.address[0].sha256_first_name',
      'VALUE_INVALID',
    ],
    [
      'an invalid consent value',
      (body) => (body.consent.ad_user_data = 'CONSENT_GRANTED'),
      'consent.ad_user_data',
      'VALUE_INVALID',
    ],
    [
      'an item without item_id or item_name',
      (body) => (body.events[0].params.items = [{ price: 1 }]),
      'events[0].params.items[0]',
      'VALUE_REQUIRED',
    ],
    [
      'a 25-character user property name',
      (body) => (body.user_properties = { ['a'.repeat(25)]: { value: 'x' } }),
      `user_properties.${'a'.repeat(25)}`,
      'NAME_INVALID',
    ],
  ];

  it.each(cases)('reports %s', async (_name, breakIt, fieldPath, validationCode) => {
    const body = fixture();
    breakIt(body);
    const messages = await debugMessages(body);
    expect(messages).toContainEqual({ fieldPath, description: expect.any(String), validationCode });
    expect(platforms.fake.ga4.events).toEqual([]);
  });

  it('reports a body of 130 kB or more', async () => {
    const body = fixture();
    body.events[0].params.filler = 'x'.repeat(100);
    body.padding = 'x'.repeat(130_000);
    const messages = await debugMessages(body);
    expect(messages).toContainEqual(
      expect.objectContaining({ fieldPath: '', validationCode: 'VALUE_OUT_OF_BOUNDS' }),
    );
  });

  it('accepts 25 events and page_location up to 1000 characters', async () => {
    const body = fixture();
    body.events = Array.from({ length: 25 }, (_, index) => ({
      name: 'page_view',
      params: { page_location: `https://shop.example.com/${'p'.repeat(900)}/${index}` },
    }));
    expect(await debugMessages(body)).toEqual([]);
  });

  it('reports missing measurement_id and api_secret', async () => {
    const messages = await debugMessages(fixture(), '');
    expect(messages.map((message) => [message.fieldPath, message.validationCode])).toEqual([
      ['measurement_id', 'VALUE_REQUIRED'],
      ['api_secret', 'VALUE_REQUIRED'],
    ]);
  });

  it('reports a body that is not JSON', async () => {
    const result = await postGa4(undefined, { debug: true, raw: '{"events":' });
    expect(result.body?.validationMessages).toEqual([
      expect.objectContaining({ validationCode: 'VALUE_INVALID' }),
    ]);
  });

  it('never echoes a plain e-mail address in a message', async () => {
    const body = fixture();
    body.user_data.sha256_email_address = 'someone.private@example.com';
    const messages = await debugMessages(body);
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages)).not.toContain('someone.private');
  });
});

describe('ga4 fake: dedup by (measurement_id, name, transaction_id)', () => {
  it('reports matched when a gtag pixel copy shares the transaction_id', async () => {
    platforms.fake.ga4.recordPixelHit({
      pixelId: 'G-ABC123',
      eventName: 'purchase',
      eventId: 'ord_1',
    });
    await postGa4(fixture());
    expect(platforms.fake.ga4.dedupVerdict('purchase', 'ord_1', 'G-ABC123')).toBe('matched');
  });
});
