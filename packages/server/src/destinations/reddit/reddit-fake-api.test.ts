/**
 * The Reddit destination against the `@capi-kit/testing` fake over real HTTP on loopback: the fake
 * validates like Reddit v3 (ms times, UPPER_SNAKE types, strict decoding, hashed match keys,
 * bearer token), so these tests catch what the exact-body tests alone cannot — that Reddit would
 * accept our bodies.
 */
import { DestinationCallError } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, sendError } from '../__fixtures__/destination-test-kit';
import { useFakePlatforms } from '../__fixtures__/fake-platforms-test-kit';
import { reddit } from './reddit-destination';

const platforms = useFakePlatforms({ clock: () => canonicalEvent().time + 3600_000 });
const signal = new AbortController().signal;

function destination(settings: { testId?: string } = {}) {
  return reddit({
    pixelId: 't2_abc123',
    accessToken: 'rdt-token',
    baseURL: platforms.fake.url,
    ...settings,
  });
}

const prepare = prepareReady;

describe('reddit against the fake Reddit Conversions API', () => {
  it('gets the canonical event accepted under the pixel’s conversion ID', async () => {
    const target = destination();
    const event = canonicalEvent();
    event.user = { ...event.user, rdtCid: 't3_click', rdtUuid: '1767225500000.abc-uuid' };
    const result = await target.doSend([await prepare(target, event)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.reddit.requests[0]!.response).toEqual({
      status: 200,
      body: { message: 'Successfully processed 1 conversion events.' },
    });
    expect(
      platforms.fake.reddit.events.map((received) => [
        received.pixelId,
        received.eventName,
        received.eventId,
        received.eventTime,
      ]),
    ).toEqual([['t2_abc123', 'PURCHASE', 'evt_01JGZ5M8Q4', event.time]]);
  });

  it('gets custom events, LDU and non-web sources accepted', async () => {
    const target = destination();
    const batch = [
      await prepare(target, canonicalEvent({ id: 'a', name: 'InitiateCheckout' })),
      await prepare(target, canonicalEvent({ id: 'b', consent: { limitedDataUse: true } })),
      await prepare(target, canonicalEvent({ id: 'c', source: 'physical_store', page: {} })),
      await prepare(target, canonicalEvent({ id: 'd', name: 'PageView', data: {} })),
    ];
    const result = await target.doSend(batch, { signal });
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
  });

  it('puts the test ID where Reddit reads it', async () => {
    const target = destination({ testId: 't2_test' });
    await target.doSend([await prepare(target)], { signal });
    expect(platforms.fake.reddit.requests[0]!.testMode).toBe(true);
    expect(platforms.fake.reddit.events[0]!.testEventCode).toBe('t2_test');
  });

  it('rejects the event Reddit names invalid and resends the others', async () => {
    const target = destination();
    const good = await prepare(target);
    const bad = await prepare(target, canonicalEvent({ id: 'evt_bad' }));
    // Seconds instead of ms: the unit bug Reddit refuses.
    bad.payload.event_at = Math.floor(bad.payload.event_at / 1000);
    const result = await target.doSend([good, bad], { signal });
    expect(result.outcomes[0]).toMatchObject({ status: 'retry', retryAfterMs: 0 });
    expect(result.outcomes[1]).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('milliseconds'),
      code: 400,
    });
    expect(platforms.fake.reddit.events).toEqual([]);
  });

  it('treats a revoked token as a configuration error', async () => {
    platforms.fake.reddit.rejectToken('rdt-token');
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isConfigurationError).toBe(true);
    expect(error.platformCode).toBe('UNAUTHORIZED');
  });

  it('is throttled by a 429 with a retryable error that honours Retry-After', async () => {
    platforms.fake.reddit.respondWith({
      kind: 'error',
      error: 'reddit_rate_limited',
      headers: { 'retry-after': '5' },
    });
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(5000);
  });
});
