import { describe, expect, it } from 'vitest';
import pinterestCheckout from './__fixtures__/pinterest-checkout.json';
import { type Json, useFakePlatforms, fakePoster } from './__fixtures__/fake-test-kit';
import type { ScriptedErrorKind } from './fake-types';

/** One hour after the fixture's event_time (2026-01-01T00:00:00Z). */
const NOW = Date.UTC(2026, 0, 1, 1);
const AD_ACCOUNT = '549755885175';
const TOKEN = 'pin-test-token';
const EVENTS = `/v5/ad_accounts/${AD_ACCOUNT}/events`;
const HASH = 'a'.repeat(64);

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(pinterestCheckout) as Json;
}

const postPinterest = fakePoster(platforms, EVENTS, { authorization: `Bearer ${TOKEN}` });

describe('pinterest fake: accepted requests', () => {
  it('accepts the §14 fixture with 200 and one processed result', async () => {
    const result = await postPinterest(fixture());
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      num_events_received: 1,
      num_events_processed: 1,
      events: [{ status: 'processed', error_message: null, warning_message: null }],
    });
  });

  it('records the event under the ad account, with its name, ID and time in ms', async () => {
    const body = fixture();
    await postPinterest(body);
    expect(platforms.fake.pinterest.events).toEqual([
      {
        platform: 'pinterest',
        pixelId: AD_ACCOUNT,
        eventName: 'checkout',
        eventId: 'ord_1',
        eventTime: 1767225600 * 1000,
        body: body.data[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('accepts IP + user agent without an e-mail, and 1 000 events in one request', async () => {
    const body = fixture();
    delete body.data[0].user_data.em;
    body.data = Array.from({ length: 1000 }, (_, index) => ({
      ...body.data[0],
      event_id: `ord_${index}`,
    }));
    const result = await postPinterest(body);
    expect(result.status).toBe(200);
    expect(result.body.num_events_processed).toBe(1000);
    expect(platforms.fake.pinterest.events).toHaveLength(1000);
  });

  it('validates ?test=true the same way but records nothing in the dedup ledger', async () => {
    const result = await postPinterest(fixture(), { path: `${EVENTS}?test=true` });
    expect(result.status).toBe(200);
    expect(platforms.fake.pinterest.requests[0]?.testMode).toBe(true);
    expect(platforms.fake.pinterest.events[0]?.validationOnly).toBe(true);
    expect(platforms.fake.pinterest.dedupVerdict('checkout', 'ord_1')).toBe('unknown');
  });
});

describe('pinterest fake: schema violations fail the whole request with 400', () => {
  const cases: Array<[string, (event: Json, body: Json) => void, string]> = [
    ['a Meta-style event name', (event) => (event.event_name = 'Purchase'), 'data.0.event_name'],
    ['a PascalCase name', (event) => (event.event_name = 'PageVisit'), 'data.0.event_name'],
    ['action_source "website"', (event) => (event.action_source = 'website'), 'action_source'],
    ['a string event_time', (event) => (event.event_time = '1767225600'), 'data.0.event_time'],
    ['missing event_id', (event) => delete event.event_id, 'data.0.event_id'],
    ['missing user_data', (event) => delete event.user_data, 'data.0.user_data'],
    [
      'user_data with only a phone',
      (event) => (event.user_data = { ph: [HASH] }),
      'must contain em, hashed_maids, or client_ip_address',
    ],
    [
      'IP without user agent and no e-mail',
      (event) => (event.user_data = { client_ip_address: '203.0.113.7' }),
      'data.0.user_data',
    ],
    ['em as a string, not a list', (event) => (event.user_data.em = HASH), 'data.0.user_data.em'],
    ['a numeric value', (event) => (event.custom_data.value = 123.45), 'custom_data.value'],
    [
      'a numeric item_price',
      (event) => (event.custom_data.contents = [{ id: 'sku1', item_price: 12 }]),
      'contents.0.item_price',
    ],
    [
      'an unknown custom_data key',
      (event) => (event.custom_data.content_type = 'product'),
      'additional property "content_type"',
    ],
    [
      'an unknown event key',
      (event) => (event.referrer_url = 'https://x.example'),
      'additional property "referrer_url"',
    ],
    ['an unknown top-level key', (_event, body) => (body.test_event_code = 'T'), 'test_event_code'],
    ['empty data', (_event, body) => (body.data = []), 'data'],
    [
      '1 001 events',
      (event, body) => (body.data = Array.from({ length: 1001 }, () => event)),
      '1 to 1000',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body.data[0], body);
    const result = await postPinterest(body);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ code: 4196, message: expect.stringContaining(fragment) });
    expect(platforms.fake.pinterest.events).toEqual([]);
  });

  it('rejects a body that is not JSON', async () => {
    const result = await postPinterest(undefined, { raw: 'not json' });
    expect(result.status).toBe(400);
  });

  it('rejects an ad account ID that is not digits', async () => {
    const result = await postPinterest(fixture(), { path: '/v5/ad_accounts/tag123/events' });
    expect(result.status).toBe(400);
    expect(result.body.message).toContain('ad_account_id');
  });
});

describe('pinterest fake: unusable events get 422 and the others are processed', () => {
  const cases: Array<[string, (event: Json) => void, string]> = [
    ['event_time in milliseconds', (event) => (event.event_time = NOW), 'milliseconds'],
    [
      'an event older than 7 days',
      (event) => (event.event_time = Math.floor((NOW - 8 * 24 * 3600_000) / 1000)),
      'more than 7 days',
    ],
    [
      'an event two hours ahead',
      (event) => (event.event_time = Math.floor((NOW + 2 * 3600_000) / 1000)),
      'future',
    ],
    ['a plain e-mail', (event) => (event.user_data.em = ['john@example.com']), 'user_data.em'],
    ['a plain phone', (event) => (event.user_data.ph = ['16505551212']), 'user_data.ph'],
    [
      'upper-case hex',
      (event) => (event.user_data.external_id = ['A'.repeat(64)]),
      'user_data.external_id',
    ],
    ['an unknown currency', (event) => (event.custom_data.currency = 'XYZ'), 'currency'],
    ['a value that is no number', (event) => (event.custom_data.value = 'lots'), 'value'],
  ];

  it.each(cases)('fails %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    const good = structuredClone(body.data[0]);
    good.event_id = 'ord_good';
    breakIt(body.data[0]);
    body.data.push(good);
    const result = await postPinterest(body);
    expect(result.status).toBe(422);
    expect(result.body).toEqual({
      code: 1,
      message: 'Not all events were successfully processed.',
      details: {
        num_events_received: 2,
        num_events_processed: 1,
        events: [
          {
            status: 'failed',
            error_message: expect.stringContaining(fragment),
            warning_message: null,
          },
          { status: 'processed', error_message: null, warning_message: null },
        ],
      },
    });
    expect(platforms.fake.pinterest.events.map((event) => event.eventId)).toEqual(['ord_good']);
  });

  it('never echoes a plain e-mail back', async () => {
    const body = fixture();
    body.data[0].user_data.em = ['someone.private@example.com'];
    const result = await postPinterest(body);
    expect(result.status).toBe(422);
    expect(result.text).not.toContain('someone.private');
  });
});

