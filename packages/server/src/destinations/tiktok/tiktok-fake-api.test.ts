/**
 * The TikTok destination against the `@capi-kit/testing` fake over real HTTP on loopback: the fake
 * validates like TikTok (HTTP 200 + body codes, seconds, hashed fields, trailing slash), so these
 * tests catch what the exact-body tests alone cannot — that TikTok would accept our bodies.
 */
import { DestinationCallError } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, sendError } from '../__fixtures__/destination-test-kit';
import { useFakePlatforms } from '../__fixtures__/fake-platforms-test-kit';
import { tiktok } from './tiktok-destination';

const platforms = useFakePlatforms();
const signal = new AbortController().signal;

function destination() {
  return tiktok({ pixelCode: 'C1234567890', accessToken: 'tt-token', baseURL: platforms.fake.url });
}

const prepare = prepareReady;

describe('tiktok against the fake TikTok Events API', () => {
  it('gets the canonical event accepted under the pixel’s event name and ID', async () => {
    const target = destination();
    const result = await target.doSend([await prepare(target)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.tiktok.requests[0]!.response).toMatchObject({
      status: 200,
      body: { code: 0 },
    });
    expect(
      platforms.fake.tiktok.events.map((event) => [event.pixelId, event.eventName, event.eventId]),
    ).toEqual([['C1234567890', 'CompletePayment', 'evt_01JGZ5M8Q4']]);
    expect(platforms.fake.tiktok.events[0]!.eventTime).toBe(canonicalEvent().time);
  });

  it('is throttled by a 200 + 40100 answer with a retryable error', async () => {
    platforms.fake.tiktok.respondWith({ kind: 'error', error: 'tiktok_throttled' });
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isRetryable).toBe(true);
    expect(platforms.fake.tiktok.events).toHaveLength(0);
  });

  it('is told which event is invalid by a 200 + 40002 and rejects just that one', async () => {
    const target = destination();
    const good = await prepare(target);
    const bad = await prepare(target, canonicalEvent({ id: 'evt_bad' }));
    // A millisecond event_time: the unit bug TikTok answers with 40002.
    bad.payload.event_time = canonicalEvent().time;
    const result = await target.doSend([good, bad], { signal });
    expect(result.outcomes[0]).toMatchObject({ status: 'retry' });
    expect(result.outcomes[1]).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('Batch.1.event_time'),
      code: 40002,
    });
  });

  it('treats a revoked token as a configuration error', async () => {
    platforms.fake.tiktok.rejectToken('tt-token');
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error.isConfigurationError).toBe(true);
    expect(error.platformCode).toBe(40001);
  });
});
