import { createHash } from 'node:crypto';
import {
  ConfigError,
  InvalidEventError,
  type ConversionEvent,
  type Destination,
  type UserData,
} from '@capi-kit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { googleAds } from '../destinations/google/index';
import { meta } from '../destinations/meta/index';
import type { MetaServerEvent } from '../destinations/meta/meta-api-types';
import { tiktok, type TikTokEvent, type TikTokUser } from '../destinations/tiktok/index';
import { memoryQueue } from '../queue/memory-queue';
import { QueueRejectedError } from '../queue/queue-errors';
import { TEST_ACCESS_TOKEN, TEST_IP, TEST_PIXEL_ID, TEST_USER_AGENT } from '../test-support/pii';
import {
  beaconEvent,
  beaconRequest,
  COLLECT_URL,
  SHOP_ORIGIN,
  startHarness,
  type Harness,
} from '../test-support/relay-harness';
import type { CookieOptions } from './cookies';
import { createRelay } from './create-relay';
import type { Relay } from './relay-types';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SECRET = 'test-signing-secret-0123456789abcdef';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
afterEach(() => harness.fake.reset());

function sentEvents(): MetaServerEvent[] {
  return harness.fake.meta.events.map((event) => event.body as MetaServerEvent);
}

async function queued(relay = harness.relay): Promise<number> {
  const counts = await relay.queueCounts();
  return Object.values(counts).reduce((sum, one) => sum + one.queued + one.retrying, 0);
}

