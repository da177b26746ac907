import type { FakePlatform, ReceivedEvent } from '@capi-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

type PixelCall = [string, ...unknown[]];
type Params = Record<string, unknown>;

/** The page globals of the seven pixels, as the shims record them in `__pixelCalls`. */
const PIXEL_GLOBALS = ['fbq', 'gtag', 'ttq.track', 'snaptr', 'pintrk', 'rdt', 'lintrk'];

/** Reddit's v3 API spells the pixel's tracking types in UPPER_SNAKE: `PageVisit` → `PAGE_VISIT`. */
function redditV3Spelling(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The fake's server copy with this dedup ID (whatever its name, so a wrong name shows in a diff). */
function copyWithId(fake: FakePlatform, eventId: string): ReceivedEvent | undefined {
  return fake.events.find((event) => event.eventId === eventId);
}

describe('pixel ↔ server parity (all seven platforms)', () => {
  it('one Purchase reaches each fake with the ID and the event name its pixel was called with', async () => {
    const { demo, context } = harness;
    const fakes = demo.fakes!;
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.click('#buy');
    await page.waitForURL(/\/thank-you\//);
    const renderedEventId = (await page.textContent('#event-id'))!;
    const orderId = (await page.textContent('#order-id'))!;
    expect(renderedEventId).toMatch(/^[0-9a-f-]{36}$/);

    // Every pixel call that carries the server-rendered ID, once each pixel has made one.
    const calls = (await (
      await page.waitForFunction(
        ([eventId, globals]) => {
          const all = ((globalThis as any).__pixelCalls ?? []) as PixelCall[];
          const withId = all.filter((call) => JSON.stringify(call).includes(eventId));
          return globals.every((name) => withId.some((call) => call[0] === name))
            ? withId
            : undefined;
        },
        [renderedEventId, PIXEL_GLOBALS] as const,
      )
    ).jsonValue()) as PixelCall[];
    // One call per pixel: a second one would be a second conversion.
    expect(calls.map((call) => call[0]).sort()).toEqual([...PIXEL_GLOBALS].sort());
    const call = (name: string) => calls.find((candidate) => candidate[0] === name)!;
    const [, fbqMethod, fbqName, , fbqOptions] = call('fbq') as [
      string,
      string,
      string,
      Params,
      Params,
    ];
    const [, ttqName, , ttqOptions] = call('ttq.track') as [string, string, Params, Params];
    const [, gtagCommand, gtagName, gtagParams] = call('gtag') as [string, string, string, Params];
    const [, snapMethod, snapName, snapParams] = call('snaptr') as [string, string, string, Params];
    const [, pinMethod, pinName, pinParams] = call('pintrk') as [string, string, string, Params];
    const [, rdtMethod, rdtName, rdtParams] = call('rdt') as [string, string, string, Params];
    const [, linMethod, linParams] = call('lintrk') as [string, string, Params];
    expect([fbqMethod, gtagCommand, snapMethod, pinMethod, rdtMethod, linMethod]).toEqual([
      'track',
      'event',
      'track',
      'track',
      'track',
      'track',
    ]);

    // Each pixel got the server-rendered ID under its platform's dedup key.
    expect({
      meta: fbqOptions.eventID,
      tiktok: ttqOptions.event_id,
      google: gtagParams.event_id,
      snapchat: snapParams.client_dedup_id,
      pinterest: pinParams.event_id,
      reddit: rdtParams.conversionId,
      linkedin: linParams.event_id,
    }).toEqual({
      meta: renderedEventId,
      tiktok: renderedEventId,
      google: renderedEventId,
      snapchat: renderedEventId,
      pinterest: renderedEventId,
      reddit: renderedEventId,
      linkedin: renderedEventId,
    });
    // GA4 deduplicates purchases on the order ID.
    expect(gtagParams.transaction_id).toBe(orderId);

    // The platform event name each pixel was called with; LinkedIn names none and counts the
    // conversion rule the event maps to.
    const pixelNames = {
      meta: fbqName,
      tiktok: ttqName,
      google: gtagName,
      snapchat: snapName,
      pinterest: pinName,
      reddit: rdtName,
      linkedin: String(linParams.conversion_id),
    };
    expect(pixelNames).toEqual({
      meta: 'Purchase',
      tiktok: 'CompletePayment',
      google: 'purchase',
      snapchat: 'PURCHASE',
      pinterest: 'checkout',
      reddit: 'Purchase',
      linkedin: String(demo.ids.linkedinConversions.Purchase),
    });

    // Each fake received a server copy under the same dedup ID…
    const dedupIds = {
      meta: renderedEventId,
      tiktok: renderedEventId,
      google: orderId,
      snapchat: renderedEventId,
      pinterest: renderedEventId,
      reddit: renderedEventId,
      linkedin: renderedEventId,
    };
    const fakeOf = {
      meta: fakes.meta,
      tiktok: fakes.tiktok,
      google: fakes.ga4,
      snapchat: fakes.snapchat,
      pinterest: fakes.pinterest,
      reddit: fakes.reddit,
      linkedin: fakes.linkedin,
    };
    const platforms = Object.keys(fakeOf) as (keyof typeof fakeOf)[];
    const copies = await waitFor(demo, 'a server copy at every fake', () => {
      const found = platforms.map((platform) => copyWithId(fakeOf[platform], dedupIds[platform]));
      return found.every(Boolean) ? (found as ReceivedEvent[]) : undefined;
    });
    // …and under the name its pixel used (Reddit's v3 API spells the same tracking type in
    // UPPER_SNAKE; LinkedIn's is the conversion rule).
    expect(
      Object.fromEntries(copies.map((copy, index) => [platforms[index], copy.eventName])),
    ).toEqual({
      ...pixelNames,
      reddit: redditV3Spelling(pixelNames.reddit),
    });
    expect(copies.every((copy) => !copy.validationOnly && !copy.deduplicated)).toBe(true);
    // GA4's server copy also carries the pixel's event ID, for matching in exports.
    expect((copies[platforms.indexOf('google')]!.body as { params: Params }).params.event_id).toBe(
      renderedEventId,
    );

    // Every fake paired the pixel hit with the server copy: counted once.
    const verdicts = () =>
      Object.fromEntries(
        platforms.map((platform) => [
          platform,
          fakeOf[platform].dedupVerdict(pixelNames[platform], dedupIds[platform]),
        ]),
      );
    const allMatched = () => Object.values(verdicts()).every((verdict) => verdict === 'matched');
    await waitFor(demo, 'matched verdicts', () => (allMatched() ? true : undefined)).catch(
      () => undefined, // the assertion below shows which platform is not matched
    );
    expect(verdicts()).toEqual(Object.fromEntries(platforms.map((name) => [name, 'matched'])));
    await page.close();
  });
});
