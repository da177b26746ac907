import { describe, expect, it } from 'vitest';
import tiktokPurchase from './__fixtures__/tiktok-complete-payment.json';
import { type Json, useFakePlatforms, fakePoster } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const PIXEL = 'C1234567890';
const TOKEN = 'tt-test-token';
const TRACK = '/open_api/v1.3/event/track/';

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(tiktokPurchase) as Json;
}

const postTiktok = fakePoster(platforms, TRACK, { 'access-token': TOKEN });

describe('tiktok fake: accepted requests', () => {
  it('accepts the §14 fixture with HTTP 200 and code 0', async () => {
    const result = await postTiktok(fixture());
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      code: 0,
      message: 'OK',
      request_id: expect.any(String),
      data: {},
    });
  });

  it('records the accepted event with its pixel code, event name, ID and time in ms', async () => {
    const body = fixture();
    await postTiktok(body);
    expect(platforms.fake.tiktok.events).toEqual([
      {
        platform: 'tiktok',
        pixelId: PIXEL,
        eventName: 'CompletePayment',
        eventId: 'ord_1',
        eventTime: 1767225600 * 1000,
        body: body.data[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('records test_event_code on the event and marks the request as test mode', async () => {
    await postTiktok({ ...fixture(), test_event_code: 'TEST42' });
    expect(platforms.fake.tiktok.events[0]?.testEventCode).toBe('TEST42');
    expect(platforms.fake.tiktok.requests[0]?.testMode).toBe(true);
  });

  it('keeps the Access-Token header in the request log', async () => {
    await postTiktok(fixture());
    expect(platforms.fake.tiktok.requests[0]?.headers['access-token']).toBe(TOKEN);
  });

  it('accepts 1000 events in one request', async () => {
    const body = fixture();
    body.data = Array.from({ length: 1000 }, (_, index) => ({
      ...body.data[0],
      event_id: `ord_${index}`,
    }));
    expect((await postTiktok(body)).body.code).toBe(0);
    expect(platforms.fake.tiktok.events).toHaveLength(1000);
  });

  it('accepts plain city, state, country, IP and user agent', async () => {
    const body = fixture();
    Object.assign(body.data[0].user, { city: 'menlopark', state: 'ca', country: 'us' });
    expect((await postTiktok(body)).body.code).toBe(0);
  });
});

describe('tiktok fake: validation answers HTTP 200 with code 40002', () => {
  const cases: Array<[string, (event: Json, body: Json) => void, string]> = [
    ['event_time in milliseconds', (event) => (event.event_time = NOW), 'Batch.0.event_time'],
    ['event_time as a string', (event) => (event.event_time = '1767225600'), 'Batch.0.event_time'],
    ['missing event_id', (event) => delete event.event_id, 'Batch.0.event_id'],
    ['empty event_id', (event) => (event.event_id = ''), 'Batch.0.event_id'],
    ['missing event name', (event) => delete event.event, 'Batch.0.event'],
    ['plain e-mail', (event) => (event.user.email = ['john@example.com']), 'Batch.0.user.email'],
    ['plain phone', (event) => (event.user.phone = '+16505551212'), 'Batch.0.user.phone'],
    [
      'upper-case hex external_id',
      (event) => (event.user.external_id = 'A'.repeat(64)),
      'Batch.0.user.external_id',
    ],
    ['plain first name', (event) => (event.user.first_name = 'mary'), 'Batch.0.user.first_name'],
    [
      'a numeric content_id',
      (event) => (event.properties.contents[0].content_id = 1077218),
      'Batch.0.properties.contents.0.content_id: Not a valid string',
    ],
    ['an unknown currency', (event) => (event.properties.currency = 'XYZ'), 'currency'],
    ['a string value', (event) => (event.properties.value = '123.45'), 'value'],
    ['missing event_source', (_event, body) => delete body.event_source, 'event_source'],
    ['event_source "website"', (_event, body) => (body.event_source = 'website'), 'event_source'],
    ['missing event_source_id', (_event, body) => delete body.event_source_id, 'event_source_id'],
    ['empty data', (_event, body) => (body.data = []), 'data'],
    [
      '1001 events',
      (event, body) => (body.data = Array.from({ length: 1001 }, () => event)),
      'data',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body.data[0], body);
    const result = await postTiktok(body);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ code: 40002, request_id: expect.any(String) });
    expect(result.body.message).toContain(fragment);
    expect(platforms.fake.tiktok.events).toEqual([]);
  });

  it('rejects the whole batch when only the second event is invalid', async () => {
    const body = fixture();
    body.data.push({ ...structuredClone(body.data[0]), event_id: 'ord_2', event_time: NOW });
    const result = await postTiktok(body);
    expect(result.body.code).toBe(40002);
    expect(result.body.message).toContain('Batch.1.event_time');
    expect(platforms.fake.tiktok.events).toEqual([]);
  });

  it('never echoes a plain e-mail back in the message', async () => {
    const body = fixture();
    body.data[0].user.email = 'someone.private@example.com';
    const result = await postTiktok(body);
    expect(result.body.code).toBe(40002);
    expect(result.text).not.toContain('someone.private');
  });

  it('rejects a body that is not JSON', async () => {
    const result = await postTiktok(undefined, { raw: 'not json' });
    expect(result.body.code).toBe(40002);
  });
});

describe('tiktok fake: transport', () => {
  it('answers 404 without the trailing slash', async () => {
    const result = await postTiktok(fixture(), { path: '/open_api/v1.3/event/track' });
    expect(result.status).toBe(404);
    expect(platforms.fake.tiktok.events).toEqual([]);
  });

  it('answers 404 for the legacy pixel/track path', async () => {
    expect((await postTiktok(fixture(), { path: '/open_api/v1.3/pixel/track/' })).status).toBe(404);
  });

  it('answers HTTP 200 with code 40001 without an Access-Token header', async () => {
    const result = await postTiktok(fixture(), { headers: { 'access-token': '' } });
    expect(result.status).toBe(200);
    expect(result.body.code).toBe(40001);
    expect(platforms.fake.tiktok.events).toEqual([]);
  });

  it('answers code 40001 for a token marked revoked', async () => {
    platforms.fake.tiktok.rejectToken(TOKEN);
    expect((await postTiktok(fixture())).body.code).toBe(40001);
  });

  it('answers HTTP 200 with code 40100 when throttling is scripted, then accepts', async () => {
    platforms.fake.tiktok.respondWith({ kind: 'error', error: 'tiktok_throttled' });
    const throttled = await postTiktok(fixture());
    expect(throttled.status).toBe(200);
    expect(throttled.body).toMatchObject({ code: 40100, message: 'Too many requests' });
    expect(platforms.fake.tiktok.events).toEqual([]);
    expect((await postTiktok(fixture())).body.code).toBe(0);
    expect(platforms.fake.tiktok.events).toHaveLength(1);
  });
});

describe('tiktok fake: dedup ledger (pixel, event, event_id) for 48 h', () => {
  it('reports matched for a pixel copy plus a server copy', async () => {
    platforms.fake.tiktok.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'CompletePayment',
      eventId: 'ord_1',
    });
    await postTiktok(fixture());
    expect(platforms.fake.tiktok.dedupVerdict('CompletePayment', 'ord_1', PIXEL)).toBe('matched');
  });

  it('reports duplicate when the server copy arrives twice', async () => {
    await postTiktok(fixture());
    await postTiktok(fixture());
    expect(platforms.fake.tiktok.dedupVerdict('CompletePayment', 'ord_1')).toBe('duplicate');
    expect(platforms.fake.tiktok.dedupStats().duplicates).toBe(1);
  });

  it('reports server_only for a server copy alone', async () => {
    await postTiktok(fixture());
    expect(platforms.fake.tiktok.dedupVerdict('CompletePayment', 'ord_1')).toBe('server_only');
  });
});