describe('relay.handle', () => {
  it('answers 204 once the beacon is queued, and delivers hashed, enriched events on flush', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent({}, harness.clock.now());
    const response = await relay.handle(beaconRequest({ v: 1, events: [event] }), {
      remoteAddress: TEST_IP,
    });
    expect(response.status).toBe(204);
    expect(await queued(relay)).toBe(1);
    expect(relay.ledger.get(event.id)?.deliveries.meta?.state).toBe('queued');

    await relay.flush();
    const [sent] = sentEvents();
    const fbp = /_fbp=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    expect(sent).toMatchObject({
      event_name: 'Purchase',
      event_id: event.id,
      action_source: 'website',
      event_source_url: 'https://shop.example.com/thanks',
      user_data: {
        em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
        // `(650) 555-1212` with the shopper's country US → +16505551212 → Meta `16505551212`.
        ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
        country: [sha256('us')],
        client_ip_address: TEST_IP,
        client_user_agent: TEST_USER_AGENT,
        fbp,
      },
      custom_data: { value: 42, currency: 'EUR' },
    });
    expect(relay.ledger.get(event.id)?.deliveries.meta).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
    expect(await queued(relay)).toBe(0);
  });

  it('mints _fbp as a first-party Secure cookie on the registrable domain', async () => {
    const response = await harness.relay.handle(
      beaconRequest(
        { v: 1, events: [beaconEvent({}, harness.clock.now())] },
        { url: 'https://www.shop.example.co.uk/e', origin: 'https://www.shop.example.co.uk' },
      ),
    );
    expect(response.status).toBe(204);
    const cookie = response.headers.getSetCookie();
    expect(cookie).toHaveLength(1);
    expect(cookie[0]).toMatch(
      /^_fbp=fb\.2\.\d{13}\.\d+; Max-Age=33696000; Path=\/; SameSite=Lax; Domain=example\.co\.uk; Secure$/,
    );
  });

  it('does not mark cookies Secure on plain http, and leaves localhost host-only', async () => {
    const response = await harness.relay.handle(
      beaconRequest(
        { v: 1, events: [beaconEvent({}, harness.clock.now())] },
        { url: 'http://localhost:3000/e', origin: 'http://localhost:3000' },
      ),
    );
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^_fbp=fb\.0\.\d{13}\.\d+; Max-Age=33696000; Path=\/; SameSite=Lax$/,
    );
  });

  it('never rewrites valid cookies and sends them as they are', async () => {
    const relay = harness.makeRelay();
    const fbp = 'fb.1.1767000000000.1098115397';
    const fbc = 'fb.1.1767000000000.IwAR-old';
    const response = await relay.handle(
      beaconRequest(
        { v: 1, events: [beaconEvent({}, harness.clock.now())] },
        { headers: { cookie: `_fbp=${fbp}; _fbc=${fbc}; _ga=GA1.1.123.456` } },
      ),
    );
    expect(response.headers.getSetCookie()).toEqual([]);
    await relay.flush();
    expect(sentEvents()[0]!.user_data).toMatchObject({ fbp, fbc });
  });

  it('builds _fbc from the fbclid of the page URL, byte-exact', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent(
      { page: { url: 'https://shop.example.com/p?fbclid=IwAR2F4-AbC_dEf' } },
      harness.clock.now(),
    );
    const response = await relay.handle(beaconRequest({ v: 1, events: [event] }));
    const fbcCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('_fbc='));
    expect(fbcCookie).toMatch(
      new RegExp(`^_fbc=fb\\.1\\.${harness.clock.now()}\\.IwAR2F4-AbC_dEf;`),
    );
    await relay.flush();
    expect(sentEvents()[0]!.user_data.fbc).toBe(`fb.1.${harness.clock.now()}.IwAR2F4-AbC_dEf`);
  });

  it('mints no cookie when the person denied ad storage', async () => {
    const event = beaconEvent({ consent: { adStorage: 'denied' } }, harness.clock.now());
    const response = await harness.relay.handle(beaconRequest({ v: 1, events: [event] }));
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('reads the client IP from X-Forwarded-For only through trusted proxies', async () => {
    const relay = harness.makeRelay({ trustProxy: ['10.0.0.0/8'] });
    const request = () =>
      beaconRequest(
        { v: 1, events: [beaconEvent({}, harness.clock.now())] },
        { headers: { 'x-forwarded-for': `6.6.6.6, ${TEST_IP}` } },
      );
    await relay.handle(request(), { remoteAddress: '10.0.0.5' });
    await relay.handle(request(), { remoteAddress: '198.51.100.20' });
    await relay.flush();
    expect(sentEvents().map((event) => event.user_data.client_ip_address)).toEqual([
      TEST_IP,
      '198.51.100.20',
    ]);
  });

  it('marks cookies Secure behind a trusted TLS-terminating proxy', async () => {
    const relay = harness.makeRelay({ trustProxy: 'loopback' });
    const request = () =>
      beaconRequest(
        { v: 1, events: [beaconEvent({}, harness.clock.now())] },
        { url: 'http://shop.example.com/e', headers: { 'x-forwarded-proto': 'https' } },
      );
    const trusted = await relay.handle(request(), { remoteAddress: '127.0.0.1' });
    expect(trusted.headers.getSetCookie()[0]).toMatch(/; Secure$/);
    const untrusted = await relay.handle(request(), { remoteAddress: '198.51.100.1' });
    expect(untrusted.headers.getSetCookie()[0]).not.toMatch(/Secure/);
  });

  it('ignores an IP address and user agent sent by the browser', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent(
      { user: { email: 'a@example.com', ip: '6.6.6.6', userAgent: 'forged' } },
      harness.clock.now(),
    );
    await relay.handle(beaconRequest({ v: 1, events: [event] }), { remoteAddress: TEST_IP });
    await relay.flush();
    expect(sentEvents()[0]!.user_data).toMatchObject({
      client_ip_address: TEST_IP,
      client_user_agent: TEST_USER_AGENT,
    });
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      harness.relay.handle(new Request(COLLECT_URL, { method: 'OPTIONS', headers: { origin } }));
    const allowed = await preflight(SHOP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      'access-control-allow-origin': SHOP_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
    });
    expect((await preflight('https://evil.example')).status).toBe(403);
  });

  it('accepts same-origin beacons even when the origin is not listed', async () => {
    const relay = harness.makeRelay({ allowedOrigins: [] });
    const response = await relay.handle(
      beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }),
    );
    expect(response.status).toBe(204);
  });

  describe('hostile input', () => {
    const big = 'x'.repeat(1024 * 1024);
    const cases: [string, () => Request, number, string][] = [
      ['bad JSON', () => beaconRequest('{"v":1,"events":['), 400, 'invalid_json'],
      [
        'wrong types',
        () => beaconRequest({ v: 1, events: [{ id: 5, name: [], time: 'now' }] }),
        400,
        'invalid_payload',
      ],
      [
        'a wrong version',
        () => beaconRequest({ v: 2, events: [beaconEvent()] }),
        400,
        'invalid_payload',
      ],
      ['a JSON array', () => beaconRequest([1, 2, 3]), 400, 'invalid_payload'],
      ['a 1 MB body', () => beaconRequest(big), 413, 'payload_too_large'],
      [
        'a __proto__ payload',
        () => beaconRequest('{"__proto__":{"v":1,"events":[]}}'),
        400,
        'invalid_payload',
      ],
      [
        'a missing origin',
        () => beaconRequest({ v: 1, events: [beaconEvent()] }, { origin: null }),
        403,
        'missing_origin',
      ],
      [
        'a forbidden origin',
        () => beaconRequest({ v: 1, events: [beaconEvent()] }, { origin: 'https://evil.example' }),
        403,
        'forbidden_origin',
      ],
      [
        'a GET',
        () => new Request(COLLECT_URL, { headers: { origin: SHOP_ORIGIN } }),
        405,
        'method_not_allowed',
      ],
    ];
    it.each(cases)(
      'refuses %s with the right status and queues nothing',
      async (_name, request, status, error) => {
        const relay = harness.makeRelay();
        const response = await relay.handle(request());
        expect(response.status).toBe(status);
        expect(((await response.json()) as { error: string }).error).toBe(error);
        expect(await queued(relay)).toBe(0);
        expect(relay.ledger.list()).toEqual([]);
      },
    );

    it('lists every error with its path', async () => {
      const response = await harness.relay.handle(
        beaconRequest({
          v: 1,
          events: [beaconEvent({ data: { value: 'ten', currency: 'EURO' } })],
        }),
      );
      const body = (await response.json()) as { errors: { path: string; message: string }[] };
      expect(body.errors.map((issue) => issue.path)).toEqual(
        expect.arrayContaining(['events[0].data.value', 'events[0].data.currency']),
      );
    });

    it('refuses a 1 MB chunked body without a Content-Length', async () => {
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          if (pulled > 64) controller.close();
          else controller.enqueue(new Uint8Array(16 * 1024).fill(32));
        },
      });
      const response = await harness.relay.handle(
        new Request(COLLECT_URL, {
          method: 'POST',
          body: stream,
          headers: { origin: SHOP_ORIGIN },
          duplex: 'half',
        } as RequestInit),
      );
      expect(response.status).toBe(413);
      expect(pulled).toBeLessThan(10);
    });

    it('never lets __proto__ keys in an event pollute objects or reach the queue', async () => {
      const relay = harness.makeRelay();
      const event = JSON.stringify(beaconEvent({}, harness.clock.now())).replace(
        '{',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      );
      const response = await relay.handle(beaconRequest(`{"v":1,"events":[${event}]}`));
      expect([204, 400]).toContain(response.status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await relay.flush();
      expect(
        JSON.stringify(harness.fake.meta.requests.map((request) => request.body)),
      ).not.toContain('polluted');
    });
  });

  it('answers bots 204 but relays nothing, and the ledger says skipped', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent({}, harness.clock.now());
    const response = await relay.handle(
      beaconRequest(
        { v: 1, events: [event] },
        {
          headers: {
            'user-agent':
              'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
          },
        },
      ),
    );
    expect(response.status).toBe(204);
    expect(await queued(relay)).toBe(0);
    expect(relay.ledger.get(event.id)?.deliveries.meta).toMatchObject({
      state: 'skipped',
      reason: 'bot user agent',
    });
  });

  it('skips Meta when the person denied adUserData, and says so', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent({ consent: { adUserData: 'denied' } }, harness.clock.now());
    expect((await relay.handle(beaconRequest({ v: 1, events: [event] }))).status).toBe(204);
    expect(await queued(relay)).toBe(0);
    expect(relay.ledger.get(event.id)?.deliveries.meta).toMatchObject({
      state: 'skipped',
      reason: 'consent: adUserData denied',
    });
  });

  it('forwards to Meta despite denied adUserData when the consent policy says so', async () => {
    const relay = harness.makeRelay({ consentPolicy: { meta: 'forward' } });
    const event = beaconEvent({ consent: { adUserData: 'denied' } }, harness.clock.now());
    await relay.handle(beaconRequest({ v: 1, events: [event] }));
    expect(relay.ledger.get(event.id)?.deliveries.meta?.state).toBe('queued');
  });

  it("uses the queue's own shared state for the replay guard and the rate limiter", async () => {
    const keys: string[] = [];
    const sharedState = {
      async seen(key: string) {
        keys.push(key);
        return false;
      },
      async hit(key: string) {
        keys.push(key);
        return 1;
      },
    };
    const relay = harness.makeRelay({
      queue: Object.assign(memoryQueue(), { sharedState }),
      rateLimit: { max: 10, windowMs: 1000 },
    });
    const event = beaconEvent({}, harness.clock.now());
    await relay.handle(beaconRequest({ v: 1, events: [event] }), { remoteAddress: TEST_IP });
    expect(keys).toEqual([`rate:${TEST_IP}`, `replay:Purchase:${event.id}`]);
  });

  it('sends Limited Data Use to Meta', async () => {
    const relay = harness.makeRelay();
    await relay.handle(
      beaconRequest({
        v: 1,
        events: [beaconEvent({ consent: { limitedDataUse: true } }, harness.clock.now())],
      }),
    );
    await relay.flush();
    expect(sentEvents()[0]!.data_processing_options).toEqual(['LDU']);
  });

  it('drops a replay of the same (name, id)', async () => {
    const relay = harness.makeRelay();
    const event = beaconEvent({}, harness.clock.now());
    await relay.handle(beaconRequest({ v: 1, events: [event] }));
    expect((await relay.handle(beaconRequest({ v: 1, events: [event] }))).status).toBe(204);
    expect(await queued(relay)).toBe(1);
  });

  it('rate-limits per client IP', async () => {
    const relay = harness.makeRelay({ rateLimit: { max: 2, windowMs: 60_000 } });
    const send = () =>
      relay.handle(beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }), {
        remoteAddress: TEST_IP,
      });
    expect((await send()).status).toBe(204);
    expect((await send()).status).toBe(204);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(
      (
        await relay.handle(
          beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }),
          { remoteAddress: '198.51.100.1' },
        )
      ).status,
    ).toBe(204);
  });

  it('answers 503 when the queue is full, and accepts the retried beacon later', async () => {
    const queue = memoryQueue({ maxQueued: 1 });
    const relay = harness.makeRelay({ queue });
    await relay.handle(beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }));
    const event = beaconEvent({}, harness.clock.now());
    const refused = await relay.handle(beaconRequest({ v: 1, events: [event] }));
    expect(refused.status).toBe(503);
    expect(relay.ledger.get(event.id)).toBeUndefined();
    expect(harness.logger.lines.some((line) => line.message === 'queue refused events')).toBe(true);
    await relay.flush();
    expect((await relay.handle(beaconRequest({ v: 1, events: [event] }))).status).toBe(204);
    expect(relay.ledger.get(event.id)?.deliveries.meta?.state).toBe('queued');
  });

  it('answers 503 after close()', async () => {
    const relay = harness.makeRelay();
    await relay.close();
    expect((await relay.handle(beaconRequest({ v: 1, events: [beaconEvent()] }))).status).toBe(503);
  });
});

