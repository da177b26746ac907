/**
 * The demo's server side: one relay per Node process, the local fake platforms it talks to when no
 * real credentials are configured, and the in-memory order book. Everything lives on `globalThis`
 * so that `next dev` hot reloads reuse the same relay, SQLite file handle and fake servers instead
 * of opening a new set on every edit. Only server code imports this module: it holds access tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRelay, type Relay } from '@capi-kit/server';
import { googleAds, googleAnalytics } from '@capi-kit/server/google';
import { meta } from '@capi-kit/server/meta';
import { createRouteHandler } from '@capi-kit/server/next';
import { tiktok } from '@capi-kit/server/tiktok';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import type { Destination } from '@capi-kit/core';
import { DEMO_PIXEL_IDS, type PublicDemoConfig } from './public-config';
import type { Order } from './orders';

export interface DemoRuntime {
  /** `fake`: every destination points at the in-process fakes; `real`: at the platforms. */
  mode: 'fake' | 'real';
  relay: Relay;
  routeHandler: ReturnType<typeof createRouteHandler>;
  fake?: FakePlatforms;
  /** Non-secret settings the browser needs (pixel IDs, where the stand-in pixels report). */
  publicConfig: PublicDemoConfig;
  /** Guards the ledger endpoint outside development (`CAPI_KIT_LEDGER_TOKEN`, else random). */
  ledgerToken: string;
  orders: Map<string, Order>;
}

const globalKey = Symbol.for('capi-kit.demo.runtime');
type GlobalWithDemo = typeof globalThis & { [globalKey]?: Promise<DemoRuntime> };

