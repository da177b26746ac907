/**
 * The one place where the benchmarks build a capi-kit relay, so every suite measures the same
 * configuration: the Meta destination pointed at a loopback URL (a sink or a `@capi-kit/testing`
 * fake), the shop's origin allowed, and the collect rate limiter lifted (a load generator is one
 * client sending thousands of requests a second; the limiter would answer 429 to most of them and
 * we would be measuring the limiter).
 */
import { ACCESS_TOKEN, PIXEL_ID } from './fixtures.mjs';
import { importLanded } from './report.mjs';

export const SHOP_ORIGIN = 'https://shop.example.com';

/**
 * @param {{ metaBaseURL: string, queue?: unknown, now?: () => number, autoDeliver?: boolean, extraDestinations?: unknown[], logger?: unknown }} options
 * @returns {Promise<any>} the relay
 */
export async function createBenchRelay(options) {
  const { createRelay } = await importLanded('@capi-kit/server', ['createRelay']);
  const { meta } = await importLanded('@capi-kit/server/meta', ['meta']);
  /** @type {Record<string, unknown>} */
  const relayOptions = {
    destinations: [
      meta({ pixelId: PIXEL_ID, accessToken: ACCESS_TOKEN, baseURL: options.metaBaseURL }),
      ...(options.extraDestinations ?? []),
    ],
    allowedOrigins: [SHOP_ORIGIN],
    rateLimit: false,
    // Quiet: the benchmark would otherwise measure console I/O.
    logger: options.logger ?? silentLogger,
  };
  if (options.queue !== undefined) relayOptions.queue = options.queue;
  if (options.now !== undefined) relayOptions.now = options.now;
  if (options.autoDeliver !== undefined) relayOptions.autoDeliver = options.autoDeliver;
  return createRelay(relayOptions);
}

const noop = () => {};
export const silentLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Headers of a beacon as a browser sends it from the shop (sendBeacon posts text/plain). */
export const BEACON_HEADERS = {
  'content-type': 'text/plain;charset=UTF-8',
  origin: SHOP_ORIGIN,
  referer: `${SHOP_ORIGIN}/checkout/thank-you`,
  'user-agent':
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  cookie: '_fbp=fb.1.1558571054389.1098115397; _fbc=fb.1.1554763741205.IwAR2AbCdEfGhIjKlMnOp',
};
