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

describe('the npm install in a single-page app', () => {
  it('sends one PageView per route change, each with the ID its pixel call carried', async () => {
    const { demo, context } = harness;
    const page = await context.newPage();
    await page.goto(`${demo.url}/spa`);
    await page.waitForFunction(() => (globalThis as any).tracker);
    await page.click('#next');
    await page.waitForURL(`${demo.url}/spa/step-2`);

    const calls = (await page.evaluate(() => (globalThis as any).__pixelCalls)) as PixelCall[];
    const pageViews = calls.filter((call) => call[0] === 'fbq' && call[2] === 'PageView');
    expect(pageViews).toHaveLength(2);
    const ids = pageViews.map((call) => (call[4] as { eventID: string }).eventID);
    expect(new Set(ids).size).toBe(2);

    const copies = await waitFor(demo, 'both Meta server copies', () => {
      const found = ids.map((id) => received(demo.fakes!.meta.events, 'PageView', id));
      return found.every(Boolean) ? found : undefined;
    });
    expect(
      copies.map((copy) => (copy!.body as { event_source_url?: string }).event_source_url),
    ).toEqual([`${demo.url}/spa`, `${demo.url}/spa/step-2`]);
    await page.close();
  });
});