/** The process-wide demo runtime, created on first use and reused across hot reloads. */
export function getDemo(): Promise<DemoRuntime> {
  const holder = globalThis as GlobalWithDemo;
  holder[globalKey] ??= createDemoRuntime().catch((error: unknown) => {
    // A failed start must not be cached forever: the next request tries again.
    delete holder[globalKey];
    throw error;
  });
  return holder[globalKey];
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** Real mode as soon as any platform has its server credentials in `.env.local`. */
function hasRealCredentials(): boolean {
  return Boolean(
    (env('META_PIXEL_ID') && env('META_ACCESS_TOKEN')) ||
    (env('GA4_MEASUREMENT_ID') && env('GA4_API_SECRET')) ||
    (env('GOOGLE_ADS_CUSTOMER_ID') && env('GOOGLE_ADS_ACCESS_TOKEN')) ||
    (env('TIKTOK_PIXEL_CODE') && env('TIKTOK_ACCESS_TOKEN')),
  );
}

async function createDemoRuntime(): Promise<DemoRuntime> {
  const mode = hasRealCredentials() ? 'real' : 'fake';
  let fake: FakePlatforms | undefined;
  let destinations: Destination[];
  let publicConfig: PublicDemoConfig;

  if (mode === 'fake') {
    fake = await startFakePlatforms();
    // Placeholder credentials: the fakes check that a token is sent where the real API wants it,
    // not which one, and these never leave the machine.
    destinations = [
      meta({
        pixelId: DEMO_PIXEL_IDS.metaPixelId,
        accessToken: 'demo-meta-token',
        baseURL: fake.url,
      }),
      googleAnalytics({
        measurementId: DEMO_PIXEL_IDS.ga4MeasurementId,
        apiSecret: 'demo-ga4-secret',
        baseURL: fake.url,
      }),
      googleAds({
        customerId: DEMO_PIXEL_IDS.googleAdsCustomerId,
        conversionActionId: DEMO_PIXEL_IDS.googleAdsConversionActionId,
        accessToken: 'demo-google-ads-token',
        baseURL: fake.url,
      }),
      tiktok({
        pixelCode: DEMO_PIXEL_IDS.tiktokPixelCode,
        accessToken: 'demo-tiktok-token',
        baseURL: fake.url,
      }),
    ];
    publicConfig = {
      mode,
      fakeUrl: fake.url,
      metaPixelId: DEMO_PIXEL_IDS.metaPixelId,
      ga4MeasurementId: DEMO_PIXEL_IDS.ga4MeasurementId,
      googleAdsSendTo: DEMO_PIXEL_IDS.googleAdsSendTo,
      tiktokPixelCode: DEMO_PIXEL_IDS.tiktokPixelCode,
    };
  } else {
    // Each factory reads its own env vars (META_PIXEL_ID, GA4_API_SECRET, …). A platform whose
    // credentials are absent or incomplete is left out with the factory's own message (it names
    // the missing setting and env var, never a value) instead of failing the whole demo.
    destinations = [];
    const candidates: [string, boolean, () => Destination][] = [
      ['Meta', Boolean(env('META_PIXEL_ID') || env('META_ACCESS_TOKEN')), () => meta({})],
      [
        'Google Analytics',
        Boolean(env('GA4_MEASUREMENT_ID') || env('GA4_API_SECRET')),
        () => googleAnalytics({}),
      ],
      [
        'Google Ads',
        Boolean(env('GOOGLE_ADS_CUSTOMER_ID') || env('GOOGLE_ADS_ACCESS_TOKEN')),
        () => googleAds({}),
      ],
      ['TikTok', Boolean(env('TIKTOK_PIXEL_CODE') || env('TIKTOK_ACCESS_TOKEN')), () => tiktok({})],
    ];
    for (const [label, configured, create] of candidates) {
      if (!configured) continue;
      try {
        destinations.push(create());
      } catch (error) {
        console.warn(`[demo] ${label} left out: ${(error as Error).message}`);
      }
    }
    publicConfig = {
      mode,
      metaPixelId: env('META_PIXEL_ID'),
      ga4MeasurementId: env('GA4_MEASUREMENT_ID'),
      googleAdsSendTo: env('GOOGLE_ADS_SEND_TO'),
      tiktokPixelCode: env('TIKTOK_PIXEL_CODE'),
    };
  }

  const ledgerToken = env('CAPI_KIT_LEDGER_TOKEN') ?? randomBytes(18).toString('base64url');
  const relay = createRelay({
    destinations,
    queue: await openQueue(),
    allowedOrigins: allowedOrigins(),
    // Signs the server-rendered Purchase so a beacon cannot claim a different order value.
    signingSecret: env('CAPI_KIT_SIGNING_SECRET') ?? randomBytes(32).toString('base64url'),
    requireSignatureFor: ['Purchase'],
    defaultCountry: env('CAPI_KIT_DEFAULT_COUNTRY') ?? 'US',
    ledgerEndpoint: { token: ledgerToken },
  });

  const runtime: DemoRuntime = {
    mode,
    relay,
    routeHandler: createRouteHandler(relay),
    fake,
    publicConfig,
    ledgerToken,
    orders: new Map(),
  };
  closeOnExit(runtime);
  return runtime;
}

/**
 * Same-origin beacons are always accepted; `next start` runs in production mode, where the relay
 * wants the page origins spelled out, so list the two names of this machine on the demo's port.
 */
function allowedOrigins(): string[] {
  const configured = env('CAPI_KIT_ALLOWED_ORIGINS');
  if (configured) return configured.split(',').map((origin) => origin.trim());
  const port = env('PORT') ?? '3000';
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

/**
 * The SQLite store keeps acknowledged events across a crash or a Ctrl-C; the file lives in the
 * git-ignored `data/` folder. Falls back to the relay's memory queue when the SQLite entry point or
 * its native addon is unavailable, so the demo still starts on a machine without a compiler.
 */
async function openQueue() {
  try {
    const { sqliteQueue } = await import('@capi-kit/server/sqlite');
    // The store loads better-sqlite3 with `createRequire`, which Next's server bundler does not
    // support ("dynamic usage of require"); importing it here lets Next externalize it and hands
    // the constructor to the store through its `driver` option.
    const { default: driver } = (await import('better-sqlite3')) as {
      default: NonNullable<Parameters<typeof sqliteQueue>[0]['driver']>;
    };
    // CAPI_KIT_DEMO_DATA_DIR lets the e2e test use a fresh folder instead of the user's queue.
    const folder = env('CAPI_KIT_DEMO_DATA_DIR') ?? join(process.cwd(), 'data');
    mkdirSync(folder, { recursive: true });
    return sqliteQueue({ path: join(folder, 'queue.sqlite'), driver });
  } catch (error) {
    console.warn(
      `[demo] SQLite queue unavailable (${(error as Error).message}); using the memory queue.`,
    );
    return undefined;
  }
}

function closeOnExit(runtime: DemoRuntime): void {
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void Promise.allSettled([runtime.relay.close(), runtime.fake?.close()]).then(() =>
      process.exit(0),
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
