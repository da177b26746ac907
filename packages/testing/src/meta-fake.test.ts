import { beforeEach, describe, expect, it } from 'vitest';
import metaPurchase from './__fixtures__/meta-purchase.json';
import { type Json, useFakePlatforms } from './__fixtures__/fake-test-kit';

/** 2026-01-01T01:00:00Z: one hour after the fixture's `event_time`. */
const NOW = Date.UTC(2026, 0, 1, 1);
const DAY_S = 24 * 60 * 60;
const PIXEL = '1234567890';
const TOKEN = 'EAAB-test-token';

let now = NOW;
const platforms = useFakePlatforms(() => now);
beforeEach(() => {
  now = NOW;
});

function fixture(): Json {
  return structuredClone(metaPurchase) as Json;
}

async function postMeta(
  body: unknown,
  options: { path?: string; query?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; body: Json }> {
  const path = options.path ?? `/v26.0/${PIXEL}/events`;
  const query = options.query ?? `?access_token=${TOKEN}`;
  const response = await fetch(`${platforms.fake.url}${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

function expectGraphValidationError(result: { status: number; body: Json }, fragment: string) {
  expect(result.status).toBe(400);
  expect(result.body.error).toMatchObject({
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    is_transient: false,
    error_subcode: expect.any(Number),
    error_user_title: expect.any(String),
    fbtrace_id: expect.any(String),
  });
  expect(result.body.error.error_user_msg).toContain(fragment);
}

describe('meta fake: accepted requests', () => {
  it('accepts the §14 fixture with the token in the query and answers the Graph success body', async () => {
    const result = await postMeta(fixture());
    expect(result).toEqual({
      status: 200,
      body: { events_received: 1, messages: [], fbtrace_id: expect.any(String) },
    });
  });

  it('records the accepted event flattened with its pixel, ID, time in ms and test code', async () => {
    const body = fixture();
    await postMeta(body);
    expect(platforms.fake.meta.events).toEqual([
      {
        platform: 'meta',
        pixelId: PIXEL,
        eventName: 'Purchase',
        eventId: 'ord_1',
        eventTime: 1767225600 * 1000,
        body: body.data[0],
        testEventCode: 'TEST123',
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('records the request with path, query, headers, parsed body, response and test mode', async () => {
    await postMeta(fixture());
    const [request] = platforms.fake.meta.requests;
    expect(request).toMatchObject({
      platform: 'meta',
      method: 'POST',
      path: `/v26.0/${PIXEL}/events`,
      query: { access_token: TOKEN },
      body: fixture(),
      response: { status: 200 },
      testMode: true,
      receivedAt: NOW,
    });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(platforms.fake.requests).toEqual([request]);
  });

  it('accepts the token in the body as access_token', async () => {
    const result = await postMeta({ ...fixture(), access_token: TOKEN }, { query: '' });
    expect(result.status).toBe(200);
  });

  it('accepts the token as an Authorization Bearer header', async () => {
    const result = await postMeta(fixture(), {
      query: '',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(result.status).toBe(200);
  });

  it('accepts form fields with data as a JSON string, like the docs curl sample', async () => {
    const form = new URLSearchParams({
      data: JSON.stringify(fixture().data),
      access_token: TOKEN,
    });
    const result = await postMeta(undefined, {
      query: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: form.toString(),
    });
    expect(result.status).toBe(200);
    expect(platforms.fake.meta.events[0]?.eventId).toBe('ord_1');
  });

  it('accepts hashed fields carrying the capi-param-builder appendix', async () => {
    const body = fixture();
    body.data[0].user_data.em = [`${body.data[0].user_data.em[0]}.AQQCAQIB`];
    body.data[0].user_data.ph = `${body.data[0].user_data.ph[0]}.AQ`;
    expect((await postMeta(body)).status).toBe(200);
  });

  it('accepts a physical_store event 30 days old without a page URL or user agent', async () => {
    const body = fixture();
    const event = body.data[0];
    event.action_source = 'physical_store';
    event.event_time = Math.floor(NOW / 1000) - 30 * DAY_S;
    delete event.event_source_url;
    delete event.user_data.client_user_agent;
    expect((await postMeta(body)).status).toBe(200);
  });

  it('accepts an event just inside the 7-day window', async () => {
    const body = fixture();
    body.data[0].event_time = Math.floor(NOW / 1000) - 7 * DAY_S + 60;
    expect((await postMeta(body)).status).toBe(200);
  });

  it('accepts a lower-case currency, as the docs sample sends it', async () => {
    const body = fixture();
    body.data[0].custom_data.currency = 'usd';
    expect((await postMeta(body)).status).toBe(200);
  });

  it('accepts an event without event_id but keeps it out of the dedup ledger', async () => {
    const body = fixture();
    delete body.data[0].event_id;
    delete body.test_event_code;
    expect((await postMeta(body)).status).toBe(200);
    expect(platforms.fake.meta.events[0]?.eventId).toBeUndefined();
    expect(platforms.fake.meta.events[0]).not.toHaveProperty('testEventCode');
    expect(platforms.fake.meta.requests[0]?.testMode).toBe(false);
    expect(platforms.fake.meta.dedupEntries()).toEqual([]);
  });

  it('judges the 7-day window by the injected clock', async () => {
    expect((await postMeta(fixture())).status).toBe(200);
    now = NOW + 8 * DAY_S * 1000;
    expectGraphValidationError(await postMeta(fixture()), '7 days');
  });

  it('accepts Limited Data Use with California geolocation', async () => {
    const body = fixture();
    Object.assign(body.data[0], {
      data_processing_options: ['LDU'],
      data_processing_options_country: 1,
      data_processing_options_state: 1000,
    });
    expect((await postMeta(body)).status).toBe(200);
  });

  it('accepts 1000 events in one request', async () => {
    const body = fixture();
    body.data = Array.from({ length: 1000 }, (_, index) => ({
      ...body.data[0],
      event_id: `ord_${index}`,
    }));
    const result = await postMeta(body);
    expect(result.body.events_received).toBe(1000);
    expect(platforms.fake.meta.events).toHaveLength(1000);
  });
});

describe('meta fake: validation (§2.10), whole batch rejected with a Graph error', () => {
  const nowSeconds = Math.floor(NOW / 1000);
  const cases: Array<[string, (event: Json, body: Json) => void, string]> = [
    ['event_time in milliseconds', (event) => (event.event_time = NOW), 'milliseconds'],
    ['event_time as a string', (event) => (event.event_time = '1767225600'), 'event_time'],
    ['event_time with a fraction', (event) => (event.event_time = 1767225600.5), 'event_time'],
    ['event older than 7 days', (event) => (event.event_time = nowSeconds - 8 * DAY_S), '7 days'],
    [
      'physical_store event older than 62 days',
      (event) => {
        event.action_source = 'physical_store';
        event.event_time = nowSeconds - 63 * DAY_S;
      },
      '62 days',
    ],
    ['event time two days ahead', (event) => (event.event_time = nowSeconds + 2 * DAY_S), 'future'],
    ['missing event_name', (event) => delete event.event_name, 'event_name'],
    ['missing action_source', (event) => delete event.action_source, 'action_source'],
    ['unknown action_source', (event) => (event.action_source = 'web'), 'action_source'],
    [
      'website without event_source_url',
      (event) => delete event.event_source_url,
      'event_source_url',
    ],
    [
      'website with a non-http event_source_url',
      (event) => (event.event_source_url = 'shop.example.com/thanks'),
      'event_source_url',
    ],
    [
      'website without client_user_agent',
      (event) => delete event.user_data.client_user_agent,
      'client_user_agent',
    ],
    ['empty user_data', (event) => (event.user_data = {}), 'user_data'],
    ['plain e-mail in em', (event) => (event.user_data.em = ['John_Smith@gmail.com']), 'e-mail'],
    ['plain phone in ph', (event) => (event.user_data.ph = '16505551212'), 'phone'],
    [
      'upper-case hex in em',
      (event) => (event.user_data.em = [String(event.user_data.em[0]).toUpperCase()]),
      'upper-case',
    ],
    ['plain first name in fn', (event) => (event.user_data.fn = 'mary'), 'user_data.fn'],
    ['number in zp', (event) => (event.user_data.zp = 94035), 'user_data.zp'],
    ['fbc without the fb prefix', (event) => (event.user_data.fbc = 'IwAR2F4-dbP0l7'), 'fbc'],
    [
      'fbc creation time in seconds',
      (event) => (event.user_data.fbc = 'fb.1.1767225500.IwAR2F4-dbP0l7'),
      '13 digits',
    ],
    ['fbp with too few parts', (event) => (event.user_data.fbp = 'fb.1.1098115397'), 'fbp'],
    ['value without currency', (event) => delete event.custom_data.currency, 'ISO 4217'],
    ['value with an unknown currency', (event) => (event.custom_data.currency = 'XYZ'), 'ISO 4217'],
    ['value as a string', (event) => (event.custom_data.value = '123.45'), 'value'],
    [
      'an unknown data processing option',
      (event) => (event.data_processing_options = ['ldu']),
      'data_processing_options',
    ],
    [
      'a string data processing country',
      (event) => (event.data_processing_options_country = 'US'),
      'data_processing_options_country',
    ],
    [
      'a data processing state of 1',
      (event) => (event.data_processing_options_state = 1),
      'data_processing_options_state',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body.data[0], body);
    const result = await postMeta(body);
    expectGraphValidationError(result, fragment);
    expect(platforms.fake.meta.events).toEqual([]);
  });

  it('rejects the whole batch when only the second event is invalid', async () => {
    const body = fixture();
    body.data.push({ ...structuredClone(body.data[0]), event_id: 'ord_2', event_time: NOW });
    const result = await postMeta(body);
    expectGraphValidationError(result, 'data[1].event_time');
    expect(platforms.fake.meta.events).toEqual([]);
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1')).toBe('unknown');
  });

  it('rejects the whole batch when one event is older than 7 days', async () => {
    const body = fixture();
    body.data.push({
      ...structuredClone(body.data[0]),
      event_id: 'ord_old',
      event_time: nowSeconds - 10 * DAY_S,
    });
    expectGraphValidationError(await postMeta(body), 'data[1]');
    expect(platforms.fake.meta.events).toEqual([]);
  });

  it('never echoes a plain e-mail back in the error', async () => {
    const body = fixture();
    body.data[0].user_data.em = 'someone.private@example.com';
    const result = await postMeta(body);
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).not.toContain('someone.private');
  });

  it('rejects a request without data', async () => {
    const result = await postMeta({ test_event_code: 'TEST123' });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 100, type: 'OAuthException' });
    expect(result.body.error.message).toContain('data');
  });

  it('rejects an empty data array', async () => {
    const result = await postMeta({ data: [] });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe(100);
  });

  it('rejects 1001 events', async () => {
    const body = fixture();
    body.data = Array.from({ length: 1001 }, () => body.data[0]);
    expectGraphValidationError(await postMeta(body), '1000');
  });

  it('rejects a body that is not JSON', async () => {
    const result = await postMeta(undefined, { raw: '{"data": [' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe(100);
  });
});

describe('meta fake: tokens and paths', () => {
  it('answers code 190 when no token is sent', async () => {
    const result = await postMeta(fixture(), { query: '' });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      type: 'OAuthException',
      code: 190,
      is_transient: false,
      fbtrace_id: expect.any(String),
    });
    expect(platforms.fake.meta.events).toEqual([]);
  });

  it('answers code 190 subcode 463 for a token marked expired with rejectToken', async () => {
    platforms.fake.meta.rejectToken(TOKEN);
    const result = await postMeta(fixture());
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('accepts only the tokens listed with acceptTokens', async () => {
    platforms.fake.meta.acceptTokens(['other-token']);
    expect((await postMeta(fixture())).body.error.code).toBe(190);
    platforms.fake.meta.acceptTokens([TOKEN]);
    expect((await postMeta(fixture())).status).toBe(200);
  });

  it('accepts any API version of the form vN.M', async () => {
    expect((await postMeta(fixture(), { path: `/v24.0/${PIXEL}/events` })).status).toBe(200);
  });

  it('rejects a non-numeric pixel ID the way Graph rejects an unknown node', async () => {
    const result = await postMeta(fixture(), { path: '/v26.0/my-pixel/events' });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
  });

  it('rejects GET on the events edge', async () => {
    const response = await fetch(
      `${platforms.fake.url}/v26.0/${PIXEL}/events?access_token=${TOKEN}`,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error.message).toContain('Unsupported get request');
  });
});

describe('meta fake: dedup ledger (pixel, event_name, event_id) for 48 h', () => {
  it('reports server_only for a server copy alone', async () => {
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', PIXEL)).toBe('server_only');
  });

  it('reports matched when the pixel copy and the server copy share name and ID', async () => {
    platforms.fake.meta.recordPixelHit({ pixelId: PIXEL, eventName: 'Purchase', eventId: 'ord_1' });
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', PIXEL)).toBe('matched');
    expect(platforms.fake.meta.dedupStats()).toEqual({
      matched: 1,
      serverOnly: 0,
      pixelOnly: 0,
      duplicates: 0,
    });
  });

  it('reports duplicate and flags the second copy when the server sends the event twice', async () => {
    await postMeta(fixture());
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1')).toBe('duplicate');
    expect(platforms.fake.meta.events.map((event) => event.deduplicated)).toEqual([false, true]);
  });

  it('reports pixel_only for a pixel copy the server never sent', () => {
    platforms.fake.meta.recordPixelHit({ pixelId: PIXEL, eventName: 'Purchase', eventId: 'ord_9' });
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_9')).toBe('pixel_only');
  });

  it('does not pair copies whose event names differ', async () => {
    platforms.fake.meta.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'AddToCart',
      eventId: 'ord_1',
    });
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1')).toBe('server_only');
    expect(platforms.fake.meta.dedupVerdict('AddToCart', 'ord_1')).toBe('pixel_only');
  });

  it('does not pair copies sent to different pixels', async () => {
    platforms.fake.meta.recordPixelHit({ pixelId: '999', eventName: 'Purchase', eventId: 'ord_1' });
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', PIXEL)).toBe('server_only');
  });

  it('does not count a second server copy more than 48 h later as a duplicate', async () => {
    const body = fixture();
    await postMeta(body);
    now = NOW + 49 * 60 * 60 * 1000;
    body.data[0].event_time = Math.floor(now / 1000) - 60;
    await postMeta(body);
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1')).toBe('server_only');
    expect(platforms.fake.meta.events.map((event) => event.deduplicated)).toEqual([false, false]);
  });

  it('does not pair a pixel copy recorded more than 48 h before the server copy', async () => {
    platforms.fake.meta.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'Purchase',
      eventId: 'ord_1',
      at: NOW - 49 * 60 * 60 * 1000,
    });
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', PIXEL)).toBe('server_only');
  });

  it('pairs a pixel copy recorded without a pixel ID with the server copy', async () => {
    platforms.fake.meta.recordPixelHit({ eventName: 'Purchase', eventId: 'ord_1' });
    await postMeta(fixture());
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1', PIXEL)).toBe('matched');
    expect(platforms.fake.meta.dedupEntries()).toEqual([
      expect.objectContaining({ pixelId: PIXEL, serverCopies: 1, pixelCopies: 1 }),
    ]);
  });

  it('counts every verdict in dedupStats', async () => {
    const body = fixture();
    body.data = ['a', 'b', 'c'].map((id) => ({ ...body.data[0], event_id: id }));
    platforms.fake.meta.recordPixelHit({ pixelId: PIXEL, eventName: 'Purchase', eventId: 'a' });
    platforms.fake.meta.recordPixelHit({ pixelId: PIXEL, eventName: 'Purchase', eventId: 'z' });
    await postMeta(body);
    body.data = [body.data[2]];
    await postMeta(body);
    expect(platforms.fake.meta.dedupStats()).toEqual({
      matched: 1,
      serverOnly: 1,
      pixelOnly: 1,
      duplicates: 1,
    });
  });

  it('reports unknown for an event it never saw', () => {
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'nope')).toBe('unknown');
  });

  it('forgets the ledger on reset', async () => {
    await postMeta(fixture());
    platforms.fake.reset();
    expect(platforms.fake.meta.dedupVerdict('Purchase', 'ord_1')).toBe('unknown');
    expect(platforms.fake.meta.requests).toEqual([]);
    expect(platforms.fake.requests).toEqual([]);
  });
});
