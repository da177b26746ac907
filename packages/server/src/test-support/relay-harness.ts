/**
 * Test helpers for relay tests: a Meta fake over real HTTP, a relay wired to it with a manual
 * clock, and beacon requests as a browser would send them.
 */
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { meta, type MetaSettings } from '../destinations/meta/index';
import { createRelay } from '../relay/create-relay';
import type { Logger } from '../relay/logger';
import type { Relay, RelayOptions } from '../relay/relay-types';
import { TEST_ACCESS_TOKEN, TEST_PIXEL_ID, TEST_USER_AGENT } from './pii';

export const SHOP_ORIGIN = 'https://shop.example.com';
export const COLLECT_URL = 'https://shop.example.com/e';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public current: number = Date.now()) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A logger that keeps lines for assertions and also writes them to console (for the log-capture check). */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  private write(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) {
    this.lines.push(fields ? { level, message, fields } : { level, message });
    console[level === 'debug' ? 'info' : level](`[capi-kit] ${message}`, fields ?? '');
  }
  debug = (message: string, fields?: Record<string, unknown>) =>
    this.write('debug', message, fields);
  info = (message: string, fields?: Record<string, unknown>) => this.write('info', message, fields);
  warn = (message: string, fields?: Record<string, unknown>) => this.write('warn', message, fields);
  error = (message: string, fields?: Record<string, unknown>) =>
    this.write('error', message, fields);
}

export interface Harness {
  fake: FakePlatforms;
  clock: ManualClock;
  logger: RecordingLogger;
  relay: Relay;
  makeRelay(options?: Partial<RelayOptions>, metaSettings?: MetaSettings): Relay;
  close(): Promise<void>;
}

/** Starts the Meta fake (sharing the clock) and builds relays against it. */
export async function startHarness(): Promise<Harness> {
  const clock = new ManualClock();
  const fake = await startFakePlatforms({ clock: clock.now });
  const logger = new RecordingLogger();
  const relays: Relay[] = [];
  const makeRelay = (options: Partial<RelayOptions> = {}, metaSettings: MetaSettings = {}) => {
    const relay = createRelay({
      destinations: [
        meta({
          pixelId: TEST_PIXEL_ID,
          accessToken: TEST_ACCESS_TOKEN,
          baseURL: fake.url,
          ...metaSettings,
        }),
      ],
      allowedOrigins: [SHOP_ORIGIN],
      autoDeliver: false,
      now: clock.now,
      logger,
      rateLimit: false,
      ...options,
    });
    relays.push(relay);
    return relay;
  };
  const harness: Harness = {
    fake,
    clock,
    logger,
    relay: makeRelay(),
    makeRelay,
    async close() {
      await Promise.allSettled(relays.map((relay) => relay.close()));
      await fake.close();
    },
  };
  return harness;
}

let counter = 0;

/** A valid beacon event (a web Purchase with personal data). */
export function beaconEvent(overrides: Record<string, unknown> = {}, now = Date.now()) {
  counter++;
  return {
    id: `evt-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Purchase',
    time: now - 1000,
    page: { url: 'https://shop.example.com/thanks' },
    user: { email: 'John_Smith@gmail.com', phone: '(650) 555-1212', country: 'US' },
    data: { value: 42, currency: 'EUR', orderId: `A-${counter}` },
    ...overrides,
  };
}

/** A beacon request as the browser SDK sends it (sendBeacon: text/plain). */
export function beaconRequest(
  body: unknown,
  init: { origin?: string | null; headers?: Record<string, string>; url?: string } = {},
): Request {
  const headers: Record<string, string> = {
    'content-type': 'text/plain;charset=UTF-8',
    'user-agent': TEST_USER_AGENT,
    ...init.headers,
  };
  if (init.origin !== null) headers.origin = init.origin ?? SHOP_ORIGIN;
  return new Request(init.url ?? COLLECT_URL, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
