/**
 * Child process of suite 2: a happy-dom window as the global browser environment (kept out of the
 * bench process, whose server-side suites must not see a `window`), pixel globals stubbed, then
 * `track()` of capi-kit and walkerOS's `elb` push timed in interleaved rounds. Reports the
 * per-round µs per call over IPC.
 */
import { Window } from 'happy-dom';

const [callsArgument, roundsArgument] = process.argv.slice(2);
const CALLS = Number(callsArgument);
const ROUNDS = Number(roundsArgument);

const window = new Window({ url: 'https://shop.example.com/product/sku-1001?utm_source=bench' });
window.document.body.innerHTML =
  '<main><h1>Trail running shoe</h1><button>Add to cart</button></main>';

let pixelCalls = 0;
let beaconBytes = 0;
/** The Meta pixel global, stubbed: counts `track` calls, loads nothing. */
function fbq(command) {
  if (command === 'track' || command === 'trackCustom') pixelCalls += 1;
}
fbq.loaded = true;
fbq.version = '2.0';
fbq.queue = [];
fbq.callMethod = undefined;
/** @param {unknown} body */
function countBody(body) {
  beaconBytes += typeof body === 'string' ? body.length : 0;
}
const stubbedFetch = async (/** @type {unknown} */ _url, /** @type {any} */ init) => {
  countBody(init?.body);
  return new window.Response(null, { status: 204 });
};
Object.defineProperty(window.navigator, 'sendBeacon', {
  configurable: true,
  value: (/** @type {unknown} */ _url, /** @type {unknown} */ body) => {
    countBody(body);
    return true;
  },
});
window.fbq = fbq;
window._fbq = fbq;
window.fetch = stubbedFetch;

// Browser globals for code written against `window`/`document`/`navigator` directly.
const globalNames = [
  'window',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'screen',
  'Event',
  'CustomEvent',
  'EventTarget',
  'Node',
  'Element',
  'HTMLElement',
  'MutationObserver',
  'IntersectionObserver',
  'requestAnimationFrame',
  'cancelAnimationFrame',
];
for (const name of globalNames) {
  const value = name === 'window' ? window : window[name];
  if (value === undefined) continue;
  Object.defineProperty(globalThis, name, { configurable: true, writable: true, value });
}
// Window methods a browser exposes as bare globals (`addEventListener('pagehide', …)`).
for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    writable: true,
    value: window[name].bind(window),
  });
}
Object.defineProperty(globalThis, 'self', { configurable: true, writable: true, value: window });
globalThis.fbq = fbq;
globalThis.fetch = /** @type {any} */ (stubbedFetch);
window.requestIdleCallback ??= (/** @type {() => void} */ callback) => setTimeout(callback, 0);

/**
 * One round: `CALLS` calls, then waiting for everything they scheduled; returns µs per call.
 * @param {(index: number) => unknown} call
 * @param {() => Promise<unknown>} settle
 */
async function timeRound(call, settle) {
  // CPU time of this process, not wall time: everything here runs on this thread (the transport
  // and pixel are stubs), and other work on the shared machine must not be charged to a call.
  const start = process.cpuUsage();
  for (let index = 0; index < CALLS; index += 1) call(index);
  await settle();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / CALLS;
}

/** @returns {Promise<{ call: (index: number) => unknown, settle: () => Promise<unknown> } | string>} */
async function setUpOurs() {
  let browser;
  let metaModule;
  try {
    browser = await import('@capi-kit/browser');
    metaModule = await import('@capi-kit/browser/meta');
  } catch (error) {
    return `@capi-kit/browser is not built (${String(error).split('\n')[0]})`;
  }
  if (typeof browser.createTracker !== 'function' || typeof metaModule.metaPixel !== 'function') {
    return '@capi-kit/browser does not export createTracker/metaPixel yet';
  }
  const tracker = browser.createTracker({
    endpoint: '/e',
    pixels: [metaModule.metaPixel({ pixelId: '1234567890' })],
  });
  return {
    call: (index) =>
      tracker.track(
        'AddToCart',
        {
          value: 79.9,
          currency: 'EUR',
          contents: [{ id: `SKU-${index % 50}`, quantity: 1, price: 79.9 }],
        },
        { user: { email: 'customer@example.com' } },
      ),
    settle: () => tracker.flush(),
  };
}

async function setUpWalkerOs() {
  const { startFlow } = await import('@walkeros/collector');
  const { sourceBrowser } = await import('@walkeros/web-source-browser');
  // A destination doing what ours does for Meta: the pixel call with the shared event ID.
  const metaDestination = {
    type: 'meta-stub',
    config: {},
    push(/** @type {any} */ event) {
      window.fbq('track', 'AddToCart', event.data, { eventID: event.id });
    },
  };
  const { elb } = await startFlow({
    consent: { functional: true, marketing: true },
    sources: { browser: { code: sourceBrowser, config: { settings: { pageview: false } } } },
    destinations: { meta: { code: metaDestination } },
  });
  /** @type {Promise<unknown>[]} */
  let pending = [];
  return {
    call: (/** @type {number} */ index) =>
      pending.push(
        /** @type {Promise<unknown>} */ (
          elb('product add', { id: `SKU-${index % 50}`, price: 79.9, currency: 'EUR', quantity: 1 })
        ),
      ),
    settle: async () => {
      const all = pending;
      pending = [];
      await Promise.all(all);
    },
  };
}

async function main() {
  /** @type {Awaited<ReturnType<typeof setUpOurs>>} */
  let ours;
  /** @type {string | undefined} */
  let oursFailed;
  try {
    ours = await setUpOurs();
  } catch (error) {
    oursFailed = error instanceof Error ? error.message : String(error);
    ours = oursFailed;
  }
  const walker = await setUpWalkerOs();
  /** @type {Record<string, { call: (index: number) => unknown, settle: () => Promise<unknown> }>} */
  const contenders = { walkerOS: walker };
  if (typeof ours !== 'string') contenders.ours = ours;
  /** @type {Record<string, number[]>} */
  const samples = {};
  /** @type {Record<string, number>} */
  const pixelCallsPerContender = {};
  for (const name of Object.keys(contenders)) {
    samples[name] = [];
    pixelCallsPerContender[name] = 0;
  }
  // Warm-up round, not counted.
  for (const contender of Object.values(contenders))
    await timeRound(contender.call, contender.settle);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, contender] of Object.entries(contenders)) {
      const before = pixelCalls;
      samples[name].push(await timeRound(contender.call, contender.settle));
      pixelCallsPerContender[name] += pixelCalls - before;
    }
  }
  process.send?.({
    type: 'ready',
    samples,
    pixelCalls: pixelCallsPerContender,
    expectedPixelCalls: CALLS * ROUNDS,
    beaconBytes,
    oursUnavailable: !oursFailed && typeof ours === 'string' ? ours : undefined,
    oursFailed,
  });
}

main().catch((error) => {
  process.send?.({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
});
