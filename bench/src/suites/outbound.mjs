/**
 * Suite 5, outbound efficiency: how many HTTP requests reach the platforms per 1 000 events. A
 * relay with the Meta and GA4 destinations, both pointed at `@capi-kit/testing` fakes (which
 * validate like the real APIs, so a request only counts if the platform would take it), receives
 * 1 000 events in 100 beacons of 10 from 10 browsers (10 `_ga` client IDs: GA4 takes one client
 * per request, so 10 clients × 100 events at 25 per request is 40 requests at best); then
 * `relay.close()` delivers everything. Deterministic, so one run. Goals: Meta 1, GA4 40.
 */
import { randomUUID } from 'node:crypto';
import { beaconBody } from '../lib/fixtures.mjs';
import { BEACON_HEADERS, createBenchRelay } from '../lib/relay-setup.mjs';
import {
  failedRow,
  importLanded,
  makeRow,
  NotYetAvailable,
  unavailableRow,
} from '../lib/report.mjs';

const SUITE = '5 outbound requests';
const EVENTS = 1000;
const PER_BEACON = 10;
const CLIENTS = 10;

/**
 * Posts the 1 000 events as browsers would, then closes the relay (which delivers everything).
 * @param {any} relay
 */
async function postAndClose(relay) {
  const now = Date.now();
  for (let beacon = 0; beacon < EVENTS / PER_BEACON; beacon += 1) {
    const client = beacon % CLIENTS;
    const ids = Array.from({ length: PER_BEACON }, () => randomUUID());
    const response = await relay.handle(
      new Request('https://shop.example.com/e', {
        method: 'POST',
        headers: {
          ...BEACON_HEADERS,
          cookie: `${BEACON_HEADERS.cookie}; _ga=GA1.1.${1000000 + client}.${Math.floor(now / 1000)}`,
        },
        body: beaconBody(ids, now),
      }),
      { remoteAddress: `203.0.113.${10 + client}` },
    );
    if (response.status < 200 || response.status >= 300) {
      throw new Error(
        `relay answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    }
  }
  await relay.close();
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  const { startFakePlatforms } = await importLanded('@capi-kit/testing', ['startFakePlatforms']);
  const fake = await startFakePlatforms();
  try {
    /** @type {unknown[]} */
    const extraDestinations = [];
    /** @type {string | undefined} */
    let ga4Unavailable;
    try {
      const { googleAnalytics } = await importLanded('@capi-kit/server/google', [
        'googleAnalytics',
      ]);
      extraDestinations.push(
        googleAnalytics({
          measurementId: 'G-BENCH12345',
          apiSecret: 'bench-secret',
          baseURL: fake.url,
        }),
      );
    } catch (error) {
      if (!(error instanceof NotYetAvailable)) throw error;
      ga4Unavailable = error.message;
    }
    try {
      const relay = await createBenchRelay({ metaBaseURL: fake.url, extraDestinations });
      await postAndClose(relay);
    } catch (error) {
      if (error instanceof NotYetAvailable) throw error;
      return [
        failedRow(SUITE, 'Meta requests per 1 000 events', error, { goal: '1', unit: 'requests' }),
        ga4Unavailable
          ? unavailableRow(SUITE, 'GA4 requests per 1 000 events', ga4Unavailable, {
              goal: '40',
              unit: 'requests',
            })
          : failedRow(SUITE, 'GA4 requests per 1 000 events', error, {
              goal: '40',
              unit: 'requests',
            }),
      ];
    }

    const metaRequests = fake.meta.requests.length;
    const metaAccepted = fake.meta.events.length;
    context.log(`Meta fake: ${metaRequests} requests, ${metaAccepted} events accepted`);
    const rows = [
      makeRow({
        suite: SUITE,
        metric: 'Meta requests per 1 000 events',
        ours: (metaRequests * 1000) / EVENTS,
        unit: 'requests',
        goal: '1',
        pass: metaRequests <= 1 && metaAccepted === EVENTS,
        note:
          metaAccepted === EVENTS
            ? undefined
            : `the fake accepted ${metaAccepted} of ${EVENTS} events`,
      }),
    ];
    if (ga4Unavailable) {
      rows.push(
        unavailableRow(SUITE, 'GA4 requests per 1 000 events', ga4Unavailable, {
          goal: '40',
          unit: 'requests',
        }),
      );
    } else {
      const ga4Requests = fake.ga4.requests.length;
      const ga4Accepted = fake.ga4.events.length;
      context.log(`GA4 fake: ${ga4Requests} requests, ${ga4Accepted} events accepted`);
      rows.push(
        makeRow({
          suite: SUITE,
          metric: 'GA4 requests per 1 000 events',
          ours: (ga4Requests * 1000) / EVENTS,
          unit: 'requests',
          goal: '40',
          pass: ga4Requests <= 40 && ga4Accepted === EVENTS,
          note:
            ga4Accepted === EVENTS
              ? undefined
              : `the fake accepted ${ga4Accepted} of ${EVENTS} events`,
        }),
      );
    }
    return rows;
  } finally {
    await fake.close();
  }
}
