/**
 * Test data shared by the server-side suites: canonical events with the seven hashed fields the
 * issue names, and the ~1 KB collect beacon. Values vary per event (no cache can help anyone);
 * they are made up (example.com, documentation IP ranges), never real personal data.
 */
import { randomUUID } from 'node:crypto';

export const PIXEL_ID = '1234567890';
export const ACCESS_TOKEN = 'bench-token-not-secret';
export const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const PAGE_URL = 'https://shop.example.com/checkout/thank-you?order=A-1';

const FIRST_NAMES = ['Mary', 'Valéry', 'John', 'Ana', 'Jörg', 'Li', 'Zoë', 'Omar'];
const LAST_NAMES = ["O'Brien-Smith", 'Müller', 'Nguyen', 'García', 'Okafor', 'Rossi'];
const CITIES = ['Menlo Park', 'München', 'São Paulo', 'Lyon', 'Austin', 'Kyoto'];

/**
 * One canonical event (`ConversionEvent` of `@capi-kit/core`) as the relay holds it after the
 * enrich step: IP and user agent from the request, phone already E.164, `_fbc`/`_fbp` cookies.
 * @param {number} index
 * @param {number} [now]
 */
export function canonicalEvent(index, now = Date.now()) {
  return {
    id: randomUUID(),
    name: 'Purchase',
    time: now - (index % 600) * 1000,
    source: 'web',
    page: { url: PAGE_URL },
    user: {
      email: ` Customer.${index}@Example.com `,
      phone: `+1650555${String(1000 + (index % 9000)).padStart(4, '0')}`,
      firstName: FIRST_NAMES[index % FIRST_NAMES.length],
      lastName: LAST_NAMES[index % LAST_NAMES.length],
      city: CITIES[index % CITIES.length],
      zip: String(10000 + (index % 89999)),
      country: 'US',
      ip: `203.0.113.${index % 250}`,
      userAgent: USER_AGENT,
      fbc: `fb.1.1554763741205.IwAR${index}AbCdEfGhIjKlMnOpQrStUvWxYz`,
      fbp: `fb.1.1558571054389.${1098115397 + index}`,
    },
    data: { value: 42.5 + (index % 100), currency: 'EUR' },
  };
}

/**
 * `count` canonical events.
 * @param {number} count
 */
export function canonicalEvents(count) {
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => canonicalEvent(index, now));
}

/**
 * One beacon event: a Purchase with personal data, cart contents, consent and pixel outcomes.
 * @param {string} eventId
 * @param {number} now
 */
function beaconEvent(eventId, now) {
  return {
    id: eventId,
    name: 'Purchase',
    time: now,
    page: {
      url: 'https://shop.example.com/checkout/thank-you?order=A-10023&utm_source=newsletter&utm_medium=email&utm_campaign=autumn-sale',
      referrer: 'https://shop.example.com/checkout/payment?step=3',
      title: 'Thank you for your order – Example Shop',
    },
    user: {
      email: 'customer.10023@example.com',
      phone: '+16505551212',
      firstName: 'Mary',
      lastName: "O'Brien-Smith",
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      country: 'US',
      externalId: 'cust-10023',
    },
    data: {
      value: 154.9,
      currency: 'EUR',
      orderId: 'A-10023',
      contents: [
        { id: 'SKU-1001', quantity: 1, price: 79.9, name: 'Trail running shoe', category: 'Shoes' },
        { id: 'SKU-2002', quantity: 2, price: 25, name: 'Merino socks', category: 'Socks' },
        { id: 'SKU-3003', quantity: 1, price: 25, name: 'Running cap', category: 'Accessories' },
      ],
    },
    consent: { adStorage: 'granted', adUserData: 'granted', adPersonalization: 'granted' },
    pixels: { meta: 'fired' },
  };
}

/**
 * A collect beacon (`{ v: 1, events: [...] }`, the core wire format). With one event it is about
 * 1 KB, the size the collect suite asks for.
 * @param {string | string[]} eventIds
 * @param {number} [now]
 * @returns {string}
 */
export function beaconBody(eventIds, now = Date.now()) {
  const ids = Array.isArray(eventIds) ? eventIds : [eventIds];
  return JSON.stringify({ v: 1, sentAt: now, events: ids.map((id) => beaconEvent(id, now)) });
}
