import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { received, startHarness, waitFor, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('the <script> install in Chromium', () => {
  it('gives the fbq call and the Meta server copy the same event ID (a matched dedup pair)', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.waitForFunction(() =>
      (globalThis as any).__pixelCalls?.some(
        (call: unknown[]) => call[0] === 'fbq' && call[2] === 'ViewContent',
      ),
    );
    await page.click('#add-to-cart');

    const fbqCall = await page.waitForFunction(() =>
      (globalThis as any).__pixelCalls.find(
        (call: unknown[]) => call[0] === 'fbq' && call[2] === 'AddToCart',
      ),
    );
    const [, method, name, , options] = (await fbqCall.jsonValue()) as [
      string,
      string,
      string,
      unknown,
      { eventID: string },
    ];
    expect([method, name]).toEqual(['track', 'AddToCart']);

    const serverCopy = await waitFor(demo, 'the Meta server copy', () =>
      received(demo.fakes!.meta.events, 'AddToCart', options.eventID),
    );
    expect(serverCopy.eventId).toBe(options.eventID);
    await waitFor(demo, 'a matched verdict', () =>
      demo.fakes!.meta.dedupVerdict('AddToCart', options.eventID) === 'matched' ? true : undefined,
    );
    await page.close();
  });

  it('turns fbclid on the landing URL into an fbc at the fake and an _fbc cookie', async () => {
    const { demo, context } = harness;
    const fbclid = 'IwAR2xYz_Ab-Cd9EfGhIjKlMnOpQrSt';
    const page = await context.newPage();
    await page.goto(`${demo.url}/?fbclid=${fbclid}`);
    const viewContent = await page.waitForFunction(() =>
      (globalThis as any).__pixelCalls?.find(
        (call: unknown[]) => call[0] === 'fbq' && call[2] === 'ViewContent',
      ),
    );
    const eventId = (
      (await viewContent.jsonValue()) as [string, string, string, unknown, { eventID: string }]
    )[4].eventID;

    const serverCopy = await waitFor(demo, 'the server copy', () =>
      received(demo.fakes!.meta.events, 'ViewContent', eventId),
    );
    const fbc = (serverCopy.body as { user_data: { fbc?: string } }).user_data.fbc;
    // 127.0.0.1 takes a host-only cookie: subdomain index 0 (platforms.md §2.8).
    expect(fbc).toMatch(new RegExp(`^fb\\.0\\.\\d{13}\\.${fbclid}$`));
    const fbcCookie = async () =>
      (await context.cookies(demo.url)).find((cookie) => cookie.name === '_fbc')?.value;
    expect(await fbcCookie()).toBe(fbc);

    // Neither a later page nor a reload of the same click rewrites it (browser or server).
    await page.goto(`${demo.url}/about`);
    await page.goto(`${demo.url}/?fbclid=${fbclid}`);
    await page.waitForFunction(() => (globalThis as any).__pixelCalls?.length > 0);
    await page.evaluate(() => (globalThis as any).capiKit('flush'));
    expect(await fbcCookie()).toBe(fbc);
    await page.close();
  });

  it('keeps the landing page’s click ID for a purchase on a later page (relay-set HttpOnly cookie)', async () => {
    const { demo, context } = harness;
    const ttclid = 'E.C.P.landing-9xYz';
    const page = await context.newPage();
    await page.goto(`${demo.url}/?ttclid=${ttclid}`);
    await page.waitForFunction(() => (globalThis as any).__pixelCalls?.length > 0);
    await page.evaluate(() => (globalThis as any).capiKit('flush'));
    // The relay answered the landing beacon with the cookie; page script cannot read it.
    const kept = (await context.cookies(demo.url)).find((cookie) => cookie.name === '_ck_clicks');
    expect(kept).toMatchObject({ value: `ttclid=${ttclid}`, httpOnly: true });
    expect(await page.evaluate(() => (globalThis as any).document.cookie)).not.toContain(
      '_ck_clicks',
    );

    // A later visit to the product page, without the click ID in its URL.
    await page.goto(`${demo.url}/`);
    await page.click('#buy');
    await page.waitForURL(/\/thank-you\//);
    expect(page.url()).not.toContain('ttclid');
    const eventId = (await page.textContent('#event-id'))!;
    const purchase = await waitFor(demo, 'the TikTok server copy', () =>
      received(demo.fakes!.tiktok.events, 'CompletePayment', eventId),
    );
    expect((purchase.body as { user: { ttclid?: string } }).user.ttclid).toBe(ttclid);
    await page.close();
  });

  it('still delivers an event tracked right before navigating away', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.waitForFunction(
      () => typeof (globalThis as any).capiKit === 'function' && !(globalThis as any).capiKit.q,
    );
    const eventId = await page.evaluate(() => {
      const id = (globalThis as any).capiKit('track', 'InitiateCheckout', {
        value: 18,
        currency: 'EUR',
      });
      (globalThis as any).location.href = '/about';
      return id as string;
    });
    await page.waitForURL(`${demo.url}/about`);

    const serverCopy = await waitFor(demo, 'the server copy', () =>
      received(demo.fakes!.meta.events, 'InitiateCheckout', eventId),
    );
    expect(serverCopy.eventId).toBe(eventId);
    await page.close();
  });

  it('delivers an event tracked offline exactly once after the browser is back online', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.waitForFunction(
      () => typeof (globalThis as any).capiKit === 'function' && !(globalThis as any).capiKit.q,
    );

    await context.setOffline(true);
    const eventId = await page.evaluate(async () => {
      const id = (globalThis as any).capiKit('track', 'Lead');
      await (globalThis as any).capiKit('flush');
      return id as string;
    });
    expect(
      await page.evaluate(() => (globalThis as any).localStorage.getItem('capiKit:outbox')),
    ).toContain(eventId);
    await context.setOffline(false);

    await waitFor(demo, 'the server copy', () =>
      received(demo.fakes!.meta.events, 'Lead', eventId),
    );
    // A later page finds the outbox empty and sends nothing twice.
    await page.goto(`${demo.url}/about`);
    await page.waitForFunction(
      () => typeof (globalThis as any).capiKit === 'function' && !(globalThis as any).capiKit.q,
    );
    await page.evaluate(() => (globalThis as any).capiKit('flush'));
    await demo.relay.flush();

    const beaconsWithEvent = demo.beacons.filter((beacon) => beacon.eventIds.includes(eventId));
    expect(beaconsWithEvent).toHaveLength(1);
    expect(demo.fakes!.meta.events.filter((event) => event.eventId === eventId)).toHaveLength(1);
    await page.close();
  });

  it('fires no pixel when the person denies ad storage, and the server skips the platforms', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/about`);
    await page.waitForFunction(
      () => typeof (globalThis as any).capiKit === 'function' && !(globalThis as any).capiKit.q,
    );
    const eventId = await page.evaluate(() => {
      const capiKit = (globalThis as any).capiKit;
      capiKit('consent', { adStorage: 'denied', adUserData: 'denied' });
      return capiKit('track', 'Contact', undefined, {
        user: { email: 'ada@example.com' },
      }) as string;
    });

    const calls = (await page.evaluate(() => (globalThis as any).__pixelCalls)) as unknown[][];
    expect(calls.some((call) => JSON.stringify(call).includes(eventId))).toBe(false);
    const entry = await waitFor(demo, 'the ledger entry', () => {
      const found = demo.relay.ledger.get(eventId);
      return found?.deliveries.meta?.state === 'skipped' ? found : undefined;
    });
    expect(entry.pixels).toEqual({
      meta: 'no_consent',
      google: 'no_consent',
      tiktok: 'no_consent',
      snapchat: 'no_consent',
      pinterest: 'no_consent',
      reddit: 'no_consent',
      linkedin: 'no_consent',
    });
    expect(received(demo.fakes!.meta.events, 'Contact', eventId)).toBeUndefined();
    await page.close();
  });
});