describe('pinterest fake: transport and faults', () => {
  it('answers 401 code 2 without a Bearer token', async () => {
    const result = await postPinterest(fixture(), { headers: { authorization: '' } });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ code: 2, message: 'Authentication failed.' });
    const basic = await postPinterest(fixture(), { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('answers 401 for a revoked token', async () => {
    platforms.fake.pinterest.rejectToken(TOKEN);
    expect((await postPinterest(fixture())).status).toBe(401);
    expect(platforms.fake.pinterest.events).toEqual([]);
  });

  it('answers 404 for another path under the ad account', async () => {
    const result = await postPinterest(fixture(), { path: `/v5/ad_accounts/${AD_ACCOUNT}/event` });
    expect(result.status).toBe(404);
  });

  it('routes /v5/ad_accounts/ to Pinterest, not to Data Manager', async () => {
    await postPinterest(fixture());
    expect(platforms.fake.requests.map((request) => request.platform)).toEqual(['pinterest']);
    expect(platforms.fake.dataManager.requests).toEqual([]);
  });

  const scripted: Array<[ScriptedErrorKind, number, number]> = [
    ['pinterest_invalid', 400, 4196],
    ['pinterest_auth', 401, 2],
    ['pinterest_forbidden', 403, 29],
    ['pinterest_rate_limit', 429, 8],
    ['pinterest_unavailable', 503, 4197],
  ];

  it.each(scripted)(
    'answers a scripted %s as HTTP %i code %i, then validates',
    async (error, status, code) => {
      platforms.fake.pinterest.respondWith({
        kind: 'error',
        error,
        headers: { 'retry-after': '7' },
      });
      const failed = await fetch(`${platforms.fake.url}${EVENTS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(fixture()),
      });
      expect(failed.status).toBe(status);
      expect(failed.headers.get('retry-after')).toBe('7');
      expect(await failed.json()).toEqual({ code, message: expect.any(String) });
      expect(platforms.fake.pinterest.events).toEqual([]);
      expect((await postPinterest(fixture())).status).toBe(200);
    },
  );
});

describe('pinterest fake: dedup ledger on event_id', () => {
  it('pairs a tag hit with the server copy though the tag ID is not the ad account', async () => {
    platforms.fake.pinterest.recordPixelHit({
      pixelId: '2612345678901',
      eventName: 'checkout',
      eventId: 'ord_1',
    });
    await postPinterest(fixture());
    expect(platforms.fake.pinterest.dedupVerdict('checkout', 'ord_1')).toBe('matched');
  });

  it('reports duplicate when the server copy arrives twice', async () => {
    await postPinterest(fixture());
    await postPinterest(fixture());
    expect(platforms.fake.pinterest.dedupVerdict('checkout', 'ord_1')).toBe('duplicate');
    expect(platforms.fake.pinterest.events[1]?.deduplicated).toBe(true);
  });

  it('takes tag hits on POST /__pixel/pinterest and shows Pinterest in /__fake/state', async () => {
    const hit = await fetch(`${platforms.fake.url}/__pixel/pinterest`, {
      method: 'POST',
      body: JSON.stringify({ eventName: 'checkout', eventId: 'ord_1' }),
    });
    expect(await hit.json()).toMatchObject({ platform: 'pinterest', verdict: 'pixel_only' });
    await postPinterest(fixture());
    const state = (await (await fetch(`${platforms.fake.url}/__fake/state`)).json()) as Json;
    expect(state.platforms.pinterest).toMatchObject({
      requests: 1,
      stats: { matched: 1, serverOnly: 0, pixelOnly: 0, duplicates: 0 },
    });
  });
});