describe('the _ck_clicks cookie', () => {
  const LANDING = 'https://shop.example.com/?utm_source=ads&gclid=Cj0KCQ-abc_123&ttclid=E.C.P.xyz9';
  const KEPT = 'gclid=Cj0KCQ-abc_123&ttclid=E.C.P.xyz9';

  /** A real TikTok destination (against the fake) that also records the `user` it is handed. */
  function recordingTikTok() {
    const inner = tiktok({
      pixelCode: 'CTEST123',
      accessToken: 'tt-token',
      baseURL: harness.fake.url,
    });
    const users: UserData[] = [];
    const destination: Destination<TikTokEvent> = {
      specVersion: inner.specVersion,
      id: inner.id,
      platform: inner.platform,
      maxEventsPerRequest: inner.maxEventsPerRequest,
      maxEventAgeMs: (event) => inner.maxEventAgeMs(event),
      doPrepare: (event: ConversionEvent) => {
        users.push(event.user ?? {});
        return inner.doPrepare(event);
      },
      doSend: (batch, options) => inner.doSend(batch, options),
    };
    return { destination, users };
  }

  function relayWithClicks(cookies: CookieOptions = {}) {
    const recorder = recordingTikTok();
    const relay = harness.makeRelay({
      cookies,
      destinations: [
        recorder.destination,
        googleAds({
          customerId: '123-456-7890',
          conversionActionId: '987654321',
          accessToken: 'ya29.ok',
          baseURL: harness.fake.url,
        }),
      ],
    });
    return { relay, users: recorder.users };
  }

  const send = (relay: Relay, events: unknown[], cookie?: string) =>
    relay.handle(
      beaconRequest({ v: 1, events }, cookie === undefined ? {} : { headers: { cookie } }),
    );

  const clicksCookie = (response: Response) =>
    response.headers.getSetCookie().find((cookie) => cookie.startsWith('_ck_clicks='));

  it('keeps the landing page click IDs in an HttpOnly first-party cookie for 90 days', async () => {
    const { relay } = relayWithClicks();
    const landing = beaconEvent({ page: { url: LANDING } }, harness.clock.now());
    const response = await send(relay, [landing]);
    expect(response.status).toBe(204);
    expect(clicksCookie(response)).toBe(
      `_ck_clicks=${KEPT}; Max-Age=7776000; Path=/; SameSite=Lax; Domain=example.com; Secure; HttpOnly`,
    );
  });

  it('gives a later beacon without click IDs the kept ones, up to the platforms', async () => {
    const { relay, users } = relayWithClicks();
    const later = beaconEvent({}, harness.clock.now());
    const response = await send(relay, [later], `_fbp=fb.1.1767000000000.1; _ck_clicks=${KEPT}`);
    expect(clicksCookie(response)).toBeUndefined();
    await relay.flush();
    expect(users[0]).toMatchObject({ gclid: 'Cj0KCQ-abc_123', ttclid: 'E.C.P.xyz9' });
    expect((harness.fake.tiktok.events[0]!.body as { user: TikTokUser }).user.ttclid).toBe(
      'E.C.P.xyz9',
    );
    expect(
      (harness.fake.dataManager.events[0]!.body as { adIdentifiers: { gclid: string } })
        .adIdentifiers.gclid,
    ).toBe('Cj0KCQ-abc_123');
  });

  it('reads back exactly the click IDs it wrote, encoded characters included', async () => {
    const { relay, users } = relayWithClicks();
    const url = 'https://shop.example.com/?gclid=Cj0K%26x%25y%2B1&ttclid=E.C.P.z';
    const landing = await send(relay, [beaconEvent({ page: { url } }, harness.clock.now())]);
    const cookie = clicksCookie(landing)!.split(';')[0]!;
    await send(relay, [beaconEvent({}, harness.clock.now())], cookie);
    await relay.flush();
    expect(users.map((user) => [user.gclid, user.ttclid])).toEqual([
      ['Cj0K&x%y+1', 'E.C.P.z'],
      ['Cj0K&x%y+1', 'E.C.P.z'],
    ]);
  });

  it('reads a cookie the browser SDK wrote (raw query pairs, a leading &)', async () => {
    const { relay, users } = relayWithClicks();
    await send(
      relay,
      [beaconEvent({}, harness.clock.now())],
      '_ck_clicks=&gclid=Cj0K%2Bx&sccid=s1',
    );
    await relay.flush();
    expect(users[0]).toMatchObject({ gclid: 'Cj0K+x', scClickId: 's1' });
  });

  it('replaces the kept click IDs with those of the newest event that has any', async () => {
    const { relay } = relayWithClicks();
    const at = harness.clock.now();
    const newer = beaconEvent({ page: { url: 'https://shop.example.com/?msclkid=new%2B1' } }, at);
    const older = beaconEvent(
      { page: { url: 'https://shop.example.com/?gclid=mid' }, time: at - 60_000 },
      at,
    );
    const response = await send(relay, [older, newer], `_ck_clicks=${KEPT}`);
    expect(clicksCookie(response)).toMatch(/^_ck_clicks=msclkid=new%2B1; Max-Age=7776000;/);
  });

  it('lets the page URL win over the kept click IDs, and a click ID on the event over both', async () => {
    const { relay, users } = relayWithClicks();
    const fresh = beaconEvent(
      { page: { url: 'https://shop.example.com/?gclid=fresh' } },
      harness.clock.now(),
    );
    const sent = beaconEvent(
      { user: { email: 'a@example.com', gclid: 'from-server' } },
      harness.clock.now(),
    );
    await send(relay, [fresh, sent], `_ck_clicks=${KEPT}`);
    await relay.flush();
    // A new click is a new attribution: none of the kept IDs ride along with it.
    expect(users[0]).toMatchObject({ gclid: 'fresh' });
    expect(users[0]).not.toHaveProperty('ttclid');
    expect(users[1]).toMatchObject({ gclid: 'from-server', ttclid: 'E.C.P.xyz9' });
  });

  it('writes no _ck_clicks when the person denied ad storage', async () => {
    const { relay } = relayWithClicks();
    const landing = beaconEvent(
      { page: { url: LANDING }, consent: { adStorage: 'denied' } },
      harness.clock.now(),
    );
    const response = await send(relay, [landing]);
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('lends no kept click IDs to an event whose person denied ad storage', async () => {
    const { relay, users } = relayWithClicks();
    const event = beaconEvent({ consent: { adStorage: 'denied' } }, harness.clock.now());
    await send(relay, [event], `_ck_clicks=${KEPT}`);
    await relay.flush();
    expect(users).toHaveLength(1);
    expect(users[0]).not.toHaveProperty('gclid');
    expect(users[0]).not.toHaveProperty('ttclid');
  });

  it.each([
    ['undecodable escapes', 'gclid=%E0%A4%A&ttclid=%'],
    ['empty values', 'gclid=&ttclid='],
    ['whitespace and control characters', 'gclid=a%20b&ttclid=c%0Ad'],
    ['unknown parameters only', 'email=john%40example.com&foo=bar'],
    ['an oversized value', `gclid=${'x'.repeat(501)}`],
    ['no pairs at all', '%%%;;=='],
  ])('ignores a junk _ck_clicks cookie (%s)', async (_name, junk) => {
    const { relay, users } = relayWithClicks();
    const response = await send(
      relay,
      [beaconEvent({}, harness.clock.now())],
      `_ck_clicks=${junk}`,
    );
    expect(response.status).toBe(204);
    await relay.flush();
    expect(users).toHaveLength(1);
    for (const field of ['gclid', 'ttclid', 'scClickId', 'msclkid'] as const) {
      expect(users[0]).not.toHaveProperty(field);
    }
    expect(JSON.stringify(users[0])).not.toContain('john');
  });

  it('never takes an fbclid from _ck_clicks (only _fbc carries Meta clicks)', async () => {
    const { relay, users } = relayWithClicks();
    const response = await send(
      relay,
      [beaconEvent({}, harness.clock.now())],
      '_ck_clicks=fbclid=IwAR-smuggled&gclid=ok',
    );
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('_fbc='))).toBe(
      false,
    );
    await relay.flush();
    expect(users[0]).toMatchObject({ gclid: 'ok' });
    expect(users[0]).not.toHaveProperty('fbc');
  });

  it('neither writes nor reads _ck_clicks with keepClickIds: false', async () => {
    const { relay, users } = relayWithClicks({ keepClickIds: false });
    const landing = beaconEvent({ page: { url: LANDING } }, harness.clock.now());
    const later = beaconEvent({}, harness.clock.now());
    const response = await send(relay, [landing, later], `_ck_clicks=msclkid=kept`);
    expect(clicksCookie(response)).toBeUndefined();
    await relay.flush();
    // The landing event still gets its own URL's click IDs; only the cookie is off.
    expect(users[0]).toMatchObject({ gclid: 'Cj0KCQ-abc_123', ttclid: 'E.C.P.xyz9' });
    expect(users[1]).not.toHaveProperty('msclkid');
  });
});

