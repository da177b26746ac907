import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetaServerEvent } from '../destinations/meta/meta-api-types';
import type { Relay } from '../relay/relay-types';
import { TEST_IP, TEST_USER_AGENT } from '../test-support/pii';
import {
  beaconEvent,
  SHOP_ORIGIN,
  startHarness,
  type Harness,
} from '../test-support/relay-harness';
import { capiLedgerMiddleware, capiMiddleware } from './express';

let harness: Harness;
const servers: Server[] = [];
beforeAll(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  harness.fake.reset();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterAll(async () => {
  await harness.close();
});

async function listen(app: express5.Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function beaconBody(): string {
  return JSON.stringify({ v: 1, events: [beaconEvent({}, harness.clock.now())] });
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      origin: SHOP_ORIGIN,
      'user-agent': TEST_USER_AGENT,
      ...headers,
    },
  });
}

async function queued(relay: Relay): Promise<number> {
  return (await relay.queueCounts()).meta?.queued ?? 0;
}

// The adapter supports Express 4 and 5 (a peer range); the same tests run against both majors.
describe.each([
  { major: 'Express 5', express: express5 },
  { major: 'Express 4', express: express4 },
])('capiMiddleware on $major', ({ express }) => {
  it('accepts a text/plain beacon on a real Express server and sets the cookie', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const response = await post(`${base}/e`, beaconBody());
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^_fbp=fb\.0\.\d{13}\.\d+; Max-Age=33696000; Path=\/; SameSite=Lax$/,
    );
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(await queued(relay)).toBe(1);
  });

  it('returns both _fbp and _fbc as separate Set-Cookie headers', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const body = JSON.stringify({
      v: 1,
      events: [
        beaconEvent(
          { page: { url: 'https://shop.example.com/?fbclid=IwAR-Abc_123' } },
          harness.clock.now(),
        ),
      ],
    });
    const response = await post(`${base}/e`, body);
    expect(response.headers.getSetCookie().map((cookie) => cookie.split('=')[0])).toEqual([
      '_fbp',
      '_fbc',
    ]);
  });

  it('builds the request URL from the mount path and passes repeated headers', async () => {
    let seen: Request | undefined;
    let text: string | undefined;
    const relay = {
      ...harness.makeRelay(),
      async handle(request: Request) {
        seen = request;
        text = await request.text();
        return new Response(null, { status: 204 });
      },
    } as Relay;
    const app = express();
    app.use('/collect/e', capiMiddleware(relay));
    const base = await listen(app);
    await post(`${base}/collect/e?x=1`, '{}', { cookie: '_fbp=a' });
    expect(seen?.url).toBe(`${base}/collect/e?x=1`);
    expect(seen?.headers.get('cookie')).toBe('_fbp=a');
    expect(text).toBe('{}');
  });

  it('works after express.json() consumed a JSON body', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use(express.json());
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const response = await post(`${base}/e`, beaconBody(), { 'content-type': 'application/json' });
    expect(response.status).toBe(204);
    expect(await queued(relay)).toBe(1);
  });

  it('works after express.text() consumed a text body', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use(express.text());
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    expect((await post(`${base}/e`, beaconBody())).status).toBe(204);
    expect(await queued(relay)).toBe(1);
  });

  it('reads the stream when a parser set req.body without reading it (Express 4 body-parser)', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use(express.json()); // skips text/plain, like Express 4's, which also sets req.body = {}
    app.use((request, _response, next) => {
      request.body ??= {};
      next();
    });
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    expect((await post(`${base}/e`, beaconBody())).status).toBe(204);
    expect(await queued(relay)).toBe(1);
  });

  it('refuses a 1 MB chunked body with 413 and keeps serving', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}/e`, {
        method: 'POST',
        headers: {
          origin: SHOP_ORIGIN,
          'content-type': 'text/plain',
          'transfer-encoding': 'chunked',
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const write = () => {
        while (sent < 64) {
          sent++;
          if (!request.write(chunk)) return request.once('drain', write);
        }
        request.end();
      };
      write();
    });
    expect(status).toBe(413);
    expect(await queued(relay)).toBe(0);
    expect((await post(`${base}/e`, beaconBody())).status).toBe(204);
  });

  it('refuses a declared oversize body and a bad origin', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    expect((await post(`${base}/e`, 'x'.repeat(70 * 1024))).status).toBe(413);
    expect((await post(`${base}/e`, beaconBody(), { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post(`${base}/e`, '{nope')).status).toBe(400);
    expect(await queued(relay)).toBe(0);
  });

  it("applies the relay's own body limit to a small beacon the adapter read ahead", async () => {
    const relay = harness.makeRelay({ maxBodyBytes: 200 });
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const body = beaconBody();
    expect(body.length).toBeGreaterThan(200);
    expect((await post(`${base}/e`, body)).status).toBe(413);
    expect(await queued(relay)).toBe(0);
    const small = harness.makeRelay();
    const smallApp = express();
    smallApp.use('/e', capiMiddleware(small));
    expect((await post(`${await listen(smallApp)}/e`, body)).status).toBe(204);
    expect(await queued(small)).toBe(1);
  });

  it('passes the socket address, and trusted proxy headers when configured', async () => {
    const relay = harness.makeRelay({ trustProxy: 'loopback' });
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    await post(`${base}/e`, beaconBody(), { 'x-forwarded-for': TEST_IP });
    await post(`${base}/e`, beaconBody());
    await relay.flush();
    expect(
      harness.fake.meta.events.map(
        (event) => (event.body as MetaServerEvent).user_data.client_ip_address,
      ),
    ).toEqual([TEST_IP, '127.0.0.1']);
  });

  it('answers a relay of createRelay exactly as through relay.handle and a Web Request', async () => {
    // A spread copy of a relay has no plain collect entry: the adapter takes the Request path.
    const direct = harness.makeRelay();
    const viaRequest = { ...harness.makeRelay() } as Relay;
    const bases: string[] = [];
    for (const relay of [direct, viaRequest]) {
      const app = express();
      app.use('/e', capiMiddleware(relay));
      bases.push(await listen(app));
    }
    const clickBody = () =>
      JSON.stringify({
        v: 1,
        events: [
          beaconEvent(
            { page: { url: 'https://shop.example.com/?fbclid=IwAR-Abc_123&gclid=G-1' } },
            harness.clock.now(),
          ),
        ],
      });
    const cases: { body: () => string; headers?: Record<string, string> }[] = [
      { body: beaconBody },
      { body: beaconBody, headers: { cookie: '_fbp=fb.1.1558571054389.1098115397' } },
      { body: clickBody },
      { body: () => '{nope' },
      { body: () => JSON.stringify({ v: 1, events: [{ id: '', name: 3 }] }) },
      { body: beaconBody, headers: { origin: 'https://evil.example' } },
      { body: beaconBody, headers: { origin: 'null', referer: `${SHOP_ORIGIN}/cart` } },
      { body: () => 'x'.repeat(70 * 1024) },
    ];
    const answer = async (base: string, body: string, headers: Record<string, string> = {}) => {
      const response = await post(`${base}/e`, body, headers);
      const seen: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!['date', 'connection', 'keep-alive', 'set-cookie'].includes(name)) seen[name] = value;
      });
      return {
        status: response.status,
        headers: seen,
        // Minted IDs differ between the two relays; names and attributes must not.
        cookies: response.headers
          .getSetCookie()
          .map((cookie) => cookie.replace(/^(\w+)=[^;]*/, '$1=…')),
        body: await response.text(),
      };
    };
    for (const { body, headers } of cases) {
      const [plain, web] = [
        await answer(bases[0]!, body(), headers),
        await answer(bases[1]!, body(), headers),
      ];
      expect(plain).toEqual(web);
    }
    expect(await queued(direct)).toBe(4);
    expect(await queued(viaRequest)).toBe(4);
  });

  it('answers CORS preflights', async () => {
    const relay = harness.makeRelay();
    const app = express();
    app.use('/e', capiMiddleware(relay));
    const base = await listen(app);
    const response = await fetch(`${base}/e`, {
      method: 'OPTIONS',
      headers: { origin: SHOP_ORIGIN },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
  });
});

describe('capiLedgerMiddleware', () => {
  it('serves the ledger as JSON', async () => {
    const relay = harness.makeRelay({ ledgerEndpoint: true });
    const app = express5();
    app.use('/e', capiMiddleware(relay));
    app.get('/ledger', capiLedgerMiddleware(relay));
    const base = await listen(app);
    await post(`${base}/e`, beaconBody());
    const body = (await (await fetch(`${base}/ledger`)).json()) as { entries: unknown[] };
    expect(body.entries).toHaveLength(1);
  });
});
