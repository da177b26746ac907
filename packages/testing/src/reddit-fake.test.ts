import { describe, expect, it } from 'vitest';
import redditPurchase from './__fixtures__/reddit-purchase.json';
import { type Json, useFakePlatforms, fakePoster } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const EVENT_AT = 1767225600000;
const PIXEL = 't2_abc123';
const TOKEN = 'rdt-test-token';
const PATH = `/api/v3/pixels/${PIXEL}/conversion_events`;
const HOUR = 3600_000;

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(redditPurchase) as Json;
}

const postReddit = fakePoster(platforms, PATH, { authorization: `Bearer ${TOKEN}` });

describe('reddit fake: accepted requests', () => {
  it('accepts the §14 fixture with HTTP 200 and Reddit’s success message', async () => {
    const result = await postReddit(fixture());
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ message: 'Successfully processed 1 conversion events.' });
  });

  it('records the event under its pixel, tracking type, conversion_id and ms time', async () => {
    const body = fixture();
    await postReddit(body);
    expect(platforms.fake.reddit.events).toEqual([
      {
        platform: 'reddit',
        pixelId: PIXEL,
        eventName: 'PURCHASE',
        eventId: 'ord_1',
        eventTime: EVENT_AT,
        body: body.data.events[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('records data.test_id on the event and marks the request as test mode', async () => {
    const body = fixture();
    body.data.test_id = 't2_test';
    await postReddit(body);
    expect(platforms.fake.reddit.events[0]?.testEventCode).toBe('t2_test');
    expect(platforms.fake.reddit.requests[0]?.testMode).toBe(true);
  });

  it('accepts 1000 events, a CUSTOM event with its name, and LDU options', async () => {
    const body = fixture();
    const event = body.data.events[0];
    body.data.events = Array.from({ length: 1000 }, (_, index) => ({
      ...event,
      metadata: { ...event.metadata, conversion_id: `ord_${index}` },
    }));
    body.data.events[1] = {
      ...event,
      type: { tracking_type: 'CUSTOM', custom_event_name: 'InitiateCheckout' },
      user: { ...event.user, data_processing_options: { modes: ['LDU'], country: 'US' } },
      metadata: { conversion_id: 'ord_1' },
    };
    const result = await postReddit(body);
    expect(result.status).toBe(200);
    expect(platforms.fake.reddit.events).toHaveLength(1000);
  });

  it('routes only the v3 conversion_events path and keeps the bearer token in the log', async () => {
    await postReddit(fixture());
    expect(platforms.fake.requests.map((request) => request.platform)).toEqual(['reddit']);
    expect(platforms.fake.reddit.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('reddit fake: an invalid event fails the request with 400 invalid_events', () => {
  const cases: Array<[string, (event: Json) => void, string]> = [
    ['event_at in seconds', (event) => (event.event_at = 1767225600), 'milliseconds'],
    ['a fractional event_at', (event) => (event.event_at = EVENT_AT + 0.5), 'integer'],
    [
      'an event older than 168 h',
      (event) => (event.event_at = NOW - 168 * HOUR - 1),
      'event_at timestamp must be less than 168h0m0s old',
    ],
    ['an event 6 minutes ahead', (event) => (event.event_at = NOW + 6 * 60_000), 'future'],
    ['missing action_source', (event) => delete event.action_source, 'missing action_source'],
    [
      'a lower-case action_source',
      (event) => (event.action_source = 'website'),
      'invalid action_source: website',
    ],
    [
      'a PascalCase (v2) tracking type',
      (event) => (event.type = { tracking_type: 'Purchase' }),
      'invalid tracking_type',
    ],
    [
      'CUSTOM without a name',
      (event) => (event.type = { tracking_type: 'CUSTOM' }),
      'custom_event_name',
    ],
    [
      'a standard type with a custom name',
      (event) => (event.type = { tracking_type: 'PURCHASE', custom_event_name: 'x' }),
      'must be a Custom event',
    ],
    ['missing conversion_id', (event) => delete event.metadata.conversion_id, 'conversion_id'],
    ['an unknown currency', (event) => (event.metadata.currency = 'XYZ'), 'currency'],
    ['a fractional item_count', (event) => (event.metadata.item_count = 1.5), 'item_count'],
    ['a plain e-mail', (event) => (event.user.email = 'john@example.com'), 'user.email'],
    ['a plain phone', (event) => (event.user.phone_number = '+16505551212'), 'phone_number'],
    [
      'an upper-case hex external_id',
      (event) => (event.user.external_id = 'A'.repeat(64)),
      'user.external_id',
    ],
    [
      'an LDU country that is not alpha-2',
      (event) => (event.user.data_processing_options = { modes: ['LDU'], country: 'us' }),
      'country',
    ],
    ['a relative event_source_url', (event) => (event.event_source_url = '/thanks'), 'http'],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body.data.events[0]);
    const result = await postReddit(body);
    expect(result.status).toBe(400);
    expect(result.body.message).toBe(
      'There were 1 invalid conversion events. None were processed.',
    );
    expect(result.body.invalid_events).toEqual([
      { error_message: expect.stringContaining(fragment), event: body.data.events[0] },
    ]);
    expect(platforms.fake.reddit.events).toEqual([]);
  });

  it('lists every bad event and processes none of the good ones', async () => {
    const body = fixture();
    const good = body.data.events[0];
    const stale = { ...structuredClone(good), event_at: NOW - 200 * HOUR };
    stale.metadata.conversion_id = 'ord_stale';
    body.data.events.push(stale);
    const result = await postReddit(body);
    expect(result.status).toBe(400);
    expect(
      result.body.invalid_events.map((item: Json) => item.event.metadata.conversion_id),
    ).toEqual(['ord_stale']);
    expect(platforms.fake.reddit.events).toEqual([]);
  });

  it('never echoes a plain e-mail in the error message', async () => {
    const body = fixture();
    body.data.events[0].user.email = 'someone.private@example.com';
    const result = await postReddit(body);
    expect(result.body.invalid_events[0].error_message).not.toContain('someone.private');
  });
});

describe('reddit fake: a body that does not decode fails with 400 { error }', () => {
  const cases: Array<[string, (body: Json) => void, string]> = [
    ['a string value', (body) => (body.data.events[0].metadata.value = '123.45'), 'value'],
    ['a string event_at', (body) => (body.data.events[0].event_at = '1767225600000'), 'event_at'],
    ['an unknown event field', (body) => (body.data.events[0].event_name = 'x'), 'event_name'],
    ['test_id inside the event', (body) => (body.data.events[0].test_id = 't2'), 'test_id'],
    ['a v2 event_type', (body) => (body.data.events[0].event_type = {}), 'event_type'],
    ['an unknown user field', (body) => (body.data.events[0].user.em = 'x'), '"em"'],
    ['no events', (body) => (body.data.events = []), 'events'],
    [
      '1001 events',
      (body) => (body.data.events = Array.from({ length: 1001 }, () => body.data.events[0])),
      '1000',
    ],
    ['events at the top level', (body) => (body.events = body.data.events), 'events'],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, fragment) => {
    const body = fixture();
    breakIt(body);
    const result = await postReddit(body);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: { code: 400, message: expect.any(String) } });
    expect(result.body.error.message).toContain(fragment);
    expect(platforms.fake.reddit.events).toEqual([]);
  });

  it('rejects a body that is not JSON', async () => {
    const result = await postReddit(undefined, { raw: 'not json' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe(400);
  });
});

describe('reddit fake: transport, auth and faults', () => {
  it('answers 401 "Authorization Required" without a bearer token', async () => {
    const result = await postReddit(fixture(), { headers: { authorization: '' } });
    expect(result.status).toBe(401);
    expect(result.text).toBe('Authorization Required');
    expect(platforms.fake.reddit.events).toEqual([]);
  });

  it('answers 401 UNAUTHORIZED for a revoked token', async () => {
    platforms.fake.reddit.rejectToken(TOKEN);
    const result = await postReddit(fixture());
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ success: false, error: { reason: 'UNAUTHORIZED' } });
  });

  it('answers 404 for the v2 path and for a path without the pixel', async () => {
    expect((await postReddit(fixture(), { path: '/api/v3/pixels/conversion_events' })).status).toBe(
      404,
    );
    expect((await postReddit(fixture(), { path: `${PATH}/` })).status).toBe(404);
  });

  it.each([
    ['reddit_invalid', 400, { message: expect.stringContaining('None were processed') }],
    ['reddit_unauthorized', 401, { error: expect.objectContaining({ reason: 'UNAUTHORIZED' }) }],
    ['reddit_rate_limited', 429, { error: expect.objectContaining({ code: 429 }) }],
  ] as const)('scripts %s as HTTP %i, then validates normally', async (error, status, shape) => {
    platforms.fake.reddit.respondWith({ kind: 'error', error, headers: { 'retry-after': '3' } });
    const scripted = await postReddit(fixture());
    expect(scripted.status).toBe(status);
    expect(scripted.body).toMatchObject(shape);
    expect(platforms.fake.reddit.requests[0]?.fault).toBe('scripted');
    expect((await postReddit(fixture())).status).toBe(200);
  });
});

describe('reddit fake: dedup ledger (pixel, conversion_id)', () => {
  it('matches the pixel’s conversionId with the server copy whatever the name’s spelling', async () => {
    platforms.fake.reddit.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'Purchase',
      eventId: 'ord_1',
    });
    await postReddit(fixture());
    expect(platforms.fake.reddit.dedupVerdict('PURCHASE', 'ord_1', PIXEL)).toBe('matched');
    expect(platforms.fake.reddit.dedupStats()).toEqual({
      matched: 1,
      serverOnly: 0,
      pixelOnly: 0,
      duplicates: 0,
    });
  });

  it('keeps pixels apart and reports a second server copy as duplicate', async () => {
    platforms.fake.reddit.recordPixelHit({
      pixelId: 't2_other',
      eventName: 'Purchase',
      eventId: 'ord_1',
    });
    await postReddit(fixture());
    await postReddit(fixture());
    expect(platforms.fake.reddit.dedupVerdict('PURCHASE', 'ord_1', PIXEL)).toBe('duplicate');
    expect(platforms.fake.reddit.dedupVerdict('Purchase', 'ord_1', 't2_other')).toBe('pixel_only');
  });

  it('shows the reddit ledger in /__fake/state', async () => {
    await postReddit(fixture());
    const state = (await (await fetch(`${platforms.fake.url}/__fake/state`)).json()) as Json;
    expect(state.platforms.reddit).toMatchObject({
      requests: 1,
      dedup: [{ pixelId: PIXEL, eventId: 'ord_1', verdict: 'server_only' }],
    });
  });

  it('records a browser pixel copy through POST /__pixel/reddit', async () => {
    const response = await fetch(`${platforms.fake.url}/__pixel/reddit`, {
      method: 'POST',
      body: JSON.stringify({ pixelId: PIXEL, eventName: 'Purchase', eventId: 'ord_9' }),
    });
    expect(await response.json()).toEqual({
      recorded: true,
      platform: 'reddit',
      verdict: 'pixel_only',
    });
  });
});
