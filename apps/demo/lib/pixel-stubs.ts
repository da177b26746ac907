/**
 * Source of the stand-in pixel scripts. Each defines the platform's global with the call shapes
 * the official script accepts, remembers every call on `window.__ckPixelCalls` (so a test can read
 * what the tracker passed), and reports the pixel copy of each event to the fake platform. They
 * also set the first-party cookies the real scripts set (`_ga`, `_ttp`), because the server copy
 * needs them: GA4 Measurement Protocol has no event without the `_ga` client ID (platforms.md §3.5).
 */
import type { PublicDemoConfig } from './public-config';

// Shared by the three stubs: `text/plain` keeps the cross-origin POST to the fake a "simple"
// request (no CORS preflight), which is how a pixel's beacon goes out too.
const prelude = `
var calls = (window.__ckPixelCalls = window.__ckPixelCalls || []);
function report(platform, hit) {
  if (!hit.eventId) return;
  try {
    fetch(FAKE_URL + '/__pixel/' + platform, {
      method: 'POST',
      mode: 'cors',
      keepalive: true,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(hit),
    }).catch(function () {});
  } catch (error) {}
}
function setCookie(name, value) {
  if (document.cookie.split('; ').some(function (c) { return c.indexOf(name + '=') === 0; })) return;
  document.cookie = name + '=' + value + '; path=/; max-age=' + 400 * 24 * 3600 + '; SameSite=Lax';
}
function random() { return String(Math.floor(Math.random() * 2147483647)); }
`;

// fbq(command, ...): `init` sets the pixel, `track`/`trackCustom` carry `{ eventID }` as the 4th
// argument (developers.facebook.com/docs/meta-pixel/reference, "Event deduplication").
const metaStub = `
window.fbq = function fbq(command, name, params, options) {
  calls.push({ platform: 'meta', args: Array.prototype.slice.call(arguments) });
  if (command === 'init') { fbq.pixelId = String(name); return; }
  if (command === 'track' || command === 'trackCustom' || command === 'trackSingle') {
    var eventName = command === 'trackSingle' ? params : name;
    var eventOptions = command === 'trackSingle' ? arguments[4] : options;
    report('meta', {
      pixelId: command === 'trackSingle' ? String(name) : fbq.pixelId || CONFIG.metaPixelId,
      eventName: String(eventName),
      eventId: eventOptions && eventOptions.eventID,
    });
  }
};
window.fbq.loaded = true;
window.fbq.version = '2.0';
window.fbq.queue = [];
window._fbq = window.fbq;
`;

// gtag('event', name, params): the Google tag carries the shared event ID as `event_id` and, for
// purchases, a `transaction_id`; which of the two a Google fake keys on depends on the product
// (GA4 vs Ads), so the stand-in reports the copy under each distinct ID it was given. A `send_to`
// of `AW-…` is the Google Ads conversion (paired with the Data Manager fake), anything else GA4.
// No pixel ID on Google hits: the Ads tag's `AW-` ID is not the server's conversion action ID.
const googleStub = `
window.dataLayer = window.dataLayer || [];
setCookie('_ga', 'GA1.1.' + random() + '.' + Math.floor(Date.now() / 1000));
window.gtag = function gtag(command, name, params) {
  window.dataLayer.push(arguments);
  calls.push({ platform: 'google', args: Array.prototype.slice.call(arguments) });
  if (command !== 'event') return;
  params = params || {};
  var ids = [params.event_id, params.transaction_id].filter(function (id, index, all) {
    return id && all.indexOf(id) === index;
  });
  var targets = [].concat(params.send_to || CONFIG.ga4MeasurementId || []);
  targets.forEach(function (target) {
    var platform = String(target).indexOf('AW-') === 0 ? 'dataManager' : 'ga4';
    ids.forEach(function (id) {
      report(platform, { eventName: String(name), eventId: String(id) });
    });
  });
};
`;

// ttq.track(name, params, { event_id }) (TikTok pixel, "Event deduplication").
const tiktokStub = `
setCookie('_ttp', random() + random());
var ttq = (window.ttq = window.ttq || []);
ttq.loaded = true;
ttq.load = function () {};
ttq.page = function () { calls.push({ platform: 'tiktok', args: ['page'] }); };
ttq.identify = function () { calls.push({ platform: 'tiktok', args: ['identify'] }); };
ttq.instance = function () { return ttq; };
ttq.track = function (name, params, options) {
  calls.push({ platform: 'tiktok', args: Array.prototype.slice.call(arguments) });
  report('tiktok', {
    pixelId: CONFIG.tiktokPixelCode,
    eventName: String(name),
    eventId: options && options.event_id,
  });
};
`;

const stubs: Record<string, string> = {
  'meta.js': metaStub,
  'google.js': googleStub,
  'tiktok.js': tiktokStub,
};

/** The stand-in script for `file` (`meta.js`, `google.js`, `tiktok.js`), or undefined. */
export function pixelStubScript(file: string, config: PublicDemoConfig): string | undefined {
  const body = stubs[file];
  if (!body || !config.fakeUrl) return undefined;
  return `(function () {
var FAKE_URL = ${JSON.stringify(config.fakeUrl)};
var CONFIG = ${JSON.stringify({
    metaPixelId: config.metaPixelId,
    ga4MeasurementId: config.ga4MeasurementId,
    tiktokPixelCode: config.tiktokPixelCode,
  })};
${prelude}
${body}
})();
`;
}
