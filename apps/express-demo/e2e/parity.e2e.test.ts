import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { received, startHarness, waitFor, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

type PixelCall = [string, ...unknown[]];

describe('pixel ↔ server parity (Meta, Google, TikTok)', () => {
  it('one Purchase reaches each fake with the ID and the event name its pixel was called with', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    await page.click('#buy');
    await page.waitForURL(/\/thank-you\//);
    const renderedEventId = await page.textContent('#event-id');
    const orderId = await page.textContent('#order-id');
    const calls = (await (
      await page.waitForFunction(() => {
        const all = (globalThis as any).__pixelCalls as PixelCall[] | undefined;
        const purchase = all?.filter(
          (call) =>
            (call[0] === 'fbq' && call[2] === 'Purchase') ||
            (call[0] === 'ttq.track' && call[1] === 'CompletePayment') ||
            (call[0] === 'gtag' && call[1] === 'event' && call[2] === 'purchase'),
        );
        return purchase?.length === 3 ? purchase : undefined;
      })
    ).jsonValue()) as PixelCall[];

    const fbq = calls.find((call) => call[0] === 'fbq')!;
    const ttq = calls.find((call) => call[0] === 'ttq.track')!;
    const gtag = calls.find((call) => call[0] === 'gtag')!;
    const metaId = (fbq[4] as { eventID: string }).eventID;
    const tiktokId = (ttq[3] as { event_id: string }).event_id;
    const googleParams = gtag[3] as { event_id: string; transaction_id: string };

    // The page used the server-rendered ID everywhere; Google's dedup key is the order ID.
    expect([metaId, tiktokId, googleParams.event_id]).toEqual([
      renderedEventId,
      renderedEventId,
      renderedEventId,
    ]);
    expect(googleParams.transaction_id).toBe(orderId);

    const metaCopy = await waitFor(demo, 'Meta', () =>
      received(demo.fakes!.meta.events, fbq[2] as string, metaId),
    );
    const tiktokCopy = await waitFor(demo, 'TikTok', () =>
      received(demo.fakes!.tiktok.events, ttq[1] as string, tiktokId),
    );
    const googleCopy = await waitFor(demo, 'GA4', () =>
      received(demo.fakes!.ga4.events, gtag[2] as string, googleParams.transaction_id),
    );
    expect([metaCopy.eventName, tiktokCopy.eventName, googleCopy.eventName]).toEqual([
      'Purchase',
      'CompletePayment',
      'purchase',
    ]);
    await waitFor(demo, 'matched Meta and TikTok verdicts', () =>
      demo.fakes!.meta.dedupVerdict('Purchase', metaId) === 'matched' &&
      demo.fakes!.tiktok.dedupVerdict('CompletePayment', tiktokId) === 'matched'
        ? true
        : undefined,
    );
    await page.close();
  });
});