describe('signed events', () => {
  it('uses the signed data instead of what the beacon claims', async () => {
    const relay = harness.makeRelay({ signingSecret: SECRET });
    const event = beaconEvent({ data: { value: 1, currency: 'EUR' } }, harness.clock.now());
    const signature = await relay.sign({
      name: 'Purchase',
      id: event.id,
      data: { value: 99.5, currency: 'EUR', orderId: 'A-9' },
    });
    expect(
      (await relay.handle(beaconRequest({ v: 1, events: [{ ...event, signature }] }))).status,
    ).toBe(204);
    await relay.flush();
    expect(sentEvents()[0]!.custom_data).toEqual({ value: 99.5, currency: 'EUR', order_id: 'A-9' });
  });

  it('refuses unsigned events of the names that require a signature, naming the event', async () => {
    const relay = harness.makeRelay({ signingSecret: SECRET, requireSignatureFor: ['Purchase'] });
    const response = await relay.handle(
      beaconRequest({ v: 1, events: [beaconEvent({ name: 'PageView' }), beaconEvent()] }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_payload',
      errors: [
        { path: 'events[1].signature', message: 'Purchase events must be signed by the server' },
      ],
    });
    expect(await queued(relay)).toBe(0);
  });

  it('refuses a signature made for another event', async () => {
    const relay = harness.makeRelay({ signingSecret: SECRET });
    const signature = await relay.sign({ name: 'Purchase', id: 'other-id' });
    const response = await relay.handle(
      beaconRequest({ v: 1, events: [{ ...beaconEvent(), signature }] }),
    );
    expect(response.status).toBe(400);
  });
});

