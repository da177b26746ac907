import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIXEL_HOSTS, received, startHarness, waitFor, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  // This shop loads the official pixel scripts (`load: true`), as a production site would.
  harness = await startHarness({ pixels: 'load' });
});
afterAll(async () => {
  await harness?.close();
});

describe('the <script> install behind an ad blocker', () => {
  it('delivers the server copy when every pixel host is blocked, and the ledger says so', async () => {
    const { demo, context } = harness;
    const blocked = new Set<string>();
    const page = await context.newPage();
    await page.route(
      (url) => PIXEL_HOSTS.includes(url.hostname),
      (route) => {
        blocked.add(new URL(route.request().url()).hostname);
        return route.abort('blockedbyclient');
      },
    );
    // `load` waits for the pixel scripts, which have failed by then.
    await page.goto(`${demo.url}/`, { waitUntil: 'load' });
    const eventId = await page.evaluate(() =>
      (globalThis as any).capiKit('track', 'AddToWishlist', { value: 18, currency: 'EUR' }),
    );

    expect([...blocked].sort()).toEqual([...PIXEL_HOSTS].sort());
    const serverCopy = await waitFor(demo, 'the Meta server copy', () =>
      received(demo.fakes!.meta.events, 'AddToWishlist', eventId),
    );
    expect(serverCopy.eventId).toBe(eventId);
    await waitFor(demo, 'the TikTok server copy', () =>
      received(demo.fakes!.tiktok.events, 'AddToWishlist', eventId),
    );
    await waitFor(demo, 'the Snapchat, Pinterest and Reddit server copies', () => {
      const { snapchat, pinterest, reddit } = demo.fakes!;
      return [
        received(snapchat.events, 'ADD_TO_WISHLIST', eventId),
        received(pinterest.events, 'add_to_wishlist', eventId),
        received(reddit.events, 'ADD_TO_WISHLIST', eventId),
      ].every(Boolean)
        ? true
        : undefined;
    });
    expect(demo.relay.ledger.get(eventId)?.pixels).toEqual({
      meta: 'blocked',
      google: 'blocked',
      tiktok: 'blocked',
      snapchat: 'blocked',
      pinterest: 'blocked',
      reddit: 'blocked',
      // No LinkedIn outcome: it has no conversion rule for AddToWishlist, so the event is not
      // LinkedIn's, whether its script loaded, failed or is still loading.
    });
    expect(demo.fakes!.meta.dedupVerdict('AddToWishlist', eventId)).toBe('server_only');
    await page.close();
  });

  it('reports pixels blocked for events tracked while their scripts were still loading', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.route(
      (url) => PIXEL_HOSTS.includes(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    const seen = new Set(demo.relay.ledger.list().map((entry) => entry.eventId));
    // ViewContent is tracked by the page's stub right away, before the pixel scripts fail.
    await page.goto(`${demo.url}/`, { waitUntil: 'commit' });
    const entry = await waitFor(demo, 'the ViewContent ledger entry', () =>
      demo.relay.ledger
        .list()
        .find((candidate) => candidate.eventName === 'ViewContent' && !seen.has(candidate.eventId)),
    );
    // No LinkedIn outcome: ViewContent has no conversion rule (see above).
    expect(entry.pixels).toEqual({
      meta: 'blocked',
      google: 'blocked',
      tiktok: 'blocked',
      snapchat: 'blocked',
      pinterest: 'blocked',
      reddit: 'blocked',
    });
    await page.close();
  });
});
