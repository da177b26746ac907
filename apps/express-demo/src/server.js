/**
 * The capi-kit Express demo: a one-product shop whose pages install capi-kit with the `<script>`
 * stub and whose server mounts `capiMiddleware(relay)` at `/ck` (a path ad-block lists do not
 * match, unlike `/collect`, `/track`, `/analytics`, `/events` or `/pixel`). The relay sends Meta,
 * GA4, TikTok, Snapchat, Pinterest, Reddit and LinkedIn copies to the `@capi-kit/testing` fakes, or
 * to a real platform when its environment variables are set. Events wait in a SQLite queue, so an
 * acknowledged beacon survives a crash.
 */
// @ts-expect-error better-sqlite3 ships no types; sqliteQueue checks the driver's shape.
import Database from 'better-sqlite3';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createRelay } from '@capi-kit/server';
import { capiMiddleware } from '@capi-kit/server/express';
import { googleAnalytics } from '@capi-kit/server/google';
import { linkedin } from '@capi-kit/server/linkedin';
import { meta } from '@capi-kit/server/meta';
import { pinterest } from '@capi-kit/server/pinterest';
import { reddit } from '@capi-kit/server/reddit';
import { snapchat } from '@capi-kit/server/snapchat';
import { sqliteQueue } from '@capi-kit/server/sqlite';
import { tiktok } from '@capi-kit/server/tiktok';
import { startFakePlatforms } from '@capi-kit/testing';
import { aboutPage, pixelShims, productPage, spaPage, thankYouPage } from './pages.js';

/** Where the relay listens. Not `/collect`, `/track`…: EasyPrivacy blocks those on any domain. */
export const COLLECT_PATH = '/ck';

/**
 * IDs the fakes accept, used for every platform whose real credentials are not set.
 * @type {DemoIds}
 */
const FAKE_IDS = {
  metaPixelId: '1234567890',
  tiktokPixelCode: 'CDEMO1234567890',
  measurementId: 'G-DEMO12345',
  snapchatPixelId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  // Pinterest's tag ID (the page) and ad account ID (the API) are different numbers.
  pinterestTagId: '2612345678901',
  pinterestAdAccountId: '549755885175',
  redditPixelId: 't2_demo123',
  linkedinPartnerId: '1234567',
  // LinkedIn counts conversions per rule: the Insight Tag and the destination share this map.
  linkedinConversions: { Purchase: 104012, Lead: 104013 },
};

const PRODUCT = { id: 'mug-1', name: 'Capi Mug', price: 18, currency: 'EUR' };

/**
 * @typedef {object} ExpressDemoOptions
 * @property {number} [port] TCP port [0: any free port].
 * @property {string} [host] Interface [127.0.0.1].
 * @property {Record<string, string | undefined>} [env] Environment [process.env]: `META_PIXEL_ID` +
 *   `META_ACCESS_TOKEN`, `GA4_MEASUREMENT_ID` + `GA4_API_SECRET`, `TIKTOK_PIXEL_CODE` +
 *   `TIKTOK_ACCESS_TOKEN`, `SNAPCHAT_PIXEL_ID` + `SNAPCHAT_ACCESS_TOKEN`, `PINTEREST_AD_ACCOUNT_ID`
 *   + `PINTEREST_ACCESS_TOKEN`, `REDDIT_PIXEL_ID` + `REDDIT_ACCESS_TOKEN`, `LINKEDIN_ACCESS_TOKEN` +
 *   `LINKEDIN_CONVERSIONS` (JSON) switch a platform to the real API; `PINTEREST_TAG_ID` and
 *   `LINKEDIN_PARTNER_ID` give the page its Pinterest tag and Insight Tag then; `QUEUE_PATH` is the
 *   SQLite file.
 * @property {'shim' | 'load' | 'none'} [pixels] Browser pixels: `shim` records calls and reports
 *   them to the fakes [default while any platform is faked], `load` loads the official scripts
 *   [default with real credentials], `none` installs none.
 * @property {string} [queuePath] SQLite queue file [QUEUE_PATH, else a file in a temp directory].
 * @property {number} [lingerMs] How long the relay waits for a batch to fill [200].
 */