describe('relay.track', () => {
  it('queues a server event with a generated ID and delivers it', async () => {
    const relay = harness.makeRelay();
    const result = await relay.track({
      name: 'Purchase',
      source: 'offline',
      user: { email: 'John_Smith@gmail.com' },
      data: { value: 10, currency: 'USD' },
      time: harness.clock.now(),
    });
    expect(result).toEqual({
      eventId: expect.any(String),
      status: 'queued',
      deliveries: { meta: { state: 'queued' } },
    });
    await relay.flush();
    expect(sentEvents()[0]).toMatchObject({
      event_id: result.eventId,
      action_source: 'physical_store',
    });
    expect(relay.ledger.get(result.eventId)).toMatchObject({ origin: 'server' });
  });

  it('treats a server event with page URL and user agent as a web event', async () => {
    const relay = harness.makeRelay();
    const { eventId } = await relay.track({
      name: 'Purchase',
      page: { url: 'https://shop.example.com/thanks' },
      user: { email: 'John_Smith@gmail.com', ip: TEST_IP, userAgent: TEST_USER_AGENT },
    });
    await relay.flush();
    expect(sentEvents()[0]).toMatchObject({
      event_id: eventId,
      action_source: 'website',
      user_data: { client_ip_address: TEST_IP, client_user_agent: TEST_USER_AGENT },
    });
  });

  it('reports a repeat of the same (name, id) as a duplicate', async () => {
    const relay = harness.makeRelay();
    const input = {
      id: 'ord_77',
      name: 'Purchase',
      source: 'system' as const,
      user: { externalId: 'c1' },
    };
    expect((await relay.track(input)).status).toBe('queued');
    expect((await relay.track(input)).status).toBe('duplicate');
  });

  it('throws the queue refusal when the store is full, and a retry then succeeds', async () => {
    const queue = memoryQueue({ maxQueued: 1 });
    const relay = harness.makeRelay({ queue });
    await relay.track({ name: 'Lead', source: 'system', user: { externalId: 'c1' } });
    const input = {
      id: 'lead-2',
      name: 'Lead',
      source: 'system' as const,
      user: { externalId: 'c2' },
    };
    await expect(relay.track(input)).rejects.toBeInstanceOf(QueueRejectedError);
    await relay.flush();
    expect((await relay.track(input)).status).toBe('queued');
  });

  it('throws InvalidEventError listing every problem', async () => {
    const error = await harness.relay
      .track({ name: '', data: { value: Number.NaN } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues.length).toBeGreaterThan(0);
  });
});

describe('relay.handleLedger', () => {
  it('is off unless enabled', async () => {
    expect((await harness.relay.handleLedger(new Request('http://x/ledger'))).status).toBe(404);
  });

  it('returns the newest entries and the queue counts as JSON', async () => {
    const relay = harness.makeRelay({ ledgerEndpoint: true });
    const first = beaconEvent({}, harness.clock.now());
    const second = beaconEvent({}, harness.clock.now());
    await relay.handle(beaconRequest({ v: 1, events: [first, second] }));
    const response = await relay.handleLedger(new Request('http://x/ledger?limit=1'));
    const body = (await response.json()) as {
      entries: { eventId: string }[];
      queue: Record<string, { queued: number }>;
    };
    expect(body.entries.map((entry) => entry.eventId)).toEqual([second.id]);
    expect(body.queue.meta?.queued).toBe(2);
  });

  it('requires the token when one is set', async () => {
    const relay = harness.makeRelay({ ledgerEndpoint: { token: 'ledger-secret' } });
    expect((await relay.handleLedger(new Request('http://x/ledger'))).status).toBe(401);
    expect((await relay.handleLedger(new Request('http://x/ledger?token=wrong'))).status).toBe(401);
    expect(
      (await relay.handleLedger(new Request('http://x/ledger?token=ledger-secret'))).status,
    ).toBe(200);
    expect(
      (
        await relay.handleLedger(
          new Request('http://x/ledger', { headers: { authorization: 'Bearer ledger-secret' } }),
        )
      ).status,
    ).toBe(200);
  });
});

describe('createRelay', () => {
  const destination = () => meta({ pixelId: TEST_PIXEL_ID, accessToken: TEST_ACCESS_TOKEN });
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  it('requires allowedOrigins in production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => createRelay({ destinations: [destination()] })).toThrow(ConfigError);
    expect(() => createRelay({ destinations: [destination()] })).toThrow(/allowedOrigins/);
  });

  it('refuses two destinations with the same id', () => {
    expect(() => createRelay({ destinations: [destination(), destination()] })).toThrow(
      /share the id "meta"/,
    );
  });

  it('refuses a short signing secret', () => {
    expect(() => createRelay({ destinations: [], signingSecret: 'short' })).toThrow(
      /32 characters/,
    );
  });

  it('serves the ledger in production only with a token', async () => {
    process.env.NODE_ENV = 'production';
    const relay = createRelay({
      destinations: [destination()],
      allowedOrigins: [SHOP_ORIGIN],
      ledgerEndpoint: true,
      autoDeliver: false,
    });
    expect((await relay.handleLedger(new Request('http://x/ledger'))).status).toBe(403);
    await relay.close();
  });
});
