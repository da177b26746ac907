/**
 * Shared set-up of the end-to-end tests: the demo shop (real Express, real relay, SQLite queue)
 * against the fake platforms, and real Chromium from `@capi-kit/testing/chromium`. The browser may
 * only reach loopback: every other host is aborted, as a closed network or an ad blocker would.
 */
import type { ReceivedEvent } from '@capi-kit/testing';
import { launchChromium } from '@capi-kit/testing/chromium';
import type { Browser, BrowserContext } from 'playwright-core';
import { startExpressDemo, type ExpressDemo, type ExpressDemoOptions } from '../src/server.js';

export interface Harness {
  demo: ExpressDemo;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Hosts of the official pixel scripts, the ones an ad blocker blocks. */
export const PIXEL_HOSTS = [
  'connect.facebook.net',
  'www.googletagmanager.com',
  'analytics.tiktok.com',
  'sc-static.net',
  's.pinimg.com',
  'www.redditstatic.com',
  'snap.licdn.com',
];

export async function startHarness(options: ExpressDemoOptions = {}): Promise<Harness> {
  // No real credentials, whatever the shell has: every platform goes to the fakes.
  const demo = await startExpressDemo({ env: {}, ...options });
  const browser = await launchChromium();
  // Headless Chromium announces itself as `HeadlessChrome`, which the relay's bot filter (rightly)
  // drops; a person's Chrome sends the plain product name.
  const context = await browser.newContext({
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
  });
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort('blockedbyclient'),
  );
  return {
    demo,
    browser,
    context,
    async close() {
      await browser.close();
      await demo.close();
    },
  };
}

/**
 * Waits until `read()` returns a value that is not undefined, delivering the relay's queue each
 * round (the relay batches for a moment before sending). Fails with `what` after `timeoutMs`.
 */
export async function waitFor<T>(
  demo: ExpressDemo,
  what: string,
  read: () => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await demo.relay.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first accepted server copy of an event at a fake, by name and optionally ID. */
export function received(
  events: ReceivedEvent[],
  eventName: string,
  eventId?: string,
): ReceivedEvent | undefined {
  return events.find(
    (event) =>
      event.eventName === eventName && (eventId === undefined || event.eventId === eventId),
  );
}
