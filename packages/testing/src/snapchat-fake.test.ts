import { describe, expect, it } from 'vitest';
import snapchatPurchase from './__fixtures__/snapchat-purchase.json';
import { type Json, useFakePlatforms, fakePoster } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const PIXEL = 'b6e1c0d2-4f3a-4c5b-8d7e-9f0a1b2c3d4e';
const TOKEN = 'snap-test-token';
const EVENTS = `/v3/${PIXEL}/events`;
const DAY = 24 * 3600;

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(snapchatPurchase) as Json;
}

const postSnapchat = fakePoster(platforms, EVENTS, { authorization: `Bearer ${TOKEN}` });

describe('snapchat fake: accepted requests', () => {
  it('accepts the §14 fixture with HTTP 200 and status VALID', async () => {
    const result = await postSnapchat(fixture());
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      status: 'VALID',
      reason: 'Events have been processed successfully.',
    });
  });

  it('records the accepted event with its pixel ID, event name, ID and time in ms', async () => {
    const body = fixture();
    await postSnapchat(body);
    expect(platforms.fake.snapchat.events).toEqual([
      {
        platform: 'snapchat',
        pixelId: PIXEL,
        eventName: 'PURCHASE',
        eventId: 'ord_1',
        eventTime: 1767225600 * 1000,
        body: body.data[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('takes the token from ?access_token= as Snap’s docs send it', async () => {
    const result = await postSnapchat(fixture(), {
      path: `${EVENTS}?access_token=${TOKEN}`,
      headers: { authorization: '' },
    });
    expect(result.status).toBe(200);
    expect(platforms.fake.snapchat.requests[0]?.query.access_token).toBe(TOKEN);
  });

  it('accepts 2000 events in one request', async () => {
    const body = fixture();
    body.data = Array.from({ length: 2000 }, (_, index) => ({
      ...body.data[0],
      event_id: `ord_${index}`,
    }));
    expect((await postSnapchat(body)).status).toBe(200);
    expect(platforms.fake.snapchat.events).toHaveLength(2000);
  });

  it('accepts an event of 6 days ago, numeric values, the mixed-case name and no event_id', async () => {
    const body = fixture();
    const event = body.data[0];
    event.event_time = Math.floor(NOW / 1000) - 6 * DAY;
    event.event_name = 'Purchase';
    event.custom_data.value = 123.45;
    delete event.event_id;
    expect((await postSnapchat(body)).status).toBe(200);
    // Without an event_id nothing can be deduplicated, so the ledger has no row.
    expect(platforms.fake.snapchat.dedupEntries()).toEqual([]);
  });

  it('accepts IP with user agent as the only PII, and a hashed IP', async () => {
    const body = fixture();
    delete body.data[0].user_data.em;
    delete body.data[0].user_data.ph;
    expect((await postSnapchat(body)).status).toBe(200);
    body.data[0].user_data.client_ip_address = 'a'.repeat(64);
    expect((await postSnapchat(body)).status).toBe(200);
  });

  it('checks without counting on /events/validate, marking the request as test mode', async () => {
    const result = await postSnapchat(fixture(), { path: `${EVENTS}/validate` });
    expect(result.status).toBe(200);
    expect(platforms.fake.snapchat.requests[0]?.testMode).toBe(true);
    expect(platforms.fake.snapchat.events[0]?.validationOnly).toBe(true);
    expect(platforms.fake.snapchat.dedupVerdict('PURCHASE', 'ord_1')).toBe('unknown');
  });
});

describe('snapchat fake: validation answers HTTP 400 INVALID for the whole request', () => {
  const cases: Array<[string, (event: Json, body: Json) => void, string]> = [
    [
      'event_time in milliseconds',
      (event) => (event.event_time = NOW),
      'data[0].event_time: Timestamp invalid or out of range',
    ],
    [
      'an event 8 days old',
      (event) => (event.event_time = Math.floor(NOW / 1000) - 8 * DAY),
      'data[0].event_time: Timestamp invalid or out of range',
    ],
    [
      'an event 2 days ahead',
      (event) => (event.event_time = Math.floor(NOW / 1000) + 2 * DAY),
      'Timestamp invalid or out of range',
    ],
    ['event_time as a string', (event) => (event.event_time = '1767225600'), 'data[0].event_time'],
    ['missing event_name', (event) => delete event.event_name, 'data[0].event_name'],
    ['an unknown event_name', (event) => (event.event_name = 'CompletePayment'), 'event_name'],
    ['missing action_source', (event) => delete event.action_source, 'data[0].action_source'],
    ['an unknown action_source', (event) => (event.action_source = 'STORE'), 'action_source'],
    [
      'a web event without event_source_url',
      (event) => delete event.event_source_url,
      'data[0].event_source_url',
    ],
    ['missing user_data', (event) => delete event.user_data, 'data[0].user_data'],
    [
      'a plain e-mail',
      (event) => (event.user_data.em = ['john@example.com']),
      'data[0].user_data.em: Unhashed PII',
    ],
    [
      'a plain phone',
      (event) => (event.user_data.ph = '448444124653'),
      'user_data.ph: Unhashed PII',
    ],
    [
      'a plain first name',
      (event) => (event.user_data.fn = ['john']),
      'user_data.fn: Unhashed PII',
    ],
    [
      'upper-case hex external_id',
      (event) => (event.user_data.external_id = ['A'.repeat(64)]),
      'user_data.external_id: Unhashed PII',
    ],
    [
      'a broken hashed IP',
      (event) => (event.user_data.client_ip_address = 'Z'.repeat(64)),
      'Invalid hashed IP Address',
    ],
    [
      'no e-mail, phone or user agent',
      (event) => {
        delete event.user_data.em;
        delete event.user_data.ph;
        delete event.user_data.client_user_agent;
      },
      'Insufficient PII',
    ],
    [
      'a Purchase without currency',
      (event) => delete event.custom_data.currency,
      'Missing price and/or currency in Purchase events',
    ],
    [
      'a Purchase without value',
      (event) => delete event.custom_data.value,
      'Missing price and/or currency',
    ],
    ['an unknown currency', (event) => (event.custom_data.currency = 'XYZ'), 'currency'],
    ['a non-numeric value', (event) => (event.custom_data.value = 'lots'), 'custom_data.value'],
    ['empty data', (_event, body) => (body.data = []), 'data'],
    [
      '2001 events',
      (event, body) => (body.data = Array.from({ length: 2001 }, () => event)),
      'at most 2000 events',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body.data[0], body);
    const result = await postSnapchat(body);
    expect(result.status).toBe(400);
    expect(result.body.status).toBe('INVALID');
    expect(result.body.reason).toContain(fragment);
    expect(platforms.fake.snapchat.events).toEqual([]);
  });

  it('rejects the whole batch when only the second event is invalid', async () => {
    const body = fixture();
    body.data.push({ ...structuredClone(body.data[0]), event_id: 'ord_2', event_time: NOW });
    const result = await postSnapchat(body);
    expect(result.status).toBe(400);
    expect(result.body.reason).toContain('data[1].event_time');
    expect(platforms.fake.snapchat.events).toEqual([]);
  });

  it('never echoes a plain e-mail back in the reason', async () => {
    const body = fixture();
    body.data[0].user_data.em = 'someone.private@example.com';
    const result = await postSnapchat(body);
    expect(result.status).toBe(400);
    expect(result.text).not.toContain('someone.private');
  });

  it('rejects a body that is not JSON', async () => {
    const result = await postSnapchat(undefined, { raw: 'not json' });
    expect(result.status).toBe(400);
    expect(result.body.status).toBe('INVALID');
  });
});

describe('snapchat fake: transport', () => {
  it('answers 401 without a token', async () => {
    const result = await postSnapchat(fixture(), { headers: { authorization: '' } });
    expect(result.status).toBe(401);
    expect(result.body.status).toBe('UNAUTHORIZED');
    expect(platforms.fake.snapchat.events).toEqual([]);
  });

  it('answers 401 "Invalid access token" for a token marked revoked', async () => {
    platforms.fake.snapchat.rejectToken(TOKEN);
    const result = await postSnapchat(fixture());
    expect(result.status).toBe(401);
    expect(result.body.reason).toBe('Invalid access token');
  });

  it('answers 404 for the legacy v2 path, which the fake does not serve', async () => {
    expect((await postSnapchat(fixture(), { path: '/v2/conversion' })).status).toBe(404);
    expect(platforms.fake.snapchat.requests).toEqual([]);
  });

  it('answers a scripted 429 with Retry-After, then accepts', async () => {
    platforms.fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_rate_limited',
      headers: { 'retry-after': '3' },
    });
    const response = await fetch(`${platforms.fake.url}${EVENTS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(fixture()),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ status: 'RATE_LIMITED', reason: 'Too many requests' });
    expect((await postSnapchat(fixture())).status).toBe(200);
    expect(platforms.fake.snapchat.events).toHaveLength(1);
  });

  it('answers a scripted 400 INVALID with the given reason', async () => {
    platforms.fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_invalid',
      message: 'nope',
    });
    const result = await postSnapchat(fixture());
    expect(result).toMatchObject({ status: 400, body: { status: 'INVALID', reason: 'nope' } });
  });
});

describe('snapchat fake: dedup ledger (pixel, event_id)', () => {
  it('reports matched for a pixel copy (client_dedup_id) plus a server copy (event_id)', async () => {
    platforms.fake.snapchat.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'PURCHASE',
      eventId: 'ord_1',
    });
    await postSnapchat(fixture());
    expect(platforms.fake.snapchat.dedupVerdict('PURCHASE', 'ord_1', PIXEL)).toBe('matched');
  });

  it('keys on the event ID alone within a pixel, whatever the event name', async () => {
    await postSnapchat(fixture());
    const second = fixture();
    second.data[0].event_name = 'CUSTOM_EVENT_1';
    await postSnapchat(second);
    expect(platforms.fake.snapchat.dedupVerdict('PURCHASE', 'ord_1', PIXEL)).toBe('duplicate');
  });

  it('keeps the same event ID of another pixel apart', async () => {
    await postSnapchat(fixture());
    await postSnapchat(fixture(), { path: '/v3/another-pixel/events' });
    expect(platforms.fake.snapchat.dedupVerdict('PURCHASE', 'ord_1', PIXEL)).toBe('server_only');
    expect(platforms.fake.snapchat.dedupStats().serverOnly).toBe(2);
  });

  it('records a pixel hit through POST /__pixel/snapchat and shows it in /__fake/state', async () => {
    const hit = await fetch(`${platforms.fake.url}/__pixel/snapchat`, {
      method: 'POST',
      body: JSON.stringify({ pixelId: PIXEL, eventName: 'PURCHASE', eventId: 'ord_1' }),
    });
    expect(await hit.json()).toMatchObject({ recorded: true, platform: 'snapchat' });
    await postSnapchat(fixture());
    const state = (await (await fetch(`${platforms.fake.url}/__fake/state`)).json()) as Json;
    expect(state.platforms.snapchat).toMatchObject({
      requests: 1,
      stats: { matched: 1, serverOnly: 0, pixelOnly: 0, duplicates: 0 },
    });
  });
});
