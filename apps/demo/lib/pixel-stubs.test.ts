import { runInNewContext } from 'node:vm';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pixelStubScript } from './pixel-stubs';
import { DEMO_PIXEL_IDS, type PublicDemoConfig } from './public-config';

let fake: FakePlatforms;
let config: PublicDemoConfig;

beforeAll(async () => {
  fake = await startFakePlatforms();
  config = { mode: 'fake', fakeUrl: fake.url, ...DEMO_PIXEL_IDS };
});

afterAll(() => fake.close());

beforeEach(() => fake.reset());

/**
 * Runs one stand-in script in a fresh global (as a page would) whose `fetch` is Node's real one,
 * so the pixel copies really reach the fake; `settle()` waits for them.
 */
function loadStub(file: string) {
  const script = pixelStubScript(file, config);
  if (!script) throw new Error(`no stub for ${file}`);
  const pending: Promise<unknown>[] = [];
  const page: Record<string, unknown> = {
    document: { cookie: '' },
    fetch: (url: string, init: RequestInit) => {
      const request = fetch(url, init);
      pending.push(request);
      return request;
    },
  };
  page.window = page;
  runInNewContext(script, page);
  return {
    page: page as Record<string, (...args: unknown[]) => unknown> & {
      document: { cookie: string };
    },
    settle: () => Promise.all(pending),
  };
}

describe('pixelStubScript', () => {
  it('reports the fbq call with its eventID as the Meta pixel copy', async () => {
    const { page, settle } = loadStub('meta.js');
    page.fbq!('track', 'Purchase', { value: 18, currency: 'EUR' }, { eventID: 'evt-meta-1' });
    await settle();
    expect(fake.meta.dedupVerdict('Purchase', 'evt-meta-1', DEMO_PIXEL_IDS.metaPixelId)).toBe(
      'pixel_only',
    );
  });

  it('reports the ttq call with its event_id as the TikTok pixel copy', async () => {
    const { page, settle } = loadStub('tiktok.js');
    const ttq = page.ttq as unknown as { track: (...args: unknown[]) => void };
    ttq.track('CompletePayment', { value: 18 }, { event_id: 'evt-tt-1' });
    await settle();
    expect(fake.tiktok.dedupVerdict('CompletePayment', 'evt-tt-1')).toBe('pixel_only');
  });

  it('reports a gtag purchase to GA4 and its AW- conversion to Google Ads, under each ID given', async () => {
    const { page, settle } = loadStub('google.js');
    page.gtag!('event', 'purchase', {
      send_to: DEMO_PIXEL_IDS.ga4MeasurementId,
      event_id: 'evt-g-1',
      transaction_id: 'A-1',
    });
    page.gtag!('event', 'conversion', {
      send_to: DEMO_PIXEL_IDS.googleAdsSendTo,
      transaction_id: 'A-1',
    });
    await settle();
    expect(fake.ga4.dedupVerdict('purchase', 'evt-g-1')).toBe('pixel_only');
    expect(fake.ga4.dedupVerdict('purchase', 'A-1')).toBe('pixel_only');
    expect(fake.dataManager.dedupVerdict('conversion', 'A-1')).toBe('pixel_only');
    // The real Google tag sets `_ga`, which the server copy needs for GA4's client_id.
    expect(page.document.cookie).toMatch(/^_ga=GA1\.1\.\d+\.\d+;/);
  });

  it('reports nothing for calls without an event ID', async () => {
    const { page, settle } = loadStub('meta.js');
    page.fbq!('init', DEMO_PIXEL_IDS.metaPixelId);
    page.fbq!('track', 'PageView');
    await settle();
    expect(fake.meta.dedupStats()).toEqual({
      matched: 0,
      serverOnly: 0,
      pixelOnly: 0,
      duplicates: 0,
    });
  });

  it('serves no script for an unknown file or outside fake mode', () => {
    expect(pixelStubScript('snapchat.js', config)).toBeUndefined();
    expect(pixelStubScript('meta.js', { mode: 'real', metaPixelId: '1' })).toBeUndefined();
  });
});
