/**
 * `createTracker()`: one call per conversion fires every pixel and beacons the event to the relay
 * with one shared event ID, which is what lets each platform deduplicate the pixel copy against
 * the server copy (DESIGN.md, "The path of one event"). Each pixel's outcome (`fired`, `blocked`,
 * `no_consent`) rides on the beacon so the server's ledger knows which copies were lost.
 *
 * Written for bytes (issue 4's size budget): arrays instead of Sets, one object literal per event,
 * absent fields left `undefined` (JSON drops them) instead of being deleted.
 */
import { generateEventId, type BeaconEvent, type Consent, type UserData } from '@capi-kit/core';
import { watchTcf, withoutPersonalData } from './consent';
import { firstPartyIds } from './identifiers';
import { useNormalizer } from './pixels/define-pixel';
import { createBeaconTransport, onHide } from './transport/beacon-transport';
import type { PixelAdapter, Tracker, TrackerOptions } from './types';

/**
 * Creates the tracker.
 *
 * @example
 * const tracker = createTracker({ endpoint: '/e', pixels: [metaPixel({ pixelId: '123' })] });
 * const eventId = tracker.track('Purchase', { value: 42, currency: 'EUR', orderId: 'A-1' }, { user: { email } });
 */
export function createTracker(options: TrackerOptions): Tracker {
  const pixels = options.pixels || [];
  useNormalizer(options.normalize);
  // Events whose pixel outcome waits for a loading pixel script. Its hide listener is added before
  // the transport's, so a page that goes away sends them in the same last beacon.
  const held: BeaconEvent[] = [];
  const release = (event: BeaconEvent) => {
    const index = held.indexOf(event);
    if (index >= 0) transport.send(held.splice(index, 1)[0]!);
  };
  const hide = () => held.slice().map(release);
  onHide(hide);
  const transport = options.transport || createBeaconTransport({ endpoint: options.endpoint });
  const ready: PixelAdapter[] = [];
  let consent: Consent = { ...options.consent };
  let user: UserData = { ...options.user };
  let ids: UserData | undefined;

  const denied = (key: keyof Consent) => consent[key] == 'denied';
  // Personal data reaches neither pixel nor beacon when the person refused sharing it for ads.
  const personal = (data: UserData) => (denied('adUserData') ? withoutPersonalData(data) : data);
  const identify = (data: UserData) => {
    if (!denied('adUserData')) for (const pixel of ready) pixel.identify(data);
  };

  const tracker: Tracker = {
    track(name, data, trackOptions = {}) {
      // A server-rendered ID (an order's) is used as is, so the server's own copy matches.
      const id = trackOptions.eventId || generateEventId();
      const noStorage = denied('adStorage');
      const outcomes: Record<string, unknown> = {};
      const waits: Promise<unknown>[] = [];
      // Pixels load and cookies are written only once consent allows it; once per page, so every
      // hit of the page shares one `_fbp` even if cookies cannot be written.
      if (!noStorage) {
        ids ||= firstPartyIds();
        for (const pixel of pixels)
          if (!ready.includes(pixel)) {
            ready.push(pixel);
            pixel.setup(personal(user));
            pixel.consent(consent);
          }
      }
      const known = personal({ ...user, ...trackOptions.user });
      if (trackOptions.user) identify(known);
      const eventUser = { ...known, ...(!noStorage && ids) };
      for (const pixel of pixels) {
        const platform = pixel.platform;
        const outcome = noStorage ? 'no_consent' : pixel.track({ id, name, data: data || {} });
        // Until the script settles a call counts as fired (it is queued); if the page goes away
        // first, that is what the beacon says. An `undefined` outcome is left out of the JSON.
        outcomes[platform] =
          typeof outcome == 'object'
            ? (waits.push(outcome.then((settled) => (outcomes[platform] = settled))), 'fired')
            : outcome;
      }
      const event = {
        id,
        name,
        time: Date.now(),
        page: { url: location.href, referrer: document.referrer || undefined },
        user: Object.keys(eventUser).length ? eventUser : undefined,
        data,
        consent: Object.keys(consent).length ? consent : undefined,
        pixels: pixels.length ? outcomes : undefined,
        signature: trackOptions.signature,
      } as BeaconEvent;
      if (waits.length) {
        held.push(event);
        // A script that neither loads nor fails within 3 s does not hold the event any longer.
        Promise.all(waits).then(() => release(event));
        setTimeout(release, 3000, event);
      } else transport.send(event);
      return id;
    },
    page: (data, trackOptions) => tracker.track('PageView', data, trackOptions),
    identify(update) {
      identify((user = { ...user, ...update }));
    },
    consent(update) {
      consent = { ...consent, ...update };
      for (const pixel of ready) pixel.consent(update);
    },
    flush() {
      // "Now" includes events still waiting for a pixel script.
      hide();
      return transport.flush();
    },
  };

  // A CMP's IAB TCF decision applies to pixels and beacons alike (default on: consent must not
  // depend on remembering an opt-in).
  watchTcf(tracker.consent);

  if (options.autoPageViews) {
    // One PageView per real route change: hash changes and same-URL replaceState do not count.
    const path = () => location.pathname + location.search;
    let last = path();
    const changed = () => last != (last = path()) && tracker.page();
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
        original.apply(this, args);
        changed();
      };
    }
    addEventListener('popstate', changed);
  }

  return tracker;
}
