/**
 * The Pinterest destination against the `@capi-kit/testing` fake over real HTTP on loopback: the
 * fake validates like Pinterest (schema with `additionalProperties: false`, string money, hashed
 * fields, seconds), so these tests catch what the exact-body tests alone cannot — that Pinterest
 * would accept our bodies.
 */
import { DestinationCallError } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { CANONICAL_NOW, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, sendError } from '../__fixtures__/destination-test-kit';
import { useFakePlatforms } from '../__fixtures__/fake-platforms-test-kit';
import { pinterest } from './pinterest-destination';

const platforms = useFakePlatforms({ clock: () => CANONICAL_NOW });
const signal = new AbortController().signal;

function destination(testMode = false) {
  return pinterest({
    adAccountId: '549755885175',
    accessToken: 'pin-token',
    baseURL: platforms.fake.url,
    testMode,
  });
}

const prepare = prepareReady;

describe('pinterest against the fake Pinterest API for Conversions', () => {
  it('gets the canonical event accepted under the tag’s event name and ID', async () => {
    const target = destination();
    const event = canonicalEvent({
      data: {
        ...canonicalEvent().data,
        contentIds: ['sku1'],
        numItems: 1,
        searchString: 'shirt',
        predictedLtv: 300,
      },
      consent: { limitedDataUse: true },
    });
    event.user = {
      ...event.user,
      epik: 'dj0yJnU9abc',
      gender: 'female',
      dateOfBirth: '1997-02-16',
    };
    const result = await target.doSend([await prepare(target, event)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.pinterest.requests[0]!.response).toMatchObject({
      status: 200,
      body: { num_events_received: 1, num_events_processed: 1 },
    });
    expect(
      platforms.fake.pinterest.events.map((received) => [
        received.pixelId,
        received.eventName,
        received.eventId,
      ]),
    ).toEqual([['549755885175', 'checkout', 'evt_01JGZ5M8Q4']]);
    expect(platforms.fake.pinterest.events[0]!.eventTime).toBe(canonicalEvent().time);
    expect(platforms.fake.pinterest.requests[0]!.headers.authorization).toBe('Bearer pin-token');
  });

  it('pairs with the tag copy on event_id', async () => {
    const target = destination();
    platforms.fake.pinterest.recordPixelHit({ eventName: 'checkout', eventId: 'evt_01JGZ5M8Q4' });
    await target.doSend([await prepare(target)], { signal });
    expect(platforms.fake.pinterest.dedupVerdict('checkout', 'evt_01JGZ5M8Q4')).toBe('matched');
  });

  it('marks test mode with ?test=true, which Pinterest validates but does not record', async () => {
    const target = destination(true);
    await target.doSend([await prepare(target)], { signal });
    expect(platforms.fake.pinterest.requests[0]!.testMode).toBe(true);
    expect(platforms.fake.pinterest.events[0]!.validationOnly).toBe(true);
  });

  it('delivers the good events of a 422 and rejects the bad one with Pinterest’s message', async () => {
    const target = destination();
    const good = await prepare(target);
    const bad = await prepare(target, canonicalEvent({ id: 'evt_bad' }));
    // A millisecond event_time: the unit bug Pinterest refuses per event.
    bad.payload.event_time = canonicalEvent().time;
    const result = await target.doSend([good, bad], { signal });
    expect(platforms.fake.pinterest.requests[0]!.response?.status).toBe(422);
    expect(result.outcomes).toEqual([
      { status: 'delivered' },
      { status: 'rejected', reason: expect.stringContaining('milliseconds'), code: 1 },
    ]);
    expect(platforms.fake.pinterest.events.map((event) => event.eventId)).toEqual([
      'evt_01JGZ5M8Q4',
    ]);
  });

  it('treats a revoked token as a configuration error', async () => {
    platforms.fake.pinterest.rejectToken('pin-token');
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.isConfigurationError).toBe(true);
    expect(error.platformCode).toBe(2);
    expect(error.message).not.toContain('pin-token');
  });

  it('is slowed down by a 429 with a retryable error and the Retry-After wait', async () => {
    platforms.fake.pinterest.respondWith({
      kind: 'error',
      error: 'pinterest_rate_limit',
      headers: { 'retry-after': '12' },
    });
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(12_000);
    expect(error.platformCode).toBe(8);
  });
});