/**
 * @typedef {object} DemoIds The platform IDs in use: no secrets (the pixel shims get all of them).
 * @property {string} metaPixelId
 * @property {string} tiktokPixelCode
 * @property {string} measurementId GA4.
 * @property {string} snapchatPixelId
 * @property {string | undefined} pinterestTagId The tag's ID; `undefined`: no Pinterest tag on the page.
 * @property {string} pinterestAdAccountId Where the API copies go.
 * @property {string} redditPixelId
 * @property {string | undefined} linkedinPartnerId `undefined`: no Insight Tag on the page.
 * @property {Record<string, number>} linkedinConversions Conversion rule ID per event name.
 */

/**
 * @typedef {object} ExpressDemo
 * @property {string} url The shop's origin, `http://127.0.0.1:PORT`.
 * @property {import('@capi-kit/testing').FakePlatforms | undefined} fakes The fake platforms, when any platform is faked.
 * @property {import('@capi-kit/server').Relay} relay The relay.
 * @property {{ eventIds: string[]; receivedAt: number }[]} beacons Every beacon the collect path received (event IDs only).
 * @property {DemoIds} ids The platform IDs in use.
 * @property {() => Promise<void>} close Stops the server, the relay and the fakes.
 */

/**
 * Starts the demo shop.
 *
 * @example
 * const demo = await startExpressDemo({ port: 3000 });
 * console.log(`open ${demo.url}`);
 * @param {ExpressDemoOptions} [options]
 * @returns {Promise<ExpressDemo>}
 */
export async function startExpressDemo(options = {}) {
  const env = options.env ?? process.env;
  const real = {
    meta: Boolean(env.META_PIXEL_ID && env.META_ACCESS_TOKEN),
    google: Boolean(env.GA4_MEASUREMENT_ID && env.GA4_API_SECRET),
    tiktok: Boolean(env.TIKTOK_PIXEL_CODE && env.TIKTOK_ACCESS_TOKEN),
    snapchat: Boolean(env.SNAPCHAT_PIXEL_ID && env.SNAPCHAT_ACCESS_TOKEN),
    pinterest: Boolean(env.PINTEREST_AD_ACCOUNT_ID && env.PINTEREST_ACCESS_TOKEN),
    reddit: Boolean(env.REDDIT_PIXEL_ID && env.REDDIT_ACCESS_TOKEN),
    linkedin: Boolean(env.LINKEDIN_ACCESS_TOKEN && env.LINKEDIN_CONVERSIONS),
  };
  const anyFake = Object.values(real).includes(false);
  const fakes = anyFake ? await startFakePlatforms() : undefined;
  const baseURL = fakes?.url;
  /** @type {DemoIds} */
  const ids = {
    metaPixelId: real.meta ? String(env.META_PIXEL_ID) : FAKE_IDS.metaPixelId,
    tiktokPixelCode: real.tiktok ? String(env.TIKTOK_PIXEL_CODE) : FAKE_IDS.tiktokPixelCode,
    measurementId: real.google ? String(env.GA4_MEASUREMENT_ID) : FAKE_IDS.measurementId,
    snapchatPixelId: real.snapchat ? String(env.SNAPCHAT_PIXEL_ID) : FAKE_IDS.snapchatPixelId,
    pinterestTagId: real.pinterest ? env.PINTEREST_TAG_ID || undefined : FAKE_IDS.pinterestTagId,
    pinterestAdAccountId: real.pinterest
      ? String(env.PINTEREST_AD_ACCOUNT_ID)
      : FAKE_IDS.pinterestAdAccountId,
    redditPixelId: real.reddit ? String(env.REDDIT_PIXEL_ID) : FAKE_IDS.redditPixelId,
    linkedinPartnerId: real.linkedin
      ? env.LINKEDIN_PARTNER_ID || undefined
      : FAKE_IDS.linkedinPartnerId,
    linkedinConversions: real.linkedin
      ? parseConversions(String(env.LINKEDIN_CONVERSIONS))
      : FAKE_IDS.linkedinConversions,
  };

  const temporaryDirectory =
    options.queuePath || env.QUEUE_PATH
      ? undefined
      : mkdtempSync(join(tmpdir(), 'capi-kit-express-demo-'));
  const queuePath =
    options.queuePath ??
    env.QUEUE_PATH ??
    join(/** @type {string} */ (temporaryDirectory), 'queue.sqlite');

  const relay = createRelay({
    destinations: [
      meta({
        pixelId: ids.metaPixelId,
        accessToken: real.meta ? String(env.META_ACCESS_TOKEN) : 'fake-meta-token',
        ...(real.meta ? { testEventCode: env.META_TEST_EVENT_CODE } : { baseURL }),
      }),
      googleAnalytics({
        measurementId: ids.measurementId,
        apiSecret: real.google ? String(env.GA4_API_SECRET) : 'fake-ga4-secret',
        ...(real.google ? {} : { baseURL }),
      }),
      tiktok({
        pixelCode: ids.tiktokPixelCode,
        accessToken: real.tiktok ? String(env.TIKTOK_ACCESS_TOKEN) : 'fake-tiktok-token',
        ...(real.tiktok ? { testEventCode: env.TIKTOK_TEST_EVENT_CODE } : { baseURL }),
      }),
      snapchat({
        pixelId: ids.snapchatPixelId,
        accessToken: real.snapchat ? String(env.SNAPCHAT_ACCESS_TOKEN) : 'fake-snapchat-token',
        ...(real.snapchat ? {} : { baseURL }),
      }),
      pinterest({
        adAccountId: ids.pinterestAdAccountId,
        accessToken: real.pinterest ? String(env.PINTEREST_ACCESS_TOKEN) : 'fake-pinterest-token',
        ...(real.pinterest ? { testMode: env.PINTEREST_TEST_MODE === 'true' } : { baseURL }),
      }),
      reddit({
        pixelId: ids.redditPixelId,
        accessToken: real.reddit ? String(env.REDDIT_ACCESS_TOKEN) : 'fake-reddit-token',
        ...(real.reddit ? { testId: env.REDDIT_TEST_ID } : { baseURL }),
      }),
      linkedin({
        accessToken: real.linkedin ? String(env.LINKEDIN_ACCESS_TOKEN) : 'fake-linkedin-token',
        // The same map as the page's Insight Tag, so both copies name the same conversion rule.
        conversions: ids.linkedinConversions,
        ...(real.linkedin ? { apiVersion: env.LINKEDIN_API_VERSION } : { baseURL }),
      }),
    ],
    allowedOrigins: env.ALLOWED_ORIGINS ? env.ALLOWED_ORIGINS.split(',') : undefined,
    // The driver is passed in because the built ESM of @capi-kit/server/sqlite cannot load
    // better-sqlite3 itself yet ("Dynamic require of better-sqlite3 is not supported").
    queue: sqliteQueue({ path: queuePath, driver: Database }),
    lingerMs: options.lingerMs ?? 200,
    ledgerEndpoint: env.NODE_ENV !== 'production',
  });

  const pixels = options.pixels ?? (anyFake ? 'shim' : 'load');
  const load = pixels === 'load';
  const pageOptions = {
    shims: pixels === 'shim',
    config: {
      endpoint: COLLECT_PATH,
      ...(pixels === 'none'
        ? {}
        : {
            meta: { pixelId: ids.metaPixelId, load },
            google: { measurementId: ids.measurementId, load },
            tiktok: { pixelCode: ids.tiktokPixelCode, load },
            snapchat: { pixelId: ids.snapchatPixelId, load },
            ...(ids.pinterestTagId ? { pinterest: { tagId: ids.pinterestTagId, load } } : {}),
            reddit: { pixelId: ids.redditPixelId, load },
            ...(ids.linkedinPartnerId
              ? {
                  linkedin: {
                    partnerId: ids.linkedinPartnerId,
                    conversions: ids.linkedinConversions,
                    load,
                  },
                }
              : {}),
          }),
    },
  };

  /** @type {Map<string, import('./pages.js').Order>} */
  const orders = new Map();
  /** @type {ExpressDemo['beacons']} */
  const beacons = [];
  const scriptPath = createRequire(import.meta.url).resolve('@capi-kit/browser/script');

  const app = express();
  app.disable('x-powered-by');
  app.use(
    COLLECT_PATH,
    // Read the body once as text (sendBeacon posts text/plain; TOOLCHAIN.md trap 9) to note which
    // events each beacon carried; capiMiddleware accepts an already-read body.
    express.text({ type: () => true, limit: '70kb' }),
    (request, _response, next) => {
      if (request.method === 'POST' && typeof request.body === 'string') {
        try {
          const payload = JSON.parse(request.body);
          beacons.push({
            eventIds: payload.events.map((/** @type {{ id: string }} */ event) => event.id),
            receivedAt: Date.now(),
          });
        } catch {
          // The relay answers malformed bodies itself.
        }
      }
      next();
    },
    capiMiddleware(relay),
  );
  app.get('/__ledger', (request, response, next) => {
    relay
      .handleLedger(new Request(new URL(request.originalUrl, 'http://localhost')))
      .then(async (answer) =>
        response
          .status(answer.status)
          .type('json')
          .send(await answer.text()),
      )
      .catch(next);
  });
  app.get('/capi-kit.js', (_request, response) => {
    response.type('text/javascript').sendFile(scriptPath);
  });
  app.get('/pixel-shims.js', (_request, response) => {
    response.type('text/javascript').send(pixelShims({ fakeUrl: fakes?.url ?? '', ...ids }));
  });
  app.get('/', (_request, response) => {
    response.type('html').send(productPage(PRODUCT, pageOptions));
  });
  /** @type {Promise<string> | undefined} */
  let spaBundle;
  app.get('/spa.js', (_request, response, next) => {
    // Bundled on first use, the way a site's bundler would, from the built packages.
    spaBundle ??= import('esbuild').then(async ({ build }) => {
      const result = await build({
        entryPoints: [fileURLToPath(new URL('./spa-entry.js', import.meta.url))],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2020',
        write: false,
        logLevel: 'silent',
      });
      return /** @type {import('esbuild').OutputFile} */ (result.outputFiles[0]).text;
    });
    spaBundle.then((code) => response.type('text/javascript').send(code), next);
  });
  app.get(['/spa', '/spa/*rest'], (_request, response) => {
    response.type('html').send(spaPage(pageOptions));
  });
  app.get('/about', (_request, response) => {
    response.type('html').send(aboutPage(pageOptions));
  });
  app.post('/checkout', express.urlencoded({ extended: false }), (request, response) => {
    const id = `A-${orders.size + 1001}`;
    // The server mints the Purchase's event ID with the order, so the thank-you page's pixel,
    // its beacon and any server-side copy of the order all carry it.
    orders.set(id, {
      id,
      eventId: randomUUID(),
      email: String(request.body?.email ?? ''),
      product: PRODUCT,
      quantity: 1,
    });
    response.redirect(303, `/thank-you/${id}`);
  });
  app.get('/thank-you/:orderId', (request, response) => {
    const order = orders.get(request.params.orderId);
    if (!order) {
      response.status(404).type('text').send('No such order');
      return;
    }
    response.type('html').send(thankYouPage(order, pageOptions));
  });

  const server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://${address.address}:${address.port}`,
    fakes,
    relay,
    beacons,
    ids,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
      await relay.close();
      await fakes?.close();
      if (temporaryDirectory) rmSync(temporaryDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * `LINKEDIN_CONVERSIONS` (`{"Purchase":104012}`) as the map both the Insight Tag and the
 * destination take. The destination checks the IDs (and names a bad one); this only reads the JSON
 * and turns digit strings into the numbers the Insight Tag takes.
 * @param {string} text
 * @returns {Record<string, number>}
 */
function parseConversions(text) {
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return Object.fromEntries(
        Object.entries(parsed).map(([name, id]) => [
          name,
          typeof id === 'string' && /^\d+$/.test(id.trim()) ? Number(id) : id,
        ]),
      );
    }
  } catch {
    // Reported below, with the expected shape.
  }
  throw new Error('LINKEDIN_CONVERSIONS must be JSON like {"Purchase":104012}');
}
